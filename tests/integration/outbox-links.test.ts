import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { OUTBOX_METHODS } from '../../src/db/schema.ts';
import { loadAlerts } from '../../src/store/alerts/load.ts';
import { undeliveredAlerts } from '../../src/store/alerts/undelivered.ts';
import { reconcileSurveyPosts } from '../../src/store/surveys/closing.ts';
import { freshDatabase } from '../helpers/database.ts';

/**
 * A database an older Pulse left (migrated through 0008, posts linked to their alert or survey only by
 * the text of their outbox dedupe key), upgraded: migration 0009 backfills `post_outbox_id`, so every
 * alert and survey keeps its post, and no other message becomes one.
 */
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let applied: number;
const id: Record<string, number> = {};
const outboxId: Record<string, number> = {};

const insertReturningId = async (query: ReturnType<typeof sql>) =>
  Number((await rows<{ id: number | string }>(db.orm, query))[0]!.id);

beforeAll(async () => {
  database = await freshDatabase({ migrated: false });
  db = database.db;
  await migrate(db, { through: '0008_slack_safety' });
  const account = await insertReturningId(
    sql`insert into accounts (key, name, channel_id) values ('acme', 'Acme', 'C0ACME') returning id`,
  );
  const contact = await insertReturningId(
    sql`insert into contacts (account_id, email, role) values (${account}, 'ana@acme.example', 'champion') returning id`,
  );
  for (const name of ['delivered', 'failed', 'waiting', 'unposted'])
    id[name] = await insertReturningId(
      sql`insert into alerts (account_id, kind, dedupe_key, detail)
        values (${account}, 'detractor', ${`detractor:${name}`}, '{"headline":"NPS 3","facts":[]}'::jsonb) returning id`,
    );
  id.survey = await insertReturningId(
    sql`insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, status, route, channel)
      values (${account}, ${contact}, 'nps', 'manual', 'manual:nps:1', 'en', 'sent', 'dm', 'D0ANA') returning id`,
  );
  const outbox = async (
    name: string,
    key: string,
    row: { status: string; channel?: string; ts?: string; lastError?: string },
  ) => {
    outboxId[name] = await insertReturningId(
      sql`insert into slack_outbox (dedupe_key, method, payload, status, channel, ts, last_error)
        values (${key}, 'chat.postMessage', '{}'::jsonb, ${row.status}, ${row.channel ?? null}, ${row.ts ?? null},
          ${row.lastError ?? null}) returning id`,
    );
  };
  // Messages about an alert that are not its post come first, so a link by position would be wrong.
  await outbox('cleared', `alert:${id.delivered}:cleared:reply`, { status: 'sent' });
  await outbox('delivered', `alert:${id.delivered}:post`, {
    status: 'sent',
    channel: 'C0ACME',
    ts: '1751263200.000100',
  });
  await outbox('failed', `alert:${id.failed}:post`, { status: 'failed', lastError: 'channel_not_found' });
  await outbox('waiting', `alert:${id.waiting}:post`, { status: 'pending' });
  await outbox('expired', `survey:${id.survey}:expired`, { status: 'pending' });
  await outbox('survey', `survey:${id.survey}:post`, {
    status: 'sent',
    channel: 'D0ANA',
    ts: '1751263200.000200',
  });
  applied = await migrate(db);
});

afterAll(() => database?.drop());

describe('an upgraded database', () => {
  it('applies the migrations after 0008', () => {
    expect(applied).toBeGreaterThanOrEqual(1);
  });

  it('links every alert and survey to its post, and to nothing else', async () => {
    const linked = await rows<{ id: number; post_outbox_id: number | null }>(
      db.orm,
      sql`select id::int as id, post_outbox_id::int as post_outbox_id from alerts order by id`,
    );
    expect(linked).toEqual([
      { id: id.delivered, post_outbox_id: outboxId.delivered },
      { id: id.failed, post_outbox_id: outboxId.failed },
      { id: id.waiting, post_outbox_id: outboxId.waiting },
      { id: id.unposted, post_outbox_id: null },
    ]);
    const [survey] = await rows<{ post_outbox_id: number | null }>(
      db.orm,
      sql`select post_outbox_id::int as post_outbox_id from surveys where id = ${id.survey}`,
    );
    expect(survey).toEqual({ post_outbox_id: outboxId.survey });
  });

  it('reads the posts through the links: delivered, undelivered, and the survey message expiry updates', async () => {
    const loaded = await loadAlerts(db.orm, [id.delivered!, id.failed!, id.waiting!, id.unposted!]);
    expect(loaded.map((a) => [a.id, a.posted])).toEqual([
      [id.delivered, { channel: 'C0ACME', ts: '1751263200.000100' }],
      [id.failed, null],
      [id.waiting, null],
      [id.unposted, null],
    ]);
    const undelivered = await undeliveredAlerts(db.orm, loaded[0]!.accountId);
    expect(undelivered.map((u) => [u.alert.id, u.error])).toEqual([[id.failed, 'channel_not_found']]);
    expect(await reconcileSurveyPosts(db.orm)).toEqual([]);
    const [survey] = await rows<{ ts: string | null }>(
      db.orm,
      sql`select ts from surveys where id = ${id.survey}`,
    );
    expect(survey).toEqual({ ts: '1751263200.000200' });
  });
});

describe('outbox methods', () => {
  it('are the same in the check constraint as in the schema (views.publish in neither)', async () => {
    const [constraint] = await rows<{ definition: string }>(
      db.orm,
      sql`select pg_get_constraintdef(oid) as definition from pg_constraint
        where conname = 'slack_outbox_method_check'`,
    );
    const allowed = [...constraint!.definition.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(allowed.sort()).toEqual([...OUTBOX_METHODS].sort());
    expect(allowed).not.toContain('views.publish');
  });

  it('refuses a method the worker does not call', async () => {
    await expect(
      db.orm.execute(
        sql`insert into slack_outbox (dedupe_key, method, payload) values ('home:U0', 'views.publish', '{}'::jsonb)`,
      ),
    ).rejects.toThrow();
  });
});
