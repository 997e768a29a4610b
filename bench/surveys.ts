/**
 * bench/surveys: a quarterly NPS wave to 10,000 champions, delivered through a Web API double that
 * enforces Slack's limits: conversations.open and users.lookupByEmail Tier 3 (50 a minute),
 * chat.postEphemeral Tier 4 (100 a minute), chat.postMessage one a second per channel. Reports the total
 * time against the lower bound those limits allow, the 429s received, duplicates and losses (both must
 * be 0), on the PostgreSQL server and on PGlite.
 *
 * At Slack's own rates the wave takes hours (10,000 conversations.open at 50 a minute is 200 minutes),
 * so time is scaled: every limit is multiplied by `--scale` (default 100), and a figure in real Slack
 * time is the measured one times the scale. Retry-After stays at least 1 s, as Slack sends it, which
 * costs the scaled run relatively more than real Slack: the ratio to the lower bound is conservative.
 * Run: npx tsx bench/surveys.ts [--champions 10000] [--scale 100]
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { SlackDouble } from '../sandbox/slack-double.ts';
import type { SandboxWorkspace, WorkspaceUser } from '../sandbox/workspace.ts';
import { SANDBOX_BOT } from '../sandbox/workspace.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, rows } from '../src/db/client.ts';
import { createOutboxClient, startOutboxWorker } from '../src/jobs/outbox-worker.ts';
import { deliverPendingSurveys } from '../src/services/surveys.ts';
import { SURVEY_BLOCK } from '../src/slack/constants.ts';
import { createSurveys } from '../src/store/surveys/create.ts';
import { createBenchDatabase, createPgliteDatabase, DEFAULT_BENCH_DATABASE_URL } from './lib/database.ts';
import { writeResults } from './lib/results.ts';
import { table } from './lib/timing.ts';

const BOT_TOKEN = 'xoxb-bench-surveys';
const TIER3_PER_MINUTE = 50;
const TIER4_PER_MINUTE = 100;
/** Champions per account; each account has a shared channel (Slack Connect). */
const PER_ACCOUNT = 2;
/** Shares of champions: known only by e-mail (lookup), DM refused and in the channel, refused and not. */
const BY_EMAIL_EVERY = 5;
const REFUSED_MEMBER_EVERY = 20;
const REFUSED_OUTSIDER_EVERY = 50;

const option = (name: string, fallback: number) => {
  const args = process.argv;
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const value = args[at]!.includes('=') ? args[at]!.split('=')[1] : args[at + 1];
  return Number(value) || fallback;
};

const userId = (n: number) => `U${String(n).padStart(8, '0')}`;
const channelId = (account: number) => `C${String(account).padStart(8, '0')}`;
const email = (n: number) => `champion${n}@customer${Math.ceil(n / PER_ACCOUNT)}.example`;

/** The customers' side of the workspace: champions (some external with DMs refused) and shared channels. */
function workspace(champions: number): SandboxWorkspace {
  const users: WorkspaceUser[] = [{ id: 'U0CSM00001', name: 'csm', realName: 'CSM', role: 'csm' }];
  const channels = new Map<string, string[]>();
  for (let n = 1; n <= champions; n++) {
    const refused = n % REFUSED_MEMBER_EVERY === 0 || n % REFUSED_OUTSIDER_EVERY === 0;
    users.push({
      id: userId(n),
      name: `champion${n}`,
      realName: `Champion ${n}`,
      email: email(n),
      role: 'champion',
      external: true,
      dmBlocked: refused,
    });
    const channel = channelId(Math.ceil(n / PER_ACCOUNT));
    const members = channels.get(channel) ?? [SANDBOX_BOT.userId, 'U0CSM00001'];
    if (n % REFUSED_OUTSIDER_EVERY !== 0) members.push(userId(n));
    channels.set(channel, members);
  }
  return {
    users,
    channels: [...channels].map(([id, members]) => ({
      id,
      name: `shared-${id.toLowerCase()}`,
      members,
      shared: true,
    })),
  };
}

async function seed(db: Database, champions: number): Promise<number[]> {
  const accounts = Math.ceil(champions / PER_ACCOUNT);
  await db.orm.execute(
    sql`insert into accounts (key, name, owner_slack_id, channel_id, locale)
        select 'customer-' || n, 'Customer ' || n, 'U0CSM00001', 'C' || lpad(n::text, 8, '0'),
          case when n % 3 = 0 then 'pt-BR' else 'en' end
        from generate_series(1, ${accounts}) as n`,
  );
  await db.orm.execute(
    sql`insert into contacts (account_id, email, name, slack_user_id, role, created_at)
        select a.id, 'champion' || n || '@customer' || ceil(n / ${PER_ACCOUNT}::numeric) || '.example',
          'Champion ' || n,
          case when n % ${BY_EMAIL_EVERY} = 0 then null else 'U' || lpad(n::text, 8, '0') end,
          'champion', now() - interval '1 year'
        from generate_series(1, ${champions}) as n
        join accounts a on a.key = 'customer-' || ceil(n / ${PER_ACCOUNT}::numeric)`,
  );
  const ids = await rows<{ id: number }>(db.orm, sql`select id from contacts order by id`);
  return ids.map((r) => r.id);
}

interface Figures {
  database: string;
  champions: number;
  scale: number;
  seconds: number;
  /** When the last survey had its route and its post was enqueued. */
  routedSeconds: number;
  lowerBoundSeconds: number;
  ratio: number;
  realSlackMinutes: number;
  realSlackLowerBoundMinutes: number;
  rateLimited: { delivery: number; byMethod: Record<string, number> };
  routes: Record<string, number>;
  duplicates: number;
  losses: number;
}

async function measure(label: string, db: Database, champions: number, scale: number): Promise<Figures> {
  const double = new SlackDouble({ botToken: BOT_TOKEN, workspace: workspace(champions) });
  const tier3 = { perMinute: TIER3_PER_MINUTE * scale, burst: (TIER3_PER_MINUTE * scale) / 60 };
  double.rateLimit('conversations.open', tier3);
  double.rateLimit('users.lookupByEmail', tier3);
  double.rateLimit('chat.postEphemeral', {
    perMinute: TIER4_PER_MINUTE * scale,
    burst: (TIER4_PER_MINUTE * scale) / 60,
  });
  double.rateLimit('chat.postMessage', { perChannelPerSecond: scale, burst: 1 });
  const slack = await double.listen();
  const logger = pino({ level: 'warn' });
  const deps = {
    db,
    clock: () => new Date(),
    logger,
    config: loadConfig({ CS_ALERT_CHANNEL: 'C0CSALERTS', SURVEY_PRODUCT_NAME: 'Pulse' }),
  };
  const contactIds = await seed(db, champions);
  const now = new Date();
  const slot = now.toISOString().slice(0, 10);
  await db.orm.transaction((tx) =>
    createSurveys(
      tx,
      contactIds.map((contactId) => ({
        contactId,
        kind: 'nps' as const,
        trigger: 'cadence' as const,
        dedupeKey: `nps:${contactId}:${slot}`,
      })),
      now,
    ),
  );

  const client = createOutboxClient(BOT_TOKEN, { slackApiUrl: slack.url });
  const outbox = startOutboxWorker({ db, client, logger, clock: deps.clock, pollMs: 100 });
  const started = performance.now();
  const report = await deliverPendingSurveys(deps, client, { concurrency: 8 });
  const routedSeconds = (performance.now() - started) / 1000;
  await outbox.drain(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  await outbox.stop();
  await slack.close();

  const byMethod: Record<string, number> = {};
  for (const call of double.calls)
    if (call.status === 429) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
  // Every survey message carries its id in its buttons' values: count what Slack shows per survey.
  const shown = new Map<number, number>();
  const count = (blocks: unknown[] | undefined) => {
    const scores = (
      blocks as Array<{ block_id?: string; elements?: Array<{ value?: string }> }> | undefined
    )?.find((b) => b.block_id === SURVEY_BLOCK.scores);
    const id = Number(scores?.elements?.[0]?.value?.split(':')[0]);
    if (id) shown.set(id, (shown.get(id) ?? 0) + 1);
  };
  for (const channel of double.conversations()) for (const m of double.messages(channel.id)) count(m.blocks);
  for (const e of double.ephemerals()) count(e.blocks);
  const surveys = await rows<{ id: number; status: string; route: string | null }>(
    db.orm,
    sql`select id::int as id, status, route from surveys`,
  );
  const routes: Record<string, number> = {};
  let losses = 0;
  for (const s of surveys) {
    const key = s.route ?? s.status;
    routes[key] = (routes[key] ?? 0) + 1;
    // Lost: still waiting at the end, or recorded as sent while Slack shows nothing.
    if (s.status === 'pending' || (s.status !== 'undeliverable' && !shown.has(s.id))) losses += 1;
  }
  const duplicates = [...shown.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);

  // Every champion's DM is attempted once (conversations.open); those without a Slack ID are looked up
  // first. Each Tier 3 bucket starts with its burst; the slower of the two buckets bounds the wave.
  const perSecond = (TIER3_PER_MINUTE * scale) / 60;
  const lookups = contactIds.filter((_, i) => (i + 1) % BY_EMAIL_EVERY === 0).length;
  const lowerBoundSeconds = Math.max(0, Math.max(champions, lookups) - tier3.burst) / perSecond;
  const figures: Figures = {
    database: label,
    champions,
    scale,
    seconds: Math.round(seconds * 10) / 10,
    routedSeconds: Math.round(routedSeconds * 10) / 10,
    lowerBoundSeconds: Math.round(lowerBoundSeconds * 10) / 10,
    ratio: Math.round((seconds / lowerBoundSeconds) * 100) / 100,
    realSlackMinutes: Math.round((seconds * scale) / 60),
    realSlackLowerBoundMinutes: Math.round((lowerBoundSeconds * scale) / 60),
    rateLimited: { delivery: report.rateLimited, byMethod },
    routes,
    duplicates,
    losses,
  };
  console.log(`\n${label}`);
  console.log(
    table([
      ['total', `${figures.seconds} s (lower bound ${figures.lowerBoundSeconds} s, ×${figures.ratio})`],
      ['all routed', `${figures.routedSeconds} s (the rest: the outbox posting)`],
      [
        'in real Slack time',
        `${figures.realSlackMinutes} min (lower bound ${figures.realSlackLowerBoundMinutes} min)`,
      ],
      ['429s', `${Object.values(byMethod).reduce((a, b) => a + b, 0)} ${JSON.stringify(byMethod)}`],
      ['routes', JSON.stringify(routes)],
      ['duplicates', String(duplicates)],
      ['losses', String(losses)],
    ]),
  );
  return figures;
}

export async function main(): Promise<void> {
  const champions = option('champions', 10_000);
  const scale = option('scale', 100);
  console.log(
    `bench/surveys: NPS wave to ${champions} champions; Slack's limits ×${scale} (Tier 3 = ${TIER3_PER_MINUTE * scale}/min)`,
  );
  const figures: Figures[] = [];
  const server = await createBenchDatabase(
    process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL,
    'pulse_bench_surveys',
  );
  try {
    figures.push(await measure('postgres', server.db, champions, scale));
  } finally {
    await server.drop();
  }
  const pglite = await createPgliteDatabase();
  try {
    figures.push(await measure('pglite', pglite, champions, scale));
  } finally {
    await pglite.close();
  }
  writeResults('surveys', { figures });
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await main();
