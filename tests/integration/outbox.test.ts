import { sql } from 'drizzle-orm';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { createOutboxClient, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { enqueueSlackMessage } from '../../src/store/outbox.ts';
import { outboxBed } from '../helpers/outbox-bed.ts';
import { TEST_BOT_TOKEN } from '../helpers/slack.ts';
import { waitUntil } from '../helpers/wait.ts';

const CHANNEL = 'C0CSALERTS';
const logger = pino({ level: 'silent' });

const bed = outboxBed();

function worker(options: { on?: Database; registry?: Registry; maxAttempts?: number; pollMs?: number } = {}) {
  const started = startOutboxWorker({
    db: options.on ?? bed.db,
    client: createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: bed.slackUrl }),
    logger,
    clock: systemClock,
    metrics: options.registry && { registry: options.registry },
    pollMs: options.pollMs ?? 20,
    baseDelayMs: 40,
    leaseMs: 2_000,
    maxAttempts: options.maxAttempts,
  });
  bed.workers.push(started);
  return started;
}

const post = (key: string, text: string, channel = CHANNEL) =>
  enqueueSlackMessage(bed.db.orm, {
    dedupeKey: key,
    method: 'chat.postMessage',
    payload: { channel, text },
  });

type Row = {
  id: number;
  status: string;
  ts: string | null;
  channel: string | null;
  last_error: string | null;
  attempts: number;
};
const outboxRows = () =>
  rows<Row>(
    bed.db.orm,
    sql`select id::int as id, status, ts, channel, last_error, attempts from slack_outbox order by id`,
  );

/** The messages in a channel carrying each outbox id, by id. */
function messagesByOutboxId(channel = CHANNEL): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const message of bed.double.messages(channel)) {
    const metadata = message.metadata as
      | { event_type?: string; event_payload?: { outbox_id?: number } }
      | undefined;
    if (metadata?.event_type !== 'pulse_outbox') continue;
    const id = Number(metadata.event_payload?.outbox_id);
    found.set(id, [...(found.get(id) ?? []), message.ts]);
  }
  return found;
}

const metricValue = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  const match = metric.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
};

describe('outbox delivery', () => {
  it('posts a message once and stores its channel and ts; the same dedupe key twice posts once', async () => {
    const id = await bed.db.orm.transaction((tx) =>
      enqueueSlackMessage(tx, {
        dedupeKey: 'alert:1',
        method: 'chat.postMessage',
        payload: { channel: CHANNEL, text: 'Acme turned red' },
      }),
    );
    expect(id).toBeTypeOf('number');
    expect(await post('alert:1', 'Acme turned red, again')).toBeUndefined();

    const registry = new Registry();
    await worker({ registry }).drain();

    const posted = bed.double.callsTo('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.params.text).toBe('Acme turned red');
    const [row] = await outboxRows();
    const message = bed.double.messages(CHANNEL).at(-1)!;
    expect(row).toMatchObject({ id, status: 'sent', channel: CHANNEL, ts: message.ts, last_error: null });
    expect(message.metadata).toEqual({ event_type: 'pulse_outbox', event_payload: { outbox_id: id } });
    expect(await metricValue(registry, 'pulse_outbox_delivered_total', { method: 'chat.postMessage' })).toBe(
      1,
    );
  });

  it('sends a row as it commits, without waiting for its next poll', async () => {
    await post('first', 'before the worker started');
    worker({ pollMs: 60_000 });
    await bed.double.waitFor(() => bed.double.callsTo('chat.postMessage').length === 1, 10_000);
    // The worker now sleeps until its next poll, a minute away: only the row's notification wakes it.
    await post('second', 'while it sleeps');
    const second = await bed.double.waitFor(
      () => bed.double.messages(CHANNEL).find((m) => m.text === 'while it sleeps'),
      5_000,
    );
    expect(second).toBeDefined();
    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a rolled-back decision leaves no message behind', async () => {
    await expect(
      bed.db.orm.transaction(async (tx) => {
        await enqueueSlackMessage(tx, {
          dedupeKey: 'alert:rolled-back',
          method: 'chat.postMessage',
          payload: { channel: CHANNEL, text: 'never' },
        });
        throw new Error('decision failed');
      }),
    ).rejects.toThrow('decision failed');
    expect(await outboxRows()).toEqual([]);
  });

  it('retries 500 three times, then waits out a 429 Retry-After, and delivers exactly one message', async () => {
    bed.double.failNext(
      'chat.postMessage',
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 429, retryAfter: 1 },
    );
    const id = (await post('alert:2', 'Initech payment failed'))!;
    const registry = new Registry();
    await worker({ registry }).drain();

    const posted = bed.double.callsTo('chat.postMessage');
    expect(posted.map((c) => c.status)).toEqual([500, 500, 500, 429, 200]);
    expect(posted[4]!.at - posted[3]!.at).toBeGreaterThanOrEqual(1_000);
    expect(messagesByOutboxId().get(id)).toHaveLength(1);
    // After each 5xx Slack may have posted anyway: the next attempt looks before posting again.
    expect(bed.double.callsTo('conversations.history')).toHaveLength(3);
    expect(await outboxRows()).toMatchObject([{ id, status: 'sent', attempts: 3 }]);
    expect(await metricValue(registry, 'pulse_outbox_retried_total', { reason: 'http_500' })).toBe(3);
    expect(await metricValue(registry, 'pulse_outbox_retried_total', { reason: 'ratelimited' })).toBe(1);
  });

  it('fails channel_not_found and not_in_channel at once, with the reason, after one call', async () => {
    await post('alert:3', 'to nowhere', 'C0NOSUCHCH');
    const first = worker();
    await first.drain();
    // Stopped, so the next row is surely delivered by the worker whose metrics are read below.
    await first.stop();
    bed.double.failNext('chat.postMessage', { error: 'not_in_channel' });
    await post('alert:4', 'bot not invited');
    const registry = new Registry();
    await worker({ registry }).drain();

    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(2);
    expect(await outboxRows()).toMatchObject([
      { status: 'failed', last_error: 'channel_not_found', ts: null, attempts: 1 },
      { status: 'failed', last_error: 'not_in_channel', ts: null, attempts: 1 },
    ]);
    expect(await metricValue(registry, 'pulse_outbox_failed_total', { reason: 'not_in_channel' })).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    bed.double.failNext('chat.postMessage', { status: 503 }, { status: 503 }, { status: 503 });
    await post('alert:5', 'Slack is down');
    await worker({ maxAttempts: 3 }).drain();
    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(3);
    expect(await outboxRows()).toMatchObject([
      { status: 'failed', last_error: 'http_503 (after 3 attempts)' },
    ]);
  });
});

describe('outbox recovery after a crash', () => {
  /** What a worker killed mid-call leaves: a row claimed (`sending`) long ago, with no answer recorded. */
  const strand = (id: number, since: Date) =>
    bed.db.orm.execute(
      sql`update slack_outbox set status = 'sending', claims = 1, sending_since = ${since.toISOString()}::timestamptz,
            unconfirmed_since = ${since.toISOString()}::timestamptz where id = ${id}`,
    );

  it('adopts the ts of a message Slack accepted before the crash instead of posting again', async () => {
    const id = (await post('alert:6', 'posted, ts lost'))!;
    const crashedAt = new Date(Date.now() - 10_000);
    const accepted = await createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: bed.slackUrl }).chat.postMessage(
      {
        channel: CHANNEL,
        text: 'posted, ts lost',
        metadata: { event_type: 'pulse_outbox', event_payload: { outbox_id: id } },
      },
    );
    await strand(id, crashedAt);
    bed.double.calls.length = 0;
    const registry = new Registry();
    await worker({ registry }).drain();

    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(0);
    expect(bed.double.callsTo('conversations.history')).toHaveLength(1);
    expect(await outboxRows()).toMatchObject([{ id, status: 'sent', ts: accepted.ts, channel: CHANNEL }]);
    expect(messagesByOutboxId().get(id)).toEqual([accepted.ts]);
    expect(await metricValue(registry, 'pulse_outbox_recovered_total')).toBe(1);
  });

  it('posts a stranded message that never reached Slack, once', async () => {
    const id = (await post('alert:7', 'claimed, never posted'))!;
    await strand(id, new Date(Date.now() - 10_000));
    await worker().drain();
    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(1);
    const [row] = await outboxRows();
    expect(messagesByOutboxId().get(id)).toEqual([row!.ts]);
  });

  it('leaves a row another worker is still sending (within its lease) alone', async () => {
    const id = (await post('alert:8', 'in flight elsewhere'))!;
    await strand(id, new Date());
    // Each round claims in one transaction: count them, and look once the worker has been round three times.
    let rounds = 0;
    const counted: Database = {
      ...bed.db,
      orm: new Proxy(bed.db.orm, {
        get: (target, property, receiver) =>
          property === 'transaction'
            ? (...args: Parameters<Database['orm']['transaction']>) =>
                target.transaction(...args).finally(() => rounds++)
            : Reflect.get(target, property, receiver),
      }),
    };
    const started = worker({ on: counted });
    await waitUntil('three rounds of the worker', () => rounds >= 3, { intervalMs: 10 });
    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(0);
    await started.drain();
    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two workers on one database', () => {
  // PGlite is one process's embedded database: a second connection to it cannot exist, so this runs
  // on the PostgreSQL server (TEST_DATABASE_URL) only.
  it('deliver 200 rows, each exactly once', async () => {
    const channels = ['C0CSALERTS', 'C0CSDIGEST', 'C0ACMEINTL', 'C0GLOBEXIN', 'C0INITECHI'];
    const messages = Array.from({ length: 200 }, (_, i) => ({
      key: `digest:${i}`,
      channel: channels[i % channels.length]!,
    }));
    await bed.db.orm.transaction(async (tx) => {
      for (const m of messages)
        await enqueueSlackMessage(tx, {
          dedupeKey: m.key,
          method: 'chat.postMessage',
          payload: { channel: m.channel, text: m.key },
        });
    });
    const second = await openDatabase({ url: bed.url! });
    bed.cleanups.push(() => second.close());
    const a = worker();
    const b = worker({ on: second });
    await Promise.all([a.drain(), b.drain()]);

    expect(bed.double.callsTo('chat.postMessage')).toHaveLength(200);
    const delivered = new Map<number, string[]>();
    for (const channel of channels) for (const [id, ts] of messagesByOutboxId(channel)) delivered.set(id, ts);
    const stored = await outboxRows();
    expect(stored.filter((r) => r.status === 'sent')).toHaveLength(200);
    for (const row of stored) expect(delivered.get(row.id)).toEqual([row.ts]);
    // No row was ever claimed twice: SKIP LOCKED kept the bed.workers apart.
    const claims = await rows<{ max: number }>(
      bed.db.orm,
      sql`select max(claims)::int as max from slack_outbox`,
    );
    expect(claims[0]!.max).toBe(1);
  });
});
