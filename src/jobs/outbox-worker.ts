/**
 * The outbox worker: delivers every message Pulse starts by itself (alerts, surveys, digests, reminders)
 * exactly once, through a crash, a Slack outage, or a second Pulse process on the same database.
 *
 * How a row moves: `pending` → claimed (`sending`) → `sent` with Slack's channel and `ts`, or back to
 * `pending` with a later `next_attempt_at`, or `failed` with the reason.
 * - Claiming is `select … for update skip locked` and commits on its own, before Slack is called: two
 *   workers never take the same row, and a crash leaves the row in `sending` with the claim's time.
 * - A claim holds the row for `leaseMs`, longer than any call can take (the client times out first).
 *   A row still `sending` after that belonged to a worker that died; any worker may claim it again.
 *   Each claim bumps `claims`, and an outcome is only recorded by the claim that still holds the row.
 * - The dangerous moment is after Slack accepted a post but before its `ts` is stored. So every
 *   chat.postMessage carries `metadata: {event_type: 'pulse_outbox', event_payload: {outbox_id}}`, and
 *   the row keeps `unconfirmed_since`, the first instant a post of it may have reached Slack without an
 *   answer (set by the claim; cleared by a definitive answer). A claim that finds it set first reads
 *   the channel's history (or the thread's replies) from that instant on, and adopts the `ts` of the
 *   message carrying its id instead of posting again. Network errors and 5xx leave it set too: Slack may
 *   have posted before the connection broke.
 * - Retries are the outbox's, not the client's (its own are off): 5xx and network errors back off
 *   exponentially with jitter, 429 waits for `Retry-After` (and does not count as an attempt), errors
 *   that will not heal (src/domain/slack-errors.ts) fail the row at once, and so does the last attempt.
 * - Posts are paced per channel (src/domain/channel-pacing.ts), by a budget every worker on the database
 *   shares: once Slack has rate-limited a post, a claim takes only the posts each channel's budget allows
 *   (none while a channel is held after its 429), so the workers' concurrency goes to channels that can
 *   take a message, two replicas keep Slack's rate between them, and a held channel holds back itself,
 *   not the queue. Claims rank rows within their channel, so every channel advances each round.
 * - Nothing internal goes into a channel shared outside the workspace (src/services/channel-sharing.ts): an
 *   `internal` row (every row but surveys, which are `customer`) is checked before it is posted or
 *   updated. Into a shared channel, a new top-level post goes to the row's `fallback_channel` when that
 *   one is internal (the row records where it went, so later updates and replies find the message), and
 *   anything else is refused: the row fails with the reason, and nothing is posted. When Slack cannot say
 *   whether a channel is shared, it counts as shared; a failure that may heal is retried like a failed post.
 * chat.update is idempotent and needs no search. An ephemeral message cannot be searched for: a crash in
 * its window may show it twice, to one person, for a moment.
 * Reading history needs the scopes channels:history, groups:history and im:history; conversations.info
 * needs channels:read and groups:read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/client.ts';
import { type ChannelPacing, SLACK_POST_PACING } from '../domain/channel-pacing.ts';
import { type ChannelRefusal, type OutboxRefusal, refusalText } from '../domain/outbox-refusals.ts';
import { isPermanentSlackError } from '../domain/slack-errors.ts';
import type { Locale } from '../i18n/index.ts';
import { type ChannelSharing, channelSharing, mayPostInternal } from '../services/channel-sharing.ts';
import { incidentDeliveryNow } from '../services/incidents.ts';
import {
  type ClaimedMessage,
  claimDueMessages,
  countOutstandingByStatus,
  holdChannel,
  nextPacedPostIn,
  type Outcome,
  outstandingMessages,
  recordOutcome,
} from '../store/outbox.ts';

export const OUTBOX_EVENT_TYPE = 'pulse_outbox';
/** The NOTIFY channel of new outbox rows (migration 0025). */
const OUTBOX_CHANNEL = 'slack_outbox';

export interface OutboxWorkerOptions {
  db: Database;
  /** Build it with `createOutboxClient` so that the outbox alone retries. */
  client: WebClient;
  logger: Logger;
  clock: Clock;
  /** Its registry gets the outbox counters; omit in tests that do not read them. */
  metrics?: { registry: Registry };
  /** How often to look for due rows when there is nothing to do. */
  pollMs?: number;
  /** Rows claimed and sent concurrently per round. */
  batchSize?: number;
  /** How long a claim holds a row; must exceed the client's timeout. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Backoff of the first retry; doubled each time, up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** chat.postMessage pacing of a channel Slack has rate-limited; defaults to Slack's 1 per second. */
  pacing?: ChannelPacing;
  /** PULSE_TIMEZONE, for an incident's message rendered when it is sent; UTC when omitted. */
  timezone?: string;
  /** PULSE_LOCALE, the language of that message (a channel post); English when omitted. */
  locale?: Locale;
}

export interface OutboxWorker {
  /** Stops polling and waits for the round in flight. */
  stop(): Promise<void>;
  /** Resolves when no row is pending or sending any more (every message sent or failed). */
  drain(timeoutMs?: number): Promise<void>;
  /** Looks for due rows now instead of at the next poll (after an enqueue). */
  wake(): void;
}

/** A WebClient for the outbox: same token and API URL as Bolt's, no retries of its own, bounded calls. */
export function createOutboxClient(
  token: string,
  options: { slackApiUrl?: string; timeoutMs?: number } = {},
) {
  return new WebClient(token, {
    ...(options.slackApiUrl && { slackApiUrl: options.slackApiUrl }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
  });
}

/** Clock skew allowed between Pulse and Slack when searching history for an unconfirmed post. */
const SKEW_MS = 60_000;
const HISTORY_PAGES = 5;
/** Budgets of paced channels falling due this close together are claimed in one round. */
const PACED_WAKE_MIN_MS = 25;
/** How soon an incident's update or reply looks again for the post it waits for (being sent right now). */
const INCIDENT_POST_WAIT_MS = 500;

/** The channel a post is paced by, or undefined for what is not paced. */
const pacedChannel = (message: ClaimedMessage) =>
  message.method === 'chat.postMessage' && typeof message.payload.channel === 'string'
    ? message.payload.channel
    : undefined;

function outboxCounters(registry: Registry | undefined) {
  const counter = (name: string, help: string, labelNames: string[]) =>
    (registry?.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help, labelNames, registers: registry ? [registry] : [] });
  return {
    delivered: counter('pulse_outbox_delivered_total', 'Outbox messages delivered to Slack, by method', [
      'method',
    ]),
    adopted: counter(
      'pulse_outbox_recovered_total',
      'Outbox messages found already posted after a crash, adopted instead of posted again',
      [],
    ),
    retried: counter('pulse_outbox_retried_total', 'Outbox delivery attempts to be retried, by reason', [
      'reason',
    ]),
    failed: counter('pulse_outbox_failed_total', 'Outbox messages given up, by reason', ['reason']),
  };
}

/** The backlog, read from the database at each scrape: what every worker on it still has to send. */
function registerBacklogGauge(registry: Registry, db: Database) {
  if (registry.getSingleMetric('pulse_outbox_messages')) return;
  new Gauge({
    name: 'pulse_outbox_messages',
    help: 'Outbox messages waiting (pending) or being sent (sending), by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await countOutstandingByStatus(db.orm);
      this.set({ status: 'pending' }, counts.pending);
      this.set({ status: 'sending' }, counts.sending);
    },
  });
}

type SendResult = { channel?: string; ts?: string };

/** Slack could not say whether the channel is shared, but asking again later may tell. */
const mayHeal = (sharing: ChannelSharing): sharing is Extract<ChannelSharing, { kind: 'unknown' }> =>
  sharing.kind === 'unknown' && !isPermanentSlackError(sharing.reason);

type SharingOf = (channel: string) => Promise<ChannelSharing>;

/** Where a claimed message goes, or why it goes nowhere. */
type Destination = { channel: string } | { refused: string };

const channelRefusal = (channel: string, sharing: ChannelSharing): ChannelRefusal =>
  sharing.kind === 'unknown' ? { channel, unknown: sharing.reason } : { channel };

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, client, clock } = options;
  const logger = options.logger.child({ component: 'outbox' });
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
  const counters = outboxCounters(options.metrics?.registry);
  if (options.metrics) registerBacklogGauge(options.metrics.registry, db);
  const pacing = options.pacing ?? SLACK_POST_PACING;
  const sharingDeps = { db, clock, logger };

  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => wakeUp?.();
  // Rows inserted by any process on the database wake this worker as they commit (migration 0025); one
  // committed during a round is remembered, so the loop looks again at once rather than a poll later.
  // Only new rows do that: `drain` wakes it every few milliseconds, and rounds back to back then made two
  // workers sharing a channel's budget meet 429s.
  let notified = false;
  const listening = db
    .listen(OUTBOX_CHANNEL, () => {
      notified = true;
      wake();
    })
    .catch((error) => {
      logger.warn({ err: error }, 'outbox cannot listen for new rows; it polls');
      return undefined;
    });

  /**
   * Where the message may go. A customer's goes where it was addressed; an internal one to its channel
   * when that is not shared outside the workspace, else to its fallback when that one is internal (only
   * a new top-level post: a reply or an update belongs to its message's channel), else nowhere. When Slack
   * cannot say and its failure may heal, the error is thrown: the row is retried and nothing is posted.
   * A post that may have reached Slack before a crash is looked for where it would go now.
   */
  async function destination(message: ClaimedMessage, sharingOf: SharingOf): Promise<Destination> {
    const channel = String(message.payload.channel);
    if (message.audience === 'customer') return { channel };
    const here = await sharingOf(channel);
    if (mayPostInternal(here)) return { channel };
    const fallback = message.fallbackChannel;
    const movable = message.method !== 'chat.update' && message.payload.thread_ts === undefined;
    const refusal: OutboxRefusal = { refused: channelRefusal(channel, here) };
    if (fallback && fallback !== channel && movable) {
      const there = await sharingOf(fallback);
      if (mayPostInternal(there)) return { channel: fallback };
      if (mayHeal(there) && !mayHeal(here)) throw there.error;
      refusal.fallback = channelRefusal(fallback, there);
    }
    if (mayHeal(here)) throw here.error;
    return { refused: refusalText(refusal) };
  }

  async function findPosted(
    message: ClaimedMessage,
    since: number,
    to: string,
  ): Promise<SendResult | undefined> {
    const payload = message.payload;
    let channel = to;
    // A DM posted to a user ID lives in the conversation Slack opened for it.
    if (/^[UW][A-Z0-9]+$/.test(channel)) {
      const opened = await client.conversations.open({ users: channel });
      channel = opened.channel!.id!;
    }
    const oldest = String((since - SKEW_MS) / 1000);
    const threadTs = typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined;
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const answer = threadTs
        ? await client.conversations.replies({
            channel,
            ts: threadTs,
            oldest,
            cursor,
            limit: 200,
            include_all_metadata: true,
          })
        : await client.conversations.history({
            channel,
            oldest,
            cursor,
            limit: 200,
            include_all_metadata: true,
          });
      const found = answer.messages?.find((m) => {
        const metadata = (
          m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }
        ).metadata;
        return (
          metadata?.event_type === OUTBOX_EVENT_TYPE &&
          String(metadata.event_payload?.outbox_id) === String(message.id)
        );
      });
      if (found) return { channel, ts: found.ts };
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!answer.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  async function send(message: ClaimedMessage, channel: string): Promise<SendResult> {
    const payload = { ...message.payload, channel };
    if (message.method === 'chat.postMessage') {
      const answer = await client.chat.postMessage({
        ...(payload as { channel: string; text: string }),
        metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: message.id } },
      });
      return { channel: answer.channel, ts: answer.ts };
    }
    if (message.method === 'chat.update') {
      const answer = await client.chat.update(payload as { channel: string; ts: string; text: string });
      return { channel: answer.channel, ts: answer.ts };
    }
    const answer = await client.chat.postEphemeral(
      payload as { channel: string; user: string; text: string },
    );
    return { channel, ts: answer.message_ts };
  }

  function backoff(attempts: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempts);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /**
   * What to do after a call failed: retry (when, and whether Slack may have posted) or give up; and, after
   * a 429 to a post, for how long its channel is held.
   */
  function outcomeOfError(
    message: ClaimedMessage,
    error: unknown,
  ): { outcome: Outcome; reason: string; hold?: { channel: string; ms: number } } {
    const now = +clock();
    if (error instanceof WebAPIRateLimitedError) {
      const channel = pacedChannel(message);
      const at = new Date(now + error.retryAfter * 1000);
      return {
        outcome: { kind: 'retry', at, error: 'ratelimited', countsAsAttempt: false },
        reason: 'ratelimited',
        ...(channel && { hold: { channel, ms: error.retryAfter * 1000 + pacing.cushionMs } }),
      };
    }
    let reason: string;
    let unconfirmed = false;
    if (error instanceof WebAPIPlatformError) {
      reason = error.data.error;
      if (isPermanentSlackError(reason)) return { outcome: { kind: 'failed', error: reason }, reason };
    } else if (error instanceof WebAPIHTTPError) {
      reason = `http_${error.statusCode}`;
      unconfirmed = error.statusCode >= 500;
    } else {
      reason = error instanceof WebAPIRequestError ? 'request_error' : 'unexpected_error';
      unconfirmed = true;
    }
    if (message.attempts + 1 >= maxAttempts) {
      return { outcome: { kind: 'failed', error: `${reason} (after ${maxAttempts} attempts)` }, reason };
    }
    const at = new Date(now + backoff(message.attempts));
    return {
      outcome: {
        kind: 'retry',
        at,
        error: reason,
        countsAsAttempt: true,
        unconfirmed: unconfirmed && message.method === 'chat.postMessage',
      },
      reason,
    };
  }

  /**
   * An incident's update or reply as it must go out now: after the incident's post (its `ts` is needed),
   * and an update showing the incident as it is when sent. An outcome instead when it cannot go yet (the
   * post is being sent: look again soon, not counted as an attempt) or ever (the post failed).
   */
  async function current(message: ClaimedMessage): Promise<ClaimedMessage | Outcome> {
    if (message.incidentId === undefined) return message;
    const now = clock();
    const delivery = await incidentDeliveryNow(
      db,
      { incidentId: message.incidentId, method: message.method, payload: message.payload },
      { now, timezone: options.timezone ?? 'UTC', locale: options.locale ?? 'en' },
    );
    if (delivery.kind === 'ready') return { ...message, payload: delivery.payload };
    if (delivery.kind === 'failed') return { kind: 'failed', error: delivery.error };
    const at = new Date(+now + INCIDENT_POST_WAIT_MS);
    return { kind: 'retry', at, error: 'waiting_for_post', countsAsAttempt: false };
  }

  /**
   * A click updates its incident's message itself, and may do so between this update's render and
   * Slack taking it: the incident is rendered again after the update and sent again while it differs
   * (twice at most), so the message ends showing the incident as it is, not as it was a moment before.
   */
  async function settleUpdate(sent: ClaimedMessage, channel: string): Promise<void> {
    let last = sent.payload;
    for (let round = 0; round < 2; round++) {
      const again = await current(sent);
      if ('kind' in again) return;
      const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        a.text === b.text && JSON.stringify(a.blocks) === JSON.stringify(b.blocks);
      if (same(again.payload, last)) return;
      await send(again, channel);
      last = again.payload;
    }
  }

  async function deliver(claimed: ClaimedMessage, sharingOf: SharingOf): Promise<void> {
    let outcome: Outcome;
    let message = claimed;
    try {
      const ready = await current(claimed);
      if ('kind' in ready) {
        if (!(await recordOutcome(db.orm, claimed, ready, clock())))
          logger.warn({ outboxId: claimed.id }, 'outbox claim lost before its outcome was recorded');
        return;
      }
      message = ready;
      const to = await destination(message, sharingOf);
      if ('refused' in to) {
        outcome = { kind: 'failed', error: to.refused };
        counters.failed.inc({ reason: 'refused_shared_channel' });
        logger.warn({ outboxId: message.id, reason: to.refused }, 'outbox message refused');
      } else {
        const posted =
          message.unconfirmedSince !== undefined && message.method === 'chat.postMessage'
            ? await findPosted(message, message.unconfirmedSince, to.channel)
            : undefined;
        if (posted) counters.adopted.inc();
        outcome = { kind: 'sent', ...(posted ?? (await send(message, to.channel))) };
        if (message.method === 'chat.update' && message.incidentId !== undefined)
          await settleUpdate(message, to.channel);
      }
    } catch (error) {
      const decided = outcomeOfError(message, error);
      if (decided.hold) await holdChannel(db.orm, decided.hold.channel, decided.hold.ms);
      outcome = decided.outcome;
      if (outcome.kind === 'failed') {
        counters.failed.inc({ reason: decided.reason });
        logger.warn({ outboxId: message.id, reason: outcome.error }, 'outbox message failed');
      } else {
        counters.retried.inc({ reason: decided.reason });
        logger.info({ outboxId: message.id, reason: decided.reason }, 'outbox message will be retried');
      }
    }
    if (outcome.kind === 'sent') counters.delivered.inc({ method: message.method });
    if (!(await recordOutcome(db.orm, message, outcome, clock()))) {
      logger.warn({ outboxId: message.id }, 'outbox claim lost before its outcome was recorded');
    }
  }

  /** One round: claim a batch and deliver it. Returns how many rows were claimed. */
  async function round(): Promise<number> {
    const claimed = await db.orm.transaction((tx) =>
      claimDueMessages(tx, { now: clock(), leaseMs, limit: batchSize, pacing }),
    );
    // A channel's sharing is looked up once per round, however many of its rows the round took.
    const known = new Map<string, Promise<ChannelSharing>>();
    const sharingOf: SharingOf = (channel) => {
      let sharing = known.get(channel);
      if (!sharing) {
        sharing = channelSharing(sharingDeps, client, channel);
        known.set(channel, sharing);
      }
      return sharing;
    };
    await Promise.all(claimed.map((message) => deliver(message, sharingOf)));
    return claimed.length;
  }

  const loop = (async () => {
    while (!stopped) {
      notified = false;
      let claimed = 0;
      try {
        claimed = await round();
      } catch (error) {
        logger.error({ err: error }, 'outbox round failed');
      }
      if (claimed === batchSize || notified || stopped) continue;
      // A paced channel may have posts waiting for its budget: look again then, not a poll later.
      let tokenIn: number | undefined;
      try {
        tokenIn = await nextPacedPostIn(db.orm, clock());
      } catch (error) {
        logger.error({ err: error }, 'outbox pacing lookup failed');
      }
      const wait = tokenIn === undefined ? pollMs : Math.min(pollMs, Math.max(PACED_WAKE_MIN_MS, tokenIn));
      if (notified) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  })();

  return {
    wake,
    async stop() {
      stopped = true;
      wake();
      await loop;
      await (await listening)
        ?.unlisten()
        .catch((error) => logger.warn({ err: error }, 'outbox could not stop listening'));
    },
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { count, nextDueAt } = await outstandingMessages(db.orm);
        if (count === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox not drained after ${timeoutMs} ms: ${count} left`);
        wake();
        const wait = nextDueAt === null ? pollMs : Math.max(0, nextDueAt - +clock());
        await sleep(Math.min(Math.max(wait, 10), 100));
      }
    },
  };
}
