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
  renewal_date date, status text, named text[])`;

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
 */
export async function upsertAccounts(db: Executor, items: AccountUpsert[]): Promise<number[]> {
  const byKey = new Map<string, AccountUpsert>();
  for (const item of items) byKey.set(item.key, { ...byKey.get(item.key), ...item });
  // Key order: concurrent batches lock the rows they share in the same order instead of deadlocking.
  const records = [...byKey.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((item) => ({ ...item, named: Object.keys(item) }));
  if (!records.length) return [];

  // An account's first owner, and every later change of owner, go on its timeline in the same statement.
  const inserted = await rows<Columns<Account, 'id' | 'key'>>(
    db,
    sql`with inserted as (
          insert into accounts as a (key, name, tier, stage, mrr, currency, seats, owner_slack_id, channel_id,
            locale, timezone, contract_start, renewal_date, status)
          select r.key, r.name, coalesce(r.tier, ${accounts.tier.default}), coalesce(r.stage, ${accounts.stage.default}),
            r.mrr, coalesce(r.currency, ${accounts.currency.default}), r.seats, r.owner_slack_id, r.channel_id,
            coalesce(r.locale, ${accounts.locale.default}), r.timezone, r.contract_start, r.renewal_date,
            coalesce(r.status, ${accounts.status.default})
          from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r${ACCOUNT_RECORD}
          on conflict (key) do nothing
          returning a.id, a.key, a.owner_slack_id),
        owners as (
          insert into account_owner_changes (account_id, from_owner, to_owner)
          select id, null, owner_slack_id from inserted where owner_slack_id is not null)
        select id, key from inserted`,
  );
  const insertedKeys = new Set(inserted.map((r) => r.key));
  const existing = records.filter((r) => !insertedKeys.has(r.key));
  if (!existing.length) return inserted.map((r) => r.id);

  // `before` is the row as the statement found it (a self-join sees the values before the update).
  const updated = await rows<Columns<Account, 'id'>>(
    db,
    sql`with updated as (
          update accounts as a set name = r.name,
            ${sql.join(OPTIONAL_FIELDS.map(keepUnlessNamed), sql`, `)},
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) as r${ACCOUNT_RECORD}, accounts as before
          where a.key = r.key and before.id = a.id
          returning a.id, before.owner_slack_id as from_owner, a.owner_slack_id as to_owner),
        owners as (
          insert into account_owner_changes (account_id, from_owner, to_owner)
          select id, from_owner, to_owner from updated where from_owner is distinct from to_owner)
        select id from updated`,
  );
  return [...inserted, ...updated].map((r) => r.id);
}
