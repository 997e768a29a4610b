import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Account, Milestone as MilestoneColumns } from '../db/schema.ts';
import type { MilestoneInput } from '../domain/ingestion.ts';
import { type Milestone, medianDays, timeToFirstValue } from '../domain/milestones.ts';
import { type Columns, dayText, epochMs, instant } from './sql.ts';

/** A milestone from the ingestion API or the CSV import, its account already resolved from its key. */
export type MilestoneRecord = Omit<MilestoneInput, 'account'> & { account_id: number };

export interface StoredMilestone extends Milestone {
  id: number;
}

/** The account as the success plan shows it, with every milestone. */
export interface SuccessPlan {
  account: {
    id: number;
    key: string;
    name: string;
    stage: string;
    status: string;
    contractStart: string | null;
    /** The account's own zone, when it has one. */
    timezone: string | null;
    channelId: string | null;
  };
  milestones: StoredMilestone[];
}

type MilestoneRow = Columns<MilestoneColumns, 'title' | 'plannedFor'> & {
  id: number | string;
  reached_at: number | null;
};

const toMilestone = (r: MilestoneRow): StoredMilestone => ({
  id: Number(r.id),
  title: r.title,
  plannedFor: r.planned_for,
  reachedAt: r.reached_at === null ? null : new Date(Number(r.reached_at)),
});

const MILESTONE_RECORD = sql`(account_id integer, title text, planned_for date, reached_at timestamptz,
  named text[])`;

/** Who records what the ingestion API and the CSV import send. */
const API_RECORDER = 'api';

/**
 * Upserts milestones by (account, title, case-insensitively): an object changes only the fields it names,
 * so `reached_at` alone marks a planned milestone reached and keeps its target day. Objects repeating a
 * milestone are applied in order. Inserts first, then updates the milestones that already existed.
 */
export async function upsertMilestones(db: Executor, items: MilestoneRecord[]): Promise<void> {
  const byMilestone = new Map<string, MilestoneRecord>();
  for (const item of items) {
    const id = `${item.account_id} ${item.title.toLowerCase()}`;
    byMilestone.set(id, { ...byMilestone.get(id), ...item });
  }
  // A fixed order: concurrent batches lock the rows they share in the same order instead of deadlocking.
  const records = [...byMilestone.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => ({ ...item, named: Object.keys(item) }));
  if (!records.length) return;

  const inserted = await rows<{ account_id: number; title: string }>(
    db,
    sql`insert into milestones (account_id, title, planned_for, reached_at, recorded_by)
        select r.account_id, r.title, r.planned_for, r.reached_at, ${API_RECORDER}
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r${MILESTONE_RECORD}
        on conflict (account_id, lower(title)) do nothing
        returning account_id, lower(title) as title`,
  );
  const insertedIds = new Set(inserted.map((r) => `${r.account_id} ${r.title}`));
  const existing = records.filter((r) => !insertedIds.has(`${r.account_id} ${r.title.toLowerCase()}`));
  if (!existing.length) return;

  await db.execute(
    sql`update milestones as m set
          planned_for = case when 'planned_for' = any(r.named) then r.planned_for else m.planned_for end,
          reached_at = case when 'reached_at' = any(r.named) then r.reached_at else m.reached_at end,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) as r${MILESTONE_RECORD}
        where m.account_id = r.account_id and lower(m.title) = lower(r.title)`,
  );
}

/** The account and its milestones; undefined when the account is gone. */
export async function loadSuccessPlan(db: Executor, accountId: number): Promise<SuccessPlan | undefined> {
  const [row] = await rows<
    Columns<
      Account,
      'id' | 'key' | 'name' | 'stage' | 'status' | 'contractStart' | 'timezone' | 'channelId'
    > & {
      milestones: MilestoneRow[];
    }
  >(
    db,
    sql`select a.id, a.key, a.name, a.stage, a.status, ${dayText(sql`a.contract_start`)} as contract_start,
          a.timezone, a.channel_id,
          coalesce((select json_agg(json_build_object('id', m.id, 'title', m.title,
              'planned_for', ${dayText(sql`m.planned_for`)}, 'reached_at', ${epochMs(sql`m.reached_at`)}))
            from milestones m where m.account_id = a.id), '[]'::json) as milestones
        from accounts a where a.id = ${accountId}`,
  );
  if (!row) return undefined;
  return {
    account: {
      id: row.id,
      key: row.key,
      name: row.name,
      stage: row.stage,
      status: row.status,
      contractStart: row.contract_start,
      timezone: row.timezone,
      channelId: row.channel_id,
    },
    milestones: row.milestones.map(toMilestone),
  };
}

/**
 * Logs a milestone reached at `reachedAt`: a new one, or a planned one (same title, case-insensitively)
 * now reached. One already reached is left as it is: `newlyReached` is false and `milestone` says when.
 */
export async function logReachedMilestone(
  tx: Executor,
  input: { accountId: number; title: string; reachedAt: Date; recordedBy: string },
): Promise<{ milestone: StoredMilestone; newlyReached: boolean }> {
  const [row] = await rows<MilestoneRow & { written: boolean }>(
    tx,
    sql`with written as (
          insert into milestones (account_id, title, reached_at, recorded_by)
          values (${input.accountId}, ${input.title}, ${instant(input.reachedAt)},
            ${input.recordedBy})
          on conflict (account_id, lower(title)) do update
            set reached_at = excluded.reached_at, updated_at = now()
            where milestones.reached_at is null
          returning id, title, planned_for, reached_at
        )
        select w.id, w.title, ${dayText(sql`w.planned_for`)} as planned_for,
          ${epochMs(sql`w.reached_at`)} as reached_at, true as written
        from written w
        union all
        select m.id, m.title, ${dayText(sql`m.planned_for`)}, ${epochMs(sql`m.reached_at`)}, false
        from milestones m
        where m.account_id = ${input.accountId} and lower(m.title) = lower(${input.title})
          and not exists (select 1 from written)`,
  );
  return { milestone: toMilestone(row!), newlyReached: row!.written };
}

export type PlanOutcome =
  | { kind: 'added' | 'rescheduled'; milestone: StoredMilestone }
  | { kind: 'already_reached'; milestone: StoredMilestone };

/**
 * Puts a milestone in the success plan with its target day. A planned one with the same title gets the
 * new day; one already reached is left as it is.
 */
export async function planMilestone(
  tx: Executor,
  input: { accountId: number; title: string; plannedFor: string; recordedBy: string },
): Promise<PlanOutcome> {
  const [row] = await rows<MilestoneRow & { written: boolean; existed: boolean }>(
    tx,
    sql`with before as (
          select id from milestones where account_id = ${input.accountId} and lower(title) = lower(${input.title})
        ), written as (
          insert into milestones (account_id, title, planned_for, recorded_by)
          values (${input.accountId}, ${input.title}, ${input.plannedFor}::date, ${input.recordedBy})
          on conflict (account_id, lower(title)) do update
            set planned_for = excluded.planned_for, updated_at = now()
            where milestones.reached_at is null
          returning id, title, planned_for, reached_at
        )
        select w.id, w.title, ${dayText(sql`w.planned_for`)} as planned_for,
          ${epochMs(sql`w.reached_at`)} as reached_at, true as written, exists (select 1 from before) as existed
        from written w
        union all
        select m.id, m.title, ${dayText(sql`m.planned_for`)}, ${epochMs(sql`m.reached_at`)}, false, true
        from milestones m
        where m.account_id = ${input.accountId} and lower(m.title) = lower(${input.title})
          and not exists (select 1 from written)`,
  );
  const milestone = toMilestone(row!);
  if (!row!.written) return { kind: 'already_reached', milestone };
  return { kind: row!.existed ? 'rescheduled' : 'added', milestone };
}

export interface AccountTtfv {
  accountId: number;
  key: string;
  name: string;
  days: number;
}

/**
 * Time to first value of every active account that has one (a contract start and a milestone reached by
 * `now`), and the portfolio median: one query, days counted in each account's zone.
 */
export async function portfolioTimeToFirstValue(
  db: Executor,
  options: { now: Date; timezone: string },
): Promise<{ accounts: AccountTtfv[]; medianDays: number | null }> {
  const found = await rows<
    Columns<Account, 'key' | 'name'> & {
      account_id: Account['id'];
      /** Not null: only accounts with a contract start are read. */
      contract_start: string;
      zone: string;
      first_reached_at: number;
    }
  >(
    db,
    sql`select a.id as account_id, a.key, a.name, ${dayText(sql`a.contract_start`)} as contract_start,
          coalesce(a.timezone, ${options.timezone}) as zone, ${epochMs(sql`min(m.reached_at)`)} as first_reached_at
        from accounts a
        join milestones m on m.account_id = a.id and m.reached_at <= ${instant(options.now)}
        where a.status = 'active' and a.contract_start is not null
        group by a.id
        order by a.key`,
  );
  const accounts = found.map((r) => ({
    accountId: r.account_id,
    key: r.key,
    name: r.name,
    days: timeToFirstValue(r.contract_start, new Date(Number(r.first_reached_at)), r.zone)!,
  }));
  return { accounts, medianDays: medianDays(accounts.map((a) => a.days)) };
}

const NO_FIRST_VALUE = 'no_first_value:';
/** The dedupe key of an account's `no_first_value` red flag: one alert per account, ever. */
export const noFirstValueKey = (accountId: number) => `${NO_FIRST_VALUE}${accountId}`;

export interface AccountWithoutFirstValue {
  accountId: number;
  key: string;
  name: string;
  ownerSlackId: string | null;
  contractStart: string;
  /** Days since the contract start, in the account's zone. */
  days: number;
  /** Milestones of the success plan not reached yet, and how many of them are overdue. */
  open: number;
  overdue: number;
}

/**
 * Active accounts in onboarding whose contract started at least `afterDays` days ago (in their zone),
 * that have reached no milestone by `now` and have no `no_first_value` alert yet (an account gets one,
 * ever: its dedupe key): one query over the whole portfolio.
 */
export async function accountsWithoutFirstValue(
  db: Executor,
  options: { now: Date; timezone: string; afterDays: number },
): Promise<AccountWithoutFirstValue[]> {
  const now = instant(options.now);
  const found = await rows<
    Columns<Account, 'key' | 'name' | 'ownerSlackId'> & {
      account_id: Account['id'];
      /** Not null: only accounts with a contract start are read. */
      contract_start: string;
      days: number;
      open: number;
      overdue: number;
    }
  >(
    db,
    sql`with candidates as (
          select a.id, a.key, a.name, a.owner_slack_id, a.contract_start,
            (${now} at time zone coalesce(a.timezone, ${options.timezone}))::date as today
          from accounts a
          where a.status = 'active' and a.stage = 'onboarding' and a.contract_start is not null
        )
        select c.id as account_id, c.key, c.name, c.owner_slack_id,
          ${dayText(sql`c.contract_start`)} as contract_start, (c.today - c.contract_start)::int as days,
          (select count(*) from milestones m where m.account_id = c.id)::int as open,
          (select count(*) from milestones m where m.account_id = c.id and m.planned_for < c.today)::int as overdue
        from candidates c
        where c.today - c.contract_start >= ${options.afterDays}
          and not exists (select 1 from milestones m where m.account_id = c.id and m.reached_at <= ${now})
          and not exists (select 1 from alerts al where al.dedupe_key = ${NO_FIRST_VALUE}::text || c.id::text)
        order by c.key`,
  );
  return found.map((r) => ({
    accountId: r.account_id,
    key: r.key,
    name: r.name,
    ownerSlackId: r.owner_slack_id,
    contractStart: r.contract_start,
    days: r.days,
    open: r.open,
    overdue: r.overdue,
  }));
}
