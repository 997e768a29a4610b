import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { enqueueSlackMessage } from '../../src/store/outbox.ts';
import { seedDataDir } from '../helpers/database.ts';
import { type PulseProcess, startPulseProcess } from '../helpers/pulse-process.ts';
import { startSurroundings } from '../helpers/pulse-with-slack.ts';
import type { SlackMessage } from '../helpers/slack.ts';

const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';
const ROWS = 150;
/** Slack answers every post slowly: a round of 10 takes 400 ms, so the queue outlasts the SIGTERM. */
const POST_DELAY_MS = 400;
const STOP_LIMIT_MS = 10_000;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Outcome = 'answered' | 'refused' | 'reset' | `broken: ${string}`;

/** What a request that met the stop got: an answer, a clean refusal, or something broken. */
async function outcomeOf(request: () => Promise<{ status: number; ack: unknown }>): Promise<Outcome> {
  try {
    const { status, ack } = await request();
    if (status === 200 && JSON.stringify(ack ?? '').includes('Acme Corp')) return 'answered';
    if (status === 503) return 'refused';
    return `broken: ${status} ${JSON.stringify(ack)}`;
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    // Nobody listens any more: the client knows at once that nothing was done.
    if (code === 'ECONNREFUSED') return 'refused';
    // See the test's comment: a connection reset when the process exits.
    if (code === 'ECONNRESET') return 'reset';
    return `broken: ${code ?? (error as Error).message}`;
  }
}

const outboxId = (m: SlackMessage) =>
  (m.metadata as { event_payload?: { outbox_id?: number } } | undefined)?.event_payload?.outbox_id;

it('SIGTERM under load: exits within 10 s, answers or refuses every request, loses no message and no schedule claim', async () => {
  const surroundings = await startSurroundings();
  const double = surroundings.double;
  // PGlite: a directory of its own that outlives the first process, for the second one and the checks.
  const dataDir = surroundings.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'pulse-stop-'));
  if (dataDir) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  if (dataDir) await seedDataDir(dataDir);
  const open = async (): Promise<{ db: Database; done: () => Promise<void> }> => {
    const db = await openDatabase(dataDir ? { dataDir } : { url: surroundings.env.DATABASE_URL });
    await migrate(db);
    return { db, done: () => db.close() };
  };

  let { db, done } = await open();
  await db.orm.transaction(async (tx) => {
    for (let i = 1; i <= ROWS; i++)
      await enqueueSlackMessage(tx, {
        dedupeKey: `stop:${i}`,
        method: 'chat.postMessage',
        payload: { channel: CHANNEL, text: `message ${i}` },
      });
  });
  await done();
  double.failNext('chat.postMessage', ...Array.from({ length: ROWS }, () => ({ delayMs: POST_DELAY_MS })));

  const env = {
    ...surroundings.env,
    ...(dataDir && { PULSE_DATA_DIR: dataDir }),
    CS_ALERT_CHANNEL: CHANNEL,
    CS_TEAM: CSM,
    // Schedules running every second: one is likely in flight when the signal comes.
    DIGEST_CRON: '* * * * * *',
  };
  const first: PulseProcess = await startPulseProcess(env).catch(surroundings.abandon);
  const app = surroundings.connect(first.url, () => first.stop());
  cleanups.push(() => app.close());
  await app.ingest('accounts', [{ key: 'acme', name: 'Acme Corp', tier: 'high_touch', owner_slack_id: CSM }]);
  await double.waitFor((d) => d.messages(CHANNEL).length >= 20, 30_000);

  // Commands keep coming, every 25 ms, from before the signal until well after the process is gone.
  const command = () => app.sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'health acme');
  const requests: Array<Promise<Outcome>> = [];
  let sending = true;
  const load = (async () => {
    while (sending) {
      requests.push(outcomeOf(command));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const signalled = performance.now();
  const exitCode = await first.stop();
  const stopMs = Math.round(performance.now() - signalled);
  await new Promise((resolve) => setTimeout(resolve, 200));
  sending = false;
  await load;
  const outcomes = await Promise.all(requests);

  expect(exitCode).toBe(0);
  expect(stopMs).toBeLessThan(STOP_LIMIT_MS);
  expect(outcomes.filter((o) => o.startsWith('broken'))).toEqual([]);
  expect(outcomes).toContain('answered');
  expect(outcomes).toContain('refused');
  // Known and left open (docs/operations.md, "Stopping"): with the CPU saturated, a request still in the
  // listening socket's queue when it closes is reset, never having reached Pulse's HTTP server. On
  // PGlite that can be many of the last second's; on the server it stays rare (none on a quiet machine,
  // one of about sixty seen on a machine at load 15).
  const resets = outcomes.filter((o) => o === 'reset').length;
  if (surroundings.env.DATABASE_URL) expect(resets).toBeLessThanOrEqual(Math.ceil(outcomes.length * 0.05));
  const stopLine = first.logs.find((l) => l.msg === 'stopped');
  expect(stopLine).toMatchObject({ signal: 'SIGTERM' });

  ({ db, done } = await open());
  const byStatus = async () =>
    rows<{ id: number; status: string; ts: string | null }>(
      db.orm,
      sql`select id::int as id, status, ts from slack_outbox where dedupe_key like 'stop:%' order by id`,
    );
  const afterStop = await byStatus();
  expect(afterStop.filter((r) => r.status === 'sending')).toEqual([]);
  const sent = afterStop.filter((r) => r.status === 'sent');
  expect(sent.length).toBeGreaterThanOrEqual(20);
  expect(afterStop.filter((r) => r.status === 'pending').length).toBeGreaterThan(0);
  const unfinished = await rows<{ schedule: string }>(
    db.orm,
    sql`select schedule from schedule_runs where finished_at is null`,
  );
  expect(unfinished).toEqual([]);
  await done();

  // The next process delivers what is left, each message once.
  const second = await startPulseProcess(env);
  cleanups.push(() => second.stop());
  await double.waitFor(
    (d) => d.messages(CHANNEL).filter((m) => String(m.text).startsWith('message ')).length >= ROWS,
    60_000,
  );
  expect(await second.stop()).toBe(0);
  ({ db, done } = await open());
  const final = await byStatus();
  await done();
  expect(final.every((r) => r.status === 'sent')).toBe(true);
  const posts = double.messages(CHANNEL).filter((m) => String(m.text).startsWith('message '));
  expect(posts).toHaveLength(ROWS);
  expect(new Set(posts.map(outboxId)).size).toBe(ROWS);
  for (const row of final) expect(posts.find((m) => outboxId(m) === row.id)?.ts).toBe(row.ts);
  console.info(
    `graceful stop under load: ${stopMs} ms; ${outcomes.length} commands: ` +
      `${outcomes.filter((o) => o === 'answered').length} answered, ` +
      `${outcomes.filter((o) => o === 'refused').length} refused, ${resets} reset`,
  );
}, 120_000);
