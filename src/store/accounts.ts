import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import { type Account, accounts } from '../db/schema.ts';
import type { AccountUpsert } from '../domain/ingestion.ts';
import type { Columns } from './sql.ts';

/** Account ids by key, for the keys that exist, in one query. */
export async function resolveAccountKeys(db: Executor, keys: string[]): Promise<Map<string, number>> {
  if (!keys.length) return new Map();
  const found = await rows<Columns<Account, 'id' | 'key'>>(
    db,
    sql`select id, key from accounts
        where key in (select jsonb_array_elements_text(${JSON.stringify([...new Set(keys)])}::jsonb))`,
  );
  return new Map(found.map((r) => [r.key, r.id]));
}

/** The JSON record columns of an account upsert; `named` lists the fields the object names. */
const ACCOUNT_RECORD = sql`(key text, name text, tier text, stage text, mrr numeric, currency text,
  seats integer, owner_slack_id text, channel_id text, locale text, timezone text, contract_start date,
  renewal_date date, status text, churned_at timestamptz, named text[])`;

const OPTIONAL_FIELDS = [
  'tier',
  'stage',
  'mrr',
  'currency',
  'seats',
  'owner_slack_id',
  'channel_id',
  'locale',
  'timezone',
  'contract_start',
  'renewal_date',
  'status',
] as const satisfies ReadonlyArray<keyof AccountUpsert>;

/** Keeps the stored value unless the object names the field. */
const keepUnlessNamed = (column: string) =>
  sql.raw(`${column} = case when '${column}' = any(r.named) then r.${column} else a.${column} end`);

/**
 * Upserts accounts by key and returns their ids. An object changes only the fields it names (a `null`
 * clears a field); a new account takes the schema's defaults for the rest. Objects repeating a key are
 * applied in order. New keys are inserted first and the rest updated in a second statement, which under
 * READ COMMITTED also sees a key a concurrent batch has just created.
 *
 * The same statements date what changed: an MRR that differs from the stored one is a movement at `now`
 * (the request's time), a churn is MRR 0 at `churned_at` (else `now`), a new stage is a stage change, and
 * an account's first owner and every later change of owner go on its timeline.
 */
export async function upsertAccounts(db: Executor, items: AccountUpsert[], now: Date): Promise<number[]> {
  const byKey = new Map<string, AccountUpsert>();
  for (const item of items) byKey.set(item.key, { ...byKey.get(item.key), ...item });
  // Key order: concurrent batches lock the rows they share in the same order instead of deadlocking.
  const records = [...byKey.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((item) => ({ ...item, named: Object.keys(item) }));
  if (!records.length) return [];
  const at = sql`${now.toISOString()}::timestamptz`;

  const inserted = await rows<Columns<Account, 'id' | 'key'>>(
    db,
    sql`with created as (
          insert into accounts as a (key, name, tier, stage, mrr, currency, seats, owner_slack_id, channel_id,
            locale, timezone, contract_start, renewal_date, status, churned_at)
          select r.key, r.name, coalesce(r.tier, ${accounts.tier.default}), coalesce(r.stage, ${accounts.stage.default}),
            r.mrr, coalesce(r.currency, ${accounts.currency.default}), r.seats, r.owner_slack_id, r.channel_id,
            coalesce(r.locale, ${accounts.locale.default}), r.timezone, r.contract_start, r.renewal_date,
            coalesce(r.status, ${accounts.status.default}),
            case when r.status = 'churned' then coalesce(r.churned_at, ${at}) end
          from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r${ACCOUNT_RECORD}
          on conflict (key) do nothing
          returning a.id, a.key, a.mrr, a.currency, a.status, a.stage, a.owner_slack_id
        ), owners as (
          insert into account_owner_changes (account_id, from_owner, to_owner, at)
          select id, null, owner_slack_id, ${at} from created where owner_slack_id is not null
        ), movements as (
          insert into account_mrr_changes (account_id, at, mrr, currency, source)
          select id, ${at}, mrr, currency, 'account' from created where mrr is not null and status = 'active'
        ), stages as (
          insert into account_stage_changes (account_id, at, from_stage, stage)
          select id, ${at}, null, stage from created
        )
        select id, key from created`,
  );
  const insertedKeys = new Set(inserted.map((r) => r.key));
  const existing = records.filter((r) => !insertedKeys.has(r.key));
  if (!existing.length) return inserted.map((r) => r.id);

  // Locked first, so the update below reads each account's stored values as they stay until it commits.
  await db.execute(
    sql`select id from accounts where key in (select jsonb_array_elements_text(${JSON.stringify(existing.map((r) => r.key))}::jsonb))
        order by key for update`,
  );
  const newStatus = sql.raw(`case when 'status' = any(r.named) then r.status else a.status end`);
  const updated = await rows<Columns<Account, 'id'>>(
    db,
    sql`with changed as (
          update accounts as a set name = r.name,
            ${sql.join(OPTIONAL_FIELDS.map(keepUnlessNamed), sql`, `)},
            churned_at = case
              when ${newStatus} <> 'churned' then null
              when 'churned_at' = any(r.named) then r.churned_at
              when a.status <> 'churned' then ${at}
              else a.churned_at end,
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) as r${ACCOUNT_RECORD}, accounts as stored
          where a.key = r.key and stored.id = a.id
          returning a.id, a.mrr, a.currency, a.status, a.stage, a.churned_at, stored.mrr as stored_mrr,
            stored.currency as stored_currency, stored.status as stored_status, stored.stage as stored_stage,
            a.owner_slack_id, stored.owner_slack_id as stored_owner, 'churned_at' = any(r.named) as dated_churn
        ), owners as (
          insert into account_owner_changes (account_id, from_owner, to_owner, at)
          select id, stored_owner, owner_slack_id, ${at} from changed where owner_slack_id is distinct from stored_owner
        ), movements as (
          insert into account_mrr_changes (account_id, at, mrr, currency, source)
          select id, churned_at, 0, currency, 'account' from changed
          where status = 'churned' and (stored_status <> 'churned' or dated_churn)
          union all
          select id, ${at}, mrr, currency, 'account' from changed
          where status = 'active' and mrr is not null
            and (stored_status = 'churned' or mrr is distinct from stored_mrr or currency <> stored_currency)
          on conflict (account_id, at) do update
            set mrr = excluded.mrr, currency = excluded.currency, source = excluded.source
        ), stages as (
          insert into account_stage_changes (account_id, at, from_stage, stage)
          select id, ${at}, stored_stage, stage from changed where stage <> stored_stage
          on conflict (account_id, at) do update set from_stage = excluded.from_stage, stage = excluded.stage
        )
        select id from changed`,
  );
  return [...inserted, ...updated].map((r) => r.id);
}
