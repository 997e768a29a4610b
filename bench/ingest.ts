import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { registerIngestionRoutes } from '../src/api/routes.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Deps, HealthRecomputer } from '../src/deps.ts';
import { createHttpServer } from '../src/http/server.ts';
import { createMetrics, type Metrics } from '../src/metrics.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { ingest } from '../src/services/ingestion.ts';
import { backendCpu } from './lib/cpu.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';

/**
 * Metric points per second through `POST /api/v1/metrics` over real HTTP, as a nightly ETL job sends them:
 * 5,000 accounts, each batch one day of `active_users` for every account (so every batch touches every
 * account), two batches in flight, with health recomputed in the background as in production. A
 * second PostgreSQL run without health recomputation shows what ingestion alone costs.
 */
const ACCOUNTS = 5_000;
const BATCHES = 60;
/**
 * A sync job sends its next batch while the previous one is being stored: two requests in flight by
 * default; `npx tsx bench/ingest.ts 1` sends them one after another, `… 4` four at a time.
 */
const IN_FLIGHT = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 2);
const TOKEN = 'bench-ingest-token-0123456789';
const DAY = 86_400_000;

export interface IngestBenchResult {
  backend: Database['kind'];
  health: boolean;
  accounts: number;
  batches: number;
  points: number;
  inFlight: number;
  pointsPerSecond: number;
  batchMs: { p50: number; p99: number; max: number };
  /** From the last reply until the background health recomputation had caught up. */
  healthCatchUpMs: number;
  /** Set-based health runs during the batches and their catch-up, and their mean duration. */
  healthRuns: number;
  healthRunMeanMs: number | null;
  /**
   * CPU per 1,000 points from the first batch until health had caught up: this process (Pulse and the
   * load driver; on PGlite the database too) and, on the server, the benchmark database's backends.
   */
  cpuMsPer1000: { process: number; database: number | null };
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

const NO_HEALTH: HealthRecomputer = {
  schedule: async () => {},
  recomputeAll: async () => 0,
  rescoreForModel: async () => 0,
  idle: async () => {},
};

async function healthRuns(metrics: Metrics): Promise<{ count: number; seconds: number }> {
  const values = (await metrics.healthRecomputeDuration.get()).values;
  const total = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  return { count: total('_count'), seconds: total('_sum') };
}

const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function run(
  db: Database,
  withHealth: boolean,
  server?: { url: string; database: string },
): Promise<IngestBenchResult> {
  const config = loadConfig({ INGEST_TOKEN: TOKEN });
  const logger = pino({ level: 'warn' });
  const metrics = createMetrics();
  const health = withHealth
    ? createHealthRecomputer({ db, clock: systemClock, logger, metrics, config })
    : NO_HEALTH;
  const deps: Deps = { config, db, clock: systemClock, logger, metrics, health };

  const keys = Array.from({ length: ACCOUNTS }, (_, i) => `acct-${String(i + 1).padStart(5, '0')}`);
  const created = await ingest(
    deps,
    'accounts',
    keys.map((key, i) => ({ key, name: `Account ${i + 1}`, seats: 10 + (i % 20) * 5 })),
  );
  if (!created.ok) throw new Error(`could not create the accounts: ${JSON.stringify(created.errors[0])}`);
  await health.idle();
  const before = await healthRuns(metrics);

  // Bodies are built before the clock starts: the figure is the server's, not the client's JSON.stringify.
  const firstDay = Math.floor(Date.now() / DAY) * DAY - BATCHES * DAY;
  const bodies = Array.from({ length: BATCHES }, (_, d) => {
    const at = new Date(firstDay + d * DAY).toISOString();
    return JSON.stringify(
      keys.map((account, i) => ({ account, metric: 'active_users', value: (i * 7 + d * 13) % 60, at })),
    );
  });

  const app = createHttpServer(logger, metrics);
  registerIngestionRoutes(app, deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/metrics`;
  const cpu = server ? backendCpu(server.url, server.database) : undefined;
  try {
    const latencies: number[] = [];
    const backendsBefore = await cpu?.read();
    const cpuBefore = processCpuMs();
    const start = performance.now();
    let next = 0;
    const client = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sent = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body,
        });
        const reply = (await response.json()) as { stored?: number };
        if (response.status !== 200 || reply.stored !== ACCOUNTS) {
          throw new Error(`batch refused: ${response.status} ${JSON.stringify(reply).slice(0, 300)}`);
        }
        latencies.push(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    const elapsed = performance.now() - start;
    await health.idle();
    const caughtUp = performance.now() - start - elapsed;
    const processMs = processCpuMs() - cpuBefore;
    const databaseMs = backendsBefore ? await cpu!.since(backendsBefore) : null;
    const per1000 = (ms: number) => round((ms * 1000) / (ACCOUNTS * BATCHES));

    const after = await healthRuns(metrics);
    const runs = after.count - before.count;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      backend: db.kind,
      health: withHealth,
      accounts: ACCOUNTS,
      batches: BATCHES,
      points: ACCOUNTS * BATCHES,
      inFlight: IN_FLIGHT,
      pointsPerSecond: Math.round((ACCOUNTS * BATCHES) / (elapsed / 1000)),
      batchMs: {
        p50: round(percentile(sorted, 0.5)),
        p99: round(percentile(sorted, 0.99)),
        max: round(sorted.at(-1)!),
      },
      healthCatchUpMs: Math.round(caughtUp),
      healthRuns: runs,
      healthRunMeanMs: runs ? Math.round(((after.seconds - before.seconds) * 1000) / runs) : null,
      cpuMsPer1000: {
        process: per1000(processMs),
        database: databaseMs === null ? null : per1000(databaseMs),
      },
    };
  } finally {
    await app.close();
    await cpu?.close();
  }
}

async function onPostgres(withHealth: boolean): Promise<IngestBenchResult> {
  const server = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const database = 'pulse_bench_ingest';
  const { db, drop } = await createBenchDatabase(server, database);
  try {
    return await run(db, withHealth, { url: server, database });
  } finally {
    await drop();
  }
}

/** PGlite as Pulse runs it without DATABASE_URL: persisted in a data directory. */
async function onPglite(): Promise<IngestBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ingest-'));
  const db = await openDatabase({ dataDir: dir });
  try {
    await migrate(db);
    return await run(db, true);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(): Promise<IngestBenchResult[]> {
  // `npx tsx bench/ingest.ts <in flight> postgres` (or `pglite`) runs only that database.
  const only = process.argv.slice(2).find((arg) => arg === 'postgres' || arg === 'pglite');
  const results = [
    ...(only === 'pglite' ? [] : [await onPostgres(true), await onPostgres(false)]),
    ...(only === 'postgres' ? [] : [await onPglite()]),
  ];
  console.log(
    `ingestion: ${ACCOUNTS} accounts, ${BATCHES} batches of ${ACCOUNTS} active_users points over HTTP, ${IN_FLIGHT} in flight`,
  );
  console.table(
    results.map((r) => ({
      backend: r.backend,
      health: r.health ? 'recomputed' : 'off (reference)',
      'points/s': r.pointsPerSecond,
      'p50 batch ms': r.batchMs.p50,
      'p99 batch ms': r.batchMs.p99,
      'health runs': r.healthRuns,
      'ms per run': r.healthRunMeanMs ?? '-',
      'catch-up ms': r.healthCatchUpMs,
      'process CPU ms /1k pts': r.cpuMsPer1000.process,
      'PostgreSQL CPU ms /1k pts': r.cpuMsPer1000.database ?? '(in process)',
    })),
  );
  writeResults('ingest', { results });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
