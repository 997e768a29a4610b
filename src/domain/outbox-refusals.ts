/**
 * Why the outbox posted nothing: the channel (and its fallback) it may not post internal messages in.
 * The row keeps it as an English sentence in `last_error`, read by operators in logs and the database;
 * the health card reads it back with `parseRefusal` and says it in the reader's language. Both
 * directions live here, so the sentence and its reading cannot drift apart.
 */
export interface ChannelRefusal {
  channel: string;
  /** Slack's reason when it could not tell whether the channel is shared; absent when it is shared. */
  unknown?: string;
}

export interface OutboxRefusal {
  refused: ChannelRefusal;
  fallback?: ChannelRefusal;
}

const PREFIX = 'refused: ';

const problem = ({ channel, unknown }: ChannelRefusal) =>
  unknown === undefined
    ? `${channel} is shared outside the workspace`
    : `could not tell whether ${channel} is shared outside the workspace (${unknown})`;

export function refusalText({ refused, fallback }: OutboxRefusal): string {
  return `${PREFIX}${problem(refused)}${fallback ? ` (fallback: ${problem(fallback)})` : ''}`;
}

const CHANNEL = '([A-Z0-9]+)';
const PROBLEM = `(?:${CHANNEL} is shared outside the workspace|could not tell whether ${CHANNEL} is shared outside the workspace \\(([^()]*)\\))`;
const REFUSAL = new RegExp(`^${PREFIX}${PROBLEM}(?: \\(fallback: ${PROBLEM}\\))?$`);

const channelRefusal = (shared?: string, unsure?: string, reason?: string): ChannelRefusal | undefined =>
  shared ? { channel: shared } : unsure ? { channel: unsure, unknown: reason ?? '' } : undefined;

/** A `last_error` the outbox wrote with `refusalText`, read back; undefined for any other error. */
export function parseRefusal(text: string): OutboxRefusal | undefined {
  const m = REFUSAL.exec(text);
  if (!m) return undefined;
  const refused = channelRefusal(m[1], m[2], m[3])!;
  const fallback = channelRefusal(m[4], m[5], m[6]);
  return fallback ? { refused, fallback } : { refused };
}
