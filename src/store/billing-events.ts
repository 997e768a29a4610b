import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { BillingEventInput } from '../domain/ingestion.ts';

/** A billing event to store, its account already resolved from its key. */
export type BillingEventRecord = Omit<BillingEventInput, 'account'> & { account_id: number };

/**
 * Stores billing events, idempotent on `external_id`: an event already stored, or repeated within the
 * batch, changes nothing (the first one sent is kept). Returns the accounts of the events stored now.
 */
export async function insertBillingEvents(
  db: Executor,
  events: BillingEventRecord[],
): Promise<{ inserted: number; accountIds: number[] }> {
  if (!events.length) return { inserted: 0, accountIds: [] };
  const inserted = await rows<{ account_id: number }>(
    db,
    sql`insert into billing_events (account_id, external_id, type, occurred_at, amount, currency, due_date,
          card_expires_at)
        select distinct on (r.external_id) r.account_id, r.external_id, r.type, r.occurred_at, r.amount,
          r.currency, r.due_date, r.card_expires_at
        from rows from (jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
          as (account_id integer, external_id text, type text, occurred_at timestamptz, amount numeric,
              currency text, due_date date, card_expires_at date))
          with ordinality as r(account_id, external_id, type, occurred_at, amount, currency, due_date,
            card_expires_at, n)
        order by r.external_id, r.n
        on conflict (external_id) do nothing
        returning account_id`,
  );
  return { inserted: inserted.length, accountIds: [...new Set(inserted.map((r) => r.account_id))] };
}
