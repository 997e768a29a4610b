import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { type Database, openDatabase, pgliteDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server named by
 * TEST_DATABASE_URL when it is set, else an in-memory PGlite. `url` is set for the server (to hand
 * to a child process), undefined for PGlite.
 *
 * Either way it is a copy of a database migrated once (`migratedTemplate()`, which the global setup
 * makes before the tests start), not a database migrated again: on the server `CREATE DATABASE …
 * TEMPLATE`, on PGlite a data directory loaded from the template's tarball, or one this worker opened so
 * before and put back in the template's state when the file that had it dropped it (`giveBack`).
 * `{ migrated: false }` leaves it empty instead (a migration test applies what it needs): on PGlite a
 * copy of an empty database's tarball too, since a PGlite created from nothing runs initdb (~6 CPU-s).
 */
export async function freshDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  const migrated = options.migrated ?? true;
  if (!server) {
    if (migrated) {
      const client = await pgliteFromTemplate();
      return { db: pgliteDatabase(client), drop: () => giveBack(client) };
    }
    const db = pgliteDatabase(
      await PGlite.create({ loadDataDir: await pgliteEmpty(), pgliteWasmModule: await pgliteWasm() }),
    );
    return { db, drop: () => db.close() };
  }
  serverTemplateName ??= serverTemplate(server);
  const template = migrated ? await serverTemplateName : 'template0';
  const name = `pulse_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${template}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
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

/**
 * Fills an empty directory with a copy of the migrated PGlite template, for a Pulse process started with
 * PULSE_DATA_DIR pointing at it: a file copy of a data directory PGlite wrote from the tarball and shut
 * down cleanly, once per run and worker (starting a PGlite to write each one costs ~1.5 CPU-s, the copy
 * a tenth of that, and the process then opens a cleanly stopped database).
 */
export async function seedDataDir(dir: string): Promise<void> {
  cpSync(await pgliteTemplateDir(), dir, { recursive: true });
}

export const databaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/**
 * Makes, once, the migrated database every fresh one copies, and returns where it is: on the server
 * (TEST_DATABASE_URL) the name of a template database, else the path of a PGlite data directory tarball.
 * Both are named after a hash of the migrations (and of the runner, and of PGlite's version), so a changed
 * migration makes a new one, and both are kept between runs. Runs and workers that race take turns (an
 * advisory lock on the server; on disk the tarball appears whole, by a rename, or not at all).
 */
export async function migratedTemplate(): Promise<string> {
  const server = process.env.TEST_DATABASE_URL;
  return server ? serverTemplate(server) : pgliteTemplateFile();
}

let serverTemplateName: Promise<string> | undefined;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the migrated database depends on: the migrations and the runner that applies them. */
const SOURCES = [join(ROOT, 'migrations'), join(ROOT, 'src/db/migrate.ts')];
/** Any fixed number, other than migrate()'s own. */
const TEMPLATE_LOCK = 7_263_542;

function migrationsHash(...extra: string[]): string {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(SOURCES[0]!, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name)),
    SOURCES[1]!,
  ].sort();
  for (const file of files) hash.update(`${relative(ROOT, file)}\0`).update(readFileSync(file));
  for (const value of extra) hash.update(`\0${value}`);
  return hash.digest('hex').slice(0, 16);
}

async function serverTemplate(server: string): Promise<string> {
  const name = `pulse_template_${migrationsHash()}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const exists = async () => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  try {
    if (await exists()) return name;
    // A session lock (CREATE DATABASE cannot run in a transaction): the connection holds it until released.
    await admin`select pg_advisory_lock(${TEMPLATE_LOCK})`;
    try {
      if (await exists()) return name;
      // Made under another name and renamed once migrated: a template that exists is a whole one.
      const building = `${name}_building`;
      await admin.unsafe(`drop database if exists ${building} with (force)`);
      await admin.unsafe(`create database ${building}`);
      const url = new URL(server);
      url.pathname = `/${building}`;
      const db = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await admin.unsafe(`alter database ${building} rename to ${name}`);
      // Nobody connects to a template: a connection would make CREATE DATABASE … TEMPLATE fail.
      await admin.unsafe(`alter database ${name} with is_template true allow_connections false`);
      return name;
    } finally {
      await admin`select pg_advisory_unlock(${TEMPLATE_LOCK})`;
    }
  } finally {
    await admin.end();
  }
}

const PGLITE_DIST = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
/** Its tarball is PGlite's own format: a new PGlite makes a new one. */
const PGLITE_VERSION: string = JSON.parse(readFileSync(join(PGLITE_DIST, '../package.json'), 'utf8')).version;

async function pgliteTemplateFile(): Promise<string> {
  const dir = join(tmpdir(), 'pulse-test-templates');
  // 'checkpointed': the tarballs made before the checkpoint below replay WAL on every copy.
  const file = join(dir, `pglite-${migrationsHash(PGLITE_VERSION, 'checkpointed')}.tar`);
  if (existsSync(file)) return file;
  const client = await PGlite.create({
    loadDataDir: await pgliteEmpty(),
    pgliteWasmModule: await pgliteWasm(),
  });
  try {
    await migrate(pgliteDatabase(client));
    // Written out now, so a copy does not start by replaying the migrations' WAL.
    await client.exec('checkpoint');
    const dump = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
    mkdirSync(dir, { recursive: true });
    writeWhole(file, dump);
  } finally {
    await client.close();
  }
  return file;
}

let loaded: Promise<Blob> | undefined;
/** The PGlite template as the tarball PGlite loads, read once per worker. */
function pgliteTemplate(): Promise<Blob> {
  loaded ??= pgliteTemplateFile().then((file) => new Blob([readFileSync(file)]));
  return loaded;
}

let empty: Promise<Blob> | undefined;
/**
 * An empty PGlite database (initdb's, nothing migrated) as a tarball, made once and kept between runs
 * like the template (named after PGlite's version), read once per worker.
 */
function pgliteEmpty(): Promise<Blob> {
  empty ??= (async () => {
    const dir = join(tmpdir(), 'pulse-test-templates');
    const file = join(dir, `pglite-empty-${PGLITE_VERSION}.tar`);
    if (!existsSync(file)) {
      const client = await PGlite.create({ pgliteWasmModule: await pgliteWasm() });
      try {
        await client.exec('checkpoint');
        mkdirSync(dir, { recursive: true });
        writeWhole(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
      } finally {
        await client.close();
      }
    }
    return new Blob([readFileSync(file)]);
  })();
  return empty;
}

let templateDir: Promise<string> | undefined;
/**
 * The migrated template as a data directory, for `seedDataDir` to copy: written by PGlite from the
 * tarball and shut down cleanly, beside the tarball and kept with it (made aside and renamed, so a
 * directory that exists is a whole one).
 */
function pgliteTemplateDir(): Promise<string> {
  templateDir ??= (async () => {
    const dir = (await pgliteTemplateFile()).replace(/\.tar$/, '.d');
    if (existsSync(dir)) return dir;
    const partial = `${dir}.${process.pid}-${randomBytes(4).toString('hex')}`;
    const client = await PGlite.create({
      dataDir: partial,
      loadDataDir: await pgliteTemplate(),
      pgliteWasmModule: await pgliteWasm(),
    });
    await client.close();
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another worker's came first: theirs is as good.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(dir)) throw error;
    }
    return dir;
  })();
  return templateDir;
}

let wasm: Promise<WebAssembly.Module> | undefined;
/**
 * PGlite's WebAssembly compiled once per worker and handed to every PGlite the worker opens: compiling
 * it again for each costs ~0.7 CPU-s.
 */
function pgliteWasm(): Promise<WebAssembly.Module> {
  wasm ??= WebAssembly.compile(readFileSync(join(PGLITE_DIST, 'pglite.wasm')));
  return wasm;
}

/** Written aside, then renamed: a file that exists is a whole one. */
function writeWhole(file: string, content: Buffer): void {
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, content);
  renameSync(partial, file);
}

/**
 * PGlites of this worker opened from the template and put back in its state, waiting for the next
 * `freshDatabase()`: opening one from the tarball costs ~1–2 CPU-s, putting one back ~0.1.
 */
const idle: PGlite[] = [];

async function pgliteFromTemplate(): Promise<PGlite> {
  const client =
    idle.pop() ??
    (await PGlite.create({ loadDataDir: await pgliteTemplate(), pgliteWasmModule: await pgliteWasm() }));
  templateState ??= readTemplateState(client);
  await templateState;
  return client;
}

/** What a PGlite opened from the template holds besides its schema: the rows migrations insert, the sequences. */
interface TemplateState {
  /** The catalog's fingerprint: a test that changed the schema leaves a database that cannot be put back. */
  schema: string;
  tables: string[];
  rows: Array<{ table: string; columns: string; rows: string }>;
  sequences: string;
}

let templateState: Promise<TemplateState> | undefined;

/** The user tables, quoted, and the fingerprint of everything a test's DDL could change. */
const SCHEMA_SQL = `
  select
    (select coalesce(json_agg(format('%I.%I', schemaname, tablename) order by schemaname, tablename), '[]')
       from pg_tables where schemaname not in ('pg_catalog', 'information_schema')) as tables,
    md5(concat_ws('|',
      (select string_agg(format('%s %s %s %s', oid, relname, relkind, relnatts), ',' order by oid) from pg_class),
      (select string_agg(format('%s %s %s %s %s %s', attrelid, attname, atttypid, attnotnull, atthasdef, attisdropped),
         ',' order by attrelid, attnum) from pg_attribute where attrelid >= 16384),
      (select string_agg(oid::text, ',' order by oid) from pg_constraint),
      (select string_agg(oid::text, ',' order by oid) from pg_proc),
      (select string_agg(oid::text, ',' order by oid) from pg_type),
      (select string_agg(oid::text, ',' order by oid) from pg_trigger),
      (select string_agg(oid::text, ',' order by oid) from pg_attrdef),
      (select string_agg(oid::text, ',' order by oid) from pg_namespace),
      (select string_agg(oid::text, ',' order by oid) from pg_authid),
      (select string_agg(oid::text, ',' order by oid) from pg_extension),
      (select count(*)::text from pg_db_role_setting)
    )) as schema`;

/** Every sequence's position, as the argument of `setval` for each. */
const SEQUENCES_SQL = `
  select coalesce(json_agg(json_build_object(
    'name', format('%I.%I', schemaname, sequencename),
    'value', coalesce(last_value, start_value),
    'called', last_value is not null)), '[]') as sequences
  from pg_sequences`;

async function readTemplateState(client: PGlite): Promise<TemplateState> {
  const [described] = (await client.query<{ tables: string[]; schema: string }>(SCHEMA_SQL)).rows;
  const rows: TemplateState['rows'] = [];
  for (const table of described!.tables) {
    const [held] = (
      await client.query<{ rows: string | null; columns: string }>(
        `select (select json_agg(t)::text from ${table} t) as rows,
           (select string_agg(quote_ident(attname), ', ' order by attnum) from pg_attribute
             where attrelid = '${table}'::regclass and attnum > 0 and not attisdropped and attgenerated = '') as columns`,
      )
    ).rows;
    if (held!.rows) rows.push({ table, columns: held!.columns, rows: held!.rows });
  }
  const [sequences] = (await client.query<{ sequences: unknown }>(SEQUENCES_SQL)).rows;
  return {
    schema: described!.schema,
    tables: described!.tables,
    rows,
    sequences: JSON.stringify(sequences!.sequences),
  };
}

/**
 * A file's PGlite back in the template's state, for the next file of this worker: its session reset,
 * every table emptied and the migrations' rows put back, every sequence where it was. One whose schema
 * the file changed (or that it closed, or that fails to reset) is closed instead.
 */
async function giveBack(client: PGlite): Promise<void> {
  if (client.closed) return;
  try {
    const template = await templateState!;
    await client.exec('discard all');
    const [now] = (await client.query<{ schema: string }>(SCHEMA_SQL)).rows;
    if (now!.schema !== template.schema) throw new Error('schema changed');
    await client.transaction(async (tx) => {
      // Foreign keys are triggers: off while the migrations' rows go back in, whatever their order.
      await tx.exec(`set local session_replication_role = replica; truncate ${template.tables.join(', ')}`);
      for (const { table, columns, rows } of template.rows)
        await tx.query(
          `insert into ${table} (${columns}) overriding system value
             select ${columns} from json_populate_recordset(null::${table}, $1::json)`,
          [rows],
        );
      await tx.query(
        `select setval(s.name::regclass, s.value, s.called)
           from json_to_recordset($1::json) as s(name text, value bigint, called boolean)`,
        [template.sequences],
      );
    });
    idle.push(client);
  } catch {
    await client.close();
  }
}
