import type { Executor } from '../../db/client.ts';
import { type AccountRef, findAccount } from '../../store/account-search.ts';
import { escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

const list = (accounts: AccountRef[]) =>
  accounts.map((a) => `\`${a.key}\` (${escapeMrkdwn(a.name)})`).join(', ');

/** Resolves `<account>` or returns the short answer for a miss: the closest matches, or the ambiguity. */
export async function resolveAccount(
  db: Executor,
  query: string,
): Promise<{ account: AccountRef } | { answer: CommandAnswer }> {
  const match = await findAccount(db, query);
  if (match.found) return { account: match.account };
  const typed = inlineCode(query);
  if (match.ambiguous) {
    return { answer: ephemeral(`${typed} names several accounts: ${list(match.suggestions)}. Use the key.`) };
  }
  return {
    answer: ephemeral(
      match.suggestions.length
        ? `No account matches ${typed}. Did you mean ${list(match.suggestions)}?`
        : `No account matches ${typed}. \`/cs accounts\` lists them all.`,
    ),
  };
}
