import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { SkippedRecord } from '../domain/connectors.ts';
import { dateOrNull, epochMs } from './sql.ts';

/** How many skipped records (newest first) a connector's state keeps with their reasons. */
export const SKIPPED_KEPT = 20;

export interface ConnectorStateRow {
  name: string;
  cursor: string | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  stored: number;
  skipped: number;
  lastError: string | null;
  lastSkipped: SkippedRecord[];
  nextRunAt: Date | null;
}

/** Every connector that has run, by name. */
export async function connectorStates(db: Executor): Promise<ConnectorStateRow[]> {
  const found = await rows<{
    name: string;
    cursor: string | null;
    last_run_at: number | null;
    last_success_at: number | null;
    stored: number | string;
    skipped: number | string;
    last_error: string | null;
    last_skipped: SkippedRecord[];
    next_run_at: number | null;
  }>(
    db,
    sql`select name, cursor, ${epochMs(sql`last_run_at`)} as last_run_at,
          ${epochMs(sql`last_success_at`)} as last_success_at, stored, skipped, last_error, last_skipped,
          ${epochMs(sql`next_run_at`)} as next_run_at
        from connector_state order by name`,
  );
  return found.map((r) => ({
    name: r.name,
    cursor: r.cursor,
    lastRunAt: dateOrNull(r.last_run_at),
    lastSuccessAt: dateOrNull(r.last_success_at),
    stored: Number(r.stored),
    skipped: Number(r.skipped),
    lastError: r.last_error,
    lastSkipped: r.last_skipped,
    nextRunAt: dateOrNull(r.next_run_at),
  }));
}

/** Where a connector's source cursor stands; null before its first page. */
export async function connectorCursor(db: Executor, name: string): Promise<string | null> {
  const [found] = await rows<{ cursor: string | null }>(
    db,
    sql`select cursor from connector_state where name = ${name}`,
  );
  return found?.cursor ?? null;
}

/**
 * Moves a connector's cursor, with the records it stored and skipped on that page. Called in the
 * transaction that stored the page: the cursor never moves past data that was not stored.
 */
export async function advanceConnector(
  db: Executor,
  update: { name: string; cursor?: string | null; stored: number; skipped: SkippedRecord[] },
): Promise<void> {
  const moves = update.cursor !== undefined;
  await db.execute(
    sql`insert into connector_state as s (name, cursor, stored, skipped, last_skipped)
        values (${update.name}, ${update.cursor ?? null}, ${update.stored}, ${update.skipped.length},
          ${JSON.stringify(update.skipped.slice(-SKIPPED_KEPT).reverse())}::jsonb)
        on conflict (name) do update set
          cursor = case when ${moves}::boolean then excluded.cursor else s.cursor end,
          stored = s.stored + excluded.stored,
          skipped = s.skipped + excluded.skipped,
          last_skipped = (select coalesce(jsonb_agg(x), '[]'::jsonb) from (
            select x from jsonb_array_elements(excluded.last_skipped || s.last_skipped) with ordinality as e(x, n)
            order by n limit ${SKIPPED_KEPT}) kept)`,
  );
}

/** Records the end of a run: when, its error (null when it succeeded) and when the next one is due. */
export async function finishConnectorRun(
  db: Executor,
  run: { name: string; at: Date; error: string | null; nextRunAt: Date | null },
): Promise<void> {
  const at = run.at.toISOString();
  await db.execute(
    sql`insert into connector_state as s (name, last_run_at, last_success_at, last_error, next_run_at)
        values (${run.name}, ${at}::timestamptz, ${run.error === null ? at : null}::timestamptz, ${run.error},
          ${run.nextRunAt?.toISOString() ?? null}::timestamptz)
        on conflict (name) do update set last_run_at = excluded.last_run_at,
          last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
          last_error = excluded.last_error, next_run_at = excluded.next_run_at`,
  );
}
