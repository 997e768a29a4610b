/**
 * Whether a channel is shared outside the workspace, before Pulse posts anything internal there.
 *
 * Slack's answer (conversations.info) is kept in `slack_channels`, so every Pulse process on the database
 * agrees, for SHARING_TTL_MS; the `channel_shared` and `channel_unshared` events (events/channel-sharing.ts)
 * change it at once. A DM is never a shared channel. When Slack cannot say, the answer is `unknown`, which
 * every caller treats as shared: nothing internal is posted on a guess.
 */
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';
import type { Deps } from '../deps.ts';
import { isDirectConversation, isSharingFresh, sharedOutsideWorkspace } from '../domain/channel-sharing.ts';
import { knownSharing, recordSharing } from '../store/slack-channels.ts';

export type ChannelSharing =
  | { kind: 'internal' }
  | { kind: 'shared' }
  /** Slack knows no such channel for Pulse: a post there fails by itself, and nobody can read it. */
  | { kind: 'not_found' }
  /** Slack could not say; `reason` is its error (or `http_503`, `ratelimited`, `request_error`). */
  | { kind: 'unknown'; reason: string; error: unknown };

type SharingDeps = Pick<Deps, 'db' | 'clock' | 'logger'>;

const INTERNAL: ChannelSharing = { kind: 'internal' };
const SHARED: ChannelSharing = { kind: 'shared' };

/** May an internal message (account or portfolio data) be posted there? */
export const mayPostInternal = (sharing: ChannelSharing): boolean =>
  sharing.kind === 'internal' || sharing.kind === 'not_found';

/** A Web API failure in one word, as the outbox records it. */
export function slackFailure(error: unknown): string {
  if (error instanceof WebAPIRateLimitedError) return 'ratelimited';
  if (error instanceof WebAPIPlatformError) return error.data.error;
  if (error instanceof WebAPIHTTPError) return `http_${error.statusCode}`;
  if (error instanceof WebAPIRequestError) return 'request_error';
  return 'unexpected_error';
}

/** The channel's sharing: from the database while fresh, else from Slack (and recorded). */
export async function channelSharing(
  deps: SharingDeps,
  client: WebClient,
  channel: string,
): Promise<ChannelSharing> {
  if (isDirectConversation(channel)) return INTERNAL;
  const now = deps.clock();
  const known = await knownSharing(deps.db.orm, channel);
  if (known && isSharingFresh(known.checkedAt, now)) return known.shared ? SHARED : INTERNAL;
  try {
    const info = await client.conversations.info({ channel });
    const shared = sharedOutsideWorkspace(info.channel ?? {});
    await recordSharing(deps.db.orm, channel, shared, now);
    return shared ? SHARED : INTERNAL;
  } catch (error) {
    const reason = slackFailure(error);
    if (reason === 'channel_not_found') return { kind: 'not_found' };
    deps.logger.warn(
      { err: error, channel, reason },
      'could not tell whether a channel is shared outside the workspace: nothing internal is posted there meanwhile',
    );
    return { kind: 'unknown', reason, error };
  }
}

/**
 * At start: CS_ALERT_CHANNEL receives every internal post that has nowhere else to go. Shared outside
 * the workspace, all of them would be refused: say so once, loudly, rather than at each refusal.
 */
export async function checkAlertChannel(deps: SharingDeps & Pick<Deps, 'config'>, client: WebClient) {
  const channel = deps.config.alertChannel;
  if (!channel) return;
  const sharing = await channelSharing(deps, client, channel);
  if (sharing.kind === 'shared')
    deps.logger.error(
      { channel },
      'CS_ALERT_CHANNEL is shared outside the workspace: alerts and digests posted there will be refused. Set CS_ALERT_CHANNEL to an internal channel.',
    );
}
