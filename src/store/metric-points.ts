import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { MetricPoint } from '../domain/ingestion.ts';

/** A metric point to store, its account already resolved from its key. */
export type MetricPointRecord = Omit<MetricPoint, 'account'> & { account_id: number };

/**
 * Stores metric points; a point replaces the stored one with the same (account, metric, instant).
 * Within the batch the last of such points wins, chosen before the insert, since one statement cannot
 * update the same row twice. Instants are compared as instants, whatever offset they were written with.
 */
export async function upsertMetricPoints(db: Executor, points: MetricPointRecord[]): Promise<void> {
  if (!points.length) return;
  await db.execute(
    sql`insert into metric_points (account_id, metric, at, value)
        select distinct on (r.account_id, r.metric, r.at) r.account_id, r.metric, r.at, r.value
        from rows from (jsonb_to_recordset(${JSON.stringify(points)}::jsonb)
          as (account_id integer, metric text, at timestamptz, value double precision))
          with ordinality as r(account_id, metric, at, value, n)
        order by r.account_id, r.metric, r.at, r.n desc
        on conflict (account_id, metric, at) do update set value = excluded.value`,
  );
}
