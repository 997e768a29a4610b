import type { Deps } from '../../deps.ts';
import {
  dayIn,
  firstReached,
  reachedDayProblem,
  startOfDayIn,
  successPlanSummary,
} from '../../domain/milestones.ts';
import { loadSuccessPlan, logReachedMilestone } from '../../store/milestones.ts';
import { enqueueSlackMessage } from '../../store/outbox.ts';
import { calendarDate, escapeMrkdwn, truncate } from '../blocks/format.ts';
import { celebrationMessage, summaryLine, TITLE_MAX } from '../blocks/milestones.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral, notInTeam } from './answer.ts';

export const celebrationKey = (milestoneId: number) => `milestone:${milestoneId}:celebration`;

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
  if (!(await context.team.includes(context.client, context.userId))) return notInTeam('log milestones');
  const title = command.title.trim();
  if (title.length > TITLE_MAX) {
    return ephemeral(`A milestone's title is at most ${TITLE_MAX} characters; this one has ${title.length}.`);
  }
  const resolved = await resolveAccount(deps.db.orm, command.account);
  if ('answer' in resolved) return resolved.answer;
  const accountId = resolved.account.id;
  const now = deps.clock();

  const outcome = await deps.db.orm.transaction(async (tx) => {
    const before = await loadSuccessPlan(tx, accountId);
    if (!before) return undefined;
    const zone = before.account.timezone ?? deps.config.timezone;
    const today = dayIn(now, zone);
    const day = command.date ?? today;
    const problem = reachedDayProblem(day, today);
    if (problem) return { problem };
    const { milestone, newlyReached } = await logReachedMilestone(tx, {
      accountId,
      title,
      reachedAt: day === today ? now : startOfDayIn(day, zone),
      recordedBy: context.userId,
    });
    const channel = before.account.channelId;
    if (newlyReached && channel) {
      await enqueueSlackMessage(tx, {
        dedupeKey: celebrationKey(milestone.id),
        method: 'chat.postMessage',
        payload: { channel, ...celebrationMessage(before.account, milestone.title, day) },
      });
    }
    const after = await loadSuccessPlan(tx, accountId);
    return { milestone, newlyReached, plan: after!, zone, today, channel };
  });
  if (!outcome) return ephemeral(`The account \`${resolved.account.key}\` no longer exists.`);
  if ('problem' in outcome) return ephemeral(outcome.problem!);

  const { milestone, plan, zone, today } = outcome;
  const name = `*${escapeMrkdwn(truncate(milestone.title, TITLE_MAX))}*`;
  const account = escapeMrkdwn(plan.account.name);
  const reachedDay = calendarDate(dayIn(milestone.reachedAt!, zone));
  if (!outcome.newlyReached) {
    return ephemeral(`${name} was already reached on ${reachedDay} for ${account}; nothing changed.`);
  }
  deps.health
    .schedule([accountId])
    .catch((error) => deps.logger.error({ err: error, accountId }, 'health after a milestone failed'));

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
        : `Its first milestone: time to first value *${summary.ttfvDays} day${summary.ttfvDays === 1 ? '' : 's'}*.`,
    );
  }
  lines.push(summaryLine(summary));
  if (outcome.channel) lines.push(`Celebrated in <#${outcome.channel}>.`);
  return ephemeral(lines.join('\n'));
}
