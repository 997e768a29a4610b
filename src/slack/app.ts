import { App, LogLevel } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';
import type { Deps } from '../deps.ts';
import { rememberUserLocale } from '../services/user-locales.ts';
import { createAccess } from './access.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { createListeners } from './listeners.ts';
import { SlackHttpReceiver } from './receiver.ts';
import { createReplayGuard } from './replay-guard.ts';
import { SlackSocketReceiver } from './socket-receiver.ts';
import { refuseUnstorableText } from './unstorable-text.ts';

/**
 * Bolt and @slack/web-api log through pino, so every line is JSON and secrets stay redacted. An error
 * they log goes through pino's error serializer, which keeps a failed query's data out of the line.
 */
function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const err = msg.find((m) => m instanceof Error);
      const text = msg
        .filter((m) => m !== err)
        .map(String)
        .join(' ');
      if (err) child[level]({ err }, text || 'slack error');
      else child[level](text);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export interface SlackApp {
  app: App;
  /** Present in HTTP mode: the route handler for POST /slack/events. */
  httpReceiver?: SlackHttpReceiver;
  /**
   * Closes the Socket Mode connection, then waits for the requests already received: their listeners
   * keep working after the ack (a command answered through its response_url), and need the database.
   */
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode on Pulse's own server, or Socket Mode when an app token is set. Every Web API
 * call goes to `SLACK_API_URL` when it is set, `apps.connections.open` included. `init()` calls auth.test, so a bad token fails start-up.
 */
export async function createSlackApp(
  deps: Deps,
  slack: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string },
): Promise<SlackApp> {
  const logger = slackLogger(deps.logger);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const replays = createReplayGuard(deps);
  const httpReceiver = slack.appToken
    ? undefined
    : new SlackHttpReceiver({
        signingSecret: slack.signingSecret!,
        logger: deps.logger,
        replays,
        now: () => +deps.clock(),
      });
  const receiver =
    httpReceiver ??
    new SlackSocketReceiver({
      appToken: slack.appToken!,
      apiUrl: slack.apiUrl,
      logger: deps.logger,
      slackLogger: logger,
      replays,
    });
  const app = new App({
    token: slack.botToken,
    receiver,
    logger,
    clientOptions,
    // Pulse keeps no per-conversation state in Bolt: its default in-memory store would cost every event
    // a lookup and grow with every conversation.
    convoStore: false,
    deferInitialization: true,
  });
  await app.init();
  app.use(replays.onceEachEvent);
  app.use(refuseUnstorableText(deps.logger));
  // Commands, clicks and the App Home share one access check and its caches of what Slack says.
  const access = createAccess(
    { team: deps.config.csTeam, viewers: deps.config.csViewers },
    {
      clock: deps.clock,
      logger: deps.logger,
      locale: deps.config.locale,
      rememberLocale: (userId, slackLocale) =>
        rememberUserLocale(deps.db.orm, userId, slackLocale, deps.clock()),
    },
  );
  // One Bolt middleware finds each request's listener by its id, instead of Bolt running every
  // listener's matchers for every request (see listeners.ts).
  const listeners = createListeners(app.client);
  registerCommands(listeners, deps, access);
  registerActions(listeners, deps, access);
  const stopEvents = registerEvents(listeners, deps, access);
  app.use(listeners.dispatch);
  return {
    app,
    httpReceiver,
    async stop() {
      if (slack.appToken) await app.stop();
      await receiver.idle();
      await stopEvents();
    },
  };
}
