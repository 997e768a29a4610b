import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';
import type { Deps } from '../deps.ts';
import { createAccess } from './access.ts';
import { registerActions } from './actions/index.ts';
import { registerCommands } from './commands/index.ts';
import { registerEvents } from './events/index.ts';
import { SlackHttpReceiver } from './receiver.ts';

/** Bolt and @slack/web-api log through pino, so every line is JSON and secrets stay redacted. */
function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

export interface SlackApp {
  app: App;
  /** Present in HTTP mode: the route handler for POST /slack/events. */
  httpReceiver?: SlackHttpReceiver;
  /** Stops listeners' background work (and the Socket Mode connection). */
  stop(): Promise<void>;
}

/**
 * The Bolt app: HTTP mode on Pulse's own server, or Socket Mode when an app token is set. Every Web API
 * call goes to `SLACK_API_URL` when it is set. `init()` calls auth.test, so a bad token fails start-up.
 */
export async function createSlackApp(
  deps: Deps,
  slack: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string },
): Promise<SlackApp> {
  const logger = slackLogger(deps.logger);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const httpReceiver = slack.appToken
    ? undefined
    : new SlackHttpReceiver({
        signingSecret: slack.signingSecret!,
        logger: deps.logger,
        now: () => +deps.clock(),
      });
  const receiver = httpReceiver ?? new SocketModeReceiver({ appToken: slack.appToken!, logger });
  const app = new App({
    token: slack.botToken,
    receiver,
    logger,
    clientOptions,
    deferInitialization: true,
  });
  await app.init();
  // Commands, clicks and the App Home share one access check and its caches of what Slack says.
  const access = createAccess({ team: deps.config.csTeam, viewers: deps.config.csViewers }, deps);
  registerCommands(app, deps, access);
  registerActions(app, deps, access);
  const stopEvents = registerEvents(app, deps, access);
  return {
    app,
    httpReceiver,
    async stop() {
      await stopEvents();
      if (slack.appToken) await app.stop();
    },
  };
}
