import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { createOutboxClient, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { enqueueSlackMessage } from '../../src/store/outbox.ts';
import { freshDatabase, seedDataDir } from '../helpers/database.ts';
import { startOutboxWorkerProcess } from '../helpers/outbox-worker-process.ts';
import { startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const CHANNEL = 'C0CSALERTS';
const ROWS = 60;
const BATCH = 5;
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A server database the test and the child share, or a PGlite directory they open in turn. */
async function database(): Promise<{ location: string; open(): Promise<Database> }> {
  if (process.env.TEST_DATABASE_URL) {
    const fresh = await freshDatabase();
    cleanups.push(fresh.drop);
    return { location: fresh.url!, open: async () => fresh.db };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pulse-outbox-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  await seedDataDir(dir);
  return {
    location: dir,
    open: () => openDatabase({ dataDir: dir }),
  };
}

it('a worker killed with SIGKILL mid-delivery, then a new one: every message delivered exactly once', async () => {
  const slack = await startSlackDouble();
  cleanups.push(slack.close);
  const double = slack.double;
  const store = await database();

  let db = await store.open();
  await db.orm.transaction(async (tx) => {
    for (let i = 1; i <= ROWS; i++)
      await enqueueSlackMessage(tx, {
        dedupeKey: `alert:${i}`,
        method: 'chat.postMessage',
        payload: { channel: CHANNEL, text: `alert ${i}` },
      });
  });
  if (!process.env.TEST_DATABASE_URL) await db.close();

  // The 25th post is slow: when the 24th message shows up, it is in flight, and Slack accepts it after
  // the worker is gone: "posted but ts not stored".
  double.failNext(
    'chat.postMessage',
    ...Array.from({ length: ROWS }, (_, i) => ({ delayMs: i === 24 ? 1_500 : 10 })),
  );
  const worker = await startOutboxWorkerProcess({
    database: store.location,
    slackApiUrl: slack.url,
    token: TEST_BOT_TOKEN,
    batchSize: BATCH,
  });
  await double.waitFor((d) => d.messages(CHANNEL).length >= 24, 30_000);
  worker.child.kill('SIGKILL');
  expect(await worker.exited).toBe('SIGKILL');
  await double.waitFor((d) => d.messages(CHANNEL).length === 25, 5_000);

  if (!process.env.TEST_DATABASE_URL) db = await store.open();
  const byStatus = async () =>
    rows<{ id: number; status: string; ts: string | null }>(
      db.orm,
      sql`select id::int as id, status, ts from slack_outbox order by id`,
    );
  const afterCrash = await byStatus();
  const stranded = afterCrash.filter((r) => r.status === 'sending');
  const postedIds = new Set(
    double
      .messages(CHANNEL)
      .map((m) => (m.metadata as { event_payload: { outbox_id: number } }).event_payload.outbox_id),
  );
  expect(stranded.map((r) => r.id)).toContain(25);
  for (const row of stranded) {
    expect(row.ts).toBeNull();
    expect(postedIds.has(row.id)).toBe(true);
  }
  expect(afterCrash.filter((r) => r.status === 'pending')).toHaveLength(ROWS - 25);

  const restarted = startOutboxWorker({
    db,
    client: createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url }),
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    pollMs: 20,
    leaseMs: 1_000,
  });
  await restarted.drain(30_000);
  await restarted.stop();

  const messages = double.messages(CHANNEL);
  const tsById = new Map<number, string[]>();
  for (const m of messages) {
    const id = (m.metadata as { event_payload: { outbox_id: number } }).event_payload.outbox_id;
    tsById.set(id, [...(tsById.get(id) ?? []), m.ts]);
  }
  const final = await byStatus();
  expect(final.every((r) => r.status === 'sent')).toBe(true);
  expect(messages).toHaveLength(ROWS);
  for (const row of final) expect(tsById.get(row.id)).toEqual([row.ts]);
  expect(double.callsTo('chat.postMessage')).toHaveLength(ROWS);
  expect(double.callsTo('conversations.history').length).toBe(stranded.length);
  if (!process.env.TEST_DATABASE_URL) await db.close();
}, 90_000);
