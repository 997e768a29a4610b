import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import { type Account, type AccountNote, accountNotes } from '../db/schema.ts';
import type { AccountRef } from './account-search.ts';
import type { Columns } from './sql.ts';

export type NewNote = typeof accountNotes.$inferInsert;

/** Saves a note; a message already logged to this account is not logged twice (`false`). */
export async function addNote(db: Executor, note: NewNote): Promise<boolean> {
  const added = await db
    .insert(accountNotes)
    .values(note)
    .onConflictDoNothing()
    .returning({ id: accountNotes.id });
  return added.length > 0;
}

/** The account's newest note: the last touch the health card shows (store/health.ts loads it with the card). */
export type LastNote = Pick<AccountNote, 'author' | 'at'>;

/** The account whose channel this is, when exactly one account names it. */
export async function accountOfChannel(db: Executor, channelId: string): Promise<AccountRef | null> {
  const found = await rows<Columns<Account, 'id' | 'key' | 'name'>>(
    db,
    sql`select id, key, name from accounts where channel_id = ${channelId} order by key limit 2`,
  );
  return found.length === 1 ? found[0]! : null;
}

/**
 * Accounts a person may pick a note's account from, at most `limit`: the channel's account first, then
 * the person's own, then the rest by name; `more` says some active accounts did not fit.
 */
export async function accountsToPick(
  db: Executor,
  opts: { channelAccountId: number | null; userId: string; limit: number },
): Promise<{ accounts: AccountRef[]; more: boolean }> {
  const found = await rows<Columns<Account, 'id' | 'key' | 'name'>>(
    db,
    sql`select id, key, name from accounts
        where status = 'active' or id = ${opts.channelAccountId ?? 0}
        order by (id = ${opts.channelAccountId ?? 0}) desc, coalesce(owner_slack_id = ${opts.userId}, false) desc,
          lower(name), key
        limit ${opts.limit + 1}`,
  );
  return { accounts: found.slice(0, opts.limit), more: found.length > opts.limit };
}
