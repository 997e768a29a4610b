import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { freshDatabase } from '../helpers/database.ts';

/**
 * A database an older Pulse left (through 0018), whose detractor alerts carry no contact, upgraded:
 * migration 0020 gives each the contact of the survey answer that raised it, and touches nothing else.
 */
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const id: Record<string, number> = {};

const insertReturningId = async (query: ReturnType<typeof sql>) =>
  Number((await rows<{ id: number | string }>(db.orm, query))[0]!.id);

const detailOf = async (alertId: number) =>
  (
    await rows<{ detail: Record<string, unknown> }>(
      db.orm,
      sql`select detail from alerts where id = ${alertId}`,
    )
  )[0]!.detail;

beforeAll(async () => {
  database = await freshDatabase({ migrated: false });
  db = database.db;
  await migrate(db, { through: '0019_slack_user_locales' });
  const account = await insertReturningId(
    sql`insert into accounts (key, name, channel_id) values ('acme', 'Acme', 'C0ACME') returning id`,
  );
  const contact = async (email: string, name: string | null) =>
    insertReturningId(
      sql`insert into contacts (account_id, email, name, role)
        values (${account}, ${email}, ${name}, 'champion') returning id`,
    );
  const survey = async (key: string, contactId: number, recipient: string | null) =>
    insertReturningId(
      sql`insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, status, route,
          recipient_slack_id)
        values (${account}, ${contactId}, 'nps', 'manual', ${key}, 'en', 'answered', 'dm', ${recipient})
        returning id`,
    );
  const alert = async (kind: string, key: string, detail: object) =>
    insertReturningId(
      sql`insert into alerts (account_id, kind, dedupe_key, detail)
        values (${account}, ${kind}, ${key}, ${JSON.stringify(detail)}::jsonb) returning id`,
    );
  const wile = await contact('wile@acme.example', 'Wile Carter');
  const bo = await contact('bo@acme.example', null);
  const inSlack = await survey('manual:nps:1', wile, 'U0ACME01');
  const byEmail = await survey('manual:nps:2', bo, null);
  const csat = await survey('manual:csat:3', bo, null);
  const before = { headline: 'NPS 3', facts: [{ label: 'Comment', value: 'Too slow' }] };
  id.inSlack = await alert('detractor', `detractor:survey:${inSlack}`, before);
  id.byEmail = await alert('detractor', `detractor:survey:${byEmail}`, before);
  id.kept = await alert('detractor', 'detractor:survey:999', {
    ...before,
    contact: { name: 'Someone', slackUserId: 'U0SOMEONE' },
  });
  id.lowCsat = await alert('low_csat', `low_csat:survey:${csat}`, before);
  await migrate(db);
});
afterAll(() => database?.drop());

describe('migration 0020: detractor alerts get the contact of the answer that raised them', () => {
  it('names the contact and their Slack user, keeping the rest of the alert', async () => {
    expect(await detailOf(id.inSlack!)).toEqual({
      headline: 'NPS 3',
      facts: [{ label: 'Comment', value: 'Too slow' }],
      contact: { name: 'Wile Carter', slackUserId: 'U0ACME01' },
    });
  });

  it('names a contact without a name by their email, with no Slack user when the survey reached none', async () => {
    expect((await detailOf(id.byEmail!)).contact).toEqual({ name: 'bo@acme.example', slackUserId: null });
  });

  it('leaves a contact already kept, and the other red flags, as they were', async () => {
    expect((await detailOf(id.kept!)).contact).toEqual({ name: 'Someone', slackUserId: 'U0SOMEONE' });
    expect(await detailOf(id.lowCsat!)).not.toHaveProperty('contact');
  });
});
