import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { addNote } from '../../store/notes.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs note <account> <text>`: a note on the account's timeline, written by whoever typed it. */
export async function noteAnswer(
  command: { account: string; text: string },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  const resolved = await resolveAccount(deps.db.orm, command.account, context.locale);
  if ('answer' in resolved) return resolved.answer;
  await addNote(deps.db.orm, {
    accountId: resolved.account.id,
    text: command.text,
    author: context.userId,
    loggedBy: context.userId,
    source: 'command',
    at: deps.clock(),
  });
  return ephemeral(
    t(context.locale, 'tl.noted', { name: escapeMrkdwn(resolved.account.name), key: resolved.account.key }),
  );
}
