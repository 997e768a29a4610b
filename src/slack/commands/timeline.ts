import type { Deps } from '../../deps.ts';
import { TIMELINE_LENGTH } from '../../domain/timeline.ts';
import { t } from '../../i18n/index.ts';
import { loadTimeline } from '../../store/timeline.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import { timelineBlocks } from '../blocks/timeline.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs timeline <account>`: the account's last events, oldest first, only to the person who asked. */
export async function timelineAnswer(
  command: { account: string },
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const resolved = await resolveAccount(deps.db.orm, command.account, locale);
  if ('answer' in resolved) return resolved.answer;
  const events = await loadTimeline(deps.db.orm, resolved.account.id, TIMELINE_LENGTH);
  return ephemeral(
    t(locale, 'tl.text', { name: escapeMrkdwn(resolved.account.name), count: events.length }),
    timelineBlocks(resolved.account, events, deps.config.timezone, locale),
  );
}
