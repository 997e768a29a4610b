import type { Deps } from '../../deps.ts';
import { channelSharing } from '../../services/channel-sharing.ts';
import { postDigest } from '../../services/digest.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

export const SHARED_CHANNEL_REFUSAL =
  'This channel is shared outside the workspace: Pulse will not post customer data where customers read it. Run `/cs digest` in an internal channel.';
export const SHARING_UNKNOWN_REFUSAL =
  'Pulse could not check whether this channel is shared outside the workspace, so it posted nothing. Try again in a minute.';

/**
 * `/cs digest`: the weekly digest now, to the channel the command was typed in, recorded as asked for;
 * never into a channel shared outside the workspace (nor one Slack cannot vouch for). The outbox posts it
 * after this answer, so the answer cannot say it was posted: a channel Pulse is not a member of refuses
 * the post.
 */
export async function digestAnswer(
  _command: { kind: 'digest' },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  // The outbox's client: it does not retry for minutes when Slack is in trouble, and this answer must come soon.
  const sharing = await channelSharing(deps, deps.slack ?? context.client, context.channelId);
  if (sharing.kind === 'shared') return ephemeral(SHARED_CHANNEL_REFUSAL);
  if (sharing.kind === 'unknown') return ephemeral(SHARING_UNKNOWN_REFUSAL);
  await postDigest(deps, { channel: context.channelId, trigger: 'command', requestedBy: context.userId });
  return ephemeral(
    'The weekly digest is on its way to this channel. If it does not appear, Pulse is not a member here: invite it with `/invite @pulse`.',
  );
}
