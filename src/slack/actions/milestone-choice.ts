import type { BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { findAccount } from '../../store/account-search.ts';
import type { Access } from '../access.ts';
import { ephemeral } from '../commands/answer.ts';
import { logMilestone } from '../commands/milestone.ts';
import { MILESTONE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';
import { onClick } from './click.ts';

const choice = z.object({ account: z.string(), title: z.string(), date: z.string().optional() });

/**
 * The answer to "is it the planned milestone?": either button logs its title (the planned one's, which
 * marks it reached, or the title as typed), as `/cs milestone` would have.
 */
export function registerMilestoneChoice(app: Listeners, deps: Deps, access: Access): void {
  const log = onClick<BlockButtonAction>(
    deps,
    access,
    { need: 'write', failure: 'logging the chosen milestone failed' },
    async ({ body, action, client }) => {
      const locale = await access.localeOf(client, body.user.id);
      const chosen = choice.parse(JSON.parse(action.value ?? ''));
      const match = await findAccount(deps.db.orm, chosen.account);
      if (!match.found) return ephemeral(t(locale, 'click.accountGone'));
      const outcome = await logMilestone(deps, {
        locale,
        account: match.account,
        title: chosen.title,
        date: chosen.date,
        userId: body.user.id,
      });
      return ephemeral(outcome.text);
    },
  );
  app.action<BlockButtonAction>(MILESTONE.samePlannedAction, log);
  app.action<BlockButtonAction>(MILESTONE.newMilestoneAction, log);
}
