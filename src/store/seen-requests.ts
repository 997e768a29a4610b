import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import { slackSeenRequests } from '../db/schema.ts';
import { MINUTE } from '../domain/time.ts';
import { instant } from './sql.ts';

/**
 * How long each kind of key is remembered. A signature verifies while its timestamp is within 5 minutes
 * of now, before or after: a request first seen now can be replayed until 5 minutes past a timestamp
 * that may itself be 5 minutes ahead, so signatures are kept 10 minutes. Slack re-delivers an event
 * within minutes (three retries, the last about 5 minutes after the first try): an hour is ample. A
 * Socket Mode envelope that lost its acknowledgement with its connection comes again on the next one,
 * within seconds: an hour is ample too.
 */
export const REMEMBERED_MS = { sig: 10 * MINUTE, event: 60 * MINUTE, envelope: 60 * MINUTE } as const;

export type SeenKind = keyof typeof REMEMBERED_MS;

/**
 * The sighting's insert, built once per executor and run prepared (every signed Slack request makes
 * one). Its commit does not wait for the WAL to reach the disk: `set_config(…, true)` turns
 * `synchronous_commit` off until the end of the statement's own transaction, which is the statement
 * itself (see firstSighting). On this machine a synchronous commit cost PostgreSQL about 0.5 ms of CPU
 * (the flush), more than the card that follows.
 */
function sightingStatement(db: Executor) {
  return db
    .insert(slackSeenRequests)
    .values({
      key: sql`${sql.placeholder('key')}::text || left(set_config('synchronous_commit', 'off', true), 0)`,
      seenAt: sql`${sql.placeholder('at')}::timestamptz`,
    })
    .onConflictDoNothing()
    .returning({ key: slackSeenRequests.key })
    .prepare('slack_seen_request');
}

const sightings = new WeakMap<Executor, ReturnType<typeof sightingStatement>>();

/**
 * Records `<kind>:<id>` as seen. Returns true the first time only, whichever process asks: the primary
 * key decides between replicas.
 *
 * Outside any transaction only (its asynchronous commit would extend to the caller's). That commit may
 * be lost in a crash, which loses nothing a replay could repeat: a request's own writes commit
 * synchronously after the sighting, and flushing them flushes the WAL written before them, the
 * sighting's included; a request that wrote nothing may be answered again.
 */
export async function firstSighting(db: Executor, kind: SeenKind, id: string, now: Date): Promise<boolean> {
  let statement = sightings.get(db);
  if (!statement) {
    statement = sightingStatement(db);
    sightings.set(db, statement);
  }
  const inserted = await statement.execute({ key: `${kind}:${id}`, at: now.toISOString() });
  return inserted.length > 0;
}

/** Forgets the keys older than their kind's window; returns how many. */
export async function forgetOldSightings(db: Executor, now: Date): Promise<number> {
  const before = (kind: SeenKind) => instant(new Date(+now - REMEMBERED_MS[kind]));
  const [deleted] = await rows<{ n: number }>(
    db,
    sql`with deleted as (
        delete from slack_seen_requests
        where (key like 'sig:%' and seen_at < ${before('sig')})
           or (key like 'event:%' and seen_at < ${before('event')})
           or (key like 'envelope:%' and seen_at < ${before('envelope')})
        returning 1)
      select count(*)::int as n from deleted`,
  );
  return deleted?.n ?? 0;
}
