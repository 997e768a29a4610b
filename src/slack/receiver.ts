import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { FAILURE_TEXT } from './commands/answer.ts';
import type { ReplayGuard } from './replay-guard.ts';
import { isSignedBySlack } from './request-signature.ts';

/** Slack waits 3 s; past this, the request is answered empty so Slack never shows a timeout. */
export const ACK_DEADLINE_MS = 2_500;
/** A slash command whose listener failed is answered with this, to the person only. */
export const FALLBACK_ERROR = { response_type: 'ephemeral', text: FAILURE_TEXT };

/**
 * Bolt receiver on Pulse's own HTTP server: Slack's requests arrive at `POST /slack/events` next to the
 * ingestion API, share its 1 MiB limit and metrics, and are signature-checked before Bolt sees them: a
 * timestamp more than 5 minutes off (before or after now) is refused, and a slash command or interaction
 * whose signature was seen already is answered empty, not run again (Events API deliveries are
 * deduplicated by event_id, in Bolt middleware, since Slack signs its retries anew).
 */
export class SlackHttpReceiver implements Receiver {
  private app?: App;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      signingSecret: string;
      logger: Logger;
      replays: Pick<ReplayGuard, 'firstTime'>;
      now?: () => number;
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Never rejects: the reply is always sent, and listener failures are logged. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const work = this.receive(request, reply);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Resolves once every request received so far is done, with its listeners' work after the ack. */
  async idle(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async receive(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.rawBody ?? '';
    const signature = request.headers['x-slack-signature'];
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    const valid =
      typeof signature === 'string' &&
      isSignedBySlack({
        signingSecret: this.options.signingSecret,
        body: raw,
        signature,
        timestamp,
        nowMs: this.options.now?.() ?? Date.now(),
      });
    if (!valid) {
      reply.code(401).send({ error: 'invalid_signature' });
      return;
    }
    const body = parseSlackBody(raw, String(request.headers['content-type'] ?? ''));
    if (body === undefined) {
      reply.code(400).send({ error: 'unreadable_body' });
      return;
    }
    if (body.type === 'url_verification') {
      reply.send({ challenge: body.challenge });
      return;
    }
    if (body.ssl_check) {
      reply.send();
      return;
    }
    await this.dispatch(body, signature, request, reply);
  }

  private async dispatch(
    body: Record<string, unknown>,
    signature: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    let acked = false;
    const respond = (payload: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (payload === undefined || payload === '') reply.code(200).send();
      else reply.code(200).send(payload);
    };
    const deadline = setTimeout(() => {
      this.options.logger.warn({ type: body.type ?? 'command' }, 'slack request not acknowledged in time');
      respond(undefined);
    }, ACK_DEADLINE_MS);
    const retryNum = Number(request.headers['x-slack-retry-num']);
    const event: ReceiverEvent = {
      body,
      retryNum: Number.isFinite(retryNum) ? retryNum : undefined,
      retryReason: request.headers['x-slack-retry-reason'] as string | undefined,
      ack: async (response) => respond(response),
    };
    try {
      const replayed =
        body.type !== 'event_callback' && !(await this.options.replays.firstTime('sig', signature));
      if (!replayed) await this.app!.processEvent(event);
    } catch (error) {
      this.options.logger.error({ err: error }, 'slack listener failed');
      respond(body.command ? FALLBACK_ERROR : undefined);
    } finally {
      respond(undefined);
    }
  }
}

/**
 * Slash commands and interactivity are form-encoded (interactivity as a JSON `payload`); events are JSON.
 * Anything but an object (`null`, an array, a number) is no request Slack sends: undefined, like bad JSON.
 */
export function parseSlackBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    if (contentType.includes('application/json')) body = JSON.parse(raw);
    else {
      const form = Object.fromEntries(new URLSearchParams(raw));
      body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    }
  } catch {
    return undefined;
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}
