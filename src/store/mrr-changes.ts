import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { MrrChangeInput } from '../domain/ingestion.ts';

/** An MRR movement to store, its account already resolved from its key. */
export type MrrChangeRecord = Omit<MrrChangeInput, 'account'> & { account_id: number; currency?: string };

/**
 * Stores MRR movements, in the account's currency unless one is given (Stripe's); a movement replaces the stored one at the same
 * (account, instant). Within the batch the last one wins, chosen before the insert, since one statement
 * cannot update the same row twice. Then each active account's MRR becomes the one in effect `now` (its
 * latest movement up to now), so ARR at risk and the other figures read from `accounts.mrr` agree with
 * the history; a movement dated later changes it only once its day comes (the next upsert or account write).
 */
export async function upsertMrrChanges(
  db: Executor,
  changes: MrrChangeRecord[],
  now: Date,
  source: 'api' | 'stripe' = 'api',
): Promise<void> {
  if (!changes.length) return;
  await db.execute(
    sql`insert into account_mrr_changes (account_id, at, mrr, currency, source)
        select * from (
          select distinct on (r.account_id, r.at) r.account_id, r.at, r.mrr, coalesce(r.currency, a.currency), ${source}
          from rows from (jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
            as (account_id integer, at timestamptz, mrr numeric, currency text))
            with ordinality as r(account_id, at, mrr, currency, n)
          join accounts a on a.id = r.account_id
          order by r.account_id, r.at, r.n desc
        ) latest
        on conflict (account_id, at) do update
          set mrr = excluded.mrr, currency = excluded.currency, source = excluded.source`,
  );
  const accountIds = [...new Set(changes.map((c) => c.account_id))];
  await db.execute(
    sql`update accounts a set mrr = latest.mrr, updated_at = now()
        from (
          select distinct on (account_id) account_id, mrr from account_mrr_changes
          where account_id in (select jsonb_array_elements_text(${JSON.stringify(accountIds)}::jsonb)::int)
            and at <= ${now.toISOString()}::timestamptz
          order by account_id, at desc
        ) latest
        where a.id = latest.account_id and a.status = 'active' and a.mrr is distinct from latest.mrr`,
  );
}
