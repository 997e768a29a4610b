/**
 * Per-channel pacing of chat.postMessage, as the outbox worker keeps it: Slack allows about one message
 * per second per channel with short bursts, and answers 429 with Retry-After beyond that.
 *
 * Pacing starts the first time Slack rate-limits a post: from then on every channel has a token bucket
 * (`perSecond`, up to `burst`), and the worker claims and sends only what a channel's bucket allows, so
 * none of its concurrency goes to calls that would come back 429. Until then posts go out freely (a
 * workspace or a test double without the limit pays nothing), but their buckets are kept, so pacing
 * starts from what each channel has really just sent. After a 429 that channel alone is held for
 * Retry-After plus a cushion, so its next post does not land on the edge of Slack's own bucket, where
 * a few milliseconds of network jitter would earn another 429.
 */
export interface ChannelPacing {
  perSecond: number;
  burst: number;
  /** Added to every Retry-After hold. */
  cushionMs: number;
}

/**
 * Slack's documented rate. Slack tolerates short bursts beyond it without saying how long, so pacing
 * leaves them to the network's jitter: claims take whole tokens, never two posts of a channel at once,
 * but the bucket holds one and a half, so a post that went out late (behind a claim of other channels)
 * is followed by the next one sooner, and a busy channel keeps its rate instead of losing every delay.
 */
export const SLACK_POST_PACING: ChannelPacing = { perSecond: 1, burst: 1.5, cushionMs: 250 };

/** How many posts a claim may take: `channels` for those with a bucket, `otherwise` for the rest. */
export interface Allowances {
  channels: Record<string, number>;
  otherwise: number;
}

interface Bucket {
  /** Tokens at `at`; none may be taken before `at` (a hold). */
  tokens: number;
  at: number;
}

const EPSILON = 1e-9;

export class ChannelPacer {
  private readonly buckets = new Map<string, Bucket>();
  private enforced = false;

  constructor(private readonly pacing: ChannelPacing = SLACK_POST_PACING) {}

  private available(bucket: Bucket, now: number): number {
    if (now < bucket.at) return 0;
    return Math.min(this.pacing.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.pacing.perSecond);
  }

  /** What each channel may start at `now`; undefined while Slack has not rate-limited anything. */
  allowances(now: number): Allowances | undefined {
    const channels: Record<string, number> = {};
    for (const [channel, bucket] of this.buckets) {
      const tokens = this.available(bucket, now);
      // A full bucket is what a channel without one has: forget it.
      if (tokens >= this.pacing.burst - EPSILON) this.buckets.delete(channel);
      else channels[channel] = Math.floor(tokens + EPSILON);
    }
    return this.enforced ? { channels, otherwise: Math.floor(this.pacing.burst + EPSILON) } : undefined;
  }

  /** Takes a token for a post starting now (claims stay within `allowances` once pacing is on). */
  take(channel: string, now: number): void {
    const bucket = this.buckets.get(channel) ?? { tokens: this.pacing.burst, at: now };
    // Before pacing, Slack accepting more than the bucket holds leaves it empty, not in debt.
    const tokens = Math.max(0, this.available(bucket, now) - 1);
    this.buckets.set(channel, { tokens, at: Math.max(now, bucket.at) });
  }

  /** Slack answered 429: pace every channel from now on, and hold this one until Retry-After has passed. */
  hold(channel: string, retryAfterMs: number, now: number): void {
    this.enforced = true;
    const until = now + retryAfterMs + this.pacing.cushionMs;
    const bucket = this.buckets.get(channel);
    // A later hold never shortens an earlier one (concurrent 429s of one channel).
    if (bucket && bucket.at >= until) return;
    this.buckets.set(channel, { tokens: 1, at: until });
  }

  /** The earliest instant at which a channel without a whole token gains one (undefined: none, or not pacing). */
  nextTokenAt(now: number): number | undefined {
    if (!this.enforced) return undefined;
    let next: number | undefined;
    for (const bucket of this.buckets.values()) {
      if (this.available(bucket, now) >= 1 - EPSILON) continue;
      const tokens = now < bucket.at ? bucket.tokens : this.available(bucket, now);
      const at = Math.max(now, bucket.at) + (Math.max(0, 1 - tokens) / this.pacing.perSecond) * 1000;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }
}
