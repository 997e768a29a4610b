import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
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
 * Records `<kind>:<id>` as seen. Returns true the first time only, whichever process asks: the primary
 * key decides between replicas.
 */
export async function firstSighting(db: Executor, kind: SeenKind, id: string, now: Date): Promise<boolean> {
  const inserted = await rows<{ key: string }>(
    db,
    sql`insert into slack_seen_requests (key, seen_at) values (${`${kind}:${id}`}, ${instant(now)})
      on conflict do nothing
      returning key`,
  );
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
