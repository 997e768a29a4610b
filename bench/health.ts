/**
 * Health recomputation benchmark: `npx tsx bench/health.ts`.
 *
 * On the PostgreSQL server of BENCH_DATABASE_URL (its own database `pulse_bench_health`, created and dropped
 * here) and then on an in-memory PGlite: generates accounts with 90 days of daily active_users (and 30 days
 * of the custom model's metrics), then times the set-based recomputation of every account, of one account,
 * the portfolio and health-card reads, and the baseline (the same recomputation one account at a time from
 * JavaScript), whose results must match, then the nightly run as the scheduler starts it (recomputation,
 * then alert evaluation), and last the same nightly run under the custom model of 8 components and 5 goals
 * (bench/health-model-8x5.yaml). The nightly runs report their CPU too: the benchmark's process and, on
 * the server, the database's backends (read from /proc), which unlike wall time do not grow with the
 * machine's load.
 * Sizes: BENCH_HEALTH_ACCOUNTS (server, default 100,000) and BENCH_HEALTH_PGLITE_ACCOUNTS (default 10,000,
 * as 9M rows do not fit PGlite's WebAssembly memory comfortably). Figures go to bench/results/health.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { type Database, rows } from '../src/db/client.ts';
import { DEFAULT_HEALTH_ALERT_THRESHOLDS } from '../src/domain/alert-rules.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../src/domain/health.ts';
import { type HealthModel, parseHealthModel } from '../src/domain/health-model.ts';
import { builtInModel } from '../src/domain/health-model-built-in.ts';
import { createMetrics } from '../src/metrics.ts';
import { evaluateBillingAlerts, evaluateHealthAlerts } from '../src/services/alerts.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { listPortfolio, readHealthBefore, recomputeHealth } from '../src/store/health.ts';
import { loadHealthView } from '../src/store/health-card.ts';
import { backendCpu } from './lib/cpu.ts';
import { createBenchDatabase, createPgliteDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { recomputeHealthOneByOne } from './lib/health-baseline.ts';
import { generateHealthData, generateModelMetrics } from './lib/health-data.ts';
import { machine, median, seconds, table, timed } from './lib/timing.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-06-30T06:00:00Z');
const NEXT_DAY = new Date(+NOW + DAY);
const DAYS = 90;
const FULL_TARGET_SECONDS = 10;
const NIGHTLY_TARGET_SECONDS = 5;
const RATIO_TARGET = 20;
/** The custom model's nightly run at most this many times the built-in model's (issue 16). */
const MODEL_RATIO_TARGET = 1.5;
const CUSTOM_MODEL_FILE = new URL('./health-model-8x5.yaml', import.meta.url);
/** The baseline runs on every account when that takes at most this long, else on a measured sample. */
const BASELINE_BUDGET_SECONDS = 300;
const BASELINE_SAMPLE = 5_000;
const BENCH_DATABASE = 'pulse_bench_health';

interface Figures {
  database: string;
  accounts: number;
  metricRows: number;
  generateSeconds: number;
  vacuumAnalyzeSeconds: number;
  /** Every account: first run (all rows new), next day (new snapshots), same day again (all updates). */
  fullSeconds: { first: number; nextDay: number; sameDayAgain: number };
  oneAccountMedianMs: number;
  portfolioPageMedianMs: number;
  healthViewMedianMs: number;
  baseline: {
    accountsMeasured: number;
    measuredSeconds: number;
    /** For every account: measured when accountsMeasured = accounts, else extrapolated from the sample. */
    allAccountsSeconds: number;
    extrapolated: boolean;
    /** Accounts whose one-by-one result differs from the set-based one (must be 0). */
    mismatches: number;
  };
  /** Baseline time for every account over the set-based time of the same run (same day again). */
  speedup: number;
  /**
   * `recomputeAll` with alert evaluation: the first night raises the portfolio's alerts and enqueues
   * their posts; the next run of the same day finds nothing new.
   */
  nightly: {
    firstSeconds: number;
    alertsRaised: number;
    postsEnqueued: number;
    againSeconds: number;
    /** CPU seconds of a run again: the benchmark's process (on PGlite the database too) and the server's backends. */
    againCpu: Cpu;
    /** The steps of a run again, timed one by one (the evaluation's share of the nightly run). */
    steps: { readBefore: number; recompute: number; billingAlerts: number; healthAlerts: number };
  };
  /** The same nightly run under bench/health-model-8x5.yaml, after its quiet rescore. */
  customModel: { name: string; againSeconds: number; againCpu: Cpu; cpuRatio: number; wallRatio: number };
}

interface Cpu {
  process: number;
  backends: number;
}

function customModel(): HealthModel {
  const parsed = parseHealthModel(readFileSync(CUSTOM_MODEL_FILE, 'utf8'), CUSTOM_MODEL_FILE.pathname);
  if (!parsed.ok) throw new Error(`bench/health-model-8x5.yaml: ${JSON.stringify(parsed.problems)}`);
  return parsed.model;
}

/** Wall and CPU seconds of `job`: this process's, and the backends' of `backends` (none on PGlite). */
async function withCpu<T>(
  backends: ReturnType<typeof backendCpu> | null,
  job: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpu: Cpu }> {
  const start = process.cpuUsage();
  const run = await timed(() =>
    backends ? backends.during(job) : job().then((result) => ({ result, backendMs: 0 })),
  );
  const used = process.cpuUsage(start);
  return {
    result: run.result.result,
    seconds: run.seconds,
    cpu: { process: (used.user + used.system) / 1e6, backends: run.result.backendMs / 1000 },
  };
}

const options = (now: Date, accountIds?: number[]) => ({
  now,
  accountIds,
  weights: DEFAULT_WEIGHTS,
  bands: DEFAULT_BANDS,
});

async function medianMs(times: number, job: (i: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timed(() => job(i))).seconds * 1000);
  return median(samples);
}

async function benchmark(
  db: Database,
  database: string,
  accounts: number,
  backends: ReturnType<typeof backendCpu> | null,
): Promise<Figures> {
  const log = (message: string) => console.log(`[${database}] ${message}`);
  log(`generating ${accounts.toLocaleString('en')} accounts × ${DAYS} days…`);
  const generate = await timed(async () => {
    await generateHealthData(db.orm, { accounts, days: DAYS }, NOW);
    await generateModelMetrics(db.orm, { accounts, days: DAYS }, NOW);
  });
  const vacuum = await timed(() => db.orm.execute(sql`vacuum analyze`));
  // Flush the bulk load now, so the timed runs do not compete with the checkpoint it would trigger.
  await db.orm.execute(sql`checkpoint`);
  const [{ metric_rows: metricRows } = { metric_rows: 0 }] = await rows<{ metric_rows: number }>(
    db.orm,
    sql`select count(*)::int as metric_rows from metric_points`,
  );
  log(`${metricRows.toLocaleString('en')} metric rows in ${seconds(generate.seconds)}; recomputing…`);

  const first = await timed(() => recomputeHealth(db, options(NOW)));
  const nextDay = await timed(() => recomputeHealth(db, options(NEXT_DAY)));
  const sameDayAgain = await timed(() => recomputeHealth(db, options(NEXT_DAY)));
  if (sameDayAgain.result !== accounts) throw new Error(`recomputed ${sameDayAgain.result} of ${accounts}`);
  log(
    `full recomputation ${seconds(first.seconds)} / ${seconds(nextDay.seconds)} / ${seconds(sameDayAgain.seconds)}`,
  );

  const ids = (await rows<{ id: number }>(db.orm, sql`select id from accounts order by id`)).map((r) => r.id);
  const spread = (n: number) => ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / n)) === 0);
  const twenty = spread(20);
  const oneAccountMedianMs = await medianMs(20, (i) =>
    recomputeHealth(db, options(NEXT_DAY, [twenty[i % twenty.length]!])),
  );
  const portfolioPageMedianMs = await medianMs(10, () => listPortfolio(db.orm, { limit: 20, now: NEXT_DAY }));
  const healthViewMedianMs = await medianMs(10, (i) =>
    loadHealthView(db.orm, twenty[i % twenty.length]!, NEXT_DAY),
  );

  await db.orm.execute(sql`create table bench_expected as select * from account_health`);
  const sample = ids.length <= BASELINE_SAMPLE ? ids : spread(BASELINE_SAMPLE);
  log(`baseline on ${sample.length.toLocaleString('en')} accounts one by one…`);
  const measured = await timed(() =>
    recomputeHealthOneByOne(db.orm, { ...options(NEXT_DAY), accountIds: sample }),
  );
  let measuredSeconds = measured.seconds;
  let accountsMeasured = sample.length;
  const projected = (measuredSeconds * ids.length) / sample.length;
  if (sample.length < ids.length && projected <= BASELINE_BUDGET_SECONDS) {
    const sampled = new Set(sample);
    const rest = ids.filter((id) => !sampled.has(id));
    log(
      `…and on the other ${rest.length.toLocaleString('en')} (about ${seconds(projected - measuredSeconds)})`,
    );
    measuredSeconds += (
      await timed(() => recomputeHealthOneByOne(db.orm, { ...options(NEXT_DAY), accountIds: rest }))
    ).seconds;
    accountsMeasured = ids.length;
  }
  const allAccountsSeconds =
    accountsMeasured === ids.length ? measuredSeconds : (measuredSeconds * ids.length) / accountsMeasured;
  const [{ mismatches } = { mismatches: -1 }] = await rows<{ mismatches: number }>(
    db.orm,
    sql`select count(*)::int as mismatches
      from account_health h join bench_expected e on e.account_id = h.account_id
      where (h.score, h.band, h.components, h.open_billing_flags, h.data_as_of)
        is distinct from (e.score, e.band, e.components, e.open_billing_flags, e.data_as_of)`,
  );

  const recomputerFor = (model?: HealthModel) =>
    createHealthRecomputer({
      db,
      clock: () => NEXT_DAY,
      logger: pino({ level: 'warn' }),
      metrics: createMetrics(),
      config: {
        health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS, ...(model && { model }) },
        alertChannel: 'C0CSALERTS',
        timezone: 'UTC',
      },
    });
  const recomputer = recomputerFor();
  log('nightly run with alert evaluation…');
  const nightlyFirst = await timed(() => recomputer.recomputeAll());
  const [raised = { alerts: 0, posts: 0 }] = await rows<{ alerts: number; posts: number }>(
    db.orm,
    sql`select (select count(*)::int from alerts) as alerts, (select count(*)::int from slack_outbox) as posts`,
  );
  const nightlyAgain = await withCpu(backends, () => recomputer.recomputeAll());
  // The steps of that run (src/services/health.ts), one by one.
  const evaluation = { now: NEXT_DAY, alertChannel: 'C0CSALERTS', timezone: 'UTC', locale: 'en' as const };
  const before = await timed(() =>
    readHealthBefore(db.orm, {
      now: NEXT_DAY,
      windowDays: DEFAULT_HEALTH_ALERT_THRESHOLDS.fallWindowDays,
      modelVersion: builtInModel().version,
    }),
  );
  const recompute = await timed(() => recomputeHealth(db, options(NEXT_DAY)));
  const billingAlerts = await timed(() => evaluateBillingAlerts(db, evaluation));
  const healthAlerts = await timed(() =>
    evaluateHealthAlerts(db, { ...evaluation, before: before.result, model: builtInModel() }),
  );

  const model = customModel();
  log(`nightly run under "${model.name}"…`);
  const custom = recomputerFor(model);
  // As at start with a new model: a quiet rescore first, then one night to raise what the new model's
  // scores call for, so the timed run is a night like any other (as the built-in model's run again).
  await custom.rescoreForModel();
  await custom.recomputeAll();
  const customAgain = await withCpu(backends, () => custom.recomputeAll());
  const cpuTotal = (c: Cpu) => c.process + c.backends;

  return {
    database,
    accounts,
    metricRows,
    generateSeconds: generate.seconds,
    vacuumAnalyzeSeconds: vacuum.seconds,
    fullSeconds: { first: first.seconds, nextDay: nextDay.seconds, sameDayAgain: sameDayAgain.seconds },
    oneAccountMedianMs,
    portfolioPageMedianMs,
    healthViewMedianMs,
    baseline: {
      accountsMeasured,
      measuredSeconds,
      allAccountsSeconds,
      extrapolated: accountsMeasured < ids.length,
      mismatches,
    },
    speedup: allAccountsSeconds / sameDayAgain.seconds,
    nightly: {
      firstSeconds: nightlyFirst.seconds,
      alertsRaised: raised.alerts,
      postsEnqueued: raised.posts,
      againSeconds: nightlyAgain.seconds,
      againCpu: nightlyAgain.cpu,
      steps: {
        readBefore: before.seconds,
        recompute: recompute.seconds,
        billingAlerts: billingAlerts.seconds,
        healthAlerts: healthAlerts.seconds,
      },
    },
    customModel: {
      name: model.name,
      againSeconds: customAgain.seconds,
      againCpu: customAgain.cpu,
      cpuRatio: cpuTotal(customAgain.cpu) / cpuTotal(nightlyAgain.cpu),
      wallRatio: customAgain.seconds / nightlyAgain.seconds,
    },
  };
}

const cpuText = (c: Cpu) =>
  c.backends ? `CPU ${seconds(c.process)} + backends ${seconds(c.backends)}` : `CPU ${seconds(c.process)}`;

function report(f: Figures): string {
  const full = Math.max(f.fullSeconds.first, f.fullSeconds.nextDay, f.fullSeconds.sameDayAgain);
  const b = f.baseline;
  return [
    `${f.database}: ${f.accounts.toLocaleString('en')} accounts, ${f.metricRows.toLocaleString('en')} metric rows`,
    table([
      ['generate data (SQL)', seconds(f.generateSeconds)],
      ['vacuum analyze', seconds(f.vacuumAnalyzeSeconds)],
      [
        'full recomputation',
        `${seconds(f.fullSeconds.first)} first, ${seconds(f.fullSeconds.nextDay)} next day, ` +
          `${seconds(f.fullSeconds.sameDayAgain)} same day again ` +
          `(target ≤ ${FULL_TARGET_SECONDS} s: ${full <= FULL_TARGET_SECONDS ? 'met' : 'MISSED'})`,
      ],
      ['one account (median of 20)', `${f.oneAccountMedianMs.toFixed(1)} ms`],
      ['portfolio page (median of 10)', `${f.portfolioPageMedianMs.toFixed(1)} ms`],
      ['health card (median of 10)', `${f.healthViewMedianMs.toFixed(1)} ms`],
      [
        'baseline, one by one',
        b.extrapolated
          ? `${seconds(b.measuredSeconds)} for a sample of ${b.accountsMeasured.toLocaleString('en')} → ` +
            `${seconds(b.allAccountsSeconds)} for all (EXTRAPOLATED)`
          : `${seconds(b.allAccountsSeconds)} for all ${b.accountsMeasured.toLocaleString('en')} (measured)`,
      ],
      ['results equal to set-based', b.mismatches === 0 ? 'yes' : `NO: ${b.mismatches} accounts differ`],
      [
        'set-based speed-up',
        `${f.speedup.toFixed(1)}× (target ≥ ${RATIO_TARGET}×: ${f.speedup >= RATIO_TARGET ? 'met' : 'MISSED'})`,
      ],
      [
        'nightly run with alert evaluation',
        `${seconds(f.nightly.firstSeconds)} first night (${f.nightly.alertsRaised.toLocaleString('en')} alerts ` +
          `raised, ${f.nightly.postsEnqueued.toLocaleString('en')} posts enqueued), ` +
          `${seconds(f.nightly.againSeconds)} again (nothing new; target ≤ ${NIGHTLY_TARGET_SECONDS} s: ` +
          `${f.nightly.againSeconds <= NIGHTLY_TARGET_SECONDS ? 'met' : 'MISSED'}), ${cpuText(f.nightly.againCpu)}`,
      ],
      [
        '  its steps, run again',
        `read health before ${seconds(f.nightly.steps.readBefore)}, recompute ${seconds(f.nightly.steps.recompute)}, ` +
          `billing alerts ${seconds(f.nightly.steps.billingAlerts)}, health alerts ${seconds(f.nightly.steps.healthAlerts)}`,
      ],
      [
        `nightly run, ${f.customModel.name}`,
        `${seconds(f.customModel.againSeconds)} again, ${cpuText(f.customModel.againCpu)}: ` +
          `${f.customModel.cpuRatio.toFixed(2)}× the built-in model's CPU, ${f.customModel.wallRatio.toFixed(2)}× its time ` +
          `(target ≤ ${MODEL_RATIO_TARGET}×: ${Math.max(f.customModel.cpuRatio, f.customModel.wallRatio) <= MODEL_RATIO_TARGET ? 'met' : 'MISSED'})`,
      ],
    ]),
  ].join('\n');
}

export async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const serverAccounts = Number(process.env.BENCH_HEALTH_ACCOUNTS ?? 100_000);
  const pgliteAccounts = Number(process.env.BENCH_HEALTH_PGLITE_ACCOUNTS ?? 10_000);
  const results: Figures[] = [];

  const server = await createBenchDatabase(serverUrl, BENCH_DATABASE);
  try {
    const backends = backendCpu(serverUrl, BENCH_DATABASE);
    try {
      results.push(await benchmark(server.db, 'postgresql', serverAccounts, backends));
    } finally {
      await backends.close();
    }
  } finally {
    await server.drop();
  }
  const pglite = await createPgliteDatabase();
  try {
    results.push(await benchmark(pglite, 'pglite', pgliteAccounts, null));
  } finally {
    await pglite.close();
  }

  const env = machine();
  console.log(
    `\nHealth recomputation on ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node} ` +
      `(load average ${env.loadAverage1m} at the end)\n`,
  );
  console.log(results.map(report).join('\n\n'));
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL('health.json', out),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: env, results }, null, 2)}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
