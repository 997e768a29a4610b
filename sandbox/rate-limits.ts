/**
 * Slack's rate limits as token buckets. `perChannelPerSecond` with `burst` is chat.postMessage's special
 * limit (about one message per second per channel, short bursts tolerated); `perMinute` is a method's Tier.
 */
export interface RateLimit {
  perChannelPerSecond?: number;
  burst?: number;
  perMinute?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimits {
  private readonly limits = new Map<string, RateLimit>();
  private readonly buckets = new Map<string, Bucket>();

  set(method: string, limit: RateLimit | null): void {
    if (limit) this.limits.set(method, limit);
    else this.limits.delete(method);
    for (const key of this.buckets.keys()) if (key.startsWith(`${method}|`)) this.buckets.delete(key);
  }

  /** Takes one token for this call; returns the seconds to wait (Retry-After) when none is left. */
  take(method: string, channel: string | undefined, nowMs: number): number | undefined {
    const limit = this.limits.get(method);
    if (!limit) return undefined;
    const checks: Array<{ key: string; capacity: number; perSecond: number }> = [];
    if (limit.perChannelPerSecond) {
      checks.push({
        key: `${method}|channel|${channel ?? ''}`,
        capacity: Math.max(1, limit.burst ?? 1),
        perSecond: limit.perChannelPerSecond,
      });
    }
    if (limit.perMinute) {
      checks.push({
        key: `${method}|method`,
        capacity: Math.max(1, limit.burst ?? limit.perMinute),
        perSecond: limit.perMinute / 60,
      });
    }
    let wait = 0;
    const buckets = checks.map((check) => {
      const bucket = this.refill(check.key, check.capacity, check.perSecond, nowMs);
      if (bucket.tokens < 1) wait = Math.max(wait, (1 - bucket.tokens) / check.perSecond);
      return bucket;
    });
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    for (const bucket of buckets) bucket.tokens -= 1;
    return undefined;
  }

  private refill(key: string, capacity: number, perSecond: number, nowMs: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = nowMs;
    this.buckets.set(key, bucket);
    return bucket;
  }
}
