import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { channelSharing } from '../../services/channel-sharing.ts';
import { postDigest } from '../../services/digest.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

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
  const { locale } = context;
  if (sharing.kind === 'shared') return ephemeral(t(locale, 'dc.shared'));
  if (sharing.kind === 'unknown') return ephemeral(t(locale, 'dc.unknown'));
  await postDigest(deps, { channel: context.channelId, trigger: 'command', requestedBy: context.userId });
  return ephemeral(t(locale, 'dc.onItsWay'));
}
