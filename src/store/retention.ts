import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Band } from '../domain/health.ts';
import type { AccountEdges } from '../domain/retention.ts';
import type { BandOrNone } from '../domain/retention-metrics.ts';
import { instant } from './sql.ts';

/**
 * Runs report queries in one read transaction with JIT compilation off: they visit every account once
 * through an index, and at 100k accounts PostgreSQL's cost estimate starts JIT, whose ~0.6 s of
 * compiling is most of their time.
 */
export function withoutJit<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return work(tx);
  });
}

const ownedBy = (owner: string | undefined) => (owner ? sql`and a.owner_slack_id = ${owner}` : sql``);

/**
 * Each account's MRR in effect at the period's first instant (`start`, the latest movement before it)
 * and at its end (`end`, the latest movement before the day after `to` starts), in one set-based query:
 * a movement dated exactly at the first instant belongs to the period. Accounts with MRR at neither
 * edge are left out unless they had some before (they cannot move).
 */
export async function loadAccountEdges(
  db: Executor,
  period: { start: Date; end: Date; owner?: string },
): Promise<AccountEdges[]> {
  const found = await rows<{
    key: string;
    start: string | null;
    start_currency: string | null;
    end: string | null;
    end_currency: string | null;
    had_mrr_before: boolean;
    owner: string | null;
  }>(
    db,
    sql`select a.key, a.owner_slack_id as owner, s.mrr::text as start, s.currency as start_currency, e.mrr::text as "end",
          e.currency as end_currency,
          s.mrr > 0 or exists (select 1 from account_mrr_changes p
            where p.account_id = a.id and p.at < ${instant(period.start)} and p.mrr > 0) as had_mrr_before
        from accounts a
        left join lateral (
          select m.mrr, m.currency from account_mrr_changes m
          where m.account_id = a.id and m.at < ${instant(period.start)} order by m.at desc limit 1
        ) s on true
        left join lateral (
          select m.mrr, m.currency from account_mrr_changes m
          where m.account_id = a.id and m.at < ${instant(period.end)} order by m.at desc limit 1
        ) e on true
        where (s.mrr > 0 or e.mrr > 0) ${ownedBy(period.owner)}
        order by a.key`,
  );
  return found.map((r) => ({
    key: r.key,
    start: r.start,
    startCurrency: r.start_currency,
    end: r.end,
    endCurrency: r.end_currency,
    hadMrrBefore: r.had_mrr_before,
    owner: r.owner,
  }));
}

/** An account's MRR in effect at each of several instants (null: none yet), for a chart of many periods. */
export interface AccountMrrAt {
  key: string;
  owner: string | null;
  /** One per instant asked, in the same order. */
  at: Array<{ mrr: string; currency: string; hadMrrBefore: boolean } | null>;
}

/**
 * Each account's MRR in effect just before each of `instants` (the latest movement before it), in one
 * pass over the history: every movement is in effect from its instant until the next one, so it answers
 * the instants after it up to that next one. `hadMrrBefore` says whether any movement up to it had MRR
 * above 0. Accounts that never had MRR above 0 before the last instant are left out.
 */
export async function loadMrrAtInstants(
  db: Executor,
  query: { instants: Date[]; owner?: string },
): Promise<AccountMrrAt[]> {
  const found = await rows<{
    key: string;
    owner: string | null;
    n: number[];
    mrr: string[];
    currency: string[];
    had: boolean[];
  }>(
    db,
    sql`with b(at, n) as (
          select * from unnest(${`{${query.instants.map((i) => i.toISOString()).join(',')}}`}::timestamptz[])
            with ordinality
        ),
        m as (
          select account_id, at, mrr, currency,
            lead(at) over w as next_at, bool_or(mrr > 0) over w as had
          from account_mrr_changes
          window w as (partition by account_id order by at)
        )
        select a.key, a.owner_slack_id as owner, array_agg(b.n::int order by b.n) as n,
          array_agg(m.mrr::text order by b.n) as mrr, array_agg(m.currency order by b.n) as currency,
          array_agg(m.had order by b.n) as had
        from m join b on m.at < b.at and (m.next_at is null or m.next_at >= b.at)
        join accounts a on a.id = m.account_id
        where true ${ownedBy(query.owner)}
        group by a.id
        having bool_or(m.had)
        order by a.key`,
  );
  return found.map((r) => {
    const at: AccountMrrAt['at'] = query.instants.map(() => null);
    r.n.forEach((n, i) => {
      at[n - 1] = { mrr: r.mrr[i]!, currency: r.currency[i]!, hadMrrBefore: r.had[i]! };
    });
    return { key: r.key, owner: r.owner, at };
  });
}

/**
 * Days from `contract_start` to leaving the `onboarding` stage, per account that left it in the period
 * (the day it left counted in `timezone`); accounts without a contract start are left out.
 */
export async function loadOnboardingDays(
  db: Executor,
  period: { start: Date; end: Date; timezone: string; owner?: string },
): Promise<number[]> {
  const found = await rows<{ days: number }>(
    db,
    sql`select ((min(c.at) at time zone ${period.timezone})::date - a.contract_start)::int as days
        from account_stage_changes c join accounts a on a.id = c.account_id
        where c.from_stage = 'onboarding' and c.at >= ${instant(period.start)} and c.at < ${instant(period.end)}
          and a.contract_start is not null ${ownedBy(period.owner)}
        group by a.id, a.contract_start`,
  );
  return found.map((r) => r.days);
}

/** Active accounts of one currency by current band and renewal window: how many, and 12 × their MRR. */
export interface ArrByBand {
  band: BandOrNone;
  /** 0: every active account; 30, 60, 90: those renewing within that many days from today. */
  within: 0 | 30 | 60 | 90;
  accounts: number;
  arr: string;
}

/**
 * ARR (12 × the stored MRR) of active accounts in `currency`, by current health band, for the whole
 * portfolio and for the renewals due within 30, 60 and 90 days of `today` (included).
 */
export async function loadArrByBand(
  db: Executor,
  scope: { currency: string; today: string; owner?: string },
): Promise<ArrByBand[]> {
  const within = (days: number) =>
    sql`a.renewal_date between ${scope.today}::date and ${scope.today}::date + ${days}::int`;
  const window = (days: number) =>
    sql`count(*) filter (where ${within(days)})::int, (12 * coalesce(sum(a.mrr) filter (where ${within(days)}), 0))::text`;
  // One pass over the accounts: the windows are filters of the same aggregate.
  const found = await rows<{ band: BandOrNone; figures: Array<number | string> }>(
    db,
    sql`select coalesce(h.band, 'none') as band,
          json_build_array(count(*)::int, (12 * coalesce(sum(a.mrr), 0))::text, ${window(30)}, ${window(60)},
            ${window(90)}) as figures
        from accounts a
        left join account_health h on h.account_id = a.id
        where a.status = 'active' and a.currency = ${scope.currency} ${ownedBy(scope.owner)}
        group by 1`,
  );
  return found.flatMap(({ band, figures }) =>
    ([0, 30, 60, 90] as const).map((w, i) => ({
      band,
      within: w,
      accounts: Number(figures[2 * i]),
      arr: String(figures[2 * i + 1]),
    })),
  );
}

/** The currencies active accounts are billed in. */
export async function loadActiveCurrencies(db: Executor, owner?: string): Promise<string[]> {
  const found = await rows<{ currency: string }>(
    db,
    sql`select distinct a.currency from accounts a
        where a.status = 'active' and a.mrr > 0 ${ownedBy(owner)} order by 1`,
  );
  return found.map((r) => r.currency);
}

/** How many accounts were in each band on each of these days, from the daily health snapshots. */
export async function loadBandCounts(
  db: Executor,
  scope: { days: string[]; owner?: string },
): Promise<Array<{ day: string; band: Band; accounts: number }>> {
  return rows(
    db,
    sql`select to_char(h.day, 'YYYY-MM-DD') as day, h.band, count(*)::int as accounts
        from health_snapshots h join accounts a on a.id = h.account_id
        where h.day in (select jsonb_array_elements_text(${JSON.stringify(scope.days)}::jsonb)::date)
          and h.band is not null ${ownedBy(scope.owner)}
        group by 1, 2`,
  );
}

/** Per owner of active accounts: how many, ARR per currency, accounts per band, open alerts. */
export async function loadOwnerRollup(db: Executor): Promise<
  Array<{
    owner: string | null;
    accounts: number;
    arr: Array<{ currency: string; amount: string }>;
    bands: Record<string, number>;
    open_incidents: number;
  }>
> {
  return rows(
    db,
    sql`with active as (
          select a.id, a.owner_slack_id as owner, a.currency, a.mrr, coalesce(h.band, 'none') as band
          from accounts a left join account_health h on h.account_id = a.id
          where a.status = 'active'
        )
        select o.owner, o.accounts, o.bands,
          coalesce((select json_agg(json_build_object('currency', c.currency, 'amount', c.arr::text) order by c.currency)
                    from (select currency, 12 * sum(mrr) as arr from active x
                          where x.owner is not distinct from o.owner and x.mrr > 0 group by currency) c), '[]') as arr,
          (select count(distinct al.incident_id)::int from alerts al join active x on x.id = al.account_id
           where x.owner is not distinct from o.owner and al.status <> 'resolved') as open_incidents
        from (select owner, sum(n)::int as accounts, json_object_agg(band, n) as bands
              from (select owner, band, count(*)::int as n from active group by owner, band) b
              group by owner) o
        order by o.owner nulls last`,
  );
}
