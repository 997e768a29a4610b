import { DateTime } from 'luxon';
import { dayIn } from './milestones.ts';

/**
 * Success reviews as docs/cs-method.md describes them: RTS (quarterly) for high-touch accounts, RMS (monthly)
 * for exclusive ones. Meeting times are typed in the account's zone (else PULSE_TIMEZONE) and stored as
 * instants; calendar dates (due dates, report months) are taken in that zone.
 */

export type ReviewKind = 'rts' | 'rms';

/** Exclusive accounts meet monthly (RMS); everyone else who meets does so quarterly (RTS). */
export const reviewKindFor = (tier: string): ReviewKind => (tier === 'exclusive' ? 'rms' : 'rts');

export const REVIEW_LABEL: Record<ReviewKind, string> = {
  rts: 'RTS (quarterly success review)',
  rms: 'RMS (monthly success review)',
};

/** Months between reviews, by tier; a tier missing from the map has no cadence. */
export type ReviewCadence = Partial<Record<string, number>>;
export const DEFAULT_REVIEW_CADENCE: ReviewCadence = { exclusive: 1, high_touch: 3 };

export const REVIEW_DURATIONS = [30, 45, 60, 90, 120] as const;
export const DEFAULT_REVIEW_MINUTES = 60;

/** `exclusive=1,high_touch=3`: months per tier; `0` turns a tier's cadence off. */
export function parseReviewCadence(
  raw: string,
  tiers: readonly string[],
): { ok: true; cadence: ReviewCadence } | { ok: false; problem: string } {
  const cadence: ReviewCadence = {};
  for (const part of raw.split(',')) {
    const [tier, value] = part.split('=').map((s) => s.trim());
    const months = Number(value);
    if (!tier || !tiers.includes(tier) || value === undefined || !Number.isInteger(months) || months < 0) {
      return { ok: false, problem: `"${part}" is not tier=months (tiers: ${tiers.join(', ')})` };
    }
    if (months > 0) cadence[tier] = months;
  }
  return { ok: true, cadence };
}

/** Why a meeting time is refused; the surfaces say it in the reader's language (`rts.when`, `rts.modal.when`). */
export type MeetingTimeReason = 'date' | 'time' | 'calendar' | 'zone' | 'skipped' | 'past';
export type MeetingTime = { ok: true; startsAt: Date } | { ok: false; reason: MeetingTimeReason };

/**
 * A meeting's `YYYY-MM-DD` and `HH:MM` read in `zone`. Refuses impossible dates (2030-02-30), times that
 * are not on a clock, local times skipped by a daylight-saving change, and instants not in the future.
 * A local time that happens twice (clocks go back) is the first of the two, as calendars do.
 */
export function meetingInstant(date: string, time: string, zone: string, now: Date): MeetingTime {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!d) return { ok: false, reason: 'date' };
  const t = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) {
    return { ok: false, reason: 'time' };
  }
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as number[];
  const calendar = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
  if (!calendar.isValid) {
    return { ok: false, reason: 'calendar' };
  }
  const local = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!local.isValid) return { ok: false, reason: 'zone' };
  // Luxon moves a skipped local time forward to one that exists: the wall clock then differs.
  if (local.hour !== hour || local.minute !== minute) {
    return { ok: false, reason: 'skipped' };
  }
  // A repeated local time (clocks go back) comes out as its second occurrence; calendars take the first.
  const earlier = [60, 30]
    .map((minutes) => local.minus({ minutes }))
    .find((d) => d.hour === hour && d.minute === minute && d.day === day);
  const startsAt = earlier ?? local;
  if (+startsAt <= +now) {
    return { ok: false, reason: 'past' };
  }
  return { ok: true, startsAt: startsAt.toJSDate() };
}

/** `date` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (date: string, months: number) =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ months }).toISODate()!;

export interface ReviewDueInput {
  tier: string;
  status: string;
  /** The latest held or scheduled review's start; canceled ones do not count. */
  lastReviewAt: Date | null;
  contractStart: string | null;
  zone: string;
}

/**
 * When the next review is due: the last held or scheduled review plus the tier's cadence, or the contract
 * start plus the cadence for an account that never had one. Null without a cadence (or a start to count from).
 */
export function nextReviewDue(input: ReviewDueInput, cadence: ReviewCadence): string | null {
  const months = cadence[input.tier];
  if (!months || input.status !== 'active') return null;
  const from = input.lastReviewAt ? dayIn(input.lastReviewAt, input.zone) : input.contractStart;
  return from ? addMonths(from, months) : null;
}

/** Overdue the day after the due date, in the account's zone. */
export const isReviewOverdue = (due: string | null, now: Date, zone: string) =>
  due !== null && dayIn(now, zone) > due;

const isWorkingDay = (d: DateTime) => d.weekday <= 5;

/** The working day (Monday to Friday) `days` working days before `date`. */
export function workingDaysBefore(date: string, days: number): string {
  let d = DateTime.fromISO(date, { zone: 'utc' });
  let left = days;
  while (left > 0) {
    d = d.minus({ days: 1 });
    if (isWorkingDay(d)) left--;
  }
  return d.toISODate()!;
}

/** The brief reaches the owner at this local hour, at the start of a working day. */
export const BRIEF_HOUR = 9;

/** When the pre-review brief is due: 09:00 local, `days` working days before the meeting's date. */
export function briefDueAt(startsAt: Date, zone: string, days: number): Date {
  const day = workingDaysBefore(dayIn(startsAt, zone), days);
  return DateTime.fromISO(`${day}T${String(BRIEF_HOUR).padStart(2, '0')}:00`, { zone }).toJSDate();
}

/** When the meeting ends and its outcome can be asked for. */
export const reviewEndsAt = (startsAt: Date, durationMinutes: number) =>
  new Date(+startsAt + durationMinutes * 60_000);

/** `2027-03`: the month a goal report covers, in the zone. */
export const monthKey = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('yyyy-LL');

/**
 * A success review as Pulse shows it (the renderers in slack/blocks): the columns of `success_reviews`
 * under their own names. db/schema.ts checks that the table's row type is one.
 */
export interface SuccessReview {
  id: number;
  accountId: number;
  kind: ReviewKind;
  startsAt: Date;
  durationMinutes: number;
  /** The IANA zone the meeting was scheduled in: dates are shown in it. */
  timezone: string;
  attendees: string[];
  agenda: string | null;
  status: string;
  scheduledBy: string;
  briefSentAt: Date | null;
  outcomeRequestedAt: Date | null;
  outcomeRecordedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
