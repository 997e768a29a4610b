import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { type Database, rows } from './client.ts';

/** The package's migrations/: two levels up from this module in the sources (src/db/), three in the build. */
const MIGRATION_FOLDERS = ['../../migrations', '../../../migrations'];
/** Any fixed number: replicas starting together take turns applying migrations. */
const MIGRATION_LOCK = 7_263_541;

/**
 * Applies the committed drizzle-kit migrations that are not applied yet, in one transaction under an
 * advisory lock, so two processes starting at once never apply the same migration twice. `through`
 * stops after the migration of that tag (e.g. `0008_slack_safety`): a test builds the database an
 * older Pulse left, then upgrades it. Returns how many were applied.
 */
export async function migrate(db: Database, options: { through?: string } = {}): Promise<number> {
  const folder = migrationsFolder();
  const migrations = readMigrationFiles({ migrationsFolder: folder }).slice(
    0,
    count(folder, options.through),
  );
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create table if not exists pulse_migrations (
      hash text primary key, created_at bigint not null, applied_at timestamptz not null default now())`);
    const applied = new Set(
      (await rows<{ hash: string }>(tx, sql`select hash from pulse_migrations`)).map((r) => r.hash),
    );
    let count = 0;
    for (const migration of migrations) {
      if (applied.has(migration.hash)) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into pulse_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      count++;
    }
    return count;
  });
}

/** How many migrations, in journal order, up to and including `tag` (all of them without one). */
function count(folder: string, tag: string | undefined): number | undefined {
  if (tag === undefined) return undefined;
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  const index = journal.entries.findIndex((e) => e.tag === tag);
  if (index < 0) throw new Error(`No migration ${tag} in migrations/meta/_journal.json`);
  return index + 1;
}

function migrationsFolder(): string {
  const folders = MIGRATION_FOLDERS.map((path) => fileURLToPath(new URL(path, import.meta.url)));
  const found = folders.find((folder) => existsSync(join(folder, 'meta/_journal.json')));
  if (!found) throw new Error(`no migrations found in ${folders.join(' or ')}`);
  return found;
}
