import type { Deps } from '../../deps.ts';
import { dayIn, successPlanSummary } from '../../domain/milestones.ts';
import { loadSuccessPlan } from '../../store/milestones.ts';
import { type SuccessPlanView, successPlanBlocks, successPlanText } from '../blocks/milestones.ts';
import { accountGone, resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs milestones <account>`: the success plan, only to the person who asked. */
export async function milestonesAnswer(
  command: { account: string },
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const resolved = await resolveAccount(deps.db.orm, command.account, locale);
  if ('answer' in resolved) return resolved.answer;
  const plan = await loadSuccessPlan(deps.db.orm, resolved.account.id);
  if (!plan) return ephemeral(accountGone(locale, resolved.account.key));
  const zone = plan.account.timezone ?? deps.config.timezone;
  const context = { zone, today: dayIn(deps.clock(), zone), contractStart: plan.account.contractStart };
  const view: SuccessPlanView = {
    account: plan.account,
    milestones: plan.milestones,
    summary: successPlanSummary(plan.milestones, context),
    context,
    locale,
  };
  return ephemeral(successPlanText(view), successPlanBlocks(view));
}
