import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { checkGoals, type GoalField, type GoalInput } from '../../domain/goals.ts';
import { dayIn } from '../../domain/milestones.ts';
import { meetingInstant, reviewKindFor } from '../../domain/reviews.ts';
import {
  cancelReview,
  loadAccount,
  loadReview,
  rescheduleReview,
  saveOutcome,
  scheduleReview,
  trackedGoals,
} from '../../store/reviews.ts';
import {
  canceledText,
  confirmationText,
  goalBlockId,
  outcomeModal,
  outcomeSavedText,
  prefillOf,
  reviewConfirmationBlocks,
  type ScheduleModalContext,
  scheduleModal,
} from '../blocks/review.ts';
import { FAILURE_TEXT } from '../commands/answer.ts';
import { reviewZone } from '../commands/rts.ts';
import { shareCalendarFile, tellPrivately } from '../commands/rts-calendar.ts';
import { REVIEW } from '../constants.ts';
import type { CsTeam } from '../cs-team.ts';

const REFUSAL = 'Only the CS team can schedule success reviews. Ask a CS lead to add you to CS_TEAM.';

type Click = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type Submission = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const ephemeral = (respond: Click['respond'], text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

/** A button on a review: acknowledged at once, team members only, failures logged and told. */
function onReviewClick(deps: Deps, team: CsTeam, work: (args: Click, reviewId: number) => Promise<void>) {
  return async (args: Click) => {
    await args.ack();
    const reviewId = Number(args.action.value?.split(' ')[0]);
    try {
      if (!Number.isSafeInteger(reviewId)) return;
      if (!(await team.includes(args.client, args.body.user.id))) {
        await ephemeral(args.respond, REFUSAL);
        return;
      }
      await work(args, reviewId);
    } catch (error) {
      deps.logger.error({ err: error, reviewId, action: args.action.action_id }, 'review click failed');
      await ephemeral(args.respond, FAILURE_TEXT).catch(() => undefined);
    }
  };
}

const NOT_SCHEDULED = 'This review is no longer scheduled (it was held or canceled).';

type Values = ViewSubmitAction['view']['state']['values'];
const field = (values: Values, block: string, action: string) => values[block]?.[action];

/** The scheduling modal's fields, checked: the meeting instant in the account's zone, or the problem. */
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

function readSchedule(values: Values, zone: string, now: Date): ScheduleRead {
  const date = field(values, REVIEW.dateBlock, REVIEW.dateInput)?.selected_date ?? '';
  const time = field(values, REVIEW.timeBlock, REVIEW.timeInput)?.selected_time ?? '';
  const duration = Number(field(values, REVIEW.durationBlock, REVIEW.durationInput)?.selected_option?.value);
  const attendees = field(values, REVIEW.attendeesBlock, REVIEW.attendeesInput)?.selected_users ?? [];
  const agenda = field(values, REVIEW.agendaBlock, REVIEW.agendaInput)?.value?.trim() || null;
  if (!date) return { errors: { [REVIEW.dateBlock]: 'Pick the date of the meeting.' } };
  if (!time) return { errors: { [REVIEW.timeBlock]: 'Pick the time of the meeting.' } };
  const when = meetingInstant(date, time, zone, now);
  if (!when.ok) {
    const block = /time|clocks/.test(when.problem) ? REVIEW.timeBlock : REVIEW.dateBlock;
    return { errors: { [block]: when.problem.replace(/`/g, '') } };
  }
  if (!(duration > 0 && duration <= 8 * 60))
    return { errors: { [REVIEW.durationBlock]: 'Pick a duration.' } };
  return {
    meeting: { startsAt: when.startsAt, durationMinutes: duration, attendees, agenda, timezone: zone },
  };
}

async function onScheduleSubmission(deps: Deps, team: CsTeam, { ack, body, view, client }: Submission) {
  const meta = JSON.parse(view.private_metadata) as ScheduleModalContext;
  const userId = body.user.id;
  if (!(await team.includes(client, userId))) {
    await ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: REFUSAL } });
    return;
  }
  const account = await loadAccount(deps.db.orm, meta.accountId);
  if (!account) {
    await ack({
      response_action: 'errors',
      errors: { [REVIEW.dateBlock]: 'This account no longer exists.' },
    });
    return;
  }
  const read = readSchedule(view.state.values, reviewZone(account, deps), deps.clock());
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
      await ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: NOT_SCHEDULED } });
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
          [REVIEW.dateBlock]: `${account.name} already has a review scheduled: use Reschedule on its confirmation, or /cs rts ${account.key} again.`,
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
      text: confirmationText(review, account, verb),
      blocks: reviewConfirmationBlocks(review, account, verb),
    });
  } catch (error) {
    deps.logger.error({ err: error, reviewId: review.id }, 'confirming a review failed');
  }
  await shareCalendarFile(client, deps, review, account, userId);
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

async function onOutcomeSubmission(deps: Deps, team: CsTeam, { ack, body, view, client }: Submission) {
  const { reviewId } = JSON.parse(view.private_metadata) as { reviewId: number };
  const firstBlock = goalBlockId(0, 'description');
  if (!(await team.includes(client, body.user.id))) {
    await ack({ response_action: 'errors', errors: { [firstBlock]: REFUSAL } });
    return;
  }
  const review = await loadReview(deps.db.orm, reviewId);
  if (!review) {
    await ack({ response_action: 'errors', errors: { [firstBlock]: 'This review no longer exists.' } });
    return;
  }
  const today = dayIn(deps.clock(), review.timezone);
  const { goals, problems } = checkGoals(readGoals(view.state.values), today);
  if (problems.length || !goals.length) {
    const errors: Record<string, string> = {};
    for (const p of problems) errors[goalBlockId(p.row, p.field)] ??= p.problem;
    if (!problems.length) errors[firstBlock] = 'Record at least one goal.';
    await ack({ response_action: 'errors', errors });
    return;
  }
  await saveOutcome(deps.db.orm, review, goals, deps.clock());
  await ack();
  const account = await loadAccount(deps.db.orm, review.accountId);
  try {
    await client.chat.postMessage({
      channel: body.user.id,
      text: outcomeSavedText(account!, goals),
    });
  } catch (error) {
    deps.logger.error({ err: error, reviewId }, 'confirming a review outcome failed');
  }
}

/** Reschedule, Cancel and Record the outcome; the scheduling and outcome modals' submissions. */
export function registerReviewActions(app: App, deps: Deps, team: CsTeam): void {
  app.action<BlockButtonAction>(
    REVIEW.rescheduleAction,
    onReviewClick(deps, team, async ({ action, body, client, respond }, reviewId) => {
      const review = await loadReview(deps.db.orm, reviewId);
      const account = review && (await loadAccount(deps.db.orm, review.accountId));
      if (!review || !account || review.status !== 'scheduled') {
        await ephemeral(respond, NOT_SCHEDULED);
        return;
      }
      const [, date, time] = action.value?.split(' ') ?? [];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: scheduleModal(
          { ...account, kind: review.kind as 'rts' | 'rms' },
          review.timezone,
          { accountId: account.id, reviewId, channelId: body.channel?.id },
          { ...prefillOf(review), ...(date && time && { date, time }) },
        ),
      });
    }),
  );

  app.action<BlockButtonAction>(
    REVIEW.cancelAction,
    onReviewClick(deps, team, async ({ body, respond }, reviewId) => {
      const canceled = await cancelReview(deps.db.orm, reviewId, deps.clock());
      const account = canceled && (await loadAccount(deps.db.orm, canceled.accountId));
      if (!canceled || !account) {
        await ephemeral(respond, NOT_SCHEDULED);
        return;
      }
      await respond({ replace_original: true, text: canceledText(canceled, account, body.user.id) });
    }),
  );

  app.action<BlockButtonAction>(
    REVIEW.outcomeAction,
    onReviewClick(deps, team, async ({ body, client, respond }, reviewId) => {
      const review = await loadReview(deps.db.orm, reviewId);
      const account = review && (await loadAccount(deps.db.orm, review.accountId));
      if (!review || !account || review.status === 'canceled') {
        await ephemeral(respond, 'This review was canceled: there is no outcome to record.');
        return;
      }
      const existing = await trackedGoals(deps.db.orm, [review.id], deps.clock());
      await client.views.open({
        trigger_id: body.trigger_id,
        view: outcomeModal(
          review,
          account,
          existing.map((g) => g.goal),
        ),
      });
    }),
  );

  app.view<ViewSubmitAction>(REVIEW.scheduleModal, async (args) => {
    try {
      await onScheduleSubmission(deps, team, args);
    } catch (error) {
      deps.logger.error({ err: error, user: args.body.user.id }, 'review modal submission failed');
      await args
        .ack({ response_action: 'errors', errors: { [REVIEW.dateBlock]: FAILURE_TEXT } })
        .catch(() => undefined);
    }
  });

  app.view<ViewSubmitAction>(REVIEW.outcomeModal, async (args) => {
    try {
      await onOutcomeSubmission(deps, team, args);
    } catch (error) {
      deps.logger.error({ err: error, user: args.body.user.id }, 'review outcome submission failed');
      await args
        .ack({ response_action: 'errors', errors: { [goalBlockId(0, 'description')]: FAILURE_TEXT } })
        .catch(() => undefined);
    }
  });
}
