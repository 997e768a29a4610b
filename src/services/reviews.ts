import { DateTime } from 'luxon';
import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { type GoalStatus, goalStatus } from '../domain/goals.ts';
import { dayIn } from '../domain/milestones.ts';
import { goalReportKey, reviewBriefKey, reviewOutcomeKey } from '../domain/outbox-keys.ts';
import type { ReviewBriefFacts } from '../domain/review-brief.ts';
import {
  briefDueAt,
  isReviewOverdue,
  monthKey,
  nextReviewDue,
  REVIEW_LABEL,
  reviewKindFor,
} from '../domain/reviews.ts';
import { csatPercent, netPromoterScore } from '../domain/survey-figures.ts';
import { DAY } from '../domain/time.ts';
import { calendarDate } from '../slack/blocks/format.ts';
import {
  briefBlocks,
  briefText,
  goalReportBlocks,
  goalReportText,
  outcomeReminderBlocks,
  outcomeReminderText,
} from '../slack/blocks/review.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import {
  loadPeriodFigures,
  loadReviewSubjects,
  markBriefSent,
  markEndedReviewsHeld,
  type ReviewSubject,
  reviewsAwaitingBrief,
  trackedGoals,
} from '../store/reviews.ts';
import { reconcileRedFlags } from './red-flags.ts';
import { recipientLocales } from './user-locales.ts';

type ReviewDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'logger'>;

/** Without a review held yet, the brief looks back over one cadence (a quarter for tiers without one). */
const DEFAULT_LOOKBACK_MONTHS = 3;
/** The monthly goal report goes out from this local hour on the first day of the month Pulse runs. */
const REPORT_HOUR = 9;

/** What a DM falls back to for a person whose Slack locale Pulse has not read yet: the team's. */
const teamLocale = (deps: Pick<ReviewDeps, 'config'>) => deps.config.locale ?? 'en';

const zoneOf = (subject: Pick<ReviewSubject, 'timezone'>, deps: Pick<ReviewDeps, 'config'>) =>
  subject.timezone ?? deps.config.timezone;

/** The pre-review brief of each account, as of now: set-based, three statements whatever the count. */
export async function loadReviewBriefs(
  db: Executor,
  deps: Pick<ReviewDeps, 'config'>,
  accountIds: number[],
  now: Date,
): Promise<Map<number, { subject: ReviewSubject; facts: ReviewBriefFacts }>> {
  const subjects = await loadReviewSubjects(db, { accountIds });
  const periods = subjects.map((s) => {
    const zone = zoneOf(s, deps);
    const months = deps.config.reviews.cadence[s.tier] ?? DEFAULT_LOOKBACK_MONTHS;
    const since =
      s.lastHeld?.startsAt ?? DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months }).toJSDate();
    return { accountId: s.accountId, since, today: dayIn(now, zone) };
  });
  const [figures, goals] = await Promise.all([
    loadPeriodFigures(db, periods, now),
    trackedGoals(
      db,
      subjects.flatMap((s) => (s.lastHeld ? [s.lastHeld.id] : [])),
      now,
    ),
  ]);
  const figuresOf = new Map(figures.map((f) => [f.accountId, f]));
  const briefs = new Map<number, { subject: ReviewSubject; facts: ReviewBriefFacts }>();
  subjects.forEach((s, i) => {
    const period = periods[i]!;
    const f = figuresOf.get(s.accountId)!;
    const facts: ReviewBriefFacts = {
      account: { key: s.key, name: s.name, tier: s.tier, renewalDate: s.renewalDate },
      upcoming: s.scheduled && { startsAt: s.scheduled.startsAt, timezone: s.scheduled.timezone },
      since: { at: period.since, lastReview: s.lastHeld !== null },
      goals: goals
        .filter((g) => g.accountId === s.accountId)
        .map((g) => ({ goal: g.goal, status: goalStatus(g.goal, g.latest, period.today) })),
      health: { score: s.health.score, band: s.health.band, scoreThen: f.scoreThen },
      usage: { now: f.usageNow, before: f.usageThen },
      tickets: { now: f.ticketsNow, before: f.ticketsThen },
      milestones: { reached: f.reached, overdue: f.overdue },
      nps: {
        score: netPromoterScore(f.nps),
        answers: f.nps.promoters + f.nps.passives + f.nps.detractors,
      },
      csat: { percent: csatPercent(f.csat), answers: f.csat.total },
      billingFlags: s.health.openBillingFlags,
      today: period.today,
    };
    briefs.set(s.accountId, { subject: s, facts });
  });
  return briefs;
}

/** How far ahead a meeting can be and still need its brief now: the working days plus the weekends between. */
const briefHorizonMs = (workingDays: number) => (workingDays + 2 * Math.ceil(workingDays / 5) + 3) * DAY;

async function sendDueBriefs(deps: ReviewDeps, now: Date): Promise<number> {
  const days = deps.config.reviews.briefDaysBefore;
  const due = (await reviewsAwaitingBrief(deps.db.orm, now, briefHorizonMs(days))).filter(
    (r) => +briefDueAt(r.startsAt, r.timezone, days) <= +now,
  );
  if (!due.length) return 0;
  const briefs = await loadReviewBriefs(deps.db.orm, deps, [...new Set(due.map((r) => r.accountId))], now);
  const recipientOf = (review: (typeof due)[number]) =>
    briefs.get(review.accountId)?.subject.ownerSlackId ?? review.scheduledBy;
  const localeOf = await recipientLocales(deps.db.orm, due.map(recipientOf), teamLocale(deps));
  let sent = 0;
  for (const review of due) {
    const brief = briefs.get(review.accountId);
    if (!brief) continue;
    const channel = recipientOf(review);
    const locale = localeOf(channel);
    await deps.db.orm.transaction(async (tx) => {
      if (!(await markBriefSent(tx, review.id, now))) return;
      const enqueued = await enqueueSlackMessage(tx, {
        dedupeKey: reviewBriefKey(review.id),
        method: 'chat.postMessage',
        payload: {
          channel,
          text: briefText(brief.facts, locale),
          blocks: briefBlocks(brief.facts, locale),
        },
      });
      if (enqueued !== undefined) sent++;
    });
  }
  return sent;
}

async function requestOutcomes(deps: ReviewDeps, now: Date): Promise<number> {
  return deps.db.orm.transaction(async (tx) => {
    const ended = await markEndedReviewsHeld(tx, now);
    const recipientOf = (review: (typeof ended)[number]) => review.account.ownerSlackId ?? review.scheduledBy;
    const localeOf = await recipientLocales(tx, ended.map(recipientOf), teamLocale(deps));
    for (const review of ended) {
      const locale = localeOf(recipientOf(review));
      await enqueueSlackMessage(tx, {
        dedupeKey: reviewOutcomeKey(review.id),
        method: 'chat.postMessage',
        payload: {
          channel: recipientOf(review),
          text: outcomeReminderText(review.account, locale),
          blocks: outcomeReminderBlocks(review, review.account, locale),
        },
      });
    }
    return ended.length;
  });
}

const overdueKey = (accountId: number, due: string) => `review_overdue:${accountId}:${due}`;

/**
 * Red flags for accounts whose tier has a cadence and whose next review is past due (and not scheduled);
 * the flags whose review was scheduled or held since are resolved by Pulse.
 */
async function flagOverdueReviews(
  deps: ReviewDeps,
  now: Date,
): Promise<{ raised: number; resolved: number }> {
  const cadence = deps.config.reviews.cadence;
  const tiers = Object.keys(cadence).filter((t) => cadence[t]);
  const overdue = (tiers.length ? await loadReviewSubjects(deps.db.orm, { tiers }) : []).flatMap((s) => {
    const zone = zoneOf(s, deps);
    const due = nextReviewDue({ ...s, zone }, cadence);
    return due && isReviewOverdue(due, now, zone)
      ? [{ subject: s, due, dedupeKey: overdueKey(s.accountId, due) }]
      : [];
  });
  return deps.db.orm.transaction((tx) =>
    reconcileRedFlags(tx, deps, {
      kind: 'review_overdue',
      now,
      holding: overdue,
      note: 'A success review was scheduled or held since.',
      reason: 'review_on_cadence',
      flag: ({ subject: s, due }) => {
        const kind = reviewKindFor(s.tier);
        const months = cadence[s.tier]!;
        return {
          accountId: s.accountId,
          // The alert says "Success review overdue: " before it: the headline only says which and since when.
          headline: `${kind.toUpperCase()} was due by ${calendarDate(due)}`,
          facts: [
            {
              label: 'Cadence',
              value: `${REVIEW_LABEL[kind]}, every ${months === 1 ? 'month' : `${months} months`}`,
            },
            {
              label: 'Last review',
              value: s.lastReviewAt ? calendarDate(dayIn(s.lastReviewAt, zoneOf(s, deps))) : 'none yet',
            },
          ],
        };
      },
    }),
  );
}

/**
 * Once a month, each owner gets where the last review's goals stand, until the next review replaces
 * them. Not in the month the goals were set: they were just agreed.
 */
async function sendGoalReports(deps: ReviewDeps, now: Date): Promise<number> {
  const subjects = (await loadReviewSubjects(deps.db.orm, { withGoals: true })).filter((s) => {
    const zone = zoneOf(s, deps);
    const recorded = s.lastHeld?.outcomeRecordedAt;
    return (
      s.ownerSlackId &&
      recorded &&
      monthKey(recorded, zone) < monthKey(now, zone) &&
      DateTime.fromJSDate(now, { zone }).hour >= REPORT_HOUR
    );
  });
  if (!subjects.length) return 0;
  const goals = await trackedGoals(
    deps.db.orm,
    subjects.map((s) => s.lastHeld!.id),
    now,
  );
  return deps.db.orm.transaction(async (tx) => {
    const localeOf = await recipientLocales(
      tx,
      subjects.map((s) => s.ownerSlackId!),
      teamLocale(deps),
    );
    let sent = 0;
    for (const s of subjects) {
      const locale = localeOf(s.ownerSlackId!);
      const zone = zoneOf(s, deps);
      const month = monthKey(now, zone);
      const today = dayIn(now, zone);
      const mine: Array<{ goal: (typeof goals)[number]['goal']; status: GoalStatus }> = goals
        .filter((g) => g.reviewId === s.lastHeld!.id)
        .map((g) => ({ goal: g.goal, status: goalStatus(g.goal, g.latest, today) }));
      const enqueued = await enqueueSlackMessage(tx, {
        dedupeKey: goalReportKey(s.accountId, month),
        method: 'chat.postMessage',
        payload: {
          channel: s.ownerSlackId,
          text: goalReportText(s, month, locale),
          blocks: goalReportBlocks(s, month, mine, locale),
        },
      });
      if (enqueued !== undefined) sent++;
    }
    return sent;
  });
}

/**
 * The success-review schedule (every 15 minutes): briefs due, meetings that ended, overdue reviews and
 * the monthly goal reports. Each step is idempotent (state columns, outbox and alert dedupe keys), so a
 * rerun or a second replica adds nothing.
 */
export async function runReviewSchedule(deps: ReviewDeps) {
  const now = deps.clock();
  const briefs = await sendDueBriefs(deps, now);
  const outcomes = await requestOutcomes(deps, now);
  const overdue = await flagOverdueReviews(deps, now);
  const reports = await sendGoalReports(deps, now);
  return { briefs, outcomes, overdue, reports };
}
