import { sql } from 'drizzle-orm';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import type { ChannelPacing } from '../../src/domain/channel-pacing.ts';
import { createOutboxClient, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import {
  claimDueMessages,
  enqueueSlackMessage,
  holdChannel,
  nextPacedPostIn,
} from '../../src/store/outbox.ts';
import { outboxBed } from '../helpers/outbox-bed.ts';
import { type RecordedCall, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const [A, B, C] = ['C0CSALERTS', 'C0ACMEINTL', 'C0GLOBEXIN'];
/** Slack's limit scaled up five times so a test takes seconds: 5 posts per second per channel. */
const PACING: ChannelPacing = { perSecond: 5, burst: 1, cushionMs: 100 };

const bed = outboxBed();

function worker(batchSize = 10, registry?: Registry, db: Database = bed.db) {
  const started = startOutboxWorker({
    metrics: registry && { registry },
    db,
    client: createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: bed.slackUrl }),
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    pollMs: 20,
    leaseMs: 10_000,
    batchSize,
    pacing: PACING,
  });
  bed.workers.push(started);
  return started;
}

/** Enqueues `count` posts to each channel, channel after channel (the first channel's backlog first). */
async function enqueue(perChannel: Array<[string, number]>) {
  await bed.db.orm.transaction(async (tx) => {
    for (const [channel, count] of perChannel)
      for (let i = 0; i < count; i++)
        await enqueueSlackMessage(tx, {
          dedupeKey: `${channel}:${i}`,
          method: 'chat.postMessage',
          payload: { channel, text: `${channel} ${i}` },
        });
  });
}

const posts = (channel?: string) =>
  bed.double.callsTo('chat.postMessage').filter((c) => channel === undefined || c.params.channel === channel);
const accepted = (calls: RecordedCall[]) => calls.filter((c) => c.status === 200);

/** Every row sent once: one message per outbox id in the bed.double, with the row's ts. */
async function expectEachDeliveredOnce(channels: string[]) {
  const stored = await rows<{ id: number; status: string; ts: string | null }>(
    bed.db.orm,
    sql`select id::int as id, status, ts from slack_outbox order by id`,
  );
  const byId = new Map<number, string[]>();
  for (const channel of channels)
    for (const message of bed.double.messages(channel)) {
      const id = Number(
        (message.metadata as { event_payload: { outbox_id: number } }).event_payload.outbox_id,
      );
      byId.set(id, [...(byId.get(id) ?? []), message.ts]);
    }
  for (const row of stored) {
    expect(row.status).toBe('sent');
    expect(byId.get(row.id)).toEqual([row.ts]);
  }
}

const claimChannels = async (claim: Partial<Parameters<typeof claimDueMessages>[1]> = {}) =>
  (
    await bed.db.orm.transaction((tx) =>
      claimDueMessages(tx, {
        now: new Date(Date.now() + 1_000),
        leaseMs: 60_000,
        limit: 10,
        pacing: PACING,
        ...claim,
      }),
    )
  ).map((m) => m.payload.channel);

describe('claiming is fair across channels, within each channel’s shared budget', () => {
  it('takes the first row of every channel before the second of any', async () => {
    await enqueue([
      [A, 6],
      [B, 2],
      [C, 1],
    ]);
    expect(await claimChannels({ limit: 4 })).toEqual([A, A, B, C]);
    // Slack has rate-limited nothing yet: nothing is paced, a channel's backlog goes as fast as claims go.
    expect(await claimChannels({ limit: 4 })).toEqual([A, A, A, B]);
  });

  it('once Slack has rate-limited a post, takes only what each budget allows, none of a held channel', async () => {
    await enqueue([
      [A, 6],
      [B, 2],
      [C, 1],
    ]);
    await holdChannel(bed.db.orm, A, 5_000);
    // One post a second: the machine may be slow between two claims, never that slow.
    const slow = { pacing: { perSecond: 1, burst: 1, cushionMs: 0 } };
    // A is held; B and C may start one post each (a burst of 1), whatever the limit.
    expect(await claimChannels(slow)).toEqual([B, C]);
    // Their budgets are spent: B's second post waits for its next second, A for its hold.
    expect(await claimChannels(slow)).toEqual([]);
    const wait = await nextPacedPostIn(bed.db.orm, new Date(Date.now() + 1_000));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_000);
    await expect.poll(() => claimChannels(slow), { interval: 50, timeout: 5_000 }).toEqual([B]);
    // A burst of two lets an idle channel start two posts at once, and no more.
    await enqueue([['C0INITECHI', 3]]);
    expect(await claimChannels({ pacing: { ...PACING, burst: 2 } })).toEqual(['C0INITECHI', 'C0INITECHI']);
  });
});

describe('two workers on one database share each channel’s budget', () => {
  it('keep each channel to the pacing rate between them, and send each message once', async () => {
    bed.double.rateLimit('chat.postMessage', { perChannelPerSecond: 5, burst: 2 });
    // Slack rate-limits one post first, so pacing has begun for every worker on the database.
    await enqueue([['C0CSDIGEST', 1]]);
    bed.double.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await worker().drain(20_000);
    const warmup = posts().length;
    await enqueue([
      [A, 8],
      [B, 8],
      [C, 8],
    ]);
    // On the server the second worker has its own connections, so the two claim concurrently.
    const second = bed.url ? await openDatabase({ url: bed.url, poolSize: 2 }) : bed.db;
    if (bed.url) bed.cleanups.push(() => second.close());
    const [one, two] = [worker(10), worker(10, undefined, second)];
    await Promise.all([one.drain(30_000), two.drain(30_000)]);

    await expectEachDeliveredOnce([A, B, C, 'C0CSDIGEST']);
    const paced = posts().slice(warmup);
    // Budgets are spent when rows are claimed, not when Slack receives them: on embedded PGlite the
    // database and the HTTP client share one thread, so a long statement can release two claimed posts
    // of a channel together. The 429 that may follow holds that channel for both workers: at most one
    // per channel, never a second message.
    const limited = paced.filter((c) => c.status === 429).map((c) => c.params.channel);
    expect(new Set(limited).size).toBe(limited.length);
    if (bed.db.kind === 'postgres') expect(limited).toEqual([]);
    for (const channel of [A, B, C]) {
      const times = accepted(paced)
        .filter((c) => c.params.channel === channel)
        .map((c) => c.at)
        .sort((x, y) => x - y);
      expect(times).toHaveLength(8);
      // One post per 200 ms between both workers: never three within one interval (the double's burst
      // of two absorbs what a loaded machine blurs of each arrival)…
      for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThanOrEqual(200);
      // …so eight posts span seven intervals: each worker pacing on its own would take half that.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(1_200);
    }
  }, 40_000);
});

describe('the outbox paces chat.postMessage per channel', () => {
  it('against a rate-limited double: every message once, few 429s, never more than the rate per channel', async () => {
    bed.double.rateLimit('chat.postMessage', { perChannelPerSecond: 5, burst: 2 });
    await enqueue([
      [A, 8],
      [B, 8],
      [C, 8],
    ]);
    const started = Date.now();
    await worker().drain(20_000);

    await expectEachDeliveredOnce([A, B, C]);
    const limited = posts().filter((c) => c.status === 429);
    // Only the first round, sent before Slack had shown its limit, meets it: 10 rows, 2 accepted per channel.
    expect(limited.length).toBeLessThanOrEqual(4);
    // After that first round (answered in any order), the worker paces.
    const afterFirstRound = posts().slice(10);
    for (const channel of [A, B, C]) {
      const paced = accepted(afterFirstRound).filter((c) => c.params.channel === channel);
      expect(paced.length).toBeGreaterThanOrEqual(5);
      // One in flight per channel at a time, one token per 200 ms (less what a loaded machine blurs).
      for (let i = 1; i < paced.length; i++)
        expect(paced[i]!.at - paced[i - 1]!.at).toBeGreaterThanOrEqual(100);
    }
    // 8 per channel at 5/s: the last goes out after about 1.5 s, not after a backoff's worth.
    expect(Date.now() - started).toBeLessThan(6_000);
  }, 30_000);

  it('holds back a channel after its 429, not the queue: other channels keep flowing meanwhile', async () => {
    await enqueue([
      [A, 5],
      [B, 5],
    ]);
    bed.double.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    // One row per round: the first claim is A's first row, which meets the 429.
    await worker(1).drain(20_000);

    await expectEachDeliveredOnce([A, B]);
    const [limited, ...rest] = posts();
    expect(limited).toMatchObject({ status: 429, params: { channel: A } });
    expect(rest.every((c) => c.status === 200)).toBe(true);
    const fromA = accepted(posts(A));
    const fromB = accepted(posts(B));
    // B went out while A was held, paced; A resumed only after Retry-After (+ the cushion).
    expect(Math.max(...fromB.map((c) => c.at))).toBeLessThan(fromA[0]!.at);
    expect(Math.max(...fromB.map((c) => c.at)) - limited!.at).toBeLessThan(2_000);
    expect(fromA[0]!.at - limited!.at).toBeGreaterThanOrEqual(2_000);
    expect(fromA).toHaveLength(5);
  }, 30_000);
});

describe('the outbox backlog in /metrics', () => {
  it('counts the rows waiting and being sent, read at each scrape', async () => {
    const registry = new Registry();
    await worker(10, registry).stop();
    const backlog = async () =>
      Object.fromEntries(
        ((await registry.getSingleMetric('pulse_outbox_messages')?.get())?.values ?? []).map((v) => [
          v.labels.status,
          v.value,
        ]),
      );
    expect(await backlog()).toEqual({ pending: 0, sending: 0 });
    await enqueue([[A, 3]]);
    await bed.db.orm.execute(sql`update slack_outbox set status = 'sending', claims = 1,
      sending_since = now(), unconfirmed_since = now() where id = 1`);
    expect(await backlog()).toEqual({ pending: 2, sending: 1 });
  });
});
