import type { Executor } from '../../db/client.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { type AccountRef, findAccount } from '../../store/account-search.ts';
import { escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

const list = (accounts: AccountRef[]) =>
  accounts.map((a) => `\`${a.key}\` (${escapeMrkdwn(a.name)})`).join(', ');

/** An account found a moment ago and deleted since. */
export const accountGone = (locale: Locale, key: string) =>
  t(locale, 'cs.account.gone', { key: inlineCode(key) });

/** Resolves `<account>` or returns the short answer for a miss: the closest matches, or the ambiguity. */
export async function resolveAccount(
  db: Executor,
  query: string,
  locale: Locale,
): Promise<{ account: AccountRef } | { answer: CommandAnswer }> {
  const match = await findAccount(db, query);
  if (match.found) return { account: match.account };
  const typed = inlineCode(query);
  if (match.ambiguous) {
    return { answer: ephemeral(t(locale, 'cs.account.ambiguous', { typed, list: list(match.suggestions) })) };
  }
  return {
    answer: ephemeral(
      match.suggestions.length
        ? t(locale, 'cs.account.noMatchSuggest', { typed, list: list(match.suggestions) })
        : t(locale, 'cs.account.noMatch', { typed }),
    ),
  };
}
