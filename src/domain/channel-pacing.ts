/**
 * Per-channel pacing of chat.postMessage: Slack allows about one message per second per channel with
 * short bursts, and answers 429 with Retry-After beyond that.
 *
 * Every outbox worker on a database shares each channel's budget (`slack_channel_pacing`), so two Pulse
 * processes posting to one channel keep Slack's rate between them instead of each keeping its own. The
 * budget is a token bucket kept as one instant per channel, the earliest its next post may start (the
 * generic cell rate algorithm): at `now` a channel may start `floor((now − max(next, now − tolerance)) /
 * interval) + 1` posts when `next ≤ now`, none before; taking `k` moves `next` to `max(next, now −
 * tolerance) + k × interval`, never beyond `now + interval` (posts Slack accepted before pacing began
 * leave the bucket empty, not in debt). The claim that takes a channel's posts locks and spends its budget
 * in the same statement (src/store/outbox.ts).
 *
 * Pacing starts the first time Slack rate-limits a post, in any process: until then posts go out freely
 * (a workspace or a test double without the limit pays nothing), but the budgets are spent all the same,
 * so pacing starts from what each channel has really just sent. After a 429 that channel alone is held
 * for Retry-After plus a cushion, so its next post does not land on the edge of Slack's own bucket, where
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
 * leaves them to the network's jitter: never two posts of a channel at once (a claim takes whole posts),
 * but the bucket holds one and a half, so a post that went out late (behind a claim of other channels)
 * is followed by the next one sooner, and a busy channel keeps its rate instead of losing every delay.
 */
export const SLACK_POST_PACING: ChannelPacing = { perSecond: 1, burst: 1.5, cushionMs: 250 };

/** The budget's two lengths in milliseconds: between two posts, and how early a burst may start one. */
export function pacingBudget(pacing: ChannelPacing): { intervalMs: number; toleranceMs: number } {
  if (!(pacing.perSecond > 0 && pacing.burst >= 1)) throw new Error('pacing needs perSecond > 0, burst ≥ 1');
  const intervalMs = 1000 / pacing.perSecond;
  return { intervalMs, toleranceMs: (pacing.burst - 1) * intervalMs };
}
