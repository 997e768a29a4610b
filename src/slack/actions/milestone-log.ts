import type { ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import { dayIn } from '../../domain/milestones.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { findAccount } from '../../store/account-search.ts';
import { loadAccount } from '../../store/reviews.ts';
import type { Access } from '../access.ts';
import { loggedView, logModal } from '../blocks/milestones.ts';
import { failureText } from '../commands/answer.ts';
import { logMilestone } from '../commands/milestone.ts';
import { MILESTONE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';

/** Opens "Log a milestone" for this account, dated today in the account's zone. */
export async function openLogModal(
  deps: Pick<Deps, 'db' | 'config' | 'clock'>,
  client: WebClient,
  triggerId: string,
  accountId: number,
  locale: Locale,
): Promise<boolean> {
  const account = await loadAccount(deps.db.orm, accountId);
  if (!account) return false;
  const zone = account.timezone ?? deps.config.timezone;
  await client.views.open({
    trigger_id: triggerId,
    view: logModal(account, dayIn(deps.clock(), zone), zone, locale),
  });
  return true;
}

/**
 * The submission of "Log a milestone": does what `/cs milestone <account> <title> --date <day>` does.
 * What to fix (a future day, a milestone already reached) shows on its field; once logged, the modal
 * turns into the command's answer.
 */
export function registerMilestoneLog(app: Listeners, deps: Deps, access: Access): void {
  app.view<ViewSubmitAction>(MILESTONE.logModal, async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const fail = (block: string, message: string) =>
      ack({ response_action: 'errors', errors: { [block]: message } });
    // The team's language until the access check has asked Slack who this is (users.info, kept).
    let locale = deps.config.locale;
    try {
      const verdict = await access.canWrite(client, body.user.id);
      if (!verdict.allowed) return void (await fail(MILESTONE.logTitleBlock, verdict.plain));
      locale = await access.localeOf(client, body.user.id);
      const match = await findAccount(deps.db.orm, view.private_metadata);
      if (!match.found) return void (await fail(MILESTONE.logTitleBlock, t(locale, 'click.accountGone')));
      const outcome = await logMilestone(deps, {
        locale,
        account: match.account,
        title: values[MILESTONE.logTitleBlock]?.[MILESTONE.logTitleInput]?.value ?? '',
        date: values[MILESTONE.logDateBlock]?.[MILESTONE.logDateInput]?.selected_date ?? undefined,
        userId: body.user.id,
      });
      switch (outcome.kind) {
        case 'logged':
          return void (await ack({ response_action: 'update', view: loggedView(outcome.text, locale) }));
        case 'day':
          return void (await fail(MILESTONE.logDateBlock, outcome.text));
        case 'already':
          return void (await fail(
            MILESTONE.logTitleBlock,
            t(locale, 'ms.problem.alreadyReachedNothing', { title: outcome.title, date: outcome.reachedDay }),
          ));
        default:
          return void (await fail(MILESTONE.logTitleBlock, outcome.text.replace(/`/g, '')));
      }
    } catch (error) {
      deps.logger.error({ err: error, user: body.user.id }, 'logging a milestone from its modal failed');
      await fail(MILESTONE.logTitleBlock, failureText(locale)).catch(() => undefined);
    }
  });
}
