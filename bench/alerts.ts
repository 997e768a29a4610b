/**
 * bench/alerts: an alert storm against Slack's chat.postMessage limit. `npm run bench alerts`, or
 * `npx tsx bench/alerts.ts [--accounts 10000] [--channels 50]`.
 *
 * On the PostgreSQL server of BENCH_DATABASE_URL (its own database `pulse_bench_alerts`, created and
 * dropped here): `accounts` accounts, spread over `channels` account channels, have usage that puts them
 * in red; one recomputation (the real one, with alert evaluation) raises their alerts and writes the
 * outbox rows. Then the real outbox worker, as Pulse starts it, delivers them to the Web API double, which
 * enforces about one chat.postMessage per second per channel with a short burst (a token bucket of
 * RATE per second holding BURST). Reported: the delivery time against the lower bound that bucket allows
 * (goal: within 10%), 429s received (goal: under 1% of calls), and duplicates and losses (both 0), read
 * from the messages the double recorded. Figures go to bench/results/alerts.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { SlackDouble } from '../sandbox/slack-double.ts';
import { DEFAULT_WORKSPACE } from '../sandbox/workspace.ts';
import { systemClock } from '../src/clock.ts';
import { rows } from '../src/db/client.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../src/domain/health.ts';
import { createOutboxClient, startOutboxWorker } from '../src/jobs/outbox-worker.ts';
import { createMetrics } from '../src/metrics.ts';
import { createHealthRecomputer } from '../src/services/health.ts';
import { createBenchDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { machine, seconds, table, timed } from './lib/timing.ts';

const BOT_TOKEN = 'xoxb-bench-alerts';
const BENCH_DATABASE = 'pulse_bench_alerts';
/** Slack's chat.postMessage limit as the double enforces it: RATE per second per channel, bursts of BURST. */
const RATE = 1;
const BURST = 3;
const DAYS = 30;
const TIME_GOAL = 1.1;
const RATE_LIMITED_GOAL = 0.01;

interface Figures {
  database: string;
  accounts: number;
  channels: number;
  limit: { perChannelPerSecond: number; burst: number };
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

/** Accounts using 2% of their seats for a month and with no champion: red on the first recomputation. */
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
    select a.id, 'active_users', ${today}::timestamptz - d * interval '1 day', 2
    from generate_series(${DAYS - 1}::int, 0, -1) d cross join accounts a`);
  await db.execute(sql`
    insert into contacts (account_id, email, role)
    select id, 'user@' || key || '.example', 'user' from accounts`);
}

async function measure(accounts: number, channels: number): Promise<Figures> {
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
    const evaluated = await timed(() => recomputer.recomputeAll());
    const perChannel = await rows<{ channel: string; count: number }>(
      db.orm,
      sql`select payload->>'channel' as channel, count(*)::int as count from slack_outbox
        where method = 'chat.postMessage' group by 1`,
    );
    const messages = perChannel.reduce((sum, c) => sum + c.count, 0);
    const busiestChannel = Math.max(0, ...perChannel.map((c) => c.count));
    // The earliest the double lets the last post of the busiest channel through: its first BURST posts at
    // once, then one per 1/RATE seconds.
    const lowerBoundSeconds = Math.max(0, busiestChannel - BURST) / RATE;
    console.log(
      `  ${messages.toLocaleString('en')} alerts enqueued by the recomputation (${seconds(evaluated.seconds)}), ` +
        `at most ${busiestChannel} per channel; delivering (lower bound ${seconds(lowerBoundSeconds)})…`,
    );

    double.rateLimit('chat.postMessage', { perChannelPerSecond: RATE, burst: BURST });
    const started = Date.now();
    const worker = startOutboxWorker({
      db,
      client: createOutboxClient(BOT_TOKEN, { slackApiUrl: slack.url }),
      logger,
      clock: systemClock,
    });
    await worker.drain(Math.max(120_000, lowerBoundSeconds * 3_000));
    await worker.stop();

    const calls = double.callsTo('chat.postMessage');
    const accepted = calls.filter((c) => c.status === 200 && (c.response as { ok?: boolean }).ok);
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
      accounts,
      channels,
      limit: { perChannelPerSecond: RATE, burst: BURST },
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
    ['accounts turning red', `${f.accounts.toLocaleString('en')} over ${f.channels} channels`],
    [
      'double’s limit',
      `${f.limit.perChannelPerSecond}/s per channel, bursts of ${f.limit.burst} (chat.postMessage)`,
    ],
    ['seed (SQL)', seconds(f.seedSeconds)],
    [
      'recomputation + evaluation',
      `${seconds(f.evaluationSeconds)}: ${f.messages.toLocaleString('en')} alerts enqueued`,
    ],
    [
      'delivery',
      `${seconds(f.deliverySeconds)} vs lower bound ${seconds(f.lowerBoundSeconds)} ` +
        `(${f.busiestChannel} in the busiest channel): ${((f.ratio - 1) * 100).toFixed(1)}% above ` +
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
    options: { accounts: { type: 'string' }, channels: { type: 'string' } },
    strict: false,
  });
  const accounts = Number(values.accounts ?? 10_000);
  const channels = Number(values.channels ?? 50);
  if (!(accounts > 0 && channels > 0 && channels <= 999))
    throw new Error('--accounts > 0, 0 < --channels ≤ 999');
  console.log(`bench/alerts: ${accounts} accounts turning red at once, ${channels} channels`);
  const figures = await measure(accounts, channels);
  const env = machine();
  console.log(
    `\nOutbox delivery under the rate limit on ${env.cpus} × ${env.cpuModel}, Node ${env.node} ` +
      `(load average ${env.loadAverage1m} at the end)\n${report(figures)}`,
  );
  const out = new URL('./results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL('alerts.json', out),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: env, figures }, null, 2)}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
