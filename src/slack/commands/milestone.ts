import type { Deps } from '../../deps.ts';
import { dayIn, firstReached, nearPlannedMilestone, successPlanSummary } from '../../domain/milestones.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { channelSharing } from '../../services/channel-sharing.ts';
import { recordReachedMilestone } from '../../services/milestones.ts';
import type { AccountRef } from '../../store/account-search.ts';
import { loadSuccessPlan } from '../../store/milestones.ts';
import { escapeMrkdwn, truncate } from '../blocks/format.ts';
import { calendarDateIn } from '../blocks/locale-format.ts';
import { samePlannedQuestion, summaryLine, TITLE_MAX } from '../blocks/milestones.ts';
import { accountGone, resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/**
 * What logging a reached milestone came to. `text` is the answer in mrkdwn; the refusals (`title`,
 * `day`, `gone`, `already`) changed nothing, so a modal can show them on the field to fix instead.
 */
export type MilestoneLogOutcome =
  | { kind: 'title' | 'day' | 'gone'; text: string }
  | { kind: 'already'; text: string; title: string; reachedDay: string }
  | { kind: 'logged'; text: string };

/** Why this (trimmed) title cannot be logged, or undefined when it can. */
function titleProblem(title: string, locale: Locale): string | undefined {
  if (!title) return t(locale, 'ms.problem.noTitle');
  if (title.length > TITLE_MAX) {
    return t(locale, 'ms.problem.titleTooLong', { max: TITLE_MAX, length: title.length });
  }
  return undefined;
}

/**
 * Where the celebration went. It is internal news: the outbox does not post it into a channel shared
 * outside the workspace (and this asks Slack once for both, the answer being kept).
 */
async function celebrationLine(deps: Deps, channel: string, locale: Locale): Promise<string> {
  const sharing = deps.slack ? await channelSharing(deps, deps.slack, channel) : undefined;
  return t(locale, sharing?.kind === 'shared' ? 'ms.log.notCelebrated' : 'ms.log.celebrated', {
    channel: `<#${channel}>`,
  });
}

/**
 * Logs a milestone of this account reached today (or on `date`, a day in the account's zone) through the
 * service (services/milestones.ts: celebration, health), and says what came of it. Shared by
 * `/cs milestone` and the App Home's "Log a milestone" modal; the caller checks that the person may write.
 */
export async function logMilestone(
  deps: Deps,
  input: { account: AccountRef; title: string; date?: string; userId: string; locale: Locale },
): Promise<MilestoneLogOutcome> {
  const { locale } = input;
  const title = input.title.trim();
  const problem = titleProblem(title, locale);
  if (problem) return { kind: 'title', text: problem };
  const accountId = input.account.id;

  const outcome = await recordReachedMilestone(deps, {
    accountId,
    title,
    date: input.date,
    userId: input.userId,
  });
  if (!outcome) return { kind: 'gone', text: accountGone(locale, input.account.key) };
  // A reached day's only problem is being in the future.
  if ('dayProblem' in outcome)
    return { kind: 'day', text: t(locale, 'ms.problem.future', { day: input.date! }) };

  const { milestone, plan, zone, today } = outcome;
  const name = `*${escapeMrkdwn(truncate(milestone.title, TITLE_MAX))}*`;
  const account = escapeMrkdwn(plan.account.name);
  const reachedDay = calendarDateIn(locale, dayIn(milestone.reachedAt!, zone));
  if (!outcome.newlyReached) {
    return {
      kind: 'already',
      text: t(locale, 'ms.log.already', { title: name, date: reachedDay, account }),
      title: milestone.title,
      reachedDay,
    };
  }
  const summary = successPlanSummary(plan.milestones, {
    contractStart: plan.account.contractStart,
    today,
    zone,
  });
  const planned = milestone.plannedFor
    ? t(locale, 'ms.line.plannedFor', { date: calendarDateIn(locale, milestone.plannedFor) })
    : '';
  const lines = [t(locale, 'ms.log.logged', { title: name, account, date: reachedDay, planned })];
  if (firstReached(plan.milestones)?.id === milestone.id) {
    lines.push(
      summary.ttfvDays === null
        ? t(locale, 'ms.log.firstNoStart')
        : t(locale, 'ms.log.firstTtfv', { days: summary.ttfvDays }),
    );
  }
  lines.push(summaryLine(summary, locale));
  if (outcome.channel) lines.push(await celebrationLine(deps, outcome.channel, locale));
  return { kind: 'logged', text: lines.join('\n') };
}

/**
 * `/cs milestone <account> <title> [--date YYYY-MM-DD]`: logs a milestone reached today (or on the day
 * given, in the account's zone), celebrates it once in the account's channel, and answers with the
 * milestone, and the time to first value when it is the first.
 */
export async function milestoneAnswer(
  command: { account: string; title: string; date?: string },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  const { locale } = context;
  const problem = titleProblem(command.title.trim(), locale);
  if (problem) return ephemeral(problem);
  const resolved = await resolveAccount(deps.db.orm, command.account, locale);
  if ('answer' in resolved) return resolved.answer;
  // A planned milestone typed in other words is asked about rather than doubled by a near-duplicate.
  const plan = await loadSuccessPlan(deps.db.orm, resolved.account.id);
  const near = plan && nearPlannedMilestone(command.title.trim(), plan.milestones);
  if (near) {
    const question = samePlannedQuestion({
      account: resolved.account,
      typed: command.title.trim(),
      planned: near,
      date: command.date,
      locale,
    });
    return ephemeral(question.text, question.blocks);
  }
  const outcome = await logMilestone(deps, {
    account: resolved.account,
    title: command.title,
    date: command.date,
    userId: context.userId,
    locale,
  });
  return ephemeral(outcome.text);
}
