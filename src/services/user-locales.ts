import type { Executor } from '../db/client.ts';
import { type Locale, localeOf } from '../i18n/index.ts';
import { recordUserLocale, userLocales } from '../store/user-locales.ts';

/**
 * Remembers the Slack locale (`pt-BR`, `en-US`…) users.info gave for a person, for the DMs a job sends
 * them later. Called whenever Pulse reads the person from Slack (their commands, clicks, App Home).
 */
export const rememberUserLocale = (db: Executor, userId: string, slackLocale: string, at: Date) =>
  recordUserLocale(db, userId, slackLocale, at);

/**
 * The language of each person's DMs: their Slack locale as last read, else the team's (PULSE_LOCALE).
 * One query for all of them, in the caller's transaction.
 */
export async function recipientLocales(
  db: Executor,
  userIds: readonly string[],
  teamLocale: Locale,
): Promise<(userId: string) => Locale> {
  const known = await userLocales(db, userIds);
  return (userId) => {
    const slackLocale = known.get(userId);
    return slackLocale ? localeOf(slackLocale) : teamLocale;
  };
}
