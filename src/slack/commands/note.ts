import type { Deps } from '../../deps.ts';
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
  const resolved = await resolveAccount(deps.db.orm, command.account);
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
    `:memo: Noted on the timeline of ${escapeMrkdwn(resolved.account.name)}. \`/cs timeline ${resolved.account.key}\` shows it.`,
  );
}
