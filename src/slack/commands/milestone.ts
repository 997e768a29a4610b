import type { Deps } from '../../deps.ts';
import { dayIn, firstReached, nearPlannedMilestone, successPlanSummary } from '../../domain/milestones.ts';
import { channelSharing } from '../../services/channel-sharing.ts';
import { recordReachedMilestone } from '../../services/milestones.ts';
import type { AccountRef } from '../../store/account-search.ts';
import { loadSuccessPlan } from '../../store/milestones.ts';
import { calendarDate, counted, escapeMrkdwn, truncate } from '../blocks/format.ts';
import { samePlannedQuestion, summaryLine, TITLE_MAX } from '../blocks/milestones.ts';
import { resolveAccount } from './account-answer.ts';
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
function titleProblem(title: string): string | undefined {
  if (!title) return 'Name the milestone.';
  if (title.length > TITLE_MAX) {
    return `A milestone's title is at most ${TITLE_MAX} characters; this one has ${title.length}.`;
  }
  return undefined;
}

/**
 * Where the celebration went. It is internal news: the outbox does not post it into a channel shared
 * outside the workspace (and this asks Slack once for both, the answer being kept).
 */
async function celebrationLine(deps: Deps, channel: string): Promise<string> {
  const sharing = deps.slack ? await channelSharing(deps, deps.slack, channel) : undefined;
  return sharing?.kind === 'shared'
    ? `Not celebrated in <#${channel}>: it is shared outside the workspace.`
    : `Celebrated in <#${channel}>.`;
}

/**
 * Logs a milestone of this account reached today (or on `date`, a day in the account's zone) through the
 * service (services/milestones.ts: celebration, health), and says what came of it. Shared by
 * `/cs milestone` and the App Home's "Log a milestone" modal; the caller checks that the person may write.
 */
export async function logMilestone(
  deps: Deps,
  input: { account: AccountRef; title: string; date?: string; userId: string },
): Promise<MilestoneLogOutcome> {
  const title = input.title.trim();
  const problem = titleProblem(title);
  if (problem) return { kind: 'title', text: problem };
  const accountId = input.account.id;

  const outcome = await recordReachedMilestone(deps, {
    accountId,
    title,
    date: input.date,
    userId: input.userId,
  });
  if (!outcome) return { kind: 'gone', text: `The account \`${input.account.key}\` no longer exists.` };
  if ('dayProblem' in outcome) return { kind: 'day', text: outcome.dayProblem! };

  const { milestone, plan, zone, today } = outcome;
  const name = `*${escapeMrkdwn(truncate(milestone.title, TITLE_MAX))}*`;
  const account = escapeMrkdwn(plan.account.name);
  const reachedDay = calendarDate(dayIn(milestone.reachedAt!, zone));
  if (!outcome.newlyReached) {
    return {
      kind: 'already',
      text: `${name} was already reached on ${reachedDay} for ${account}; nothing changed.`,
      title: milestone.title,
      reachedDay,
    };
  }
  const summary = successPlanSummary(plan.milestones, {
    contractStart: plan.account.contractStart,
    today,
    zone,
  });
  const lines = [
    `:tada: Logged ${name} for ${account}, reached ${reachedDay}${
      milestone.plannedFor ? ` (planned for ${calendarDate(milestone.plannedFor)})` : ''
    }.`,
  ];
  if (firstReached(plan.milestones)?.id === milestone.id) {
    lines.push(
      summary.ttfvDays === null
        ? 'Its first milestone: set the contract start to get its time to first value.'
        : `Its first milestone: time to first value *${counted(summary.ttfvDays, 'day')}*.`,
    );
  }
  lines.push(summaryLine(summary));
  if (outcome.channel) lines.push(await celebrationLine(deps, outcome.channel));
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
  const problem = titleProblem(command.title.trim());
  if (problem) return ephemeral(problem);
  const resolved = await resolveAccount(deps.db.orm, command.account);
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
    });
    return ephemeral(question.text, question.blocks);
  }
  const outcome = await logMilestone(deps, {
    account: resolved.account,
    title: command.title,
    date: command.date,
    userId: context.userId,
  });
  return ephemeral(outcome.text);
}
