import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { type Database, rows } from '../../src/db/client.ts';
import { SHARING_TTL_MS } from '../../src/domain/channel-sharing.ts';
import { createOutboxClient, type OutboxWorker, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { channelSharing, checkAlertChannel, mayPostInternal } from '../../src/services/channel-sharing.ts';
import { enqueueSlackMessage, type OutboxMessage } from '../../src/store/outbox.ts';
import { forgetSharing, knownSharing, recordSharing } from '../../src/store/slack-channels.ts';
import { freshDatabase } from '../helpers/database.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const ALERTS = 'C0CSALERTS';
const DIGEST = 'C0CSDIGEST';
const INTERNAL = 'C0ACMEINTL';
const SHARED = 'C0ACMESHRD';
const OTHER_SHARED = 'C0GLOBEXSH';

let double: SlackDouble;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let client: ReturnType<typeof createOutboxClient>;
let now: Date;
let logged: Array<{ level: number; msg: string; channel?: string; reason?: string }>;
const cleanups: Array<() => Promise<unknown>> = [];
const workers: OutboxWorker[] = [];

const logger = () => pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
const deps = () => ({ db, clock: () => now, logger: logger() });
const infoCalls = (channel: string) =>
  double.callsTo('conversations.info').filter((c) => c.params.channel === channel);

// A fresh double and database per test: nothing is known of any channel at the start.
beforeEach(async () => {
  const slack = await startSlackDouble();
  double = slack.double;
  cleanups.push(slack.close);
  client = createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url });
  database = await freshDatabase();
  db = database.db;
  now = new Date('2030-01-07T10:00:00Z');
  logged = [];
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await database.drop();
});

describe('what Pulse knows of a channel’s sharing', () => {
  it('asks Slack once, then reads the database until the answer is an hour old', async () => {
    expect(await channelSharing(deps(), client, INTERNAL)).toEqual({ kind: 'internal' });
    expect(await channelSharing(deps(), client, SHARED)).toEqual({ kind: 'shared' });
    expect(await knownSharing(db.orm, SHARED)).toEqual({ shared: true, checkedAt: now });
    now = new Date(+now + SHARING_TTL_MS - 60_000);
    expect(await channelSharing(deps(), client, INTERNAL)).toEqual({ kind: 'internal' });
    expect(infoCalls(INTERNAL)).toHaveLength(1);
    // Shared since: the next check after the hour sees it.
    double.setChannelSharing(INTERNAL, 'shared');
    now = new Date(+now + 60_000);
    expect(await channelSharing(deps(), client, INTERNAL)).toEqual({ kind: 'shared' });
    expect(infoCalls(INTERNAL)).toHaveLength(2);
  });

  it('counts a pending Slack Connect invitation as shared', async () => {
    double.setChannelSharing(INTERNAL, 'pending');
    expect(await channelSharing(deps(), client, INTERNAL)).toEqual({ kind: 'shared' });
    expect(infoCalls(INTERNAL)[0]!.response).toMatchObject({
      channel: { is_shared: false, is_ext_shared: false, is_pending_ext_shared: true },
    });
  });

  it('never asks about a DM or a person', async () => {
    for (const id of ['D0ACME0001', 'U0CSM00001'])
      expect(await channelSharing(deps(), client, id)).toEqual({ kind: 'internal' });
    expect(double.callsTo('conversations.info')).toHaveLength(0);
  });

  it('when Slack cannot say: unknown (never posted to), logged with the reason, and not remembered', async () => {
    double.failNext('conversations.info', { status: 503 });
    const sharing = await channelSharing(deps(), client, INTERNAL);
    expect(sharing).toMatchObject({ kind: 'unknown', reason: 'http_503' });
    expect(mayPostInternal(sharing)).toBe(false);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 40,
        channel: INTERNAL,
        reason: 'http_503',
        msg: expect.stringContaining('could not tell whether a channel is shared outside the workspace'),
      }),
    );
    expect(await knownSharing(db.orm, INTERNAL)).toBeUndefined();
    expect(await channelSharing(deps(), client, INTERNAL)).toEqual({ kind: 'internal' });
  });

  it('a channel Slack does not know is not_found: a post there fails by itself', async () => {
    const sharing = await channelSharing(deps(), client, 'C0NOSUCHCH');
    expect(sharing).toEqual({ kind: 'not_found' });
    expect(mayPostInternal(sharing)).toBe(true);
  });

  it('an answer older than the one recorded does not undo it (an event beats a slower conversations.info)', async () => {
    const event = new Date(+now + 1_000);
    await recordSharing(db.orm, INTERNAL, true, event);
    await recordSharing(db.orm, INTERNAL, false, now);
    expect(await knownSharing(db.orm, INTERNAL)).toEqual({ shared: true, checkedAt: event });
    await recordSharing(db.orm, INTERNAL, false, new Date(+event + 1));
    expect(await knownSharing(db.orm, INTERNAL)).toMatchObject({ shared: false });
    await forgetSharing(db.orm, INTERNAL);
    expect(await knownSharing(db.orm, INTERNAL)).toBeUndefined();
  });

  it('says at start, as an error, that CS_ALERT_CHANNEL is shared and internal posts there will be refused', async () => {
    const config = (alertChannel: string) => ({ alertChannel }) as Config;
    await checkAlertChannel({ ...deps(), config: config(ALERTS) }, client);
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    await checkAlertChannel({ ...deps(), config: config(SHARED) }, client);
    expect(logged.filter((l) => l.level >= 50)).toEqual([
      expect.objectContaining({
        channel: SHARED,
        msg: 'CS_ALERT_CHANNEL is shared outside the workspace: alerts and digests posted there will be refused. Set CS_ALERT_CHANNEL to an internal channel.',
      }),
    ]);
  });
});

describe('the outbox gate', () => {
  function worker() {
    const started = startOutboxWorker({
      db,
      client,
      logger: pino({ level: 'silent' }),
      clock: systemClock,
      pollMs: 20,
      baseDelayMs: 40,
      leaseMs: 2_000,
    });
    workers.push(started);
    return started;
  }
  const enqueue = (key: string, message: Omit<OutboxMessage, 'dedupeKey'>) =>
    enqueueSlackMessage(db.orm, { dedupeKey: key, ...message });
  const post = (key: string, channel: string, extra: Partial<OutboxMessage> = {}) =>
    enqueue(key, { method: 'chat.postMessage', payload: { channel, text: key }, ...extra });
  const outboxRow = async (id: number) =>
    (
      await rows<{ status: string; channel: string | null; ts: string | null; last_error: string | null }>(
        db.orm,
        sql`select status, channel, ts, last_error from slack_outbox where id = ${id}`,
      )
    )[0];
  const callsIn = (channel: string) =>
    double.calls.filter((c) => c.method.startsWith('chat.') && c.params.channel === channel);

  it('refuses an internal post into a shared channel, with the reason, and posts nothing', async () => {
    const id = (await post('digest:1', SHARED))!;
    await worker().drain();
    expect(await outboxRow(id)).toEqual({
      status: 'failed',
      channel: null,
      ts: null,
      last_error: `refused: ${SHARED} is shared outside the workspace`,
    });
    expect(double.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('posts it to its fallback instead when that one is internal, and records where it went', async () => {
    const id = (await post('alert:1:post', SHARED, { fallbackChannel: ALERTS }))!;
    await worker().drain();
    const [message] = double.messages(ALERTS);
    expect(message?.text).toBe('alert:1:post');
    expect(await outboxRow(id)).toEqual({
      status: 'sent',
      channel: ALERTS,
      ts: message!.ts,
      last_error: null,
    });
    expect(callsIn(SHARED)).toHaveLength(0);
    // What follows it finds it where it is.
    await enqueue('alert:1:update', {
      method: 'chat.update',
      payload: { channel: ALERTS, ts: message!.ts, text: 'acknowledged' },
    });
    await worker().drain();
    expect(double.message(ALERTS, message!.ts)?.text).toBe('acknowledged');
  });

  it('refuses a reply and an update in a shared channel, fallback or not: they belong to their message', async () => {
    const reply = (await post('alert:2:reply', SHARED, { fallbackChannel: ALERTS }))!;
    await db.orm.execute(
      sql`update slack_outbox set payload = payload || '{"thread_ts": "1893924000.000100"}'::jsonb
          where id = ${reply}`,
    );
    const update = (await enqueue('alert:2:update', {
      method: 'chat.update',
      payload: { channel: SHARED, ts: '1893924000.000100', text: 'resolved' },
      fallbackChannel: ALERTS,
    }))!;
    await worker().drain();
    for (const id of [reply, update])
      expect(await outboxRow(id)).toMatchObject({
        status: 'failed',
        last_error: `refused: ${SHARED} is shared outside the workspace`,
      });
    expect(double.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('refuses when the fallback is shared too', async () => {
    const id = (await post('alert:3:post', SHARED, { fallbackChannel: OTHER_SHARED }))!;
    await worker().drain();
    expect((await outboxRow(id))?.last_error).toBe(
      `refused: ${SHARED} is shared outside the workspace (fallback: ${OTHER_SHARED} is shared outside the workspace)`,
    );
    expect(double.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('posts a customer’s message (a survey) and its update into a shared channel', async () => {
    const id = (await post('survey:1:post', SHARED, { audience: 'customer' }))!;
    await worker().drain();
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: 'sent', channel: SHARED });
    await enqueue('survey:1:expired', {
      method: 'chat.update',
      payload: { channel: SHARED, ts: row!.ts, text: 'closed' },
      audience: 'customer',
    });
    await worker().drain();
    expect(double.message(SHARED, row!.ts!)?.text).toBe('closed');
    // A survey never needs to ask.
    expect(double.callsTo('conversations.info')).toHaveLength(0);
  });

  it('stops posting into a channel at once when it is recorded shared (as the channel_shared event does)', async () => {
    const first = (await post('digest:2', INTERNAL))!;
    const w = worker();
    await w.drain();
    expect(await outboxRow(first)).toMatchObject({ status: 'sent', channel: INTERNAL });
    await recordSharing(db.orm, INTERNAL, true, new Date());
    const second = (await post('digest:3', INTERNAL))!;
    await w.drain();
    expect(await outboxRow(second)).toMatchObject({ status: 'failed' });
    expect(double.messages(INTERNAL)).toHaveLength(1);
    expect(infoCalls(INTERNAL)).toHaveLength(1);
  });

  it('when Slack cannot say: retried with nothing posted meanwhile, refused when it never will say', async () => {
    double.failNext('conversations.info', { status: 503 });
    const healed = (await post('digest:4', DIGEST))!;
    await worker().drain();
    expect(await outboxRow(healed)).toMatchObject({ status: 'sent', channel: DIGEST });
    const checks = infoCalls(DIGEST);
    expect(checks.map((c) => c.status)).toEqual([503, 200]);
    const [posted] = double.callsTo('chat.postMessage');
    expect(posted!.at).toBeGreaterThanOrEqual(checks[1]!.at);

    double.failNext('conversations.info', { error: 'missing_scope' });
    const never = (await post('digest:5', INTERNAL))!;
    await worker().drain();
    expect(await outboxRow(never)).toMatchObject({
      status: 'failed',
      last_error: `refused: could not tell whether ${INTERNAL} is shared outside the workspace (missing_scope)`,
    });
    expect(callsIn(INTERNAL)).toHaveLength(0);
  });
});
