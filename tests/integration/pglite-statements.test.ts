import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, pgliteDatabase, rows } from '../../src/db/client.ts';
import { databaseKind, migratedTemplate } from '../helpers/database.ts';

// PGlite's client only: on the server postgres.js names its statements itself.
describe.skipIf(databaseKind !== 'pglite')('PGlite statements', () => {
  let client: PGlite;
  let db: Database;

  beforeAll(async () => {
    client = await PGlite.create({ loadDataDir: new Blob([readFileSync(await migratedTemplate())]) });
    db = pgliteDatabase(client);
    await client.exec(`create table named_t (id int primary key, at timestamptz not null, tags text[])`);
  });

  afterAll(async () => {
    await db?.close();
  });

  const prepared = () =>
    client.query<{ name: string; statement: string; generic_plans: number; custom_plans: number }>(
      `select name, statement, generic_plans::int, custom_plans::int from pg_prepared_statements order by name`,
    );

  it('run a parameterised statement as a named statement, parsed once, with its rows parsed as PGlite does', async () => {
    await db.orm.execute(
      sql`insert into named_t values (1, ${'2024-05-10T12:00:00Z'}, array['a', 'b''c']),
        (2, ${'2024-05-11T12:00:00Z'}, null)`,
    );
    const select = (id: number) =>
      rows<{ id: number; at: string; tags: string[] | null }>(
        db.orm,
        sql`select id, at, tags from named_t where id >= ${id} order by id`,
      );
    for (let i = 0; i < 8; i++) await select(1);
    const ours = await select(1);
    // PGlite's parsers (an array) merged with drizzle's (a timestamp left as text).
    expect(ours).toEqual([
      { id: 1, at: '2024-05-10 12:00:00+00', tags: ['a', "b'c"] },
      { id: 2, at: '2024-05-11 12:00:00+00', tags: null },
    ]);
    const statements = (await prepared()).rows.filter((s) => s.statement.includes('from named_t where'));
    expect(statements).toHaveLength(1);
    // Planned custom five times, then the cached generic plan (PostgreSQL's plan cache).
    expect(statements[0]!.custom_plans + statements[0]!.generic_plans).toBe(9);
  });

  it('keep out of another caller’s open transaction', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = client.transaction(async (tx) => {
      await tx.query(`insert into named_t values (3, now(), null)`);
      await held;
      await tx.rollback();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const counted = rows<{ n: number }>(
      db.orm,
      sql`select count(*)::int as n from named_t where id = ${3}`,
    ).then((r) => {
      order.push('counted');
      return r[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('rolled back');
    release();
    await transaction;
    // Run inside the transaction, the count would have seen its row before it was rolled back.
    expect(await counted).toBe(0);
    expect(order).toEqual(['rolled back', 'counted']);
  });

  it('reject a failing statement with PostgreSQL’s error, and go on', async () => {
    const insert = (id: number) => db.orm.execute(sql`insert into named_t values (${id}, now(), null)`);
    const failure = await insert(1).catch((error: Error & { cause?: { code?: string } }) => error);
    expect((failure as Error & { cause?: { code?: string } }).cause?.code).toBe('23505');
    await insert(4);
    expect(await rows(db.orm, sql`select id from named_t where id = ${4}`)).toEqual([{ id: 4 }]);
  });

  it('pass on the notifications their statement raised', async () => {
    const heard: string[] = [];
    const unlisten = await client.listen('named_channel', (payload) => heard.push(payload));
    await rows(db.orm, sql`select pg_notify('named_channel', ${'hello'})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await unlisten();
    expect(heard).toEqual(['hello']);
  });

  it('leave batches of more than 100 parameters unnamed', async () => {
    const ids = (n: number) =>
      sql.join(
        Array.from({ length: n }, (_, i) => sql`${i}::int`),
        sql`, `,
      );
    await rows(db.orm, sql`select 'batch of 100' from named_t where id in (${ids(100)})`);
    await rows(db.orm, sql`select 'batch of 101' from named_t where id in (${ids(101)})`);
    const texts = (await prepared()).rows.map((s) => s.statement);
    expect(texts.filter((t) => t.includes('batch of 100'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('batch of 101'))).toHaveLength(0);
  });

  it('keep at most 200 statements, closing the least recently used', async () => {
    for (let i = 0; i < 210; i++) await rows(db.orm, sql`select ${i}::int + ${sql.raw(String(i))} as n`);
    const names = (await prepared()).rows.map((s) => s.statement);
    expect(names).toHaveLength(200);
    expect(names.some((s) => s.includes('+ 209 as n'))).toBe(true);
    expect(names.some((s) => s.includes('from named_t where id >='))).toBe(false);
  });
});
