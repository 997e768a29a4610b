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

/**
 * The account named by the longest leading words of `words` (by key or name, exactly), and the words
 * left after it: `acme next tuesday` is Acme and "next tuesday". Undefined when no leading words name
 * one account.
 */
export async function accountThenRest(
  db: Executor,
  words: string[],
): Promise<{ account: AccountRef; rest: string[] } | undefined> {
  const prefixes = words.slice(0, -1).map((_, i) =>
    words
      .slice(0, i + 1)
      .join(' ')
      .toLowerCase(),
  );
  if (!prefixes.length) return undefined;
  const found = await rows<AccountRef & { prefix: string }>(
    db,
    sql`select a.id, a.key, a.name, p.prefix from accounts a
        join (select jsonb_array_elements_text(${JSON.stringify(prefixes)}::jsonb) as prefix) p
          on a.key = p.prefix or lower(a.name) = p.prefix`,
  );
  for (let i = prefixes.length - 1; i >= 0; i -= 1) {
    const named = found.filter((f) => f.prefix === prefixes[i]);
    const account = named.find((f) => f.key === prefixes[i]) ?? (named.length === 1 ? named[0] : undefined);
    if (account) return { account: strip(account), rest: words.slice(i + 1) };
  }
  return undefined;
}

const strip = ({ id, key, name }: AccountRef): AccountRef => ({ id, key, name });
