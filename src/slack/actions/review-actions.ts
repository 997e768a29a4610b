import type {
  AllMiddlewareArgs,
  BlockButtonAction,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { checkGoals, type GoalField, type GoalInput } from '../../domain/goals.ts';
import { dayIn } from '../../domain/milestones.ts';
import { meetingInstant, reviewKindFor } from '../../domain/reviews.ts';
import { type Locale, t } from '../../i18n/index.ts';
import {
  cancelReview,
  loadAccount,
  loadReview,
  rescheduleReview,
  saveOutcome,
  scheduleReview,
  trackedGoals,
} from '../../store/reviews.ts';
import type { Access } from '../access.ts';
import {
  canceledText,
  confirmationText,
  goalBlockId,
  goalProblemText,
  outcomeModal,
  outcomeSavedText,
  prefillOf,
  reviewConfirmationBlocks,
  type ScheduleModalContext,
  scheduleModal,
} from '../blocks/review.ts';
import { type CommandAnswer, ephemeral, failureText } from '../commands/answer.ts';
import { reviewZone } from '../commands/rts.ts';
import { shareCalendarFile, tellPrivately } from '../commands/rts-calendar.ts';
import { REVIEW } from '../constants.ts';
import type { Listeners } from '../listeners.ts';
import { type ClickArgs, onClick } from './click.ts';

type Click = ClickArgs<BlockButtonAction>;
type Submission = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A button on a review changes it: writers only. */
function onReviewClick(
  deps: Deps,
  access: Access,
  work: (args: Click, reviewId: number, locale: Locale) => Promise<CommandAnswer | undefined>,
) {
  return onClick<BlockButtonAction>(
    deps,
    access,
    { need: 'write', failure: 'review click failed' },
    (args, locale) => {
      const reviewId = Number(args.action.value?.split(' ')[0]);
      return Number.isSafeInteger(reviewId) ? work(args, reviewId, locale) : Promise.resolve(undefined);
    },
  );
}

const notScheduled = (locale: Locale) => ephemeral(t(locale, 'rts.notScheduled'));

type Values = ViewSubmitAction['view']['state']['values'];
const field = (values: Values, block: string, action: string) => values[block]?.[action];

/** The scheduling modal's fields, checked: the meeting instant in the account's zone, or the problem. */
/** Refusals about the time of day (the clock, a daylight-saving gap, an instant already past) go next to the time field. */
const TIME_REASONS = new Set(['time', 'skipped', 'past']);

type ScheduleRead =
  | { errors: Record<string, string> }
  | {
      meeting: {
        startsAt: Date;
        durationMinutes: number;
        attendees: string[];
        agenda: string | null;
        timezone: string;
      };
    };

function readSchedule(values: Values, zone: string, now: Date, locale: Locale): ScheduleRead {
  const date = field(values, REVIEW.dateBlock, REVIEW.dateInput)?.selected_date ?? '';
  const time = field(values, REVIEW.timeBlock, REVIEW.timeInput)?.selected_time ?? '';
  const duration = Number(field(values, REVIEW.durationBlock, REVIEW.durationInput)?.selected_option?.value);
  const attendees = field(values, REVIEW.attendeesBlock, REVIEW.attendeesInput)?.selected_users ?? [];
  const agenda = field(values, REVIEW.agendaBlock, REVIEW.agendaInput)?.value?.trim() || null;
  if (!date) return { errors: { [REVIEW.dateBlock]: t(locale, 'rts.pickDate') } };
  if (!time) return { errors: { [REVIEW.timeBlock]: t(locale, 'rts.pickTime') } };
  const when = meetingInstant(date, time, zone, now);
  if (!when.ok) {
    const block = TIME_REASONS.has(when.reason) ? REVIEW.timeBlock : REVIEW.dateBlock;
    return { errors: { [block]: t(locale, 'rts.modal.when', { reason: when.reason, date, time, zone }) } };
  }
  if (!(duration > 0 && duration <= 8 * 60))
    return { errors: { [REVIEW.durationBlock]: t(locale, 'rts.pickDuration') } };
  return {
    meeting: { startsAt: when.startsAt, durationMinutes: duration, attendees, agenda, timezone: zone },
  };
}

async function onScheduleSubmission(deps: Deps, access: Access, { ack, body, view, client }: Submission) {
  const meta = JSON.parse(view.private_metadata) as ScheduleModalContext;
  const userId = body.user.id;
  const verdict = await access.canWrite(client, userId);
  if (!verdict.allowed) {
    await ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: verdict.plain } });
    return;
  }
  const locale = await access.localeOf(client, userId);
  const account = await loadAccount(deps.db.orm, meta.accountId);
  if (!account) {
    await ack({
      response_action: 'errors',
      errors: { [REVIEW.dateBlock]: t(locale, 'click.accountGone') },
    });
    return;
  }
  const read = readSchedule(view.state.values, reviewZone(account, deps), deps.clock(), locale);
  if ('errors' in read) {
    await ack({ response_action: 'errors', errors: read.errors });
    return;
  }
  const now = deps.clock();
  let review: Awaited<ReturnType<typeof loadReview>>;
  let verb: 'scheduled' | 'rescheduled';
  if (meta.reviewId) {
    review = await rescheduleReview(deps.db.orm, meta.reviewId, read.meeting, now);
    verb = 'rescheduled';
    if (!review) {
      await ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: t(locale, 'rts.notScheduled') } });
      return;
    }
  } else {
    const result = await scheduleReview(deps.db.orm, {
      ...read.meeting,
      accountId: account.id,
      kind: reviewKindFor(account.tier),
      scheduledBy: userId,
    });
    if ('existing' in result) {
      await ack({
        response_action: 'errors',
        errors: {
          [REVIEW.dateBlock]: t(locale, 'rts.modal.alreadyScheduled', {
            name: account.name,
            key: account.key,
          }),
        },
      });
      return;
    }
    review = result.created;
    verb = 'scheduled';
  }
  await ack();
  const to = { userId, channelId: meta.channelId };
  try {
    await tellPrivately(client, to, {
      text: confirmationText(review, account, verb, locale),
      blocks: reviewConfirmationBlocks(review, account, verb, locale),
    });
  } catch (error) {
    deps.logger.error({ err: error, reviewId: review.id }, 'confirming a review failed');
  }
  await shareCalendarFile(client, deps, review, account, userId, locale);
}

function readGoals(values: Values): GoalInput[] {
  const text = (row: number, f: GoalField) =>
    field(values, goalBlockId(row, f), `${goalBlockId(row, f)}_input`);
  return Array.from({ length: REVIEW.goalRows }, (_, row) => ({
    description: text(row, 'description')?.value,
    metric: text(row, 'metric')?.value,
    comparator: text(row, 'comparator')?.selected_option?.value,
    target: text(row, 'target')?.value,
    dueDate: text(row, 'dueDate')?.selected_date,
  }));
}

async function onOutcomeSubmission(deps: Deps, access: Access, { ack, body, view, client }: Submission) {
  const { reviewId } = JSON.parse(view.private_metadata) as { reviewId: number };
  const firstBlock = goalBlockId(0, 'description');
  const verdict = await access.canWrite(client, body.user.id);
  if (!verdict.allowed) {
    await ack({ response_action: 'errors', errors: { [firstBlock]: verdict.plain } });
    return;
  }
  const locale = await access.localeOf(client, body.user.id);
  const review = await loadReview(deps.db.orm, reviewId);
  if (!review) {
    await ack({ response_action: 'errors', errors: { [firstBlock]: t(locale, 'rts.reviewGone') } });
    return;
  }
  const today = dayIn(deps.clock(), review.timezone);
  const { goals, problems } = checkGoals(readGoals(view.state.values), today);
  if (problems.length || !goals.length) {
    const errors: Record<string, string> = {};
    for (const p of problems) errors[goalBlockId(p.row, p.field)] ??= goalProblemText(locale, p.problem);
    if (!problems.length) errors[firstBlock] = t(locale, 'outcome.atLeastOne');
    await ack({ response_action: 'errors', errors });
    return;
  }
  await saveOutcome(deps.db.orm, review, goals, deps.clock());
  await ack();
  const account = await loadAccount(deps.db.orm, review.accountId);
  try {
    await client.chat.postMessage({
      channel: body.user.id,
      text: outcomeSavedText(account!, goals, locale),
    });
  } catch (error) {
    deps.logger.error({ err: error, reviewId }, 'confirming a review outcome failed');
  }
}

/** Reschedule, Cancel and Record the outcome; the scheduling and outcome modals' submissions. */
export function registerReviewActions(app: Listeners, deps: Deps, access: Access): void {
  app.action<BlockButtonAction>(
    REVIEW.rescheduleAction,
    onReviewClick(deps, access, async ({ action, body, client }, reviewId, locale) => {
      const review = await loadReview(deps.db.orm, reviewId);
      const account = review && (await loadAccount(deps.db.orm, review.accountId));
      if (!review || !account || review.status !== 'scheduled') return notScheduled(locale);
      const [, date, time] = action.value?.split(' ') ?? [];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: scheduleModal(
          { ...account, kind: review.kind as 'rts' | 'rms' },
          review.timezone,
          { accountId: account.id, reviewId, channelId: body.channel?.id },
          { ...prefillOf(review), ...(date && time && { date, time }) },
          locale,
        ),
      });
      return undefined;
    }),
  );

  app.action<BlockButtonAction>(
    REVIEW.cancelAction,
    onReviewClick(deps, access, async ({ body, respond }, reviewId, locale) => {
      const canceled = await cancelReview(deps.db.orm, reviewId, deps.clock());
      const account = canceled && (await loadAccount(deps.db.orm, canceled.accountId));
      if (!canceled || !account) return notScheduled(locale);
      await respond({ replace_original: true, text: canceledText(canceled, account, body.user.id, locale) });
      return undefined;
    }),
  );

  app.action<BlockButtonAction>(
    REVIEW.outcomeAction,
    onReviewClick(deps, access, async ({ body, client }, reviewId, locale) => {
      const review = await loadReview(deps.db.orm, reviewId);
      const account = review && (await loadAccount(deps.db.orm, review.accountId));
      if (!review || !account || review.status === 'canceled') {
        return ephemeral(t(locale, 'outcome.canceled'));
      }
      const existing = await trackedGoals(deps.db.orm, [review.id], deps.clock());
      await client.views.open({
        trigger_id: body.trigger_id,
        view: outcomeModal(
          review,
          account,
          existing.map((g) => g.goal),
          locale,
        ),
      });
      return undefined;
    }),
  );

  app.view<ViewSubmitAction>(REVIEW.scheduleModal, async (args) => {
    try {
      await onScheduleSubmission(deps, access, args);
    } catch (error) {
      deps.logger.error({ err: error, user: args.body.user.id }, 'review modal submission failed');
      await args
        .ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: failureText(deps.config.locale) } })
        .catch(() => undefined);
    }
  });

  app.view<ViewSubmitAction>(REVIEW.outcomeModal, async (args) => {
    try {
      await onOutcomeSubmission(deps, access, args);
    } catch (error) {
      deps.logger.error({ err: error, user: args.body.user.id }, 'review outcome submission failed');
      await args
        .ack({
          response_action: 'errors',
          errors: { [goalBlockId(0, 'description')]: failureText(deps.config.locale) },
        })
        .catch(() => undefined);
    }
  });
}
