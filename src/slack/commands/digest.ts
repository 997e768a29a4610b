import type { Deps } from '../../deps.ts';
import { postDigest } from '../../jobs/digest.ts';
import { type CommandAnswer, type CommandContext, ephemeral, notInTeam } from './answer.ts';

/** `/cs digest`: the weekly digest now, to the channel the command was typed in, recorded as asked for. */
export async function digestAnswer(
  _command: { kind: 'digest' },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  if (!(await context.team.includes(context.client, context.userId))) return notInTeam('post the digest');
  await postDigest(deps, { channel: context.channelId, trigger: 'command', requestedBy: context.userId });
  return ephemeral('Posted the weekly digest to this channel.');
}
