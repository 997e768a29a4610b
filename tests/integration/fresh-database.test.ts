import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { freshDatabase } from '../helpers/database.ts';

/**
 * Every `freshDatabase()` is the migrated template, whatever the files before left in theirs: on PGlite a
 * worker puts a dropped database back in the template's state and hands it out again.
 */
type Fresh = Awaited<ReturnType<typeof freshDatabase>>;

const state = async ({ db }: Fresh) =>
  (
    await rows<{ accounts: number; migrations: number; next: number }>(
      db.orm,
      sql`select (select count(*)::int from accounts) as accounts,
            (select count(*)::int from pulse_migrations) as migrations,
            nextval('accounts_id_seq')::int as next`,
    )
  )[0]!;

async function dirty(fresh: Fresh): Promise<void> {
  await fresh.db.orm.execute(
    sql`insert into accounts (key, name) values ('acme', 'Acme'), ('globex', 'Globex')`,
  );
  await fresh.db.orm.execute(sql`delete from pulse_migrations`);
  await fresh.db.orm.execute(sql`set timezone = 'Asia/Tokyo'`);
}

describe('a fresh database', () => {
  it('has no rows of another that was dropped, its sequences restarted, the migrations recorded', async () => {
    const first = await freshDatabase();
    const template = await state(first);
    expect(template).toMatchObject({ accounts: 0, next: 1 });
    expect(template.migrations).toBeGreaterThan(0);
    await dirty(first);
    await first.drop();

    const second = await freshDatabase();
    try {
      expect(await state(second)).toEqual(template);
      const [zone] = await rows<{ zone: string }>(
        second.db.orm,
        sql`select current_setting('timezone') as zone`,
      );
      expect(zone!.zone).not.toBe('Asia/Tokyo');
    } finally {
      await second.drop();
    }
  });

  it('has the template’s schema after another whose schema was changed', async () => {
    const first = await freshDatabase();
    await first.db.orm.execute(sql`alter table accounts add column extra text`);
    await first.db.orm.execute(sql`create table leftover (id int)`);
    await first.drop();

    const second = await freshDatabase();
    try {
      const [found] = await rows<{ extra: number; leftover: number }>(
        second.db.orm,
        sql`select (select count(*)::int from information_schema.columns
                     where table_name = 'accounts' and column_name = 'extra') as extra,
                   (select count(*)::int from information_schema.tables where table_name = 'leftover') as leftover`,
      );
      expect(found).toEqual({ extra: 0, leftover: 0 });
    } finally {
      await second.drop();
    }
  });
});
