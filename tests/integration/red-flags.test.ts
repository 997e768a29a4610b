import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type Database, rows } from '../../src/db/client.ts';
import { runAlertFollowups } from '../../src/services/alerts.ts';
import { type RedFlag, raiseRedFlag, reviseRedFlag } from '../../src/services/red-flags.ts';
import { applyAlertAction } from '../../src/store/alerts/actions.ts';
import { loadHealthAlertSubjects } from '../../src/store/alerts/health.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const T0 = new Date('2026-11-23T12:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(+T0 + ms);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const accountId: Record<string, number> = {};
const deps = { config: loadConfig({ CS_ALERT_CHANNEL: 'C0ALERTS' }), clock: () => T0 };

const raise = (flag: RedFlag, using = deps) => db.orm.transaction((tx) => raiseRedFlag(tx, using, flag));
const revise = (key: string, change: Parameters<typeof reviseRedFlag>[3]) =>
  db.orm.transaction((tx) => reviseRedFlag(tx, deps, key, change));
const detractor = (account: string, survey: number): RedFlag => ({
  accountId: accountId[account]!,
  kind: 'detractor',
  dedupeKey: `detractor:survey:${survey}`,
  headline: 'NPS 3 from Ana Souza (champion)',
});

const outbox = (like: string) =>
  rows<{ dedupe_key: string; method: string; payload: Record<string, unknown> }>(
    db.orm,
    sql`select dedupe_key, method, payload from slack_outbox where dedupe_key like ${like} order by id`,
  );
const alertRows = () =>
  rows<{ id: number; key: string; kind: string; dedupe_key: string; detail: unknown }>(
    db.orm,
    sql`select al.id::int as id, a.key, al.kind, al.dedupe_key, al.detail
      from alerts al join accounts a on a.id = al.account_id order by al.id`,
  );
const deliver = (alertId: number, ts: string) =>
  rows(
    db.orm,
    sql`update slack_outbox set status = 'sent', channel = payload->>'channel', ts = ${ts}
      where dedupe_key = ${`alert:${alertId}:post`}`,
  );

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    accountId,
    await seedAccounts(db, [
      { key: 'acme', name: 'Acme', tier: 'high_touch', ownerSlackId: 'U0ACME', channelId: 'C0ACME' },
      { key: 'globex', name: 'Globex', tier: 'low_touch' },
      { key: 'gone', name: 'Gone', tier: 'low_touch', channelId: 'C0GONE', status: 'churned' },
    ]),
  );
});

afterAll(() => database?.drop());

describe('raiseRedFlag', () => {
  let acmeAlert: number;

  it("raises the alert and enqueues its post to the account's channel, in the caller's transaction", async () => {
    acmeAlert = (await raise({
      ...detractor('acme', 42),
      facts: [{ label: 'Comment', value: 'Too slow' }],
    }))!;
    expect(acmeAlert).toEqual(expect.any(Number));
    expect(await alertRows()).toEqual([
      {
        id: acmeAlert,
        key: 'acme',
        kind: 'detractor',
        dedupe_key: 'detractor:survey:42',
        detail: {
          headline: 'NPS 3 from Ana Souza (champion)',
          facts: [{ label: 'Comment', value: 'Too slow' }],
        },
      },
    ]);
    const [post] = await outbox(`alert:${acmeAlert}:%`);
    expect(post).toMatchObject({
      dedupe_key: `alert:${acmeAlert}:post`,
      method: 'chat.postMessage',
      payload: { channel: 'C0ACME', text: 'Acme: NPS detractor: NPS 3 from Ana Souza (champion)' },
    });
    const blocks = JSON.stringify(post!.payload.blocks);
    expect(blocks).toContain('*Comment*: Too slow');
    expect(blocks).toContain('*Owner*\\n<@U0ACME>');
  });

  it('raises nothing for the same condition again: one alert, one outbox row', async () => {
    expect(await raise(detractor('acme', 42))).toBeUndefined();
    expect(
      await db.orm.transaction(async (tx) => [
        await raiseRedFlag(tx, deps, detractor('acme', 42)),
        await raiseRedFlag(tx, deps, detractor('acme', 42)),
      ]),
    ).toEqual([undefined, undefined]);
    expect((await alertRows()).length).toBe(1);
    expect(await outbox('alert:%')).toHaveLength(1);
  });

  it('posts to CS_ALERT_CHANNEL when the account has no channel; nothing without any channel', async () => {
    const id = await raise({ ...detractor('globex', 7), kind: 'low_csat', headline: 'CSAT 1 from Bo' });
    expect((await outbox(`alert:${id}:post`))[0]!.payload).toMatchObject({
      channel: 'C0ALERTS',
      text: 'Globex: Low CSAT: CSAT 1 from Bo',
    });
    const nowhere = { ...deps, config: loadConfig({}) };
    expect(await raise(detractor('globex', 8), nowhere)).toBeUndefined();
    expect((await alertRows()).map((a) => a.dedupe_key)).not.toContain('detractor:survey:8');
  });

  it('raises nothing for a churned account', async () => {
    expect(await raise(detractor('gone', 9))).toBeUndefined();
    expect((await alertRows()).map((a) => a.key)).not.toContain('gone');
  });

  it('a rolled-back transaction leaves neither the alert nor its post', async () => {
    const before = (await outbox('alert:%')).length;
    await expect(
      db.orm.transaction(async (tx) => {
        await raiseRedFlag(tx, deps, detractor('acme', 99));
        throw new Error('the survey answer failed');
      }),
    ).rejects.toThrow('the survey answer failed');
    expect((await alertRows()).map((a) => a.dedupe_key)).not.toContain('detractor:survey:99');
    expect(await outbox('alert:%')).toHaveLength(before);
  });

  it('is not a health alert: the health rules never see it', async () => {
    const [acme] = await loadHealthAlertSubjects(db.orm, { accountIds: [accountId.acme!] });
    expect(acme!.alerts).toEqual([]);
  });

  describe('reviseRedFlag', () => {
    it('revises the waiting post when the post has not gone out', async () => {
      expect(
        await revise('detractor:survey:42', { facts: [{ label: 'Comment', value: 'Too slow, and buggy' }] }),
      ).toBe(true);
      const rowsNow = await outbox(`alert:${acmeAlert}:%`);
      expect(rowsNow.map((r) => r.dedupe_key)).toEqual([`alert:${acmeAlert}:post`]);
      expect(JSON.stringify(rowsNow[0]!.payload.blocks)).toContain('*Comment*: Too slow, and buggy');
      expect(rowsNow[0]!.payload.channel).toBe('C0ACME');
    });

    it('updates the delivered message through the outbox, once per revision', async () => {
      await deliver(acmeAlert, '1700000000.000100');
      expect(await revise('detractor:survey:42', { headline: 'NPS 2 from Ana Souza (champion)' })).toBe(true);
      // The same change again changes nothing, and an unknown condition has no alert.
      expect(await revise('detractor:survey:42', { headline: 'NPS 2 from Ana Souza (champion)' })).toBe(
        false,
      );
      expect(await revise('detractor:survey:404', { headline: 'x' })).toBe(false);
      const updates = await outbox(`alert:${acmeAlert}:revision:%`);
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({
        dedupe_key: `alert:${acmeAlert}:revision:2`,
        method: 'chat.update',
        payload: {
          channel: 'C0ACME',
          ts: '1700000000.000100',
          text: 'Acme: NPS detractor: NPS 2 from Ana Souza (champion)',
        },
      });
      expect(JSON.stringify(updates[0]!.payload.blocks)).toContain('Too slow, and buggy');
    });
  });

  describe('when its snooze ends', () => {
    it('comes back like every alert: message updated to open, a reply broadcast in its thread, once', async () => {
      await applyAlertAction(db.orm, acmeAlert, {
        action: 'snoozed',
        until: at(24 * HOUR),
        userId: 'U0CSM',
        now: T0,
      });
      const run = (now: Date) =>
        runAlertFollowups({ db, clock: () => now, logger: pino({ level: 'silent' }), config: deps.config });
      expect((await run(at(24 * HOUR - 60_000))).reopened).toEqual([]);
      expect((await run(at(24 * HOUR))).reopened).toEqual([acmeAlert]);
      expect((await run(at(25 * HOUR))).reopened).toEqual([]);
      const key = `alert:${acmeAlert}:snooze-over:${+at(24 * HOUR)}`;
      const messages = await outbox(`alert:${acmeAlert}:snooze-over:%`);
      expect(messages.map((m) => [m.dedupe_key, m.method])).toEqual([
        [`${key}:update`, 'chat.update'],
        [`${key}:reply`, 'chat.postMessage'],
      ]);
      expect(JSON.stringify(messages[0]!.payload.blocks)).toContain(
        'Snooze ended Tue 24 Nov 12:00: still open, nobody has resolved it.',
      );
      expect(messages[1]!.payload).toEqual({
        channel: 'C0ACME',
        thread_ts: '1700000000.000100',
        reply_broadcast: true,
        text: ':alarm_clock: Snooze over, still open: *Acme*: NPS detractor: NPS 2 from Ana Souza (champion).',
      });
    });
  });
});
