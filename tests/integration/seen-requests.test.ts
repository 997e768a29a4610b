import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { createReplayGuard } from '../../src/slack/replay-guard.ts';
import { firstSighting, forgetOldSightings } from '../../src/store/seen-requests.ts';
import { freshDatabase } from '../helpers/database.ts';

const MINUTE = 60_000;
const T0 = new Date('2024-05-10T12:00:00Z');

let db: Database;
let url: string | undefined;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, url, drop } = await freshDatabase());
});

afterAll(async () => {
  await drop?.();
});

const keys = async () =>
  (await rows<{ key: string }>(db.orm, sql`select key from slack_seen_requests order by key`)).map(
    (r) => r.key,
  );

describe('Slack requests already seen', () => {
  it('are first seen by exactly one of several replicas asking at once', async () => {
    let now = T0;
    const replicas = Array.from({ length: 4 }, () => createReplayGuard({ db, clock: () => now }));
    const answers = await Promise.all(replicas.map((r) => r.firstTime('sig', 'v0=abc')));
    expect(answers.filter(Boolean)).toHaveLength(1);
    now = new Date(+T0 + MINUTE);
    expect(await replicas[2]!.firstTime('sig', 'v0=abc')).toBe(false);
    expect(await replicas[2]!.firstTime('event', 'v0=abc')).toBe(true);
  });

  it('forgets signatures after 10 minutes, event ids and Socket Mode envelopes after an hour', async () => {
    await db.orm.execute(sql`delete from slack_seen_requests`);
    const at = (minutes: number) => new Date(+T0 + minutes * MINUTE);
    expect(await firstSighting(db.orm, 'sig', 'v0=old', at(0))).toBe(true);
    expect(await firstSighting(db.orm, 'event', 'Ev0OLD', at(0))).toBe(true);
    expect(await firstSighting(db.orm, 'envelope', 'b1c2-old', at(0))).toBe(true);
    expect(await firstSighting(db.orm, 'sig', 'v0=new', at(9))).toBe(true);

    expect(await forgetOldSightings(db.orm, at(10))).toBe(0);
    expect(await forgetOldSightings(db.orm, at(10.5))).toBe(1);
    expect(await keys()).toEqual(['envelope:b1c2-old', 'event:Ev0OLD', 'sig:v0=new']);
    expect(await forgetOldSightings(db.orm, at(59))).toBe(1);
    expect(await keys()).toEqual(['envelope:b1c2-old', 'event:Ev0OLD']);
    expect(await forgetOldSightings(db.orm, at(61))).toBe(2);
    expect(await keys()).toEqual([]);
    // Forgotten, a key is new again (a signature that old no longer verifies anyway).
    expect(await firstSighting(db.orm, 'event', 'Ev0OLD', at(61))).toBe(true);
  });

  it('are pruned by the guard on its way, at most once a minute', async () => {
    await db.orm.execute(sql`delete from slack_seen_requests`);
    let minutes = 0;
    const guard = createReplayGuard({ db, clock: () => new Date(+T0 + minutes * MINUTE) });
    const seeAt = async (at: number, signature: string) => {
      minutes = at;
      expect(await guard.firstTime('sig', signature)).toBe(true);
    };
    await seeAt(0, 'v0=a');
    await seeAt(9.5, 'v0=b');
    // v0=a is 10.2 minutes old, but the last prune was 42 seconds ago.
    await seeAt(10.2, 'v0=c');
    expect(await keys()).toEqual(['sig:v0=a', 'sig:v0=b', 'sig:v0=c']);
    await seeAt(10.6, 'v0=d');
    expect(await keys()).toEqual(['sig:v0=b', 'sig:v0=c', 'sig:v0=d']);
  });

  it('commits a sighting without waiting for the disk, and only that statement', async () => {
    // One connection, so the statements below run where the sighting ran (PGlite has only one).
    const single = url ? await openDatabase({ url, poolSize: 1 }) : db;
    try {
      expect(await firstSighting(single.orm, 'sig', 'v0=async', T0)).toBe(true);
      const [after] = await rows<{ setting: string }>(
        single.orm,
        sql`select current_setting('synchronous_commit') as setting`,
      );
      expect(after!.setting).toBe('on');
      const inTransaction = await single.orm.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        return rows<{ setting: string }>(tx, sql`select current_setting('synchronous_commit') as setting`);
      });
      expect(inTransaction[0]!.setting).toBe('on');
    } finally {
      if (single !== db) await single.close();
    }
  });
});
