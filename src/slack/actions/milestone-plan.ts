import type { BlockButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { dayIn } from '../../domain/milestones.ts';
import { t } from '../../i18n/index.ts';
import { planSuccessMilestone } from '../../services/milestones.ts';
import { findAccount } from '../../store/account-search.ts';
import { loadAccount } from '../../store/reviews.ts';
import type { Access } from '../access.ts';
import { calendarDateIn } from '../blocks/locale-format.ts';
import { planModal, plannedView, TITLE_MAX } from '../blocks/milestones.ts';
import { ephemeral, failureText } from '../commands/answer.ts';
import { MILESTONE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';
import { onClick, openView } from './click.ts';

/**
 * "Add to success plan" (on `/cs milestones` and the health card) opens a modal for a planned milestone;
 * its submission adds it, or shows what to fix in the modal itself.
 */
export function registerMilestonePlan(app: Listeners, deps: Deps, access: Access): void {
  app.action<BlockButtonAction>(
    MILESTONE.addToPlanAction,
    onClick<BlockButtonAction>(
      deps,
      access,
      {
        need: 'write',
        failure: 'opening the success plan modal failed',
        title: () => t(deps.config.locale, 'ms.form.planTitle'),
      },
      async ({ body, action, client }) => {
        const locale = await access.localeOf(client, body.user.id);
        const match = await findAccount(deps.db.orm, action.value ?? '');
        if (!match.found) return ephemeral(t(locale, 'click.accountGone'));
        const account = await loadAccount(deps.db.orm, match.account.id);
        const zone = account?.timezone ?? deps.config.timezone;
        await openView(client, body, planModal(match.account, dayIn(deps.clock(), zone), locale));
        return undefined;
      },
    ),
  );

  app.view(MILESTONE.planModal, async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const title = values[MILESTONE.titleBlock]?.[MILESTONE.titleInput]?.value?.trim() ?? '';
    const day = values[MILESTONE.dateBlock]?.[MILESTONE.dateInput]?.selected_date ?? undefined;
    const fail = (block: string, message: string) =>
      ack({ response_action: 'errors', errors: { [block]: message } });
    // The team's language until the access check has asked Slack who this is (users.info, kept).
    let locale = deps.config.locale;
    try {
      const verdict = await access.canWrite(client, body.user.id);
      if (!verdict.allowed) return void (await fail(MILESTONE.titleBlock, verdict.plain));
      locale = await access.localeOf(client, body.user.id);
      if (!title) return void (await fail(MILESTONE.titleBlock, t(locale, 'ms.problem.noTitle')));
      if (title.length > TITLE_MAX) {
        return void (await fail(MILESTONE.titleBlock, t(locale, 'ms.problem.atMost', { max: TITLE_MAX })));
      }
      const match = await findAccount(deps.db.orm, view.private_metadata);
      if (!match.found) return void (await fail(MILESTONE.titleBlock, t(locale, 'click.accountGone')));
      const outcome = await planSuccessMilestone(deps, {
        accountId: match.account.id,
        title,
        day,
        userId: body.user.id,
      });
      if ('dayProblem' in outcome) {
        return void (await fail(
          MILESTONE.dateBlock,
          t(locale, outcome.dayProblem === 'past' ? 'ms.problem.pastTarget' : 'ms.problem.noTarget'),
        ));
      }
      if (outcome.kind === 'already_reached') {
        const reached = calendarDateIn(locale, dayIn(outcome.milestone.reachedAt!, outcome.zone));
        return void (await fail(
          MILESTONE.titleBlock,
          t(locale, 'ms.problem.alreadyReached', { title: outcome.milestone.title, date: reached }),
        ));
      }
      await ack({
        response_action: 'update',
        view: plannedView(
          match.account,
          outcome.milestone.title,
          day!,
          outcome.kind === 'rescheduled',
          locale,
        ),
      });
    } catch (error) {
      deps.logger.error({ err: error, user: body.user.id }, 'adding to the success plan failed');
      await fail(MILESTONE.titleBlock, failureText(locale)).catch(() => undefined);
    }
  });
}
