import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Account } from '../db/schema.ts';
import { closestNames } from '../domain/closest-names.ts';

export type AccountRef = Pick<Account, 'id' | 'key' | 'name'>;

export type AccountMatch =
  | { found: true; account: AccountRef }
  | { found: false; ambiguous: boolean; suggestions: AccountRef[] };

/**
 * The contract's lookup: by key, then by name, case-insensitively. A name shared by several accounts is
 * ambiguous; a miss returns the closest accounts instead.
 */
export async function findAccount(db: Executor, query: string): Promise<AccountMatch> {
  const q = query.trim().toLowerCase();
  const exact = await rows<AccountRef & { by_key: boolean }>(
    db,
    sql`select id, key, name, key = ${q} as by_key from accounts
        where key = ${q} or lower(name) = ${q} order by (key = ${q}) desc, key limit 10`,
  );
  if (exact[0]?.by_key || exact.length === 1) return { found: true, account: strip(exact[0]!) };
  if (exact.length > 1) return { found: false, ambiguous: true, suggestions: exact.map(strip) };
  // A miss is rare and worth a precise answer: rank all accounts by edit distance (≈100 ms at 100k accounts).
  const all = await rows<AccountRef>(db, sql`select id, key, name from accounts where status = 'active'`);
  return { found: false, ambiguous: false, suggestions: closestNames(q, all) };
}

const strip = ({ id, key, name }: AccountRef): AccountRef => ({ id, key, name });
