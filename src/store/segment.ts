import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { ContactRole } from '../domain/ingestion.ts';

/**
 * The Segment-compatible source's own state: users and their accounts, the messages already counted, and
 * the per-day user sets and event counts its metrics are computed from. Rows go in as one JSON parameter,
 * so a batch of any size is one statement per table.
 */

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

export interface AccountRef {
  id: number;
  key: string;
  name: string;
  timezone: string | null;
}

/** Accounts by key, for the keys that exist. */
export async function accountsByKey(db: Executor, keys: string[]): Promise<Map<string, AccountRef>> {
  if (!keys.length) return new Map();
  const found = await rows<AccountRef>(
    db,
    sql`select id, key, name, timezone from accounts
        where key in (select jsonb_array_elements_text(${json([...new Set(keys)])}))`,
  );
  return new Map(found.map((a) => [a.key, a]));
}

/** Accounts by id. */
export async function accountsById(db: Executor, ids: number[]): Promise<Map<number, AccountRef>> {
  if (!ids.length) return new Map();
  const found = await rows<AccountRef>(
    db,
    sql`select id, key, name, timezone from accounts
        where id in (select jsonb_array_elements_text(${json([...new Set(ids)])})::int)`,
  );
  return new Map(found.map((a) => [a.id, a]));
}

export interface SegmentUser {
  user_id: string;
  account_id: number | null;
  email: string | null;
  name: string | null;
  role: ContactRole | null;
}

/** Links users to accounts (their latest group call wins) and returns what is known of each. */
export async function linkUsers(
  db: Executor,
  links: Array<{ user_id: string; account_id: number }>,
): Promise<SegmentUser[]> {
  if (!links.length) return [];
  return rows<SegmentUser>(
    db,
    sql`insert into segment_users as u (user_id, account_id)
        select distinct on (r.user_id) r.user_id, r.account_id
        from rows from (jsonb_to_recordset(${json(links)}) as (user_id text, account_id integer))
          with ordinality as r(user_id, account_id, n)
        order by r.user_id, r.n desc
        on conflict (user_id) do update set account_id = excluded.account_id, updated_at = now()
        returning user_id, account_id, email, name, role`,
  );
}

/**
 * Records what identify calls say of users (a field not said keeps its stored value) and returns each
 * user as now known, with their account.
 */
export async function rememberPeople(
  db: Executor,
  people: Array<{ user_id: string; email?: string; name?: string; role?: ContactRole }>,
): Promise<SegmentUser[]> {
  if (!people.length) return [];
  return rows<SegmentUser>(
    db,
    sql`insert into segment_users as u (user_id, email, name, role)
        select distinct on (r.user_id) r.user_id, r.email, r.name, r.role
        from rows from (jsonb_to_recordset(${json(people)}) as (user_id text, email text, name text, role text))
          with ordinality as r(user_id, email, name, role, n)
        order by r.user_id, r.n desc
        on conflict (user_id) do update set email = coalesce(excluded.email, u.email),
          name = coalesce(excluded.name, u.name), role = coalesce(excluded.role, u.role), updated_at = now()
        returning user_id, account_id, email, name, role`,
  );
}

/** The account of each of these users that has one. */
export async function userAccounts(db: Executor, userIds: string[]): Promise<Map<string, number>> {
  if (!userIds.length) return new Map();
  const found = await rows<{ user_id: string; account_id: number }>(
    db,
    sql`select user_id, account_id from segment_users
        where account_id is not null
          and user_id in (select jsonb_array_elements_text(${json([...new Set(userIds)])}))`,
  );
  return new Map(found.map((u) => [u.user_id, u.account_id]));
}

/** Records these messages as counted and returns the ids that were not already: the ones to count. */
export async function newMessages(
  db: Executor,
  messages: Array<{ message_id: string; at: string }>,
): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const inserted = await rows<{ message_id: string }>(
    db,
    sql`insert into segment_messages (message_id, at)
        select r.message_id, r.at from jsonb_to_recordset(${json(messages)}) as r(message_id text, at timestamptz)
        on conflict (message_id) do nothing
        returning message_id`,
  );
  return new Set(inserted.map((m) => m.message_id));
}

export interface AccountDay {
  account_id: number;
  day: string;
}

/** Adds users to their accounts' day sets; returns the (account, day) pairs that gained a user. */
export async function addActiveUsers(
  db: Executor,
  entries: Array<AccountDay & { user_hash: number }>,
): Promise<AccountDay[]> {
  if (!entries.length) return [];
  return rows<AccountDay>(
    db,
    sql`with added as (
          insert into segment_active_users (account_id, day, user_hash)
          select r.account_id, r.day, r.user_hash
          from jsonb_to_recordset(${json(entries)}) as r(account_id integer, day date, user_hash bigint)
          order by 1, 2, 3
          on conflict do nothing
          returning account_id, day)
        select distinct account_id, to_char(day, 'YYYY-MM-DD') as day from added`,
  );
}

export interface DayCount extends AccountDay {
  metric: string;
  count: number;
}

/** Adds to the accounts' daily event counts and returns the new totals. */
export async function addEventCounts(db: Executor, counts: DayCount[]): Promise<DayCount[]> {
  if (!counts.length) return [];
  return rows<DayCount>(
    db,
    sql`insert into segment_event_counts as c (account_id, day, metric, count)
        select r.account_id, r.day, r.metric, r.count
        from jsonb_to_recordset(${json(counts)}) as r(account_id integer, day date, metric text, count integer)
        order by 1, 2, 3
        on conflict (account_id, day, metric) do update set count = c.count + excluded.count
        returning account_id, to_char(day, 'YYYY-MM-DD') as day, metric, count`,
  );
}

export interface ActiveUserCounts extends AccountDay {
  dau: number;
  wau: number;
  mau: number;
}

/** Distinct users active on each day, over the 7 days and over the 30 days ending on it. */
export async function activeUserCounts(db: Executor, days: AccountDay[]): Promise<ActiveUserCounts[]> {
  if (!days.length) return [];
  return rows<ActiveUserCounts>(
    db,
    sql`select w.account_id, to_char(w.day, 'YYYY-MM-DD') as day,
          count(distinct u.user_hash) filter (where u.day = w.day)::int as dau,
          count(distinct u.user_hash) filter (where u.day > w.day - 7)::int as wau,
          count(distinct u.user_hash)::int as mau
        from jsonb_to_recordset(${json(days)}) as w(account_id integer, day date)
        join segment_active_users u on u.account_id = w.account_id and u.day > w.day - 30 and u.day <= w.day
        group by w.account_id, w.day`,
  );
}

/** Drops day sets and counts before `day` and counted message ids older than `at`. */
export async function pruneSegmentData(db: Executor, before: { day: string; at: Date }): Promise<void> {
  await db.execute(sql`delete from segment_active_users where day < ${before.day}::date`);
  await db.execute(sql`delete from segment_event_counts where day < ${before.day}::date`);
  await db.execute(sql`delete from segment_messages where at < ${before.at.toISOString()}::timestamptz`);
}
