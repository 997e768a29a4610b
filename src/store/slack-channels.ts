import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { slackChannels } from '../db/schema.ts';

/** What Slack last said about a channel's sharing, and when it was asked (or told, by an event). */
export interface KnownSharing {
  shared: boolean;
  checkedAt: Date;
}

/** The channel's sharing as last recorded, by any Pulse process on this database. */
export async function knownSharing(db: Executor, channel: string): Promise<KnownSharing | undefined> {
  const [row] = await db
    .select({ shared: slackChannels.shared, checkedAt: slackChannels.checkedAt })
    .from(slackChannels)
    .where(eq(slackChannels.id, channel));
  return row;
}

/**
 * Records what Slack said about a channel at `checkedAt`. An answer older than the one recorded is
 * dropped: a conversations.info that started before a `channel_shared` event must not undo it.
 */
export async function recordSharing(
  db: Executor,
  channel: string,
  shared: boolean,
  checkedAt: Date,
): Promise<void> {
  await db
    .insert(slackChannels)
    .values({ id: channel, shared, checkedAt })
    .onConflictDoUpdate({
      target: slackChannels.id,
      set: { shared, checkedAt },
      setWhere: sql`${slackChannels.checkedAt} <= excluded.checked_at`,
    });
}

/** Forgets a channel's sharing, so that the next post there asks Slack again. */
export async function forgetSharing(db: Executor, channel: string): Promise<void> {
  await db.delete(slackChannels).where(eq(slackChannels.id, channel));
}
