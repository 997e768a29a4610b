import type { Deps } from '../../deps.ts';
import { postDigest } from '../../jobs/digest.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/**
 * `/cs digest`: the weekly digest now, to the channel the command was typed in, recorded as asked for.
 * The outbox posts it after this answer, so the answer cannot say it was posted: a channel Pulse is not
 * a member of refuses the post.
 */
export async function digestAnswer(
  _command: { kind: 'digest' },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  await postDigest(deps, { channel: context.channelId, trigger: 'command', requestedBy: context.userId });
  return ephemeral(
    'The weekly digest is on its way to this channel. If it does not appear, Pulse is not a member here: invite it with `/invite @pulse`.',
  );
}
