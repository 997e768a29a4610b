import { and, eq, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import {
  type Account,
  type AccountHealth,
  accounts,
  type ReviewGoal,
  type SuccessReview,
  successReviews,
} from '../db/schema.ts';
import type { BillingFlag } from '../domain/billing-flags.ts';
import type { Goal } from '../domain/goals.ts';
import type { Band } from '../domain/health.ts';
import type { ReviewKind } from '../domain/reviews.ts';
import { bigintArray, type Columns, epochMs, instant, intArray, textArray } from './sql.ts';

export async function loadAccount(db: Executor, accountId: number): Promise<Account | undefined> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return account;
}

export async function loadReview(db: Executor, reviewId: number): Promise<SuccessReview | undefined> {
  const [review] = await db.select().from(successReviews).where(eq(successReviews.id, reviewId));
  return review;
}

/** The account's upcoming review: there is at most one. */
export async function scheduledReview(db: Executor, accountId: number): Promise<SuccessReview | undefined> {
  const [review] = await db
    .select()
    .from(successReviews)
    .where(and(eq(successReviews.accountId, accountId), eq(successReviews.status, 'scheduled')));
  return review;
}

export type NewReview = Pick<
  SuccessReview,
  'accountId' | 'kind' | 'startsAt' | 'durationMinutes' | 'timezone' | 'attendees' | 'agenda' | 'scheduledBy'
>;

/**
 * Schedules a review unless the account already has one scheduled, which is returned instead: an account
 * has one upcoming review at a time. The account row is locked so two people scheduling at once get one.
 */
export async function scheduleReview(
  db: Executor,
  review: NewReview,
): Promise<{ created: SuccessReview } | { existing: SuccessReview }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from accounts where id = ${review.accountId} for update`);
    const existing = await scheduledReview(tx, review.accountId);
    if (existing) return { existing };
    const [created] = await tx.insert(successReviews).values(review).returning();
    return { created: created! };
  });
}

/** Moves a scheduled review; undefined when it is no longer scheduled (held or canceled meanwhile). */
export async function rescheduleReview(
  db: Executor,
  reviewId: number,
  change: Pick<NewReview, 'startsAt' | 'durationMinutes' | 'timezone' | 'attendees' | 'agenda'>,
  now: Date,
): Promise<SuccessReview | undefined> {
  const [review] = await db
    .update(successReviews)
    .set({ ...change, updatedAt: now })
    .where(and(eq(successReviews.id, reviewId), eq(successReviews.status, 'scheduled')))
    .returning();
  return review;
}

export async function cancelReview(
  db: Executor,
  reviewId: number,
  now: Date,
): Promise<SuccessReview | undefined> {
  const [review] = await db
    .update(successReviews)
    .set({ status: 'canceled', updatedAt: now })
    .where(and(eq(successReviews.id, reviewId), eq(successReviews.status, 'scheduled')))
    .returning();
  return review;
}

/** The goals set at a review, replacing any recorded before, and the outcome marked recorded. */
export async function saveOutcome(
  db: Executor,
  review: { id: number; accountId: number },
  goals: Goal[],
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from review_goals where review_id = ${review.id}`);
    if (goals.length) {
      await tx.execute(sql`insert into review_goals (review_id, account_id, description, metric, comparator, target, due_date)
        select ${review.id}, ${review.accountId}, g.description, g.metric, g.comparator, g.target, g.due_date
        from jsonb_to_recordset(${JSON.stringify(goals.map((g) => ({ ...g, due_date: g.dueDate })))}::jsonb)
          as g(description text, metric text, comparator text, target numeric, due_date date)`);
    }
    await tx.execute(
      sql`update success_reviews set outcome_recorded_at = ${instant(now)}, updated_at = ${instant(now)}
        where id = ${review.id}`,
    );
  });
}

export interface TrackedGoal {
  accountId: number;
  reviewId: number;
  goal: Goal;
  /** The metric's latest point at or before now; null without a metric or a point. */
  latest: number | null;
}

/** The goals of these reviews, each with its metric's latest value, in the order they were set. */
export async function trackedGoals(db: Executor, reviewIds: number[], now: Date): Promise<TrackedGoal[]> {
  if (!reviewIds.length) return [];
  const found = await rows<
    Columns<
      ReviewGoal,
      'accountId' | 'reviewId' | 'description' | 'metric' | 'comparator' | 'target' | 'dueDate'
    > & {
      latest: number | null;
    }
  >(
    db,
    sql`select g.account_id, g.review_id::int as review_id, g.description, g.metric, g.comparator,
        g.target::text as target, to_char(g.due_date, 'YYYY-MM-DD') as due_date,
        (select m.value from metric_points m
          where m.account_id = g.account_id and m.metric = g.metric and m.at <= ${instant(now)}
          order by m.at desc limit 1) as latest
      from review_goals g where g.review_id = any(${bigintArray(reviewIds)})
      order by g.id`,
  );
  return found.map((g) => ({
    accountId: g.account_id,
    reviewId: g.review_id,
    latest: g.latest,
    goal: {
      description: g.description,
      metric: g.metric,
      comparator: g.comparator,
      target: g.target === null ? null : Number(g.target),
      dueDate: g.due_date,
    },
  }));
}

/** What the brief and the scheduled jobs know of an account. */
export interface ReviewSubject {
  accountId: number;
  key: string;
  name: string;
  tier: string;
  status: string;
  timezone: string | null;
  ownerSlackId: string | null;
  contractStart: string | null;
  renewalDate: string | null;
  /** The latest held review (its goals are the ones being tracked). */
  lastHeld: { id: number; startsAt: Date; outcomeRecordedAt: Date | null } | null;
  /** The latest held or scheduled review's start: what the next due date counts from. */
  lastReviewAt: Date | null;
  scheduled: { id: number; startsAt: Date; timezone: string } | null;
  health: { score: number | null; band: Band | null; openBillingFlags: BillingFlag[] };
}

/**
 * Review subjects for these accounts, for every active account of these tiers, or for every active
 * account whose last held review set goals. One statement: the latest reviews come from the
 * (account_id, starts_at) index.
 */
export async function loadReviewSubjects(
  db: Executor,
  which: { accountIds: number[] } | { tiers: string[] } | { withGoals: true },
): Promise<ReviewSubject[]> {
  const filter =
    'accountIds' in which
      ? sql`a.id = any(${intArray(which.accountIds)})`
      : 'tiers' in which
        ? sql`a.status = 'active' and a.tier = any(${textArray(which.tiers)})`
        : sql`a.status = 'active' and exists (select 1 from review_goals g where g.review_id = held.id)`;
  const found = await rows<
    Columns<
      Account,
      'key' | 'name' | 'tier' | 'status' | 'timezone' | 'ownerSlackId' | 'contractStart' | 'renewalDate'
    > & {
      account_id: Account['id'];
      held_id: number | null;
      held_at: number | null;
      outcome_at: number | null;
      last_at: number | null;
      scheduled_id: number | null;
      scheduled_at: number | null;
      scheduled_zone: string | null;
      // Left-joined: an account never computed has no health yet.
      score: AccountHealth['score'];
      band: AccountHealth['band'];
      flags: Array<Omit<BillingFlag, 'occurredAt'> & { occurredAt: string }> | null;
    }
  >(
    db,
    sql`select a.id as account_id, a.key, a.name, a.tier, a.status, a.timezone, a.owner_slack_id,
        to_char(a.contract_start, 'YYYY-MM-DD') as contract_start,
        to_char(a.renewal_date, 'YYYY-MM-DD') as renewal_date,
        held.id::int as held_id, ${epochMs(sql`held.starts_at`)} as held_at,
        ${epochMs(sql`held.outcome_recorded_at`)} as outcome_at,
        ${epochMs(sql`greatest(held.starts_at, up.starts_at)`)} as last_at,
        up.id::int as scheduled_id, ${epochMs(sql`up.starts_at`)} as scheduled_at, up.timezone as scheduled_zone,
        h.score, h.band, h.open_billing_flags as flags
      from accounts a
      left join lateral (select r.id, r.starts_at, r.outcome_recorded_at from success_reviews r
        where r.account_id = a.id and r.status = 'held' order by r.starts_at desc limit 1) held on true
      left join lateral (select r.id, r.starts_at, r.timezone from success_reviews r
        where r.account_id = a.id and r.status = 'scheduled' order by r.starts_at desc limit 1) up on true
      left join account_health h on h.account_id = a.id
      where ${filter}
      order by a.id`,
  );
  const date = (v: number | null) => (v === null ? null : new Date(v));
  return found.map((r) => ({
    accountId: r.account_id,
    key: r.key,
    name: r.name,
    tier: r.tier,
    status: r.status,
    timezone: r.timezone,
    ownerSlackId: r.owner_slack_id,
    contractStart: r.contract_start,
    renewalDate: r.renewal_date,
    lastHeld:
      r.held_id === null
        ? null
        : { id: r.held_id, startsAt: date(r.held_at)!, outcomeRecordedAt: date(r.outcome_at) },
    lastReviewAt: date(r.last_at),
    scheduled:
      r.scheduled_id === null
        ? null
        : { id: r.scheduled_id, startsAt: date(r.scheduled_at)!, timezone: r.scheduled_zone! },
    health: {
      score: r.score,
      band: r.band,
      openBillingFlags: (r.flags ?? []).map((f) => ({ ...f, occurredAt: new Date(f.occurredAt) })),
    },
  }));
}

/** The period figures of the brief, per account, from `since` (each account its own) to now. */
export interface PeriodFigures {
  accountId: number;
  usageNow: number | null;
  usageThen: number | null;
  ticketsNow: number | null;
  ticketsThen: number | null;
  scoreThen: number | null;
  nps: { promoters: number; passives: number; detractors: number };
  csat: { satisfied: number; total: number };
  reached: Array<{ title: string; reachedAt: Date }>;
  overdue: Array<{ title: string; plannedFor: string }>;
}

/** Usage is the average day of a week: the 7 days before now against the 7 days before `since`. */
const USAGE_WINDOW = "interval '7 days'";

export async function loadPeriodFigures(
  db: Executor,
  periods: Array<{ accountId: number; since: Date; today: string }>,
  now: Date,
): Promise<PeriodFigures[]> {
  if (!periods.length) return [];
  const input = JSON.stringify(
    periods.map((p) => ({ account_id: p.accountId, since: p.since.toISOString(), today: p.today })),
  );
  const at = instant(now);
  const latest = (metric: string, upTo: ReturnType<typeof sql>) => sql`(select m.value from metric_points m
      where m.account_id = p.account_id and m.metric = ${metric} and m.at <= ${upTo} order by m.at desc limit 1)`;
  const usage = (upTo: ReturnType<typeof sql>) => sql`(select avg(m.value) from metric_points m
      where m.account_id = p.account_id and m.metric = 'active_users'
        and m.at > ${upTo} - ${sql.raw(USAGE_WINDOW)} and m.at <= ${upTo})`;
  const found = await rows<{
    account_id: number;
    usage_now: number | null;
    usage_then: number | null;
    tickets_now: number | null;
    tickets_then: number | null;
    score_then: number | null;
    promoters: number;
    passives: number;
    detractors: number;
    satisfied: number;
    csat_total: number;
    reached: Array<{ title: string; at: number }>;
    overdue: Array<{ title: string; planned_for: string }>;
  }>(
    db,
    sql`with p as (
        select * from jsonb_to_recordset(${input}::jsonb) as p(account_id int, since timestamptz, today date)
      )
      select p.account_id,
        ${usage(at)}::float8 as usage_now, ${usage(sql`p.since`)}::float8 as usage_then,
        ${latest('tickets_open', at)} as tickets_now, ${latest('tickets_open', sql`p.since`)} as tickets_then,
        (select s.score from health_snapshots s where s.account_id = p.account_id
          and s.day <= (p.since at time zone 'UTC')::date order by s.day desc limit 1)::int as score_then,
        coalesce(sv.promoters, 0)::int as promoters, coalesce(sv.passives, 0)::int as passives,
        coalesce(sv.detractors, 0)::int as detractors, coalesce(sv.satisfied, 0)::int as satisfied,
        coalesce(sv.csat_total, 0)::int as csat_total,
        coalesce((select json_agg(json_build_object('title', ms.title,
            'at', ${epochMs(sql`ms.reached_at`)}) order by ms.reached_at)
          from milestones ms where ms.account_id = p.account_id
            and ms.reached_at > p.since and ms.reached_at <= ${at}), '[]'::json) as reached,
        coalesce((select json_agg(json_build_object('title', ms.title,
            'planned_for', to_char(ms.planned_for, 'YYYY-MM-DD')) order by ms.planned_for)
          from milestones ms where ms.account_id = p.account_id
            and ms.reached_at is null and ms.planned_for < p.today), '[]'::json) as overdue
      from p
      left join lateral (
        select count(*) filter (where s.kind = 'nps' and s.score >= 9) as promoters,
          count(*) filter (where s.kind = 'nps' and s.score between 7 and 8) as passives,
          count(*) filter (where s.kind = 'nps' and s.score <= 6) as detractors,
          count(*) filter (where s.kind = 'csat' and s.score >= 4) as satisfied,
          count(*) filter (where s.kind = 'csat') as csat_total
        from surveys s
        where s.account_id = p.account_id and s.status = 'answered'
          and s.answered_at > p.since and s.answered_at <= ${at}
      ) sv on true`,
  );
  return found.map((r) => ({
    accountId: r.account_id,
    usageNow: r.usage_now,
    usageThen: r.usage_then,
    ticketsNow: r.tickets_now,
    ticketsThen: r.tickets_then,
    scoreThen: r.score_then,
    nps: { promoters: r.promoters, passives: r.passives, detractors: r.detractors },
    csat: { satisfied: r.satisfied, total: r.csat_total },
    reached: r.reached.map((m) => ({ title: m.title, reachedAt: new Date(m.at) })),
    overdue: r.overdue.map((m) => ({ title: m.title, plannedFor: m.planned_for })),
  }));
}

/** Scheduled reviews starting within `horizonMs` whose brief has not gone out. */
export async function reviewsAwaitingBrief(
  db: Executor,
  now: Date,
  horizonMs: number,
): Promise<Array<{ id: number; accountId: number; startsAt: Date; timezone: string; scheduledBy: string }>> {
  const found = await rows<
    Columns<SuccessReview, 'id' | 'accountId' | 'timezone' | 'scheduledBy'> & { starts_at: number }
  >(
    db,
    sql`select id::int as id, account_id, ${epochMs(sql`starts_at`)} as starts_at, timezone, scheduled_by
      from success_reviews
      where status = 'scheduled' and brief_sent_at is null
        and starts_at > ${instant(now)} and starts_at <= ${instant(new Date(+now + horizonMs))}
      order by starts_at`,
  );
  return found.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    startsAt: new Date(r.starts_at),
    timezone: r.timezone,
    scheduledBy: r.scheduled_by,
  }));
}

export async function markBriefSent(tx: Executor, reviewId: number, now: Date): Promise<boolean> {
  const marked = await rows<{ id: number }>(
    tx,
    sql`update success_reviews set brief_sent_at = ${instant(now)}
      where id = ${reviewId} and brief_sent_at is null returning id::int as id`,
  );
  return marked.length > 0;
}

export interface EndedReview {
  id: number;
  accountId: number;
  kind: ReviewKind;
  startsAt: Date;
  timezone: string;
  scheduledBy: string;
  account: { key: string; name: string; ownerSlackId: string | null };
}

/** Scheduled reviews whose meeting has ended become held, and are returned for the outcome reminder. */
export async function markEndedReviewsHeld(tx: Executor, now: Date): Promise<EndedReview[]> {
  const found = await rows<
    Columns<SuccessReview, 'id' | 'accountId' | 'kind' | 'timezone' | 'scheduledBy'> &
      Columns<Account, 'key' | 'name' | 'ownerSlackId'> & { starts_at: number }
  >(
    tx,
    sql`with ended as (
        update success_reviews r set status = 'held', outcome_requested_at = ${instant(now)},
          updated_at = ${instant(now)}
        where r.status = 'scheduled'
          and r.starts_at + r.duration_minutes * interval '1 minute' <= ${instant(now)}
        returning r.id, r.account_id, r.kind, r.starts_at, r.timezone, r.scheduled_by
      )
      select e.id::int as id, e.account_id, e.kind, ${epochMs(sql`e.starts_at`)} as starts_at, e.timezone,
        e.scheduled_by, a.key, a.name, a.owner_slack_id
      from ended e join accounts a on a.id = e.account_id
      order by e.id`,
  );
  return found.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    startsAt: new Date(r.starts_at),
    timezone: r.timezone,
    scheduledBy: r.scheduled_by,
    account: { key: r.key, name: r.name, ownerSlackId: r.owner_slack_id },
  }));
}
