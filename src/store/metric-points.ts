import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { MetricPoint } from '../domain/ingestion.ts';

/** A metric point to store, its account already resolved from its key. */
export type MetricPointRecord = Omit<MetricPoint, 'account'> & { account_id: number };

/**
 * Texts as one array literal, each element quoted: unquoted, an element spelled `null` would be NULL.
 * Metric names and ISO instants hold no quote or backslash (the schema allows none), escaped all the same.
 */
const quotedArray = (texts: readonly string[]) =>
  `{${texts.map((t) => `"${t.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/**
 * Stores metric points; a point replaces the stored one with the same (account, metric, instant).
 * Within the batch the last of such points wins, chosen before the insert, since one statement cannot
 * update the same row twice. Instants are compared as instants, whatever offset they were written with.
 * The points travel as four arrays, one per column: PostgreSQL reads an array literal far faster than
 * it builds rows out of one JSON document (a batch of 5,000 took 364 ms that way, ~60 ms this way).
 */
export async function upsertMetricPoints(db: Executor, points: MetricPointRecord[]): Promise<void> {
  if (!points.length) return;
  const accountIds = `{${points.map((p) => p.account_id).join(',')}}`;
  const metrics = quotedArray(points.map((p) => p.metric));
  const ats = quotedArray(points.map((p) => p.at));
  // Validated numbers are finite, and String() writes them exactly as float8 reads them back.
  const values = `{${points.map((p) => String(p.value)).join(',')}}`;
  await db.execute(
    sql`insert into metric_points (account_id, metric, at, value)
        select distinct on (r.account_id, r.metric, r.at) r.account_id, r.metric, r.at, r.value
        from unnest(${accountIds}::int[], ${metrics}::text[], ${ats}::timestamptz[], ${values}::float8[])
          with ordinality as r(account_id, metric, at, value, n)
        order by r.account_id, r.metric, r.at, r.n desc
        on conflict (account_id, metric, at) do update set value = excluded.value`,
  );
}
