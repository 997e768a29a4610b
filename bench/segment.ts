import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { registerSegmentRoutes } from '../src/connectors/segment/routes.ts';
import type { Database } from '../src/db/client.ts';
import type { Deps } from '../src/deps.ts';
import { createHttpServer } from '../src/http/server.ts';
import { createMetrics } from '../src/metrics.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { createBenchDatabase, createPgliteDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';

/**
 * Segment events per second through `POST /v1/batch` over real HTTP, as `@segment/analytics-node` sends
 * them (its message shape, batches packed up to its 480 KB), from 10,000 users of 500 accounts: mostly
 * today's events, some up to two days late, a tenth of them logins or counted events. Four batches in
 * flight, health recomputed in the background as in production. The bodies are built before the clock
 * starts: the figure is the server's.
 */
const ACCOUNTS = 500;
const USERS_PER_ACCOUNT = 20;
const EVENTS = 200_000;
const IN_FLIGHT = 4;
const BATCH_BYTES = 480 * 1024;
const WRITE_KEY = 'bench-segment-write-key-0123';
const DAY = 86_400_000;
const EVENT_NAMES = ['Viewed Dashboard', 'Signed In', 'Report Exported', 'Searched', 'Viewed Dashboard'];

export interface SegmentBenchResult {
  backend: Database['kind'];
  events: number;
  batches: number;
  eventsPerSecond: number;
  /**
   * Events per second of CPU this process used (Pulse's server and the sending client, not the
   * database): what the machine's load does not change, unlike events/s.
   */
  eventsPerCpuSecond: number;
  batchMs: { p50: number; p99: number };
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** The message analytics-node builds for a track call. */
const trackCall = (userId: string, event: string, timestamp: Date) => ({
  type: 'track',
  event,
  userId,
  properties: { plan: 'growth', source: 'web' },
  timestamp: timestamp.toISOString(),
  context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
  integrations: {},
  messageId: `node-next-${Date.now()}-${randomUUID()}`,
  _metadata: { nodeVersion: process.versions.node, jsRuntime: 'node' },
});

/** Messages packed into bodies the way the client packs them: up to 480 KB each. */
function pack(messages: object[]): string[] {
  const bodies: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const message of messages) {
    const json = JSON.stringify(message);
    if (size + json.length > BATCH_BYTES && current.length) {
      bodies.push(`{"batch":[${current.join(',')}],"sentAt":"${new Date().toISOString()}"}`);
      current = [];
      size = 0;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length) bodies.push(`{"batch":[${current.join(',')}],"sentAt":"${new Date().toISOString()}"}`);
  return bodies;
}

async function run(db: Database): Promise<SegmentBenchResult> {
  const config = loadConfig({ SEGMENT_WRITE_KEY: WRITE_KEY, SEGMENT_METRIC_EVENTS: 'Report Exported' });
  const logger = pino({ level: 'warn' });
  const metrics = createMetrics();
  const health = createHealthRecomputer({ db, clock: systemClock, logger, metrics, config });
  const deps: Deps = { config, db, clock: systemClock, logger, metrics, health };
  const app = createHttpServer(logger, metrics);
  registerSegmentRoutes(app, deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/batch`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const send = async (body: string) => {
    const response = await fetch(url, { method: 'POST', headers, body });
    const reply = (await response.json()) as { refused?: unknown[] };
    if (response.status !== 200 || reply.refused) {
      throw new Error(`batch refused: ${response.status} ${JSON.stringify(reply).slice(0, 300)}`);
    }
  };
  try {
    const users = Array.from({ length: ACCOUNTS * USERS_PER_ACCOUNT }, (_, i) => ({
      userId: `user-${i}`,
      account: `acct-${Math.floor(i / USERS_PER_ACCOUNT)}`,
    }));
    for (const body of pack(
      users.map((u) => ({
        type: 'group',
        userId: u.userId,
        groupId: u.account,
        traits: { name: `Account ${u.account}` },
        messageId: randomUUID(),
      })),
    ))
      await send(body);
    await health.idle();

    const now = Date.now();
    const bodies = pack(
      Array.from({ length: EVENTS }, (_, i) => {
        const user = users[(i * 7919) % users.length]!;
        // One event in twenty is up to two days late.
        const late = i % 20 === 0 ? ((i / 20) % 2) + 1 : 0;
        return trackCall(
          user.userId,
          EVENT_NAMES[i % EVENT_NAMES.length]!,
          new Date(now - late * DAY - (i % 3600) * 1000),
        );
      }),
    );

    const latencies: number[] = [];
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    let next = 0;
    const client = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sent = performance.now();
        await send(body);
        latencies.push(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    await health.idle();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      backend: db.kind,
      events: EVENTS,
      batches: bodies.length,
      eventsPerSecond: Math.round(EVENTS / (elapsed / 1000)),
      eventsPerCpuSecond: Math.round(EVENTS / ((cpu.user + cpu.system) / 1e6)),
      batchMs: { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)) },
    };
  } finally {
    await app.close();
  }
}

async function onPostgres(): Promise<SegmentBenchResult> {
  const server = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const { db, drop } = await createBenchDatabase(server, 'pulse_bench_segment');
  try {
    return await run(db);
  } finally {
    await drop();
  }
}

async function onPglite(): Promise<SegmentBenchResult> {
  const db = await createPgliteDatabase();
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

export async function main(): Promise<SegmentBenchResult[]> {
  const load = () => (cpus().length ? `load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores` : '');
  const before = load();
  const results = [await onPostgres(), await onPglite()];
  console.log(
    `segment: ${EVENTS} track events of ${ACCOUNTS * USERS_PER_ACCOUNT} users in ${ACCOUNTS} accounts, ` +
      `batches up to 480 KB over HTTP, ${IN_FLIGHT} in flight (${before} before, ${load()} after)`,
  );
  console.table(
    results.map((r) => ({
      backend: r.backend,
      'events/s': r.eventsPerSecond,
      'events per CPU s': r.eventsPerCpuSecond,
      batches: r.batches,
      'p50 batch ms': r.batchMs.p50,
      'p99 batch ms': r.batchMs.p99,
    })),
  );
  writeResults('segment', { results });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
