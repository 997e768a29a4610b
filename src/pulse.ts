import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { demoSources } from '../demo/connectors.ts';
import { DEMO_HUBSPOT_PROPERTIES } from '../demo/data/connectors.ts';
import { loadDemoData } from '../demo/load.ts';
import { DEMO_ALERTS_CHANNEL, DEMO_CS_LEAD, DEMO_WORKSPACE } from '../demo/workspace.ts';
import { type SandboxSources, startSandboxSources } from '../sandbox/connectors.ts';
import { registerSandbox } from '../sandbox/index.ts';
import { registerReportRoutes } from './api/reports.ts';
import { registerIngestionRoutes } from './api/routes.ts';
import { registerStripeWebhook } from './api/stripe-webhook.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { runHubspotSync } from './connectors/hubspot/sync.ts';
import { registerSegmentRoutes } from './connectors/segment/routes.ts';
import { runZendeskSync, ZENDESK_SYNC_CRON } from './connectors/zendesk/sync.ts';
import { registerZendeskWebhook } from './connectors/zendesk/webhook.ts';
import { type Database, openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { drainable } from './http/draining.ts';
import { registerHealthRoute } from './http/health-routes.ts';
import { registerOpsRoutes } from './http/ops-routes.ts';
import { createHttpServer } from './http/server.ts';
import { createOutboxClient, startOutboxWorker } from './jobs/outbox-worker.ts';
import { nextDueAt, startSchedules } from './jobs/scheduler.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { checkAlertChannel } from './services/channel-sharing.ts';
import { createHealthRecomputer } from './services/health.ts';
import { runFirstValueCheck } from './services/milestones.ts';
import { runReviewSchedule } from './services/reviews.ts';
import { createSlackApp, type SlackApp } from './slack/app.ts';
import { NOTE } from './slack/constants.ts';

/** How long a stop still answers requests, telling keep-alive clients to close their connections. */
const DRAIN_MS = 1_000;

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  /** Host to listen on, over HOST; tests use 127.0.0.1. */
  host?: string;
  /**
   * An open database to use instead of the one DATABASE_URL or PULSE_DATA_DIR names. It is migrated
   * like any other; the caller keeps it and closes it after `close()`.
   */
  database?: Database;
}

export interface Pulse {
  url: string;
  deps: Deps;
  sandbox?: ReturnType<typeof registerSandbox>;
  /** The sandbox's local HubSpot and Zendesk, when it started them. */
  sources?: SandboxSources;
  close(): Promise<void>;
}

/**
 * The composition root: config → database → HTTP routes → Slack app → schedules. Without a bot token
 * the sandbox stands in for Slack: it serves the Web API double on this server and Bolt talks to it
 * exactly as it would to Slack, through SLACK_API_URL and signed requests.
 */
export async function startPulse(options: StartOptions = {}): Promise<Pulse> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  let config = withSandboxDefaults(loadConfig(env));
  const logger = options.logger ?? createLogger(config.logLevel);
  const host = options.host ?? config.host;
  const db =
    options.database ??
    (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, holder: 'npm start', logger }));
  await migrate(db);
  // The sandbox is a connected workspace: a local HubSpot and Zendesk, and a Segment write key.
  const sources = config.sandbox
    ? await startSandboxSources(env, demoSources(clock()), DEMO_HUBSPOT_PROPERTIES)
    : undefined;
  if (sources) config = withSandboxDefaults(loadConfig({ ...env, ...sources.env }));
  const closeDatabase = async () => {
    await sources?.close();
    if (!options.database) await db.close();
  };
  const metrics = createMetrics();
  const health = createHealthRecomputer({ db, clock, logger, metrics, config });
  // Queued first, so every later run compares with health scored by the model in effect.
  health
    .rescoreForModel()
    .then(
      (count) =>
        count &&
        logger.info(
          { accounts: count, model: config.health.model?.version },
          'health rescored with the model in effect',
        ),
    )
    .catch((err) => logger.error({ err }, 'rescoring health with the model in effect failed'));
  const deps: Deps = { config, db, clock, logger, metrics, health };

  const server = createHttpServer(logger, metrics);
  const intake = drainable(server);
  // With OPS_PORT the operational endpoints leave PORT for a server of their own, on loopback only.
  const opsServer = config.ops.port ? createHttpServer(logger, metrics) : undefined;
  registerHealthRoute(server, db, logger);
  registerOpsRoutes(opsServer ?? server, deps);
  registerIngestionRoutes(server, deps);
  registerReportRoutes(server, deps);
  registerStripeWebhook(server, deps);
  registerSegmentRoutes(server, deps);
  registerZendeskWebhook(server, deps);
  let slack: SlackApp | undefined;
  server.post('/slack/events', (request, reply) => {
    if (!slack?.httpReceiver)
      return reply.code(503).send({ errors: [{ path: '', message: 'Slack is not connected over HTTP' }] });
    void slack.httpReceiver.handle(request, reply);
    return reply;
  });

  const slackSettings = config.sandbox
    ? {
        botToken: `xoxb-sandbox-${randomBytes(8).toString('hex')}`,
        signingSecret: randomBytes(16).toString('hex'),
      }
    : { ...config.slack, botToken: config.slack.botToken! };
  let port = 0;
  const sandbox = config.sandbox
    ? registerSandbox(server, {
        botToken: slackSettings.botToken,
        signingSecret: slackSettings.signingSecret!,
        eventsUrl: () => `${localUrl(host, port)}/slack/events`,
        logger,
        workspace: DEMO_WORKSPACE,
        now: () => +clock(),
        messageShortcuts: [{ name: NOTE.shortcutName, callbackId: NOTE.shortcut }],
      })
    : undefined;

  await server.listen({ port: config.port, host });
  port = (server.server.address() as { port: number }).port;
  const apiUrl = config.sandbox ? `${localUrl(host, port)}/sandbox/api/` : config.slack.apiUrl;
  deps.slack = createOutboxClient(slackSettings.botToken, { slackApiUrl: apiUrl });

  try {
    await opsServer?.listen({ port: config.ops.port, host: '127.0.0.1' });
    slack = await createSlackApp(deps, { ...slackSettings, apiUrl });
    await checkAlertChannel(deps, deps.slack);
    if (config.slack.appToken) await slack.app.start();
    if (sandbox) {
      const demo = await loadDemoData(deps, { onlyIfEmpty: true });
      if (demo.loaded) {
        logger.info('demo portfolio loaded into the empty database');
        // The daily checks would wait for their next tick: run them once, so the demo's red flags show now.
        await runFirstValueCheck(deps);
        await runReviewSchedule(deps);
      }
      if (sources) await syncSandboxSources(deps, sources);
    }
  } catch (error) {
    await opsServer?.close();
    await server.close();
    await closeDatabase();
    throw error;
  }
  const stopSchedules = startSchedules(deps);
  const outbox = startOutboxWorker({
    db,
    logger,
    clock,
    metrics,
    client: deps.slack,
    timezone: config.timezone,
    locale: config.locale,
  });
  const url = localUrl(host, port);
  logger.info(
    {
      host,
      port,
      opsPort: config.ops.port,
      database: db.kind,
      mode: config.sandbox ? 'sandbox' : config.slack.appToken ? 'socket' : 'http',
    },
    config.sandbox ? `Pulse sandbox running: open ${url}/sandbox` : `Pulse listening on ${url}`,
  );

  return {
    url,
    deps,
    sandbox,
    sources,
    /**
     * The graceful stop, within a few seconds under load. For a moment, requests are still answered
     * while clients are told to close their connections and the schedules' runs in progress finish
     * (their claims recorded as finished); then new requests are refused with 503, the requests in
     * progress answered, the Slack requests received finish their work after their ack, and the
     * outbox's round in flight records its outcomes: what is left in the outbox stays pending for the
     * next process, nothing stays claimed. The servers close last, with nothing left to do.
     */
    async close() {
      intake.drain();
      await Promise.all([stopSchedules(), sleep(DRAIN_MS)]);
      await intake.refuse();
      await slack?.stop();
      await outbox.stop();
      await health.idle();
      await intake.close();
      await opsServer?.close();
      await closeDatabase();
    },
  };
}

/**
 * The sandbox's first syncs from its local sources, at start rather than at the schedule's next tick,
 * so the accounts, contacts and tickets they hold are there when the page opens.
 */
async function syncSandboxSources(deps: Deps, sources: SandboxSources): Promise<void> {
  const { config, clock } = deps;
  if (sources.hubspot && config.hubspot)
    await runHubspotSync(deps, { nextRunAt: nextDueAt(config.hubspot.cron, config.timezone, clock()) });
  if (sources.zendesk && config.zendesk)
    await runZendeskSync(deps, { nextRunAt: nextDueAt(ZENDESK_SYNC_CRON, config.timezone, clock()) });
}

/**
 * This process's own address for the interface it listens on: loopback when it listens on every
 * interface (`0.0.0.0`, `::`), else that interface, in brackets when it is IPv6.
 */
function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The sandbox's workspace has its own alert channel, CS team user group and CS lead; settings given explicitly win. */
function withSandboxDefaults(config: Config): Config {
  if (!config.sandbox) return config;
  const team = DEMO_WORKSPACE.userGroups[0]!;
  return {
    ...config,
    alertChannel: config.alertChannel ?? DEMO_ALERTS_CHANNEL,
    csTeam: config.csTeam ?? { users: [], userGroup: team.id },
    csLeads: config.csLeads.length ? config.csLeads : [DEMO_CS_LEAD.id],
  };
}
