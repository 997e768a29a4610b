/**
 * bench/retention: the retention report (a month, one currency) and the health back-test (90 days) at
 * 100k accounts with two years of MRR movements and health snapshots: target ≤ 1 s each on the
 * PostgreSQL server; the same on PGlite. Movements: each account starts on a day of the last two years
 * and changes price every 60 days (one in 50 churns, one in 200 of those comes back). Snapshots: one per
 * account and week over the two years (the back-test reads the latest of the 7 days up to a day, so a
 * weekly snapshot answers every day the same way a daily one would). Figures go to
 * bench/results/retention.json. `--accounts N` changes the size; `--pglite-accounts N` PGlite's (0: no PGlite run).
 * `/cs metrics` (a month with its 12-month chart data) is timed too.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { type Database, type Executor, rows } from '../src/db/client.ts';
import { healthBacktestReport, type RetentionDeps, retentionReport } from '../src/services/retention.ts';
import { retentionMetrics } from '../src/services/retention-metrics.ts';
import { createBenchDatabase, createPgliteDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';
import { machine, median, seconds, table, timed } from './lib/timing.ts';

const NOW = new Date('2026-03-09T09:00:00Z');
const DAYS = 730;
const TARGET_SECONDS = 1;
const RUNS = 5;
const BENCH_DATABASE = 'pulse_bench_retention';

const option = (name: string, fallback: number) => {
  const args = process.argv;
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const value = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  return Number(value);
};

/** Two years of a portfolio's MRR and health, laid out as daily work would have written it. */
export async function generate(db: Executor, accounts: number): Promise<void> {
  const now = sql`${NOW.toISOString()}::timestamptz`;
  const today = sql`${NOW.toISOString().slice(0, 10)}::date`;
  await db.execute(sql`
    insert into accounts (key, name, stage, owner_slack_id, contract_start, renewal_date, status, churned_at, mrr)
    select 'acct-' || lpad(i::text, 6, '0'), 'Account ' || i,
      (array['onboarding', 'adoption', 'expansion', 'renewal'])[1 + i % 4], 'U' || lpad((1 + i % 40)::text, 8, '0'),
      ${today} - (i % ${DAYS}::int), ${today} + (i % 365),
      case when i % 50 = 0 then 'churned' else 'active' end,
      case when i % 50 = 0 then ${now} - (i % 400) * interval '1 day' end, 100 + i % 900
    from generate_series(1, ${accounts}::int) i`);
  // A price every 60 days from the contract start, up or down around the account's MRR; churned accounts
  // end at 0 on their churn day.
  await db.execute(sql`
    insert into account_mrr_changes (account_id, at, mrr, currency, source)
    select a.id, a.contract_start + k * 60 + interval '10 hours',
      a.mrr + ((a.id * 7 + k * 13) % 9 - 4) * 10, 'USD', 'api'
    from accounts a cross join generate_series(0, ${DAYS}::int / 60) k
    where a.contract_start + k * 60 < ${today}
      and (a.churned_at is null or a.contract_start + k * 60 < a.churned_at::date)`);
  await db.execute(sql`
    insert into account_mrr_changes (account_id, at, mrr, currency, source)
    select id, churned_at, 0, 'USD', 'api' from accounts where churned_at is not null
    on conflict do nothing`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`alter table health_snapshots drop constraint health_snapshots_account_id_day_pk`);
    await tx.execute(sql`
      insert into health_snapshots (account_id, day, score, band, components)
      select a.id, ${today} - w * 7, s.score,
        case when s.score <= 50 then 'red' when s.score <= 75 then 'yellow' else 'green' end, '[]'::jsonb
      from generate_series(${DAYS}::int / 7, 0, -1) w
      cross join lateral (select id from accounts where w >= 0) a
      cross join lateral (select least(100, greatest(0, 20 + (a.id * 37) % 70 + (w * 3 + a.id) % 11))::smallint as score) s`);
    await tx.execute(
      sql`alter table health_snapshots add constraint health_snapshots_account_id_day_pk primary key (account_id, day)`,
    );
  });
  await db.execute(sql`
    insert into account_health (account_id, score, band, components, computed_at)
    select account_id, score, band, components, ${now} from health_snapshots where day = ${today}`);
}

async function measure(label: string, db: Database, accounts: number) {
  console.log(`[${label}] generating ${accounts.toLocaleString('en')} accounts × ${DAYS} days of history…`);
  const generated = await timed(() => generate(db.orm, accounts));
  await db.orm.execute(sql`vacuum analyze`);
  const [sizes] = await rows<Record<string, number>>(
    db.orm,
    sql`select (select count(*)::int from account_mrr_changes) as movements,
          (select count(*)::int from health_snapshots) as snapshots`,
  );
  const deps: RetentionDeps = { db, clock: () => NOW, config: { timezone: 'UTC', grossMargin: '1' } };
  const report = () => retentionReport(deps, { from: '2026-02-01', to: '2026-02-28', currency: 'USD' });
  const backtest = () => healthBacktestReport(deps, 90);
  // `/cs metrics` for last month: both periods' reports, NPS/CSAT and the 12 months of the chart.
  const metrics = () =>
    retentionMetrics(deps, { choice: { kind: 'named-month', month: '2026-02' }, currency: 'USD' });
  const firstReport = await timed(report);
  const firstBacktest = await timed(backtest);
  const firstMetrics = await timed(metrics);
  const reportTimes: number[] = [];
  const backtestTimes: number[] = [];
  const metricsTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    reportTimes.push((await timed(report)).seconds);
    backtestTimes.push((await timed(backtest)).seconds);
    metricsTimes.push((await timed(metrics)).seconds);
  }
  const answered = firstReport.result.ok ? firstReport.result.report : undefined;
  return {
    database: label,
    accounts,
    rows: sizes,
    generateSeconds: generated.seconds,
    firstReportSeconds: firstReport.seconds,
    medianReportSeconds: median(reportTimes),
    firstBacktestSeconds: firstBacktest.seconds,
    medianBacktestSeconds: median(backtestTimes),
    firstMetricsSeconds: firstMetrics.seconds,
    medianMetricsSeconds: median(metricsTimes),
    nrr: answered?.nrr ?? null,
    accountsAtStart: answered?.accounts.start ?? null,
    churnedScored: firstBacktest.result.churned.scored,
  };
}

function print(r: Awaited<ReturnType<typeof measure>>): void {
  const env = machine();
  const met = (s: number) =>
    `${seconds(s)} (target ≤ ${TARGET_SECONDS} s: ${s <= TARGET_SECONDS ? 'met' : 'MISSED'})`;
  console.log(
    `\n${r.database} on ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node} (load average ${env.loadAverage1m})\n`,
  );
  console.log(
    table([
      ['accounts', r.accounts.toLocaleString('en')],
      [
        'history rows',
        Object.entries(r.rows!)
          .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
          .join(', '),
      ],
      ['generate data (SQL)', seconds(r.generateSeconds)],
      ['retention report, first', seconds(r.firstReportSeconds)],
      [`retention report, median of ${RUNS}`, met(r.medianReportSeconds)],
      ['back-test, first', seconds(r.firstBacktestSeconds)],
      [`back-test, median of ${RUNS}`, met(r.medianBacktestSeconds)],
      ['/cs metrics (a month, its 12-month chart data), first', seconds(r.firstMetricsSeconds)],
      [`/cs metrics, median of ${RUNS}`, seconds(r.medianMetricsSeconds)],
      [
        'sanity',
        `NRR ${r.nrr}, ${r.accountsAtStart} accounts at the start, ${r.churnedScored} churned scored`,
      ],
    ]),
  );
}

export async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const accounts = option('accounts', 100_000);
  const pgliteAccounts = option('pglite-accounts', accounts);
  const results: Array<Awaited<ReturnType<typeof measure>>> = [];
  const write = () => writeResults('retention', { results });
  const server = await createBenchDatabase(serverUrl, BENCH_DATABASE);
  try {
    results.push(await measure('postgresql', server.db, accounts));
    print(results.at(-1)!);
    write();
  } finally {
    await server.drop();
  }
  if (pgliteAccounts === 0) return;
  const pglite = await createPgliteDatabase();
  try {
    results.push(await measure('pglite', pglite, pgliteAccounts));
    print(results.at(-1)!);
    write();
  } finally {
    await pglite.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
