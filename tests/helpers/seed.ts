import type { Database } from '../../src/db/client.ts';
import { accounts } from '../../src/db/schema.ts';

/** Inserts these accounts, in this order, and returns their ids by key. */
export async function seedAccounts(
  db: Database,
  values: Array<typeof accounts.$inferInsert>,
): Promise<Record<string, number>> {
  const inserted = await db.orm
    .insert(accounts)
    .values(values)
    .returning({ id: accounts.id, key: accounts.key });
  return Object.fromEntries(inserted.map((a) => [a.key, a.id]));
}
