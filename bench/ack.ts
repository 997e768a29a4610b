/**
 * bench/ack: latency of `/cs health <account>` through the real HTTP endpoint, with requests signed as
 * Slack signs them, 50 at a time, over a portfolio of 10k accounts. Slack's hard limit is 3,000 ms;
 * the target is p99 ≤ 100 ms. Run: npx tsx bench/ack.ts (PostgreSQL server, then PGlite; name one,
 * `postgres` or `pglite`, to run only it).
 *
 * Besides latency it reports CPU per request, read from /proc before and after the measured requests:
 * the bot's process (Pulse runs in this one; the load driver is a child process) and, on the server,
 * the backends of the benchmark's database. On a busy machine latency grows with the load, CPU per
 * request does not. On PGlite the database runs inside the bot's process, so its CPU is the bot's.
 *
 * `--profile <file.cpuprofile>` also records a CPU profile of the bot's process over the measured
 * requests only (seeding and warm-up left out), to open in Chrome's DevTools or read with
 * `npx tsx bench/lib/profile-summary.ts <file>`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { SlackDouble } from '../sandbox/slack-double.ts';
import { slashCommandBody } from '../sandbox/slack-requests.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { startPulse } from '../src/pulse.ts';
import { outstandingMessages } from '../src/store/outbox.ts';
import { backendCpu, processCpuMs } from './lib/cpu.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { generateHealthData } from './lib/health-data.ts';
import { prepareSignedLoad, runSignedLoad } from './lib/signed-load.ts';
import { machine } from './lib/timing.ts';

const ACCOUNTS = 10_000;
const DAYS = 35;
const CONCURRENCY = 50;
const REQUESTS = 5_000;
const WARMUP = 200;
const IDLE_MS = 5_000;
const BOT_TOKEN = 'xoxb-bench-ack';
const SIGNING_SECRET = 'bench-ack-signing-secret';

interface Figures {
  database: string;
  accounts: number;
  requests: number;
  concurrency: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  perSecond: number;
  failures: number;
  /** CPU per request in ms: the bot's process, and the server's backends (null on PGlite, inside the bot). */
  cpuMs: { bot: number; database: number | null; total: number };
  /** CPU per second with no request in flight (background work), measured just before the requests. */
  idleCpuMsPerSecond: { bot: number; database: number | null };
  /** `cpuMs` less the background work's share over the run's duration. */
  cpuMsWithoutBackground: { bot: number; database: number | null; total: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(
  label: string,
  env: Record<string, string>,
  seed: (now: Date) => Promise<void>,
  server?: { url: string; database: string },
  profile?: string,
): Promise<Figures> {
  const double = new SlackDouble({ botToken: BOT_TOKEN });
  const slack = await double.listen();
  const now = new Date();
  await seed(now);
  const pulse = await startPulse({
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      CS_ALERT_CHANNEL: 'C0CSALERTS',
      PORT: '0',
      ...env,
    },
    logger: pino({ level: 'warn' }),
    host: '127.0.0.1',
  });
  await pulse.deps.health.recomputeAll();
  // The recomputation raises the portfolio's alerts: let the outbox deliver them before measuring, so
  // the figure is /cs health's, not /cs health's competing with thousands of posts.
  const started = Date.now();
  while ((await outstandingMessages(pulse.deps.db.orm)).count > 0 && Date.now() - started < 300_000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const body = (i: number) =>
    slashCommandBody({
      team: double.team,
      apiAppId: double.bot.appId,
      channel: { id: 'C0CSALERTS', name: 'cs-alerts' },
      user: { id: 'U0CSM00001', name: 'marina.costa' },
      command: '/cs',
      text: `health acct-${String(1 + ((i * 7919) % ACCOUNTS)).padStart(6, '0')}`,
      responseUrl: double.responseUrl('C0CSALERTS', 'U0CSM00001'),
      triggerId: double.triggerId('U0CSM00001'),
    });
  const plan = (count: number, offset: number) => ({
    url: `${pulse.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    bodies: Array.from({ length: count }, (_, i) => body(offset + i)),
    concurrency: CONCURRENCY,
    expect: '/100',
  });
  await runSignedLoad(plan(WARMUP, REQUESTS));
  // The requests are built and handed to the load client before the CPU counters are read: the figure
  // is Pulse's work, not the benchmark's.
  const load = await prepareSignedLoad(plan(REQUESTS, 0));
  const backends = server && backendCpu(server.url, server.database);
  // What Pulse's background work (the outbox worker's polling, the schedulers) costs with no request:
  // per second, so it can be told apart from the requests' CPU (more of it falls in a slower run).
  const idleBefore = { bot: processCpuMs('self'), database: await backends?.read() };
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = {
    bot: ((processCpuMs('self') - idleBefore.bot) * 1000) / IDLE_MS,
    database:
      backends && idleBefore.database ? ((await backends.since(idleBefore.database)) * 1000) / IDLE_MS : null,
  };
  const backendsBefore = await backends?.read();
  const profiler = profile ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const botBefore = processCpuMs('self');
  const result = await load.run();
  const botMs = processCpuMs('self') - botBefore;
  if (profiler && profile) {
    const { profile: recorded } = await profiler.post('Profiler.stop');
    writeFileSync(profile, JSON.stringify(recorded));
    profiler.disconnect();
  }
  const databaseMs = backends && backendsBefore ? await backends.since(backendsBefore) : null;
  await backends?.close();
  await pulse.close();
  await slack.close();
  const sorted = result.latencies.sort((a, b) => a - b);
  const perRequest = (ms: number) => Math.round((ms / REQUESTS) * 100) / 100;
  const figures: Figures = {
    database: label,
    accounts: ACCOUNTS,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    p50: Math.round(percentile(sorted, 50) * 10) / 10,
    p90: Math.round(percentile(sorted, 90) * 10) / 10,
    p99: Math.round(percentile(sorted, 99) * 10) / 10,
    max: Math.round(sorted.at(-1)! * 10) / 10,
    perSecond: Math.round(REQUESTS / result.seconds),
    failures: result.failures,
    cpuMs: {
      bot: Math.round((botMs / REQUESTS) * 100) / 100,
      database: databaseMs === null ? null : Math.round((databaseMs / REQUESTS) * 100) / 100,
      total: Math.round(((botMs + (databaseMs ?? 0)) / REQUESTS) * 100) / 100,
    },
    idleCpuMsPerSecond: {
      bot: Math.round(idle.bot * 10) / 10,
      database: idle.database === null ? null : Math.round(idle.database * 10) / 10,
    },
    cpuMsWithoutBackground: {
      bot: perRequest(botMs - idle.bot * result.seconds),
      database:
        databaseMs === null || idle.database === null
          ? null
          : perRequest(databaseMs - idle.database * result.seconds),
      total: perRequest(botMs + (databaseMs ?? 0) - (idle.bot + (idle.database ?? 0)) * result.seconds),
    },
  };
  console.log(
    `${label.padEnd(10)} p50 ${figures.p50} ms · p90 ${figures.p90} ms · p99 ${figures.p99} ms · max ${figures.max} ms · ${figures.perSecond} req/s · failed: ${figures.failures}\n${''.padEnd(10)} CPU per request: bot ${figures.cpuMs.bot} ms${figures.cpuMs.database === null ? ' (database in-process)' : ` + database ${figures.cpuMs.database} ms = ${figures.cpuMs.total} ms`}\n${''.padEnd(10)} background with no request: bot ${figures.idleCpuMsPerSecond.bot} ms/s${figures.idleCpuMsPerSecond.database === null ? '' : `, database ${figures.idleCpuMsPerSecond.database} ms/s`}; per request without it: bot ${figures.cpuMsWithoutBackground.bot} ms${figures.cpuMsWithoutBackground.database === null ? '' : ` + database ${figures.cpuMsWithoutBackground.database} ms = ${figures.cpuMsWithoutBackground.total} ms`}`,
  );
  return figures;
}

export async function main(): Promise<void> {
  console.log(
    `bench/ack: /cs health over signed HTTP, ${ACCOUNTS} accounts, ${CONCURRENCY} concurrent, ${REQUESTS} requests`,
  );
  const args = process.argv.slice(2);
  const at = args.indexOf('--profile');
  // One file per database: `<name>.postgres.cpuprofile`, `<name>.pglite.cpuprofile`.
  const profile = (database: string) =>
    at >= 0 && args[at + 1]
      ? args[at + 1]!.replace(/(\.cpuprofile)?$/, `.${database}.cpuprofile`)
      : undefined;
  const only = args.find((arg) => arg === 'postgres' || arg === 'pglite');
  const figures: Figures[] = [];
  if (only !== 'pglite') {
    const server = await createBenchDatabase(
      process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL,
      'pulse_bench_ack',
    );
    const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
    const serverUrl = new URL(adminUrl);
    serverUrl.pathname = '/pulse_bench_ack';
    try {
      figures.push(
        await measure(
          'postgres',
          { DATABASE_URL: serverUrl.toString() },
          (now) => generateHealthData(server.db.orm, { accounts: ACCOUNTS, days: DAYS }, now),
          { url: adminUrl, database: 'pulse_bench_ack' },
          profile('postgres'),
        ),
      );
    } finally {
      await server.drop();
    }
  }
  if (only !== 'postgres') {
    // PGlite runs in-process and Pulse opens its own: seed a directory, close it, then start Pulse on it.
    const dir = `/tmp/pulse-bench-ack-${process.pid}`;
    figures.push(
      await measure(
        'pglite',
        { PULSE_DATA_DIR: dir },
        async (now) => {
          const pglite = await openDatabase({ dataDir: dir });
          await migrate(pglite);
          await generateHealthData(pglite.orm, { accounts: ACCOUNTS, days: DAYS }, now);
          await pglite.close();
        },
        undefined,
        profile('pglite'),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/ack.json',
    JSON.stringify({ measuredAt: new Date().toISOString(), machine: machine(), figures }, null, 2),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
