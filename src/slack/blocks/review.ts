import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import {
  COMPARATOR_SIGN,
  type Goal,
  type GoalField,
  type GoalProblem,
  type GoalStatus,
} from '../../domain/goals.ts';
import { type ReviewBriefFacts, type TalkingPoint, talkingPoints } from '../../domain/review-brief.ts';
import type { SuccessReview } from '../../domain/reviews.ts';
import { DEFAULT_REVIEW_MINUTES, REVIEW_DURATIONS, type ReviewKind } from '../../domain/reviews.ts';
import { formatNps, formatNumber } from '../../i18n/format.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { REVIEW } from '../constants.ts';
import { escapeMrkdwn, inlineCode, meetingTime, truncate } from './format.ts';
import { calendarDateIn, monthIn, scoreTextIn } from './locale-format.ts';

export interface ReviewAccountRef {
  id: number;
  key: string;
  name: string;
}

const section = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, 3000) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, 3000) }],
});
const minutes = (n: number, locale: Locale = 'en') =>
  n % 60 === 0
    ? t(locale, 'rts.hours', { hours: n / 60 })
    : n > 60
      ? t(locale, 'rts.hoursMinutes', { hours: Math.floor(n / 60), minutes: n % 60 })
      : t(locale, 'rts.minutes', { minutes: n });

const reviewLabel = (kind: string, locale: Locale) => t(locale, 'rts.label', { kind });

/** One line naming the meeting: kind, account, when, how long. */
export function reviewSummary(
  review: SuccessReview,
  account: ReviewAccountRef,
  locale: Locale = 'en',
): string {
  return t(locale, 'rts.summary', {
    label: reviewLabel(review.kind, locale),
    name: escapeMrkdwn(account.name),
    when: meetingTime(review.startsAt, review.timezone),
    duration: minutes(review.durationMinutes, locale),
  });
}

/** Reschedule's value: the review, and the date and time to offer when the person already asked for one. */
export const rescheduleValue = (reviewId: number, requested?: { date: string; time: string }) =>
  requested ? `${reviewId} ${requested.date} ${requested.time}` : String(reviewId);

const reviewButtons = (
  review: SuccessReview,
  locale: Locale,
  requested?: { date: string; time: string },
): KnownBlock => ({
  type: 'actions',
  elements: [
    {
      type: 'button',
      action_id: REVIEW.rescheduleAction,
      text: { type: 'plain_text', text: t(locale, 'rts.reschedule') },
      value: rescheduleValue(review.id, requested),
    },
    {
      type: 'button',
      action_id: REVIEW.cancelAction,
      text: { type: 'plain_text', text: t(locale, 'rts.cancel') },
      style: 'danger',
      value: String(review.id),
      confirm: {
        title: { type: 'plain_text', text: t(locale, 'rts.cancel.title') },
        text: { type: 'plain_text', text: t(locale, 'rts.cancel.text') },
        confirm: { type: 'plain_text', text: t(locale, 'rts.cancel.confirm') },
        deny: { type: 'plain_text', text: t(locale, 'rts.cancel.deny') },
        style: 'danger',
      },
    },
  ],
});

function details(review: SuccessReview, locale: Locale): string[] {
  const lines: string[] = [];
  if (review.attendees.length) {
    lines.push(t(locale, 'rts.attendees', { attendees: review.attendees.map((u) => `<@${u}>`).join(', ') }));
  }
  if (review.agenda) lines.push(t(locale, 'rts.agenda', { agenda: escapeMrkdwn(review.agenda) }));
  return lines;
}

export const confirmationText = (
  review: SuccessReview,
  account: ReviewAccountRef,
  verb: 'scheduled' | 'rescheduled',
  locale: Locale = 'en',
) =>
  t(locale, 'rts.confirmation', {
    label: reviewLabel(review.kind, locale),
    name: escapeMrkdwn(account.name),
    verb,
    when: meetingTime(review.startsAt, review.timezone),
    duration: minutes(review.durationMinutes, locale),
  });

/** The confirmation of a scheduled (or moved) review, with Reschedule and Cancel. */
export function reviewConfirmationBlocks(
  review: SuccessReview,
  account: ReviewAccountRef,
  verb: 'scheduled' | 'rescheduled',
  locale: Locale = 'en',
): KnownBlock[] {
  return [
    section(t(locale, 'rts.confirmed', { summary: reviewSummary(review, account, locale), verb })),
    ...details(review, locale).map(section),
    context(t(locale, 'rts.fileFollows')),
    reviewButtons(review, locale),
  ];
}

/** Asked to schedule while one is already scheduled: the existing meeting, to move or cancel. */
export function alreadyScheduledBlocks(
  review: SuccessReview,
  account: ReviewAccountRef,
  requested?: { date: string; time: string },
  locale: Locale = 'en',
): KnownBlock[] {
  return [
    section(
      t(locale, 'rts.alreadyScheduled', {
        name: escapeMrkdwn(account.name),
        when: meetingTime(review.startsAt, review.timezone),
      }),
    ),
    reviewButtons(review, locale, requested),
  ];
}

export const canceledText = (
  review: SuccessReview,
  account: ReviewAccountRef,
  by: string,
  locale: Locale = 'en',
) =>
  t(locale, 'rts.canceled', {
    label: reviewLabel(review.kind, locale),
    name: escapeMrkdwn(account.name),
    when: meetingTime(review.startsAt, review.timezone),
    by: `<@${by}>`,
  });

/** What the scheduling modal carries between opening and submission. */
export interface ScheduleModalContext {
  accountId: number;
  /** Set when the modal moves an existing review. */
  reviewId?: number;
  /** Where the person asked: the confirmation and the calendar file go there. */
  channelId?: string;
}

export interface SchedulePrefill {
  date?: string;
  time?: string;
  durationMinutes?: number;
  attendees?: string[];
  agenda?: string | null;
}

const durationOption = (n: number, locale: Locale) => ({
  text: { type: 'plain_text' as const, text: minutes(n, locale) },
  value: String(n),
});

/** The modal of `/cs rts <account>` and of Reschedule: date, time (in the account's zone), duration, attendees, agenda. */
export function scheduleModal(
  account: ReviewAccountRef & { kind: ReviewKind },
  zone: string,
  meta: ScheduleModalContext,
  prefill: SchedulePrefill = {},
  locale: Locale = 'en',
): View {
  const duration = prefill.durationMinutes ?? DEFAULT_REVIEW_MINUTES;
  const durations = REVIEW_DURATIONS.includes(duration as (typeof REVIEW_DURATIONS)[number])
    ? [...REVIEW_DURATIONS]
    : [...REVIEW_DURATIONS, duration].sort((a, b) => a - b);
  return {
    type: 'modal',
    callback_id: REVIEW.scheduleModal,
    private_metadata: JSON.stringify(meta),
    title: {
      type: 'plain_text',
      text: t(locale, meta.reviewId ? 'rts.modal.reschedule' : 'rts.modal.schedule'),
    },
    submit: {
      type: 'plain_text',
      text: t(locale, meta.reviewId ? 'rts.modal.submitMove' : 'rts.modal.submitSchedule'),
    },
    close: { type: 'plain_text', text: t(locale, 'label.close') },
    blocks: [
      section(
        t(locale, 'rts.modal.intro', {
          label: reviewLabel(account.kind, locale),
          name: escapeMrkdwn(account.name),
          zone,
        }),
      ),
      {
        type: 'input',
        block_id: REVIEW.dateBlock,
        label: { type: 'plain_text', text: t(locale, 'rts.modal.date') },
        element: {
          type: 'datepicker',
          action_id: REVIEW.dateInput,
          ...(prefill.date && { initial_date: prefill.date }),
        },
      },
      {
        type: 'input',
        block_id: REVIEW.timeBlock,
        label: { type: 'plain_text', text: t(locale, 'rts.modal.time', { zone }) },
        element: {
          type: 'timepicker',
          action_id: REVIEW.timeInput,
          ...(prefill.time && { initial_time: prefill.time }),
        },
      },
      {
        type: 'input',
        block_id: REVIEW.durationBlock,
        label: { type: 'plain_text', text: t(locale, 'rts.modal.duration') },
        element: {
          type: 'static_select',
          action_id: REVIEW.durationInput,
          options: durations.map((n) => durationOption(n, locale)),
          initial_option: durationOption(duration, locale),
        },
      },
      {
        type: 'input',
        block_id: REVIEW.attendeesBlock,
        optional: true,
        label: { type: 'plain_text', text: t(locale, 'rts.modal.attendees') },
        element: {
          type: 'multi_users_select',
          action_id: REVIEW.attendeesInput,
          ...(prefill.attendees?.length && { initial_users: prefill.attendees }),
        },
      },
      {
        type: 'input',
        block_id: REVIEW.agendaBlock,
        optional: true,
        label: { type: 'plain_text', text: t(locale, 'rts.modal.agenda') },
        element: {
          type: 'plain_text_input',
          action_id: REVIEW.agendaInput,
          multiline: true,
          max_length: 2000,
          ...(prefill.agenda && { initial_value: prefill.agenda }),
        },
      },
    ],
  };
}

/** A review's start as the modal's date and time fields show it, in the review's zone. */
export function prefillOf(review: SuccessReview): SchedulePrefill {
  const local = DateTime.fromJSDate(review.startsAt, { zone: review.timezone });
  return {
    date: local.toISODate()!,
    time: local.toFormat('HH:mm'),
    durationMinutes: review.durationMinutes,
    attendees: review.attendees,
    agenda: review.agenda,
  };
}

/** "Roll out to sales (active users ≥ 40) by Wed 31 Mar 2027", or the description alone when it names no measure. */
export function goalLineIn(locale: Locale, goal: Goal): string {
  const measured = goal.metric !== null && goal.comparator !== null && goal.target !== null;
  return t(locale, 'goal.line', {
    measured: measured ? 'yes' : 'no',
    description: goal.description,
    metric: goal.metric?.replace(/_/g, ' ') ?? '',
    sign: goal.comparator ? COMPARATOR_SIGN[goal.comparator] : '',
    target: goal.target === null ? '' : formatNumber(locale, goal.target, 2),
    due: calendarDateIn(locale, goal.dueDate),
  });
}

/** Where a goal stands: "missed (now 14)" / "não cumprida (agora 14)". */
export function goalStateIn(locale: Locale, status: GoalStatus): string {
  const state = t(locale, 'goal.state', { state: status.state });
  return status.current === null
    ? state
    : t(locale, 'goal.stateNow', { state, current: formatNumber(locale, status.current, 2) });
}

const goalLines = (locale: Locale, goals: Array<{ goal: Goal; status: GoalStatus }>) =>
  goals.map((g) => `• ${escapeMrkdwn(goalLineIn(locale, g.goal))}: *${goalStateIn(locale, g.status)}*`);

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
/** A figure of the brief: one decimal at most, n/a when unknown. */
const figure = (locale: Locale, v: number | null) =>
  v === null ? t(locale, 'label.notAvailable') : formatNumber(locale, v, 1);

/** One talking point in the reader's language. */
export function talkingPointText(locale: Locale, p: TalkingPoint): string {
  const since = 'since' in p ? t(locale, 'brief.sincePhrase', { since: p.since }) : '';
  switch (p.kind) {
    case 'billingFlags':
      return t(locale, 'brief.point.billingFlags', { count: p.count });
    case 'renewal':
      return t(locale, 'brief.point.renewal', { date: calendarDateIn(locale, p.date), days: p.days });
    case 'usageFell':
    case 'usageGrew':
      return t(locale, `brief.point.${p.kind}`, {
        change: p.change,
        since,
        before: figure(locale, p.before),
        now: figure(locale, p.now),
      });
    case 'healthFell':
    case 'healthRose':
      return t(locale, `brief.point.${p.kind}`, { from: p.from, now: p.now, since });
    case 'goalMissed':
    case 'goalOpen':
      return t(locale, `brief.point.${p.kind}`, { goal: escapeMrkdwn(goalLineIn(locale, p.goal)) });
    case 'goalsMet':
    case 'milestonesOverdue':
    case 'milestonesReached':
      return t(locale, `brief.point.${p.kind}`, {
        count: p.names.length,
        names: escapeMrkdwn(p.names.join(p.kind === 'goalsMet' ? '; ' : ', ')),
      });
    case 'npsNegative':
      return t(locale, 'brief.point.npsNegative', { nps: formatNps(locale, p.nps), since });
    case 'csatLow':
      return t(locale, 'brief.point.csatLow', { percent: formatNumber(locale, p.percent, 1), since });
    case 'ticketsRose':
      return t(locale, 'brief.point.ticketsRose', { from: p.from, now: p.now });
    case 'noGoals':
    case 'quiet':
      return t(locale, `brief.point.${p.kind}`);
  }
}

export const briefText = (f: ReviewBriefFacts, locale: Locale = 'en') =>
  t(locale, 'brief.title', { name: escapeMrkdwn(f.account.name) });

/** The pre-review diagnosis: facts since the last review, then the suggested talking points. */
export function briefBlocks(f: ReviewBriefFacts, locale: Locale = 'en'): KnownBlock[] {
  const goals = f.goals.length ? goalLines(locale, f.goals).join('\n') : t(locale, 'brief.goals.none');
  const score = scoreTextIn(locale, f.health.score, f.health.band);
  const health =
    f.health.scoreThen === null ? score : t(locale, 'brief.health.was', { score, from: f.health.scoreThen });
  const milestones = [
    ...f.milestones.reached.map(
      (m) => `• :white_check_mark: ${escapeMrkdwn(m.title)} (${calendarDateIn(locale, dayOf(m.reachedAt))})`,
    ),
    ...f.milestones.overdue.map(
      (m) =>
        `• :warning: ${t(locale, 'brief.milestone.overdue', { title: escapeMrkdwn(m.title), date: calendarDateIn(locale, m.plannedFor) })}`,
    ),
  ];
  const flags = f.billingFlags.map((flag) => t(locale, 'label.billingFlag', { type: flag.type })).join(', ');
  const since = t(locale, 'brief.since', {
    lastReview: f.since.lastReview ? 'yes' : 'no',
    date: calendarDateIn(locale, dayOf(f.since.at)),
  });
  const context_ = [escapeMrkdwn(f.account.key), f.account.tier.replace('_', '-'), since];
  if (f.upcoming) {
    context_.push(
      t(locale, 'brief.meeting', { when: meetingTime(f.upcoming.startsAt, f.upcoming.timezone) }),
    );
  }
  const points = talkingPoints(f).map((p) => `• ${talkingPointText(locale, p)}`);
  return [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(t(locale, 'brief.title', { name: f.account.name }), 150) },
    },
    context(context_.join(' · ')),
    section(t(locale, 'brief.goals', { lines: goals })),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: t(locale, 'brief.health', { health }) },
        {
          type: 'mrkdwn',
          text: t(locale, 'brief.usage', {
            before: figure(locale, f.usage.before),
            now: figure(locale, f.usage.now),
          }),
        },
        {
          type: 'mrkdwn',
          text: t(locale, 'brief.tickets', {
            before: figure(locale, f.tickets.before),
            now: figure(locale, f.tickets.now),
          }),
        },
        {
          type: 'mrkdwn',
          text: t(locale, 'brief.surveys', {
            nps: f.nps.score === null ? t(locale, 'label.notAvailable') : formatNps(locale, f.nps.score),
            npsAnswers: f.nps.answers,
            csat:
              f.csat.percent === null
                ? t(locale, 'label.notAvailable')
                : `${formatNumber(locale, f.csat.percent, 1)}%`,
            csatAnswers: f.csat.answers,
          }),
        },
        { type: 'mrkdwn', text: t(locale, 'brief.flags', { flags: flags || t(locale, 'brief.flags.none') }) },
        {
          type: 'mrkdwn',
          text: t(locale, 'brief.renewal', {
            date: f.account.renewalDate
              ? calendarDateIn(locale, f.account.renewalDate)
              : t(locale, 'label.notSet'),
          }),
        },
      ],
    },
    section(
      t(locale, 'brief.milestones', {
        lines: milestones.length ? milestones.join('\n') : t(locale, 'brief.milestones.none'),
      }),
    ),
    section(t(locale, 'brief.points', { lines: points.join('\n') })),
  ];
}

export const outcomeReminderText = (account: { name: string }, locale: Locale = 'en') =>
  t(locale, 'outcome.reminderText', { name: escapeMrkdwn(account.name) });

/** After the meeting: the owner is asked for the goals agreed, with a button opening the outcome modal. */
export function outcomeReminderBlocks(
  review: Pick<SuccessReview, 'id' | 'kind' | 'startsAt' | 'timezone'>,
  account: { name: string },
  locale: Locale = 'en',
): KnownBlock[] {
  return [
    section(
      t(locale, 'outcome.reminder', {
        label: reviewLabel(review.kind, locale),
        name: escapeMrkdwn(account.name),
        when: meetingTime(review.startsAt, review.timezone),
      }),
    ),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: REVIEW.outcomeAction,
          text: { type: 'plain_text', text: t(locale, 'outcome.record') },
          style: 'primary',
          value: String(review.id),
        },
      ],
    },
  ];
}

export const goalBlockId = (row: number, field: GoalField) => `${REVIEW.goalPrefix}${row}_${field}`;
const goalActionId = (row: number, field: GoalField) => `${goalBlockId(row, field)}_input`;

const comparatorOptions = (locale: Locale) => [
  { text: { type: 'plain_text' as const, text: t(locale, 'outcome.atLeast') }, value: '>=' },
  { text: { type: 'plain_text' as const, text: t(locale, 'outcome.atMost') }, value: '<=' },
];

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** Up to five goals: a description, and optionally a metric, ≥/≤, a target and the due date. */
export function outcomeModal(
  review: Pick<SuccessReview, 'id' | 'kind' | 'startsAt' | 'timezone'>,
  account: { name: string },
  existing: Goal[] = [],
  locale: Locale = 'en',
): View {
  const comparators = comparatorOptions(locale);
  const blocks: KnownBlock[] = [
    section(
      t(locale, 'outcome.intro', {
        name: escapeMrkdwn(account.name),
        when: meetingTime(review.startsAt, review.timezone),
      }),
    ),
  ];
  for (let row = 0; row < REVIEW.goalRows; row++) {
    const goal = existing[row];
    const optional = row > 0;
    blocks.push(
      { type: 'header', text: plain(t(locale, 'outcome.goalN', { n: row + 1 })) },
      {
        type: 'input',
        block_id: goalBlockId(row, 'description'),
        optional,
        label: plain(t(locale, 'outcome.goal')),
        element: {
          type: 'plain_text_input',
          action_id: goalActionId(row, 'description'),
          max_length: 300,
          placeholder: plain(t(locale, 'outcome.goalExample')),
          ...(goal && { initial_value: goal.description }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'metric'),
        optional: true,
        label: plain(t(locale, 'outcome.metric')),
        element: {
          type: 'plain_text_input',
          action_id: goalActionId(row, 'metric'),
          max_length: 64,
          placeholder: plain(t(locale, 'outcome.metricExample')),
          ...(goal?.metric && { initial_value: goal.metric }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'comparator'),
        optional: true,
        label: plain(t(locale, 'outcome.comparison')),
        element: {
          type: 'static_select',
          action_id: goalActionId(row, 'comparator'),
          options: comparators,
          ...(goal?.comparator && {
            initial_option: comparators.find((o) => o.value === goal.comparator)!,
          }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'target'),
        optional: true,
        label: plain(t(locale, 'outcome.target')),
        element: {
          type: 'number_input',
          action_id: goalActionId(row, 'target'),
          is_decimal_allowed: true,
          ...(goal?.target !== null && goal?.target !== undefined && { initial_value: String(goal.target) }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'dueDate'),
        optional,
        label: plain(t(locale, 'outcome.dueBy')),
        element: {
          type: 'datepicker',
          action_id: goalActionId(row, 'dueDate'),
          ...(goal && { initial_date: goal.dueDate }),
        },
      },
    );
  }
  return {
    type: 'modal',
    callback_id: REVIEW.outcomeModal,
    private_metadata: JSON.stringify({ reviewId: review.id }),
    title: plain(t(locale, 'outcome.title')),
    submit: plain(t(locale, 'outcome.save')),
    close: plain(t(locale, 'label.close')),
    blocks,
  };
}

/** A problem of a typed goal, for the modal's field. */
export const goalProblemText = (locale: Locale, problem: GoalProblem) =>
  t(locale, 'goal.problem', { problem });

export const goalReportText = (account: { name: string }, month: string, locale: Locale = 'en') =>
  t(locale, 'goals.reportText', { name: escapeMrkdwn(account.name), month: monthIn(locale, month) });

/** The monthly goal report: each goal of the last review and where it stands. */
export function goalReportBlocks(
  account: { name: string; key: string },
  month: string,
  goals: Array<{ goal: Goal; status: GoalStatus }>,
  locale: Locale = 'en',
): KnownBlock[] {
  return [
    section(
      t(locale, 'goals.report', {
        name: escapeMrkdwn(account.name),
        key: inlineCode(account.key),
        month: monthIn(locale, month),
        lines: goalLines(locale, goals).join('\n'),
      }),
    ),
    context(t(locale, 'goals.briefHint', { key: account.key })),
  ];
}

export const outcomeSavedText = (account: { name: string }, goals: Goal[], locale: Locale = 'en') =>
  t(locale, 'outcome.saved', {
    count: goals.length,
    name: escapeMrkdwn(account.name),
    goals: goals.map((g) => escapeMrkdwn(goalLineIn(locale, g))).join('; '),
  });
