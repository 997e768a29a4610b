import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a timestamp more than this far from now, before or after, is refused. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * Whether Slack signed this body at this timestamp, within 5 minutes of now either way: the signature
 * must be exactly `v0=` and the lowercase hex HMAC-SHA256 of `v0:<timestamp>:<body>`. Exactly: Bolt's
 * check read only the text between the first and second `=`, so `v0=<hash>=x` passed too, a new key
 * for the replay guard on every suffix. One HMAC and a constant-time comparison (Bolt's compared
 * through two more HMACs under a fresh random key, a third of a request's signature work).
 */
export function isSignedBySlack(request: {
  signingSecret: string;
  body: string;
  signature: string;
  /** Seconds, as the `X-Slack-Request-Timestamp` header says. */
  timestamp: number;
  nowMs: number;
}): boolean {
  const { signingSecret, body, signature, timestamp, nowMs } = request;
  // As old as Bolt allows (it floors now), and as far ahead: a request dated ahead would replay until then.
  const fresh =
    Number.isFinite(timestamp) &&
    timestamp >= Math.floor(nowMs / 1000) - TIMESTAMP_TOLERANCE_SECONDS &&
    timestamp <= nowMs / 1000 + TIMESTAMP_TOLERANCE_SECONDS;
  if (!fresh) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
