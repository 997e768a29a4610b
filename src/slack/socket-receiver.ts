import { type App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { Logger } from 'pino';
import { ACK_DEADLINE_MS, FALLBACK_ERROR } from './receiver.ts';
import type { ReplayGuard } from './replay-guard.ts';

type SocketModeClient = SocketModeReceiver['client'];
/** What the Socket Mode client hands its `slack_event` listeners: one envelope and its ack. */
interface Envelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/**
 * Bolt receiver for Socket Mode, with what Pulse's HTTP receiver guarantees:
 * - the connection is opened through `SLACK_API_URL` (`apps.connections.open`), like every other call:
 *   Bolt's own receiver sends that call to slack.com unless given client options;
 * - an envelope not acknowledged within 2.5 s is answered empty, so Slack never shows a timeout;
 * - an envelope Slack sends again (its acknowledgement was lost with a connection) is acknowledged and
 *   not run twice, whichever replica it reaches; events are deduplicated by event_id, as over HTTP;
 * - a listener's failure is logged, and a slash command's person told, instead of leaving it unanswered.
 * The Socket Mode client, with its reconnections (on `disconnect` messages, or a lost connection), is
 * Bolt's: its own dispatch is left idle, never given the app.
 */
export class SlackSocketReceiver implements Receiver {
  private app?: App;
  private readonly client: SocketModeClient;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      appToken: string;
      apiUrl?: string;
      logger: Logger;
      slackLogger: SlackLogger;
      replays: Pick<ReplayGuard, 'firstTime'>;
    },
  ) {
    this.client = new SocketModeReceiver({
      appToken: options.appToken,
      logger: options.slackLogger,
      installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
    }).client;
    this.client.on('slack_event', (envelope: Envelope) => {
      const work = this.dispatch(envelope);
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    this.client.on('connected', () => options.logger.info('slack socket mode connected'));
    this.client.on('reconnecting', () => options.logger.info('slack socket mode reconnecting'));
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once Slack said hello on the first connection. */
  async start(): Promise<void> {
    await this.client.start();
  }

  /** Closes the connection; Slack sends what arrives meanwhile to another connection, or again later. */
  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  /** Resolves once every envelope received so far is done, with its listeners' work after the ack. */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async dispatch(envelope: Envelope): Promise<void> {
    const { body, type } = envelope;
    const log = this.options.logger.child({ envelopeId: envelope.envelope_id, type });
    let acked = false;
    const respond = async (payload?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      const response = typeof payload === 'string' ? { text: payload } : (payload as Record<string, unknown>);
      // A connection gone before the acknowledgement: Slack sends the envelope again, and the guard below
      // acknowledges that one without running it twice.
      await envelope.ack(response ?? {}).catch((error) => {
        log.warn({ err: error }, 'slack envelope acknowledgement lost with its connection');
      });
    };
    const deadline = setTimeout(() => {
      log.warn('slack request not acknowledged in time');
      void respond();
    }, ACK_DEADLINE_MS);
    try {
      const replayed =
        type !== 'events_api' && !(await this.options.replays.firstTime('envelope', envelope.envelope_id));
      if (replayed) log.info('slack envelope sent again; acknowledged, not run twice');
      else
        await this.app!.processEvent({
          body,
          ack: respond,
          retryNum: envelope.retry_num,
          retryReason: envelope.retry_reason,
        });
    } catch (error) {
      log.error({ err: error }, 'slack listener failed');
      await respond(type === 'slash_commands' ? FALLBACK_ERROR : undefined);
    } finally {
      await respond();
    }
  }
}
