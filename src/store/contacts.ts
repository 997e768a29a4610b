import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Contact } from '../db/schema.ts';
import type { ContactRole, ContactUpsert } from '../domain/ingestion.ts';
import type { Columns } from './sql.ts';

/** A contact to store, its account already resolved from its key. */
export type ContactRecord = Omit<ContactUpsert, 'account'> & { account_id: number };

const CONTACT_RECORD = sql`(account_id integer, email text, name text, slack_user_id text, role text,
  named text[])`;

/**
 * Upserts contacts by (account, email). An object changes only the fields it names (a `null` clears
 * `name` or `slack_user_id`); objects repeating a contact are applied in order. Inserts first, then
 * updates the contacts that already existed, as `upsertAccounts` does.
 */
export async function upsertContacts(db: Executor, items: ContactRecord[]): Promise<void> {
  const byContact = new Map<string, ContactRecord>();
  for (const item of items) {
    const id = `${item.account_id} ${item.email}`;
    byContact.set(id, { ...byContact.get(id), ...item });
  }
  // A fixed order: concurrent batches lock the rows they share in the same order instead of deadlocking.
  const records = [...byContact.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => ({ ...item, named: Object.keys(item) }));
  if (!records.length) return;

  const inserted = await rows<Columns<Contact, 'accountId' | 'email'>>(
    db,
    sql`insert into contacts (account_id, email, name, slack_user_id, role)
        select r.account_id, r.email, r.name, r.slack_user_id, r.role
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r${CONTACT_RECORD}
        on conflict (account_id, email) do nothing
        returning account_id, email`,
  );
  const insertedIds = new Set(inserted.map((r) => `${r.account_id} ${r.email}`));
  const existing = records.filter((r) => !insertedIds.has(`${r.account_id} ${r.email}`));
  if (!existing.length) return;

  await db.execute(
    sql`update contacts as c set role = r.role,
          name = case when 'name' = any(r.named) then r.name else c.name end,
          slack_user_id = case when 'slack_user_id' = any(r.named) then r.slack_user_id else c.slack_user_id end,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) as r${CONTACT_RECORD}
        where c.account_id = r.account_id and c.email = r.email`,
  );
}

/** The stored role of each of these contacts that exists, by `<account id> <email>`. */
export async function contactRoles(
  db: Executor,
  contacts: Array<{ account_id: number; email: string }>,
): Promise<Map<string, ContactRole>> {
  if (!contacts.length) return new Map();
  const found = await rows<{ account_id: number; email: string; role: ContactRole }>(
    db,
    sql`select c.account_id, c.email, c.role from contacts c
        join jsonb_to_recordset(${JSON.stringify(contacts)}::jsonb) as r(account_id integer, email text)
          on c.account_id = r.account_id and c.email = r.email`,
  );
  return new Map(found.map((c) => [`${c.account_id} ${c.email}`, c.role]));
}
