/**
 * bench/alerts: a storm of failed payments against Slack's chat.postMessage limit. `npm run bench alerts`,
 * or `npx tsx bench/alerts.ts [--accounts 1000] [--channels 50] [--processes 1] [--rate 1]`.
 *
 * On the PostgreSQL server of BENCH_DATABASE_URL (its own database `pulse_bench_alerts`, created and
 * dropped here): `accounts` healthy accounts, spread over `channels` account channels, each get one
 * failed payment at once; one recomputation (the real one, with alert evaluation) raises their alerts and
 * writes the outbox rows: one incident per account, the payment's flag with the score's fall as its line.
 * Then the real outbox worker, as Pulse starts it (or `processes` of them, each in a process of its own,
 * sharing the channels' budgets through the database as replicas do), delivers them to the Web API
 * double, which enforces about one chat.postMessage per second per channel with a short burst (a token
 * bucket of RATE per second holding BURST). Reported: the delivery time against the lower bound that
 * bucket allows (goal: within 10%), 429s received (goal: under 1% of calls), and duplicates and losses
 * (both 0), read from the messages the double recorded. Figures go to bench/results/alerts.json.
 *
 * `--rate` scales Slack's limit (the double's and the workers' pacing alike, e.g. 0.5 per second): on a
 * machine too busy to send the 59 posts a second that 1,000 posts over 50 channels need at Slack's rate,
 * it tells how closely pacing follows the limit apart from how fast the machine can post.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { SlackDouble } from '../sandbox/slack-double.ts';
import { DEFAULT_WORKSPACE } from '../sandbox/workspace.ts';
import { systemClock } from '../src/clock.ts';
import { openDatabase, rows } from '../src/db/client.ts';
import { SLACK_POST_PACING } from '../src/domain/channel-pacing.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../src/domain/health.ts';
import { createOutboxClient, startOutboxWorker } from '../src/jobs/outbox-worker.ts';
import { createMetrics } from '../src/metrics.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { outstandingMessages } from '../src/store/outbox.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';
import { machine, seconds, table, timed } from './lib/timing.ts';

const BOT_TOKEN = 'xoxb-bench-alerts';
const BENCH_DATABASE = 'pulse_bench_alerts';
/** Slack's chat.postMessage limit as the double enforces it: `rate` per second per channel, bursts of BURST. */
const BURST = 3;
const DAYS = 30;
const TIME_GOAL = 1.1;

/** Pulse's pacing at `rate` posts per second per channel (Slack's is 1). */
const pacingAt = (rate: number) => ({ ...SLACK_POST_PACING, perSecond: rate });
const RATE_LIMITED_GOAL = 0.01;

interface Figures {
  database: string;
  /** Outbox workers, each in its own process when more than one. */
  processes: number;
  accounts: number;
  channels: number;
  limit: { perChannelPerSecond: number; burst: number };
  /** Open incidents after the storm: one per account. */
  incidents: number;
  /** chat.postMessage rows the recomputation enqueued, and the most of them one channel got. */
  messages: number;
  busiestChannel: number;
  seedSeconds: number;
  evaluationSeconds: number;
  deliverySeconds: number;
  lowerBoundSeconds: number;
  /** deliverySeconds / lowerBoundSeconds. */
  ratio: number;
  postMessageCalls: number;
  rateLimited: number;
  duplicates: number;
  losses: number;
}

const channelId = (i: number) => `C0STORM${String(i).padStart(3, '0')}`;

/** Healthy accounts: 80% of their seats active every day for a month, a champion among their contacts. */
async function seed(db: Parameters<typeof rows>[0], accounts: number, channels: number, now: Date) {
  const today = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  await db.execute(sql`
    insert into accounts (key, name, tier, stage, seats, owner_slack_id, renewal_date, status, mrr, channel_id)
    select 'storm-' || lpad(i::text, 6, '0'), 'Storm ' || i,
      (array['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive'])[1 + i % 5],
      'adoption', 100, 'U0CSM0000' || (1 + i % 2), ${today}::date + 300, 'active', 500 + i % 500,
      'C0STORM' || lpad((1 + i % ${channels}::int)::text, 3, '0')
    from generate_series(1, ${accounts}::int) i`);
  await db.execute(sql`
    insert into metric_points (account_id, metric, at, value)
    select a.id, 'active_users', ${today}::timestamptz - d * interval '1 day', 80
    from generate_series(${DAYS - 1}::int, 0, -1) d cross join accounts a`);
  await db.execute(sql`
    insert into contacts (account_id, email, role)
    select id, 'champion@' || key || '.example', 'champion' from accounts`);
}

/** One failed payment per account, an hour ago: Stripe's `invoice.payment_failed`, as ingestion stores it. */
async function failPayments(db: Parameters<typeof rows>[0], now: Date) {
  await db.execute(sql`
    insert into billing_events (account_id, external_id, type, occurred_at, amount, currency, due_date)
    select id, 'in_storm_' || id, 'payment_failed', ${now.toISOString()}::timestamptz - interval '1 hour',
      mrr, 'USD', (${now.toISOString()}::timestamptz + interval '7 days')::date
    from accounts`);
}

/** Outbox workers in processes of their own (this file with `--worker`), each printing `ready` once started. */
async function startWorkerProcesses(count: number, databaseUrl: string, slackApiUrl: string, rate: number) {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--worker'], {
      env: {
        ...process.env,
        BENCH_WORKER_DATABASE_URL: databaseUrl,
        BENCH_WORKER_SLACK_URL: slackApiUrl,
        BENCH_WORKER_RATE: String(rate),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`outbox worker process exited with ${code}`)));
    });
  }
  return {
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** The `--worker` side: one outbox worker, as Pulse starts it, until SIGTERM. */
async function runWorker() {
  const db = await openDatabase({ url: process.env.BENCH_WORKER_DATABASE_URL!, poolSize: 4 });
  const worker = startOutboxWorker({
    db,
    client: createOutboxClient(BOT_TOKEN, { slackApiUrl: process.env.BENCH_WORKER_SLACK_URL! }),
    // stderr: the parent reads this process's stdout only for `ready`, and shows its stderr.
    logger: pino({ level: 'warn' }, pino.destination(2)),
    clock: systemClock,
    pacing: pacingAt(Number(process.env.BENCH_WORKER_RATE)),
  });
  process.once('SIGTERM', async () => {
    await worker.stop();
    await db.close();
    process.exit(0);
  });
  process.stdout.write('ready\n');
}

async function measure(
  accounts: number,
  channels: number,
  processes: number,
  rate: number,
): Promise<Figures> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const server = await createBenchDatabase(serverUrl, BENCH_DATABASE);
  const double = new SlackDouble({
    botToken: BOT_TOKEN,
    workspace: {
      ...DEFAULT_WORKSPACE,
      channels: Array.from({ length: channels }, (_, i) => ({
        id: channelId(i + 1),
        name: `storm-${i + 1}`,
        members: ['U0PULSEBOT', 'U0CSM00001', 'U0CSM00002'],
      })),
    },
  });
  const slack = await double.listen();
  const logger = pino({ level: 'warn' });
  try {
    const db = server.db;
    const now = new Date();
    const seeded = await timed(() => seed(db.orm, accounts, channels, now));
    await db.orm.execute(sql`vacuum analyze`);
    const recomputer = createHealthRecomputer({
      db,
      clock: systemClock,
      logger,
      metrics: createMetrics(),
      config: { health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS }, timezone: 'UTC' },
    });
    // The healthy baseline first (no alert), then the storm: each account's payment fails at once.
    await recomputer.recomputeAll();
    await failPayments(db.orm, now);
    const evaluated = await timed(() => recomputer.recomputeAll());
    const [open] = await rows<{ incidents: number }>(
      db.orm,
      sql`select count(*)::int as incidents from incidents where resolved_at is null`,
    );
    const perChannel = await rows<{ channel: string; count: number }>(
      db.orm,
      sql`select payload->>'channel' as channel, count(*)::int as count from slack_outbox
        where method = 'chat.postMessage' group by 1`,
    );
    const messages = perChannel.reduce((sum, c) => sum + c.count, 0);
    const busiestChannel = Math.max(0, ...perChannel.map((c) => c.count));
    // The earliest the double lets the last post of the busiest channel through: its first BURST posts at
    // once, then one per 1/rate seconds.
    const lowerBoundSeconds = Math.max(0, busiestChannel - BURST) / rate;
    console.log(
      `  ${messages.toLocaleString('en')} posts enqueued by the recomputation (${seconds(evaluated.seconds)}), ` +
        `at most ${busiestChannel} per channel; delivering (lower bound ${seconds(lowerBoundSeconds)})…`,
    );

    double.rateLimit('chat.postMessage', { perChannelPerSecond: rate, burst: BURST });
    const drainMs = Math.max(120_000, lowerBoundSeconds * 3_000);
    if (processes === 1) {
      const worker = startOutboxWorker({
        db,
        client: createOutboxClient(BOT_TOKEN, { slackApiUrl: slack.url }),
        logger,
        clock: systemClock,
        pacing: pacingAt(rate),
      });
      await worker.drain(drainMs);
      await worker.stop();
    } else {
      const workers = await startWorkerProcesses(processes, server.url, slack.url, rate);
      try {
        const deadline = Date.now() + drainMs;
        while ((await outstandingMessages(db.orm)).count > 0) {
          if (Date.now() > deadline) {
            const left = await rows(
              db.orm,
              sql`select status, last_error, count(*)::int as count from slack_outbox
                where status in ('pending', 'sending') group by 1, 2`,
            );
            throw new Error(`outbox not drained after ${drainMs} ms: ${JSON.stringify(left)}`);
          }
          await sleep(100);
        }
      } finally {
        await workers.stop();
      }
    }

    const calls = double.callsTo('chat.postMessage');
    const accepted = calls.filter((c) => c.status === 200 && (c.response as { ok?: boolean }).ok);
    // From the first post, so that starting the workers' processes is not counted.
    const started = Math.min(...calls.map((c) => c.at));
    const deliverySeconds = (Math.max(started, ...accepted.map((c) => c.at)) - started) / 1000;
    const posted = new Map<number, number>();
    for (let i = 1; i <= channels; i++)
      for (const message of double.messages(channelId(i))) {
        const id = (message.metadata as { event_payload?: { outbox_id?: number } } | undefined)?.event_payload
          ?.outbox_id;
        if (id !== undefined) posted.set(Number(id), (posted.get(Number(id)) ?? 0) + 1);
      }
    const stored = await rows<{ id: number; status: string; ts: string | null }>(
      db.orm,
      sql`select id::int as id, status, ts from slack_outbox where method = 'chat.postMessage'`,
    );
    const duplicates = [...posted.values()].reduce((sum, n) => sum + n - 1, 0);
    const losses = stored.filter((r) => r.status !== 'sent' || !posted.has(r.id)).length;
    return {
      database: 'postgresql',
      processes,
      incidents: open!.incidents,
      accounts,
      channels,
      limit: { perChannelPerSecond: rate, burst: BURST },
      messages,
      busiestChannel,
      seedSeconds: seeded.seconds,
      evaluationSeconds: evaluated.seconds,
      deliverySeconds,
      lowerBoundSeconds,
      ratio: lowerBoundSeconds > 0 ? deliverySeconds / lowerBoundSeconds : Number.NaN,
      postMessageCalls: calls.length,
      rateLimited: calls.filter((c) => c.status === 429).length,
      duplicates,
      losses,
    };
  } finally {
    await slack.close();
    await server.drop();
  }
}

function report(f: Figures): string {
  const share = f.postMessageCalls ? f.rateLimited / f.postMessageCalls : 0;
  return table([
    ['failed payments', `${f.accounts.toLocaleString('en')} accounts over ${f.channels} channels`],
    ['outbox workers', f.processes === 1 ? '1 (in this process)' : `${f.processes} processes`],
    [
      'double’s limit',
      `${f.limit.perChannelPerSecond}/s per channel, bursts of ${f.limit.burst} (chat.postMessage)`,
    ],
    ['seed (SQL)', seconds(f.seedSeconds)],
    [
      'recomputation + evaluation',
      `${seconds(f.evaluationSeconds)}: ${f.incidents.toLocaleString('en')} incidents, ` +
        `${f.messages.toLocaleString('en')} posts enqueued`,
    ],
    [
      'delivery',
      `${seconds(f.deliverySeconds)} vs lower bound ${seconds(f.lowerBoundSeconds)} ` +
        `(${f.busiestChannel} in the busiest channel, ${Math.round(f.messages / f.lowerBoundSeconds)} posts/s ` +
        `needed; ${Math.round(f.messages / f.deliverySeconds)} posts/s sent): ` +
        `${((f.ratio - 1) * 100).toFixed(1)}% above ` +
        `(goal ≤ ${Math.round((TIME_GOAL - 1) * 100)}%: ${f.ratio <= TIME_GOAL ? 'met' : 'MISSED'})`,
    ],
    [
      '429s received',
      `${f.rateLimited} of ${f.postMessageCalls.toLocaleString('en')} calls, ${(share * 100).toFixed(2)}% ` +
        `(goal < ${RATE_LIMITED_GOAL * 100}%: ${share < RATE_LIMITED_GOAL ? 'met' : 'MISSED'})`,
    ],
    ['duplicates', `${f.duplicates}${f.duplicates === 0 ? '' : ' (MUST BE 0)'}`],
    ['losses', `${f.losses}${f.losses === 0 ? '' : ' (MUST BE 0)'}`],
  ]);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: 'string' },
      channels: { type: 'string' },
      processes: { type: 'string' },
      rate: { type: 'string' },
      worker: { type: 'boolean' },
    },
    strict: false,
  });
  if (values.worker) return runWorker();
  const accounts = Number(values.accounts ?? 1_000);
  const channels = Number(values.channels ?? 50);
  const processes = Number(values.processes ?? 1);
  const rate = Number(values.rate ?? 1);
  const valid = accounts > 0 && channels > 0 && channels <= 999 && rate > 0;
  if (!(valid && Number.isInteger(processes) && processes >= 1))
    throw new Error('--accounts > 0, 0 < --channels ≤ 999, --processes ≥ 1, --rate > 0');
  console.log(
    `bench/alerts: ${accounts} failed payments at once over ${channels} channels, ` +
      `${processes} outbox worker${processes === 1 ? '' : ' processes'}, ${rate} post/s per channel`,
  );
  const figures = await measure(accounts, channels, processes, rate);
  const env = machine();
  console.log(
    `\nOutbox delivery under the rate limit on ${env.cpus} × ${env.cpuModel}, Node ${env.node} ` +
      `(load average ${env.loadAverage1m} at the end)\n${report(figures)}`,
  );
  writeResults(
    `alerts${processes === 1 ? '' : `-${processes}-processes`}${rate === 1 ? '' : `-rate-${rate}`}`,
    { figures },
    env,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
