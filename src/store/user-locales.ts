import { inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { slackUserLocales } from '../db/schema.ts';

/** Records a person's locale as Slack said it at `checkedAt`; an older answer never replaces a newer one. */
export async function recordUserLocale(
  db: Executor,
  userId: string,
  locale: string,
  checkedAt: Date,
): Promise<void> {
  await db
    .insert(slackUserLocales)
    .values({ userId, locale, checkedAt })
    .onConflictDoUpdate({
      target: slackUserLocales.userId,
      set: { locale, checkedAt },
      setWhere: sql`${slackUserLocales.checkedAt} <= excluded.checked_at`,
    });
}

/** The recorded locales of these people; someone Pulse never read is missing from the map. */
export async function userLocales(db: Executor, userIds: readonly string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const rows = await db
    .select({ userId: slackUserLocales.userId, locale: slackUserLocales.locale })
    .from(slackUserLocales)
    .where(inArray(slackUserLocales.userId, [...new Set(userIds)]));
  return new Map(rows.map((r) => [r.userId, r.locale]));
}
