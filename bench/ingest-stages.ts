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
import { parseBatch } from '../src/domain/ingestion-batch.ts';
import { createHttpServer } from '../src/http/server.ts';
import { createMetrics } from '../src/metrics.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { ingest } from '../src/services/ingestion.ts';
import { resolveAccountKeys } from '../src/store/accounts.ts';
import { upsertMetricPointsByKey } from '../src/store/metric-points.ts';
import { backendCpu } from './lib/cpu.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';
import { median } from './lib/timing.ts';

/**
 * Where one `POST /api/v1/metrics` of 5,000 points spends its time, stage by stage: the body's JSON
 * parse, validation, the one statement that resolves the account keys and writes the points, then (after the reply, in the
 * background in production) the health recomputation of the 5,000 accounts it touched; and the whole
 * request over HTTP. Each stage is run on its own, `ROUNDS` times on fresh days, and reported as its
 * median wall time and its mean CPU: this process's (user + sys, `process.cpuUsage`) and, on the
 * server, the benchmark database's PostgreSQL backends' (from /proc). On PGlite the database runs in
 * this process, so its CPU is in the process's figure.
 * Run: npx tsx bench/ingest-stages.ts [postgres|pglite]
 */
const ACCOUNTS = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const TOKEN = 'bench-ingest-token-0123456789';
const DAY = 86_400_000;

interface StageFigure {
  stage: string;
  wallMs: number;
  processCpuMs: number;
  databaseCpuMs: number | null;
}

const round = (x: number) => Math.round(x * 10) / 10;
const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function profile(db: Database, server?: { url: string; database: string }): Promise<StageFigure[]> {
  const config = loadConfig({ INGEST_TOKEN: TOKEN });
  const logger = pino({ level: 'warn' });
  const metrics = createMetrics();
  const noHealth: HealthRecomputer = {
    schedule: async () => {},
    recomputeAll: async () => 0,
    rescoreForModel: async () => 0,
    idle: async () => {},
  };
  const deps: Deps = { config, db, clock: systemClock, logger, metrics, health: noHealth };
  const keys = Array.from({ length: ACCOUNTS }, (_, i) => `acct-${String(i + 1).padStart(5, '0')}`);
  const created = await ingest(
    deps,
    'accounts',
    keys.map((key, i) => ({ key, name: `Account ${i + 1}`, seats: 10 + (i % 20) * 5 })),
  );
  if (!created.ok) throw new Error(`could not create the accounts: ${JSON.stringify(created.errors[0])}`);
  // Each round writes days of its own: a post of new points, as a nightly job sends them.
  const firstDay = Math.floor(Date.now() / DAY) * DAY - 4 * ROUNDS * DAY;
  let day = 0;
  const nextBody = () => {
    const at = new Date(firstDay + day++ * DAY).toISOString();
    return JSON.stringify(
      keys.map((account, i) => ({ account, metric: 'active_users', value: (i * 7 + day * 13) % 60, at })),
    );
  };

  const cpu = server ? backendCpu(server.url, server.database) : undefined;
  const figures = new Map<string, { wall: number[]; process: number; database: number }>();
  /** Runs `work` once as stage `name`, adding its wall time and CPU to the stage's figures. */
  const stage = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const backends = await cpu?.read();
    const cpuBefore = processCpu();
    const started = performance.now();
    const result = await work();
    const wall = performance.now() - started;
    const processMs = processCpu() - cpuBefore;
    const databaseMs = backends ? await cpu!.since(backends) : 0;
    const figure = figures.get(name) ?? { wall: [], process: 0, database: 0 };
    figure.wall.push(wall);
    figure.process += processMs;
    figure.database += databaseMs;
    figures.set(name, figure);
    return result;
  };

  const app = createHttpServer(logger, metrics);
  registerIngestionRoutes(app, deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/metrics`;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // The stages one by one, as the service runs them.
      const body = nextBody();
      const parsed = await stage('1 body JSON.parse', () => JSON.parse(body) as unknown);
      const batch = await stage('2 validation (parseBatch)', () => parseBatch('metrics', parsed));
      if (!batch.ok) throw new Error(`invalid batch: ${JSON.stringify(batch.errors[0])}`);
      const written = await stage('3 keys lookup and insert, one statement', () =>
        upsertMetricPointsByKey(db.orm, batch.items),
      );
      if (!written.ok) throw new Error('unknown accounts');

      // The whole request over real HTTP, health off: what the client waits for.
      const posted = nextBody();
      await stage('5 whole POST over HTTP (health off)', async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: posted,
        });
        if (response.status !== 200) throw new Error(`refused: ${response.status} ${await response.text()}`);
        await response.json();
      });

      // The recomputation a post schedules for its accounts (after the reply, in the background).
      const health = createHealthRecomputer({ db, clock: systemClock, logger, metrics, config });
      const ids = [...(await resolveAccountKeys(db.orm, keys)).values()];
      await stage('6 health recompute of the 5,000 accounts (after the reply)', () => health.schedule(ids));
      await health.idle();
    }
  } finally {
    await app.close();
    await cpu?.close();
  }
  return [...figures].map(([name, f]) => ({
    stage: name,
    wallMs: round(median(f.wall)),
    processCpuMs: round(f.process / f.wall.length),
    databaseCpuMs: server ? round(f.database / f.wall.length) : null,
  }));
}

async function onPostgres(): Promise<StageFigure[]> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const database = 'pulse_bench_ingest_stages';
  const { db, drop } = await createBenchDatabase(serverUrl, database);
  try {
    return await profile(db, { url: serverUrl, database });
  } finally {
    await drop();
  }
}

async function onPglite(): Promise<StageFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-ingest-stages-'));
  const db = await openDatabase({ dataDir: dir });
  try {
    await migrate(db);
    return await profile(db);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main() {
  const only = process.argv.slice(2).find((arg) => arg === 'postgres' || arg === 'pglite');
  const results: Record<string, StageFigure[]> = {};
  if (only !== 'pglite') results.postgres = await onPostgres();
  if (only !== 'postgres') results.pglite = await onPglite();
  for (const [backend, figures] of Object.entries(results)) {
    console.log(
      `\n${backend}: one post of ${ACCOUNTS} metric points, medians of ${ROUNDS} rounds, CPU per round`,
    );
    console.table(
      figures.map((f) => ({
        stage: f.stage,
        'wall ms': f.wallMs,
        'process CPU ms': f.processCpuMs,
        'PostgreSQL CPU ms': f.databaseCpuMs ?? '(in process)',
      })),
    );
  }
  writeResults('ingest-stages', { results });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
