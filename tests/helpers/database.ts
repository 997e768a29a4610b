import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server named by
 * TEST_DATABASE_URL when it is set, else an in-memory PGlite. `url` is set for the server (to hand
 * to a child process), undefined for PGlite. `{ migrated: false }` leaves it empty (a migration test
 * applies what it needs).
 */
export async function freshDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  const migrated = options.migrated ?? true;
  if (!server) {
    const db = await openDatabase({ dataDir: 'memory://' });
    if (migrated) await migrate(db);
    return { db, drop: () => db.close() };
  }
  const name = `pulse_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  if (migrated) await migrate(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const databaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
