import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { z } from 'zod';
import { PULSE_VERSION } from '../version.ts';
import { type Database, type Executor, rows } from './client.ts';

/** The package's migrations/: two levels up from this module in the sources (src/db/), three in the build. */
const MIGRATION_FOLDERS = ['../../migrations', '../../../migrations'];
/** Any fixed number: replicas starting together take turns applying migrations. */
const MIGRATION_LOCK = 7_263_541;

/** A migration this build carries: its journal tag, its timestamp (`created_at` once applied) and its hash. */
interface Migration {
  tag: string;
  createdAt: number;
  hash: string;
  sql: string[];
}

/** The database holds migrations applied by a newer Pulse than this one: its message is the one line printed. */
export class NewerDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NewerDatabaseError';
  }
}

/**
 * Applies the committed drizzle-kit migrations that are not applied yet, in one transaction under an
 * advisory lock, so two processes starting at once never apply the same migration twice. A database
 * holding a migration newer than any this build knows was upgraded by a newer Pulse: NewerDatabaseError,
 * nothing applied. `through` stops after the migration of that tag (e.g. `0008_slack_safety`): a test
 * builds the database an older Pulse left, then upgrades it. Returns how many were applied.
 */
export async function migrate(db: Database, options: { through?: string } = {}): Promise<number> {
  const known = migrations();
  const wanted = known.slice(0, count(known, options.through));
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`create table if not exists pulse_migrations (
      hash text primary key, created_at bigint not null, applied_at timestamptz not null default now())`);
    const applied = await appliedMigrations(tx);
    refuseNewer(applied, known);
    const hashes = new Set(applied.map((r) => r.hash));
    let count = 0;
    for (const migration of wanted) {
      if (hashes.has(migration.hash)) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into pulse_migrations (hash, created_at) values (${migration.hash}, ${migration.createdAt})`,
      );
      count++;
    }
    return count;
  });
}

/**
 * The tag of the latest migration the database holds (`0009_outbox_links`), for GET /healthz;
 * `newer than <tag>` when a newer Pulse applied it; undefined before any.
 */
export async function latestMigration(executor: Pick<Executor, 'execute'>): Promise<string | undefined> {
  const [latest] = await rows<{ hash: string; created_at: string | number }>(
    executor,
    sql`select hash, created_at from pulse_migrations order by created_at desc limit 1`,
  );
  if (!latest) return undefined;
  const known = migrations();
  return known.find((m) => m.hash === latest.hash)?.tag ?? `newer than ${known.at(-1)!.tag}`;
}

async function appliedMigrations(
  tx: Pick<Executor, 'execute'>,
): Promise<Array<{ hash: string; createdAt: number }>> {
  const applied = await rows<{ hash: string; created_at: string | number }>(
    tx,
    sql`select hash, created_at from pulse_migrations`,
  );
  return applied.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/**
 * Migrations only go forward, and an older Pulse would run against tables it does not know, so a row
 * newer than this build's latest migration (not one of ours) stops it. An unknown row from before our
 * latest is left alone: a migration renamed or reworded since it was applied.
 */
function refuseNewer(applied: Array<{ hash: string; createdAt: number }>, known: Migration[]): void {
  const ours = new Set(known.map((m) => m.hash));
  const latest = known.at(-1)!;
  const newer = applied.filter((r) => !ours.has(r.hash) && r.createdAt > latest.createdAt);
  if (!newer.length) return;
  throw new NewerDatabaseError(
    `the database was migrated by a newer Pulse: it holds ${newer.length} migration(s) from after ` +
      `${latest.tag}, the latest Pulse ${PULSE_VERSION} knows; run that newer version (migrations only go ` +
      'forward), or restore the backup taken before the upgrade',
  );
}

/** How many migrations, in journal order, up to and including `tag` (all of them without one). */
function count(known: Migration[], tag: string | undefined): number | undefined {
  if (tag === undefined) return undefined;
  const index = known.findIndex((m) => m.tag === tag);
  if (index < 0) throw new Error(`No migration ${tag} in migrations/meta/_journal.json`);
  return index + 1;
}

const journalSchema = z.object({ entries: z.array(z.object({ tag: z.string(), when: z.number() })) });

let cached: Migration[] | undefined;
/** This build's migrations, in journal order (read once). */
function migrations(): Migration[] {
  if (cached) return cached;
  const folder = migrationsFolder();
  const journal = journalSchema.parse(JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')));
  const files = readMigrationFiles({ migrationsFolder: folder });
  cached = files.map((file, index) => ({
    tag: journal.entries[index]!.tag,
    createdAt: file.folderMillis,
    hash: file.hash,
    sql: file.sql,
  }));
  return cached;
}

function migrationsFolder(): string {
  const folders = MIGRATION_FOLDERS.map((path) => fileURLToPath(new URL(path, import.meta.url)));
  const found = folders.find((folder) => existsSync(join(folder, 'meta/_journal.json')));
  if (!found) throw new Error(`no migrations found in ${folders.join(' or ')}`);
  return found;
}
