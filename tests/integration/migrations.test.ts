import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { latestMigration, migrate, NewerDatabaseError } from '../../src/db/migrate.ts';
import { startPulse } from '../../src/pulse.ts';
import { PULSE_VERSION } from '../../src/version.ts';
import { freshDatabase, seedDataDir } from '../helpers/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const journal = JSON.parse(readFileSync(join(ROOT, 'migrations/meta/_journal.json'), 'utf8')) as {
  entries: Array<{ tag: string; when: number }>;
};
const LATEST = journal.entries.at(-1)!;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const appliedCount = async (db: Database) =>
  (await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from pulse_migrations`))[0]!.n;

/** A row as a later Pulse's migration would leave it: a hash this build does not have, a later timestamp. */
const addNewerMigration = (db: Database) =>
  db.orm.execute(
    sql`insert into pulse_migrations (hash, created_at) values ('from-a-newer-pulse', ${LATEST.when + 86_400_000})`,
  );

// Each test migrates or starts a process: seconds of CPU, many more on a loaded machine.
describe('migrations', { timeout: 90_000 }, () => {
  it('are applied once when two processes start together (each its own connection on the server)', async () => {
    const empty = await freshDatabase({ migrated: false });
    cleanups.push(() => empty.drop());
    // On the server, a second connection pool; PGlite takes one process, so there both run on one instance.
    const second = empty.url ? await openDatabase({ url: empty.url, poolSize: 1 }) : empty.db;
    if (second !== empty.db) cleanups.push(() => second.close());

    const counts = await Promise.all([migrate(empty.db), migrate(second)]);

    expect(counts.sort((a, b) => a - b)).toEqual([0, journal.entries.length]);
    expect(await appliedCount(empty.db)).toBe(journal.entries.length);
    expect(await latestMigration(second.orm)).toBe(LATEST.tag);
  });

  it('refuse a database a newer Pulse migrated, applying nothing', async () => {
    const older = await freshDatabase({ migrated: false });
    cleanups.push(() => older.drop());
    await migrate(older.db, { through: journal.entries.at(-2)!.tag });
    await addNewerMigration(older.db);
    const before = await appliedCount(older.db);

    const refused = await migrate(older.db).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(NewerDatabaseError);
    expect((refused as Error).message).toBe(
      `the database was migrated by a newer Pulse: it holds 1 migration(s) from after ${LATEST.tag}, ` +
        `the latest Pulse ${PULSE_VERSION} knows; run that newer version (migrations only go forward), ` +
        'or restore the backup taken before the upgrade',
    );
    expect(await appliedCount(older.db)).toBe(before);
    expect(await latestMigration(older.db.orm)).toBe(`newer than ${LATEST.tag}`);
    await expect(
      startPulse({ env: { PORT: '0', LOG_LEVEL: 'silent' }, host: '127.0.0.1', database: older.db }),
    ).rejects.toBeInstanceOf(NewerDatabaseError);
  });

  it('stop `node dist/src/main.js` with one line on stderr and exit code 1', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH!, PORT: '0', LOG_LEVEL: 'silent' };
    const server = await freshDatabase();
    cleanups.push(() => server.drop());
    if (server.url) {
      env.DATABASE_URL = server.url;
      await addNewerMigration(server.db);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'pulse-newer-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      await seedDataDir(dir);
      const embedded = await openDatabase({ dataDir: dir });
      await addNewerMigration(embedded);
      await embedded.close();
      env.PULSE_DATA_DIR = dir;
    }

    const run = await promisify(execFile)(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect('code' in run ? run.code : 0).toBe(1);
    expect(run.stderr).toBe(
      `Pulse could not start: the database was migrated by a newer Pulse: it holds 1 migration(s) from after ${LATEST.tag}, ` +
        `the latest Pulse ${PULSE_VERSION} knows; run that newer version (migrations only go forward), ` +
        'or restore the backup taken before the upgrade\n',
    );
  });
});
