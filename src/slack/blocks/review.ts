import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import type { Goal } from '../../domain/goals.ts';
import { type GoalField, type GoalStatus, goalLine, statusText } from '../../domain/goals.ts';
import { type ReviewBriefFacts, talkingPoints } from '../../domain/review-brief.ts';
import type { SuccessReview } from '../../domain/reviews.ts';
import {
  DEFAULT_REVIEW_MINUTES,
  REVIEW_DURATIONS,
  REVIEW_LABEL,
  type ReviewKind,
} from '../../domain/reviews.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { REVIEW } from '../constants.ts';
import {
  calendarDate,
  counted,
  escapeMrkdwn,
  inlineCode,
  meetingTime,
  scoreText,
  truncate,
} from './format.ts';
import { FLAG_LABEL } from './health-card.ts';

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

export const canceledText = (review: SuccessReview, account: ReviewAccountRef, by: string) =>
  `:x: The ${REVIEW_LABEL[review.kind as ReviewKind]} with *${escapeMrkdwn(account.name)}* on ${meetingTime(review.startsAt, review.timezone)} was canceled by <@${by}>.`;

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

function since(f: ReviewBriefFacts): string {
  return f.since.lastReview
    ? `since the last review (${calendarDate(f.since.at.toISOString().slice(0, 10))})`
    : `since ${calendarDate(f.since.at.toISOString().slice(0, 10))}`;
}

const figure = (v: number | null, unit = '') => (v === null ? 'n/a' : `${Math.round(v * 10) / 10}${unit}`);

export const briefText = (f: ReviewBriefFacts) => `Review brief: ${escapeMrkdwn(f.account.name)}`;

/** The pre-review diagnosis: facts since the last review, then the suggested talking points. */
export function briefBlocks(f: ReviewBriefFacts): KnownBlock[] {
  const goals = f.goals.length
    ? f.goals.map((g) => `• ${escapeMrkdwn(goalLine(g.goal))}: *${statusText(g.status)}*`).join('\n')
    : '_No goals recorded at the last review._';
  const health =
    f.health.scoreThen === null
      ? scoreText(f.health.score, f.health.band)
      : `${scoreText(f.health.score, f.health.band)} (was ${f.health.scoreThen})`;
  const milestones = [
    ...f.milestones.reached.map(
      (m) =>
        `• :white_check_mark: ${escapeMrkdwn(m.title)} (${calendarDate(m.reachedAt.toISOString().slice(0, 10))})`,
    ),
    ...f.milestones.overdue.map(
      (m) => `• :warning: ${escapeMrkdwn(m.title)}: overdue since ${calendarDate(m.plannedFor)}`,
    ),
  ];
  const flags = f.billingFlags.map((flag) => FLAG_LABEL[flag.type]).join(', ');
  const when = f.upcoming ? ` · meeting ${meetingTime(f.upcoming.startsAt, f.upcoming.timezone)}` : '';
  return [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Review brief: ${f.account.name}`, 150) } },
    context(
      `${escapeMrkdwn(f.account.key)} · ${f.account.tier.replace('_', '-')} · figures ${since(f)}${when}`,
    ),
    section(`*Goals from the last review*\n${goals}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Health*\n${health}` },
        { type: 'mrkdwn', text: `*Active users a day*\n${figure(f.usage.before)} → ${figure(f.usage.now)}` },
        { type: 'mrkdwn', text: `*Open tickets*\n${figure(f.tickets.before)} → ${figure(f.tickets.now)}` },
        {
          type: 'mrkdwn',
          text: `*NPS / CSAT*\n${f.nps.score === null ? 'n/a' : f.nps.score} (${f.nps.answers}) / ${f.csat.percent === null ? 'n/a' : `${f.csat.percent}%`} (${f.csat.answers})`,
        },
        { type: 'mrkdwn', text: `*Billing red flags*\n${flags || 'none open'}` },
        {
          type: 'mrkdwn',
          text: `*Renewal*\n${f.account.renewalDate ? calendarDate(f.account.renewalDate) : 'not set'}`,
        },
      ],
    },
    section(`*Milestones*\n${milestones.length ? milestones.join('\n') : '_None reached or overdue._'}`),
    section(
      `*Talking points*\n${talkingPoints(f)
        .map((p) => `• ${escapeMrkdwn(p)}`)
        .join('\n')}`,
    ),
  ];
}

/** After the meeting: the owner is asked for the goals agreed, with a button opening the outcome modal. */
export function outcomeReminderBlocks(
  review: Pick<SuccessReview, 'id' | 'kind' | 'startsAt' | 'timezone'>,
  account: { name: string },
): KnownBlock[] {
  return [
    section(
      `:memo: How did the ${REVIEW_LABEL[review.kind as ReviewKind]} with *${escapeMrkdwn(account.name)}* (${meetingTime(review.startsAt, review.timezone)}) go? Record the goals agreed for the next period: Pulse tracks them monthly until the next review.`,
    ),
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: REVIEW.outcomeAction,
          text: { type: 'plain_text', text: 'Record the outcome' },
          style: 'primary',
          value: String(review.id),
        },
      ],
    },
  ];
}

export const goalBlockId = (row: number, field: GoalField) => `${REVIEW.goalPrefix}${row}_${field}`;
const goalActionId = (row: number, field: GoalField) => `${goalBlockId(row, field)}_input`;

const COMPARATOR_OPTIONS = [
  { text: { type: 'plain_text' as const, text: '≥ at least' }, value: '>=' },
  { text: { type: 'plain_text' as const, text: '≤ at most' }, value: '<=' },
];

/** Up to five goals: a description, and optionally a metric, ≥/≤, a target and the due date. */
export function outcomeModal(
  review: Pick<SuccessReview, 'id' | 'kind' | 'startsAt' | 'timezone'>,
  account: { name: string },
  existing: Goal[] = [],
): View {
  const blocks: KnownBlock[] = [
    section(
      `Goals agreed with *${escapeMrkdwn(account.name)}* at the review of ${meetingTime(review.startsAt, review.timezone)}. Name a metric Pulse receives (e.g. \`active_users\`) and it tracks the goal. Leave a goal empty to skip it.`,
    ),
  ];
  for (let row = 0; row < REVIEW.goalRows; row++) {
    const goal = existing[row];
    const optional = row > 0;
    blocks.push(
      { type: 'header', text: { type: 'plain_text', text: `Goal ${row + 1}` } },
      {
        type: 'input',
        block_id: goalBlockId(row, 'description'),
        optional,
        label: { type: 'plain_text', text: 'Goal' },
        element: {
          type: 'plain_text_input',
          action_id: goalActionId(row, 'description'),
          max_length: 300,
          placeholder: { type: 'plain_text', text: 'e.g. Roll out to the sales team' },
          ...(goal && { initial_value: goal.description }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'metric'),
        optional: true,
        label: { type: 'plain_text', text: 'Metric' },
        element: {
          type: 'plain_text_input',
          action_id: goalActionId(row, 'metric'),
          max_length: 64,
          placeholder: { type: 'plain_text', text: 'e.g. active_users' },
          ...(goal?.metric && { initial_value: goal.metric }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'comparator'),
        optional: true,
        label: { type: 'plain_text', text: 'Comparison' },
        element: {
          type: 'static_select',
          action_id: goalActionId(row, 'comparator'),
          options: COMPARATOR_OPTIONS,
          ...(goal?.comparator && {
            initial_option: COMPARATOR_OPTIONS.find((o) => o.value === goal.comparator)!,
          }),
        },
      },
      {
        type: 'input',
        block_id: goalBlockId(row, 'target'),
        optional: true,
        label: { type: 'plain_text', text: 'Target' },
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
        label: { type: 'plain_text', text: 'Due by' },
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
    title: { type: 'plain_text', text: 'Review outcome' },
    submit: { type: 'plain_text', text: 'Save goals' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

export const goalReportText = (account: { name: string }, month: string) =>
  `Goals of ${escapeMrkdwn(account.name)}, ${month}`;

/** The monthly goal report: each goal of the last review and where it stands. */
export function goalReportBlocks(
  account: { name: string; key: string },
  month: string,
  goals: Array<{ goal: Goal; status: GoalStatus }>,
): KnownBlock[] {
  return [
    section(
      `:dart: *Goals of ${escapeMrkdwn(account.name)}* (${inlineCode(account.key)}), ${month}\n${goals
        .map((g) => `• ${escapeMrkdwn(goalLine(g.goal))}: *${statusText(g.status)}*`)
        .join('\n')}`,
    ),
    context(`\`/cs rts ${account.key} brief\` shows the full brief.`),
  ];
}

export const outcomeSavedText = (account: { name: string }, goals: Goal[]) =>
  `:dart: Saved ${counted(goals.length, 'goal')} for ${escapeMrkdwn(account.name)}: ${goals
    .map((g) => escapeMrkdwn(goalLine(g)))
    .join('; ')}. Pulse reports on them monthly until the next review, and in its brief.`;
