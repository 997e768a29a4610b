/**
 * bench/digest: the time to build the weekly digest (its five queries, the composition and the Block Kit)
 * at 100k accounts with a year of history on the PostgreSQL server: target ≤ 2 s. The history is
 * generated set-based: a health snapshot per account and day for 365 days, NPS and CSAT answers, open and
 * resolved alerts, milestones and success reviews. Figures go to bench/results/digest.json.
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { blockKitProblems } from '../sandbox/block-kit-limits.ts';
import { type Database, type Executor, rows } from '../src/db/client.ts';
import { composeDigest, digestWeekStart } from '../src/domain/digest.ts';
import { DEFAULT_REVIEW_CADENCE } from '../src/domain/reviews.ts';
import { digestBlocks } from '../src/slack/blocks/digest.ts';
import { loadDigestInput } from '../src/store/digest.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';
import { machine, median, seconds, table, timed } from './lib/timing.ts';

const NOW = new Date('2026-03-09T09:00:00Z');
const DAYS = 365;
const TARGET_SECONDS = 2;
const RUNS = 5;
const BENCH_DATABASE = 'pulse_bench_digest';

/** A year of a portfolio's history, laid out as daily work would have written it. */
async function generate(orm: Executor, accounts: number): Promise<void> {
  const db = orm;
  const now = sql`${NOW.toISOString()}::timestamptz`;
  const today = sql`${NOW.toISOString().slice(0, 10)}::date`;
  await db.execute(sql`
    insert into accounts (key, name, tier, stage, seats, owner_slack_id, contract_start, renewal_date, status, mrr)
    select 'acct-' || lpad(i::text, 6, '0'), 'Account ' || i,
      (array['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive'])[1 + i % 5],
      (array['onboarding', 'adoption', 'expansion', 'renewal'])[1 + i % 4],
      10 + (i % 20) * 5, 'U' || lpad((1 + i % 40)::text, 8, '0'),
      ${today} - (30 + i % 700), ${today} + (i % 365),
      case when i % 50 = 0 then 'churned' else 'active' end, 100 + i % 900
    from generate_series(1, ${accounts}::int) i`);
  // Scores drift day by day; one account in seven fell 25 points over the last week. Loaded as a restore
  // would load it: foreign-key triggers off (every account exists) and the primary key built after the
  // load, the same index sorted once instead of 36M checked, random inserts.
  await orm.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
    await tx.execute(sql`alter table health_snapshots drop constraint health_snapshots_account_id_day_pk`);
    await tx.execute(sql`
      insert into health_snapshots (account_id, day, score, band, components)
      select a.id, ${today} - d, s.score,
        case when s.score <= 50 then 'red' when s.score <= 75 then 'yellow' else 'green' end, '[]'::jsonb
      from generate_series(${DAYS - 1}::int, 0, -1) d
      cross join lateral (select id from accounts where d >= 0) a
      cross join lateral (select least(100, greatest(0,
        20 + (a.id * 37) % 70 + (d * 3 + a.id) % 11 - case when a.id % 7 = 0 and d < 7 then 25 else 0 end))::smallint
        as score) s`);
    await tx.execute(
      sql`alter table health_snapshots add constraint health_snapshots_account_id_day_pk primary key (account_id, day)`,
    );
  });
  await db.execute(sql`
    insert into account_health (account_id, score, band, components, computed_at)
    select account_id, score, band, components, ${now} from health_snapshots where day = ${today}`);
  await db.execute(sql`
    insert into contacts (account_id, email, role, slack_user_id)
    select id, 'champion@' || key || '.example', 'champion', 'UC' || lpad(id::text, 8, '0') from accounts`);
  // NPS every 90 days and CSAT twice a year per champion; three in five answered.
  await db.execute(sql`
    insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, status, score, created_at, sent_at, answered_at)
    select c.account_id, c.id, k.kind, 'cadence', k.kind || ':' || c.id || ':' || n, 'en',
      case when (c.id + n) % 5 < 3 then 'answered' else 'expired' end,
      case when (c.id + n) % 5 < 3 then case k.kind when 'nps' then (c.id * 7 + n) % 11 else 1 + (c.id + n) % 5 end end,
      at, at, case when (c.id + n) % 5 < 3 then at + interval '1 day' end
    from contacts c
    cross join (values ('nps', 90), ('csat', 180)) k(kind, every)
    cross join generate_series(0, ${DAYS}::int / 90) n
    cross join lateral (select ${now} - ((c.id % k.every) + n * k.every) * interval '1 day' - interval '2 days' as at) t
    where t.at > ${now} - ${DAYS}::int * interval '1 day'`);
  // One billing alert in 20 accounts (open), a health alert in 30 (acknowledged), and a year of resolved ones.
  await db.execute(sql`
    insert into alerts (account_id, kind, dedupe_key, detail, status, created_at)
    select a.id, 'billing', 'billing:evt-' || a.id,
      jsonb_build_object('externalId', 'evt-' || a.id, 'type', 'payment_failed', 'occurredAt', ${NOW.toISOString()}::text,
        'amount', (a.mrr)::text, 'currency', 'USD', 'dueDate', null, 'cardExpiresAt', null),
      'open', ${now} - (a.id % 30) * interval '1 day'
    from accounts a where a.id % 20 = 0
    union all
    select a.id, 'entered_red', 'red:' || a.id || ':1',
      jsonb_build_object('kind', 'entered_red', 'score', 40, 'previousScore', 55, 'band', 'red', 'changes', '[]'::jsonb),
      'acknowledged', ${now} - (a.id % 20) * interval '1 day'
    from accounts a where a.id % 30 = 1
    union all
    select a.id, 'fell_fast', 'fell:' || a.id || ':' || m,
      jsonb_build_object('kind', 'fell_fast', 'score', 50, 'peakScore', 70, 'peakDay', '2026-01-01', 'fall', 20,
        'band', 'red', 'changes', '[]'::jsonb),
      'resolved', ${now} - (m * 30 + a.id % 30) * interval '1 day'
    from accounts a cross join generate_series(1, 11) m where a.id % 10 = 2`);
  // Five milestones per account over its first months, the last two still planned (some overdue).
  await db.execute(sql`
    insert into milestones (account_id, title, planned_for, reached_at, recorded_by)
    select a.id, 'Milestone ' || m, a.contract_start + m * 30,
      case when m <= 3 and a.contract_start + m * 30 + (a.id % 20) <= ${today}
        then (a.contract_start + m * 30 + (a.id % 20))::timestamptz + interval '10 hours' end, 'api'
    from accounts a cross join generate_series(1, 5) m`);
  // Reviews on cadence over the year: monthly for exclusive, quarterly for high-touch; the next one scheduled.
  await db.execute(sql`
    insert into success_reviews (account_id, kind, starts_at, timezone, status, scheduled_by)
    select a.id, case a.tier when 'exclusive' then 'rms' else 'rts' end,
      ${now} - (r * case a.tier when 'exclusive' then 30 else 91 end - a.id % 25) * interval '1 day',
      'UTC', case when r = 0 then 'scheduled' else 'held' end, 'U00000001'
    from accounts a
    cross join generate_series(0, 12) r
    where a.tier in ('exclusive', 'high_touch') and a.id % 9 <> 0
      and r * case a.tier when 'exclusive' then 30 else 91 end <= ${DAYS}`);
}

async function build(db: Database) {
  const input = await loadDigestInput(db.orm, {
    now: NOW,
    zone: 'UTC',
    weekStart: digestWeekStart(NOW, 'UTC'),
    reviewCadence: DEFAULT_REVIEW_CADENCE,
  });
  const digest = composeDigest(input);
  return { digest, blocks: digestBlocks(digest, { timezone: 'UTC', locale: 'en' }) };
}

export async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const accounts = Number(process.env.BENCH_DIGEST_ACCOUNTS ?? 100_000);
  const server = await createBenchDatabase(serverUrl, BENCH_DATABASE);
  try {
    const db = server.db;
    console.log(
      `[postgresql] generating ${accounts.toLocaleString('en')} accounts × ${DAYS} days of history…`,
    );
    const generated = await timed(() => generate(db.orm, accounts));
    const vacuum = await timed(() => db.orm.execute(sql`vacuum analyze`));
    await db.orm.execute(sql`checkpoint`);
    const [sizes] = await rows<Record<string, number>>(
      db.orm,
      sql`select (select count(*)::int from health_snapshots) as snapshots, (select count(*)::int from surveys) as surveys,
        (select count(*)::int from alerts) as alerts, (select count(*)::int from milestones) as milestones,
        (select count(*)::int from success_reviews) as reviews`,
    );
    const first = await timed(() => build(db));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await timed(() => build(db))).seconds);
    const { digest, blocks } = first.result;
    const figures = {
      database: 'postgresql',
      accounts,
      rows: sizes,
      generateSeconds: generated.seconds,
      vacuumAnalyzeSeconds: vacuum.seconds,
      firstBuildSeconds: first.seconds,
      medianBuildSeconds: median(times),
      blocks: blocks.length,
      blockKitProblems: blockKitProblems(blocks, 'message'),
      openFlags: digest.flags.openCount,
      renewalsWithin60: digest.renewals.within60,
    };
    const env = machine();
    console.log(
      `\nDigest build on ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node} (load average ${env.loadAverage1m})\n`,
    );
    const met = figures.medianBuildSeconds <= TARGET_SECONDS ? 'met' : 'MISSED';
    console.log(
      table([
        ['accounts', accounts.toLocaleString('en')],
        [
          'history rows',
          Object.entries(sizes!)
            .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
            .join(', '),
        ],
        ['generate data (SQL)', seconds(figures.generateSeconds)],
        ['first build (cold)', seconds(figures.firstBuildSeconds)],
        [
          `build, median of ${RUNS}`,
          `${seconds(figures.medianBuildSeconds)} (target ≤ ${TARGET_SECONDS} s: ${met})`,
        ],
        ['message', `${figures.blocks} blocks, ${figures.blockKitProblems.length} Block Kit problems`],
      ]),
    );
    writeResults('digest', { results: [figures] }, env);
  } finally {
    await server.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
