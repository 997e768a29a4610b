import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { MetricPoint } from '../domain/ingestion.ts';

/** A metric point to store, its account already resolved from its key. */
export type MetricPointRecord = Omit<MetricPoint, 'account'> & { account_id: number };

const QUOTE_OR_BACKSLASH = /[\\"]/;
const escaped = (text: string) => (QUOTE_OR_BACKSLASH.test(text) ? text.replace(/[\\"]/g, '\\$&') : text);

/**
 * The points' columns as array literals, in one pass (string building is most of the store's CPU for a
 * large batch). Texts are quoted: unquoted, an element spelled `null` would be NULL. Keys, metric names
 * and ISO instants hold no quote or backslash (the schema allows none), escaped all the same. Validated
 * numbers are finite, and their default text is exactly what float8 reads back.
 */
function columnArrays(
  points: ReadonlyArray<Pick<MetricPoint, 'metric' | 'at' | 'value'> & { account?: string }>,
) {
  let keys = '{';
  let metrics = '{';
  let ats = '{';
  let values = '{';
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    const quote = i ? ',"' : '"';
    if (point.account !== undefined) keys += `${quote}${escaped(point.account)}"`;
    metrics += `${quote}${escaped(point.metric)}"`;
    ats += `${quote}${escaped(point.at)}"`;
    values += `${i ? ',' : ''}${point.value}`;
  }
  return { keys: `${keys}}`, metrics: `${metrics}}`, ats: `${ats}}`, values: `${values}}` };
}

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
  const { metrics, ats, values } = columnArrays(points);
  await db.execute(
    sql`insert into metric_points (account_id, metric, at, value)
        select distinct on (r.account_id, r.metric, r.at) r.account_id, r.metric, r.at, r.value
        from unnest(${accountIds}::int[], ${metrics}::text[], ${ats}::timestamptz[], ${values}::float8[])
          with ordinality as r(account_id, metric, at, value, n)
        order by r.account_id, r.metric, r.at, r.n desc
        on conflict (account_id, metric, at) do update set value = excluded.value`,
  );
}

export type UpsertByKeyResult =
  | { ok: true; accountIds: number[] }
  /** Some point names an account that does not exist: nothing was written. */
  | { ok: false };

/**
 * Stores metric points named by account key, as `upsertMetricPoints` does, in one statement that also
 * resolves the keys: one round trip, atomic without a transaction of its own. When a key names no
 * account, the statement writes nothing and says so; the caller then finds which. Returns the ids of
 * the accounts touched.
 */
export async function upsertMetricPointsByKey(
  db: Executor,
  points: MetricPoint[],
): Promise<UpsertByKeyResult> {
  if (!points.length) return { ok: true, accountIds: [] };
  const { keys, metrics, ats, values } = columnArrays(points);
  const [result] = await rows<{ resolved: number; account_ids: number[] | null }>(
    db,
    sql`with resolved as (
          select a.id as account_id, r.metric, r.at, r.value, r.n
          from unnest(${keys}::text[], ${metrics}::text[], ${ats}::timestamptz[], ${values}::float8[])
            with ordinality as r(key, metric, at, value, n)
          join accounts a on a.key = r.key
        ), written as (
          insert into metric_points (account_id, metric, at, value)
          select distinct on (account_id, metric, at) account_id, metric, at, value
          from resolved
          where (select count(*) from resolved) = ${points.length}::int
          order by account_id, metric, at, n desc
          on conflict (account_id, metric, at) do update set value = excluded.value
        )
        select (select count(*) from resolved)::int as resolved,
               (select array_agg(distinct account_id) from resolved) as account_ids`,
  );
  if (result!.resolved !== points.length) return { ok: false };
  return { ok: true, accountIds: result!.account_ids ?? [] };
}
