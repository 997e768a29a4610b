import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import {
  type BandCounts,
  DIGEST_RED_TOP,
  DIGEST_SURVEY_DAYS,
  DIGEST_TOP,
  DIGEST_WEEK_DAYS,
  type DigestInput,
  type FirstValue,
  type Mover,
  type OverdueReview,
  type ReachedMilestone,
  type RedAccount,
  type RedFlag,
  type Renewal,
  type SurveyCounts,
  type UpcomingReview,
} from '../domain/digest.ts';
import type { ReviewCadence } from '../domain/reviews.ts';
import { DAY, utcDay } from '../domain/time.ts';
import { instant, isoOf, jsonRows } from './sql.ts';

export interface DigestWindow {
  now: Date;
  /** PULSE_TIMEZONE: "today" for renewals and reviews, and the zone of accounts without their own. */
  zone: string;
  weekStart: string;
  /** Entries read per list: the digest shows no more. */
  top?: number;
  reviewCadence: ReviewCadence;
}

/**
 * Health now against a week ago, per active account: band counts both ways and the biggest moves. The
 * week-old score is each account's latest snapshot in the 7 days up to a week ago, found through the
 * snapshots' primary key, so a year of history costs one index probe per account.
 */
function healthQuery(w: Required<DigestWindow>): SQL {
  const weekAgo = utcDay(new Date(+w.now - DIGEST_WEEK_DAYS * DAY));
  const moved = (direction: SQL, order: SQL) => sql`select key, name, score, band, change from moved
    where ${direction} order by ${order}, key limit ${w.top}`;
  return sql`
    with h as materialized (
      select a.key, a.name, ah.score, ah.band, wa.score as before_score, wa.band as before_band
      from accounts a
      left join account_health ah on ah.account_id = a.id
      left join lateral (
        select s.score, s.band from health_snapshots s
        where s.account_id = a.id and s.day <= ${weekAgo}::date and s.day > ${weekAgo}::date - 7
        order by s.day desc limit 1) wa on true
      where a.status = 'active'
    ), moved as materialized (
      select key, name, score, band, score - before_score as change from h
      where score is not null and before_score is not null and score <> before_score
    )
    select
      (select coalesce(json_object_agg(b, n), '{}'::json) from (
        select coalesce(band, 'no_data') as b, count(*)::int as n from h group by 1) x) as now_counts,
      (select coalesce(json_object_agg(b, n), '{}'::json) from (
        select coalesce(before_band, 'no_data') as b, count(*)::int as n from h group by 1) x) as before_counts,
      (select count(*)::int from moved where change > 0) as up_total,
      (select count(*)::int from moved where change < 0) as down_total,
      (select count(*)::int from h where band = 'red') as red_total,
      ${jsonRows(sql`select key, name, score from h where band = 'red' order by score, key limit ${DIGEST_RED_TOP}`)} as red,
      ${jsonRows(moved(sql`change > 0`, sql`change desc`))} as up,
      ${jsonRows(moved(sql`change < 0`, sql`change`))} as down`;
}

/** The unresolved alerts of active accounts: billing first with the money at stake, this week's first. */
function flagsQuery(w: Required<DigestWindow>): SQL {
  const weekFrom = instant(new Date(+w.now - DIGEST_WEEK_DAYS * DAY));
  const amount = sql.raw(
    `case when detail->>'amount' ~ '^-?[0-9]+(\\.[0-9]+)?$' then (detail->>'amount')::numeric end`,
  );
  return sql`
    with open as materialized (
      select al.kind, al.detail, al.status, al.created_at, al.created_at >= ${weekFrom} as is_new,
        a.key, a.name, a.currency
      from alerts al join accounts a on a.id = al.account_id
      where al.status <> 'resolved' and a.status = 'active'
    )
    select (select count(*)::int from open) as total,
      (select count(*)::int from open where is_new) as new_count,
      (select count(*)::int from open where kind = 'billing') as billing,
      ${jsonRows(sql`select coalesce(detail->>'currency', currency) as currency, sum(${amount})::text as amount
        from open where kind = 'billing' and ${amount} is not null group by 1 order by 1`)} as amounts,
      ${jsonRows(sql`select key, name, kind, detail, status, is_new as "isNew", ${isoOf(sql`created_at`)} as "createdAt"
        from open
        order by (kind = 'billing') desc, is_new desc, ${amount} desc nulls last, created_at desc, key
        limit ${w.top}`)} as top`;
}

/** NPS and CSAT answers of the week and of the last 90 days, counted the way docs/cs-method.md defines them. */
function surveysQuery(w: Required<DigestWindow>): SQL {
  const weekFrom = instant(new Date(+w.now - DIGEST_WEEK_DAYS * DAY));
  const counts = (prefix: string, window: SQL) => sql`
    (count(*) filter (where kind = 'nps' and score >= 9 and ${window}))::int as ${sql.raw(`${prefix}_promoters`)},
    (count(*) filter (where kind = 'nps' and score between 7 and 8 and ${window}))::int as ${sql.raw(`${prefix}_passives`)},
    (count(*) filter (where kind = 'nps' and score <= 6 and ${window}))::int as ${sql.raw(`${prefix}_detractors`)},
    (count(*) filter (where kind = 'csat' and score >= 4 and ${window}))::int as ${sql.raw(`${prefix}_satisfied`)},
    (count(*) filter (where kind = 'csat' and ${window}))::int as ${sql.raw(`${prefix}_csat`)}`;
  return sql`
    select ${counts('week', sql`answered_at > ${weekFrom}`)}, ${counts('quarter', sql`true`)}
    from surveys
    where status = 'answered' and score is not null
      and answered_at > ${instant(new Date(+w.now - DIGEST_SURVEY_DAYS * DAY))} and answered_at <= ${instant(w.now)}`;
}

/**
 * Reviews and renewals ahead, and reviews overdue for their tier's cadence: due the last held or
 * scheduled review plus the cadence (the contract start for an account that never had one), overdue the
 * day after in the account's zone, as src/domain/reviews.ts decides for one account.
 */
function aheadQuery(w: Required<DigestWindow>): SQL {
  const now = instant(w.now);
  const today = sql`(${now} at time zone ${w.zone})::date`;
  const in30 = instant(new Date(+w.now + 30 * DAY));
  const in60 = instant(new Date(+w.now + 60 * DAY));
  return sql`
    with upcoming as materialized (
      select r.starts_at, r.kind, r.timezone, a.key, a.name
      from success_reviews r join accounts a on a.id = r.account_id
      where r.status = 'scheduled' and r.starts_at > ${now} and r.starts_at <= ${in60} and a.status = 'active'
    ), renewing as materialized (
      select a.key, a.name, a.renewal_date, a.mrr, a.currency, h.band
      from accounts a left join account_health h on h.account_id = a.id
      where a.status = 'active' and a.renewal_date >= ${today} and a.renewal_date <= ${today} + 60
    ), last_review as (
      select account_id, max(starts_at) as at from success_reviews where status <> 'canceled' group by account_id
    ), overdue as materialized (
      select key, name, due_on, local_today - due_on as days
      from (
        select a.key, a.name, (coalesce((lr.at at time zone coalesce(a.timezone, ${w.zone}))::date, a.contract_start)
          + make_interval(months => c.months::int))::date as due_on,
          (${now} at time zone coalesce(a.timezone, ${w.zone}))::date as local_today
        from accounts a
        join jsonb_each_text(${JSON.stringify(w.reviewCadence)}::jsonb) as c(tier, months) on c.tier = a.tier
        left join last_review lr on lr.account_id = a.id
        where a.status = 'active'
      ) d
      where due_on < local_today
    )
    select
      (select count(*)::int from upcoming where starts_at <= ${in30}) as reviews_30,
      (select count(*)::int from upcoming) as reviews_60,
      ${jsonRows(sql`select key, name, kind, ${isoOf(sql`starts_at`)} as "startsAt", timezone from upcoming
        order by starts_at, key limit ${w.top}`)} as reviews,
      (select count(*)::int from overdue) as overdue_total,
      ${jsonRows(sql`select key, name, to_char(due_on, 'YYYY-MM-DD') as "dueOn", days as "daysOverdue" from overdue
        order by days desc, key limit ${w.top}`)} as overdue,
      (select count(*)::int from renewing where renewal_date <= ${today} + 30) as renewals_30,
      (select count(*)::int from renewing) as renewals_60,
      ${jsonRows(sql`select key, name, to_char(renewal_date, 'YYYY-MM-DD') as "renewalDate", band, mrr::text as mrr, currency
        from renewing order by renewal_date, key limit ${w.top}`)} as renewals`;
}

/** Milestones reached this week, and time to first value: contract start to the first milestone, in days. */
function milestonesQuery(w: Required<DigestWindow>): SQL {
  const now = instant(w.now);
  const weekFrom = instant(new Date(+w.now - DIGEST_WEEK_DAYS * DAY));
  return sql`
    with reached as materialized (
      select m.title, m.reached_at, a.key, a.name
      from milestones m join accounts a on a.id = m.account_id
      where m.reached_at > ${weekFrom} and m.reached_at <= ${now} and a.status = 'active'
    ), firsts as materialized (
      select a.key, a.name, f.first_at,
        greatest(0, (f.first_at at time zone coalesce(a.timezone, ${w.zone}))::date - a.contract_start) as days
      from (select account_id, min(reached_at) as first_at from milestones where reached_at <= ${now}
        group by account_id) f
      join accounts a on a.id = f.account_id
      where a.contract_start is not null and a.status = 'active'
    )
    select (select count(*)::int from reached) as reached_total,
      ${jsonRows(sql`select key, name, title, ${isoOf(sql`reached_at`)} as "reachedAt" from reached
        order by reached_at desc, key limit ${w.top}`)} as reached,
      (select count(*)::int from firsts where first_at > ${weekFrom}) as first_total,
      (select percentile_cont(0.5) within group (order by days)::float8 from firsts where first_at > ${weekFrom})
        as first_median,
      ${jsonRows(sql`select key, name, days as "ttfvDays" from firsts where first_at > ${weekFrom}
        order by days, key limit ${w.top}`)} as first_value,
      (select count(*)::int from firsts) as portfolio_accounts,
      (select percentile_cont(0.5) within group (order by days)::float8 from firsts) as portfolio_median`;
}

const bandCounts = (raw: Record<string, number>): BandCounts => ({
  red: raw.red ?? 0,
  yellow: raw.yellow ?? 0,
  green: raw.green ?? 0,
  no_data: raw.no_data ?? 0,
});

type Row = Record<string, unknown>;
/**
 * Each query in a transaction of its own, with JIT off: at 100k accounts the planner's cost estimates
 * pass the JIT threshold, and compiling takes ~200 ms per query, more than it saves on sub-second queries.
 */
const one = (db: Executor, query: SQL) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return (await rows<Row>(tx, query))[0]!;
  });

/**
 * Everything the digest needs, in five set-based queries that run side by side on a server's pool. Each
 * list holds its head only (`top` entries, in the order the digest shows) and its full size.
 */
export async function loadDigestInput(db: Executor, window: DigestWindow): Promise<DigestInput> {
  const w = { top: DIGEST_TOP, ...window };
  const [health, flags, surveys, ahead, milestones] = await Promise.all(
    [healthQuery(w), flagsQuery(w), surveysQuery(w), aheadQuery(w), milestonesQuery(w)].map((q) =>
      one(db, q),
    ),
  );
  const survey = (prefix: string): SurveyCounts => ({
    nps: {
      promoters: surveys![`${prefix}_promoters`] as number,
      passives: surveys![`${prefix}_passives`] as number,
      detractors: surveys![`${prefix}_detractors`] as number,
    },
    csat: {
      satisfied: surveys![`${prefix}_satisfied`] as number,
      total: surveys![`${prefix}_csat`] as number,
    },
  });
  const median = (v: unknown) => (v === null ? null : Number(v));
  return {
    weekStart: w.weekStart,
    asOf: w.now.toISOString(),
    bands: {
      now: bandCounts(health!.now_counts as Record<string, number>),
      weekAgo: bandCounts(health!.before_counts as Record<string, number>),
    },
    red: { items: health!.red as RedAccount[], total: health!.red_total as number },
    movers: {
      up: { items: health!.up as Mover[], total: health!.up_total as number },
      down: { items: health!.down as Mover[], total: health!.down_total as number },
    },
    flags: {
      open: { items: flags!.top as RedFlag[], total: flags!.total as number },
      newThisWeek: flags!.new_count as number,
      billing: flags!.billing as number,
      billingAmounts: flags!.amounts as Array<{ currency: string; amount: string }>,
    },
    surveys: { week: survey('week'), last90Days: survey('quarter') },
    reviews: {
      within30: ahead!.reviews_30 as number,
      within60: ahead!.reviews_60 as number,
      upcoming: { items: ahead!.reviews as UpcomingReview[], total: ahead!.reviews_60 as number },
      overdue: { items: ahead!.overdue as OverdueReview[], total: ahead!.overdue_total as number },
    },
    renewals: {
      within30: ahead!.renewals_30 as number,
      within60: ahead!.renewals_60 as number,
      upcoming: { items: ahead!.renewals as Renewal[], total: ahead!.renewals_60 as number },
    },
    milestones: {
      reached: {
        items: milestones!.reached as ReachedMilestone[],
        total: milestones!.reached_total as number,
      },
      firstValue: {
        items: milestones!.first_value as FirstValue[],
        total: milestones!.first_total as number,
        medianDays: median(milestones!.first_median),
      },
      portfolioTtfv: {
        accounts: milestones!.portfolio_accounts as number,
        medianDays: median(milestones!.portfolio_median),
      },
    },
  };
}

/**
 * Records a digest; returns its id, or undefined when the scheduled digest of this week was already
 * recorded for this channel (the unique index), so a re-run of the schedule posts nothing.
 */
export async function recordDigest(
  tx: Executor,
  digest: {
    weekStart: string;
    channel: string;
    trigger: 'schedule' | 'command';
    requestedBy?: string;
    figures: unknown;
    now: Date;
  },
): Promise<number | undefined> {
  const inserted = await rows<{ id: number }>(
    tx,
    sql`insert into digests (week_start, channel, trigger, requested_by, figures, created_at)
      values (${digest.weekStart}::date, ${digest.channel}, ${digest.trigger}, ${digest.requestedBy ?? null},
        ${JSON.stringify(digest.figures)}::jsonb, ${instant(digest.now)})
      on conflict do nothing
      returning id::int as id`,
  );
  return inserted[0]?.id;
}
