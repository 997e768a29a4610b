import { sql } from 'drizzle-orm';
import { type Database, type Executor, rows } from './client.ts';
import { migrate } from './migrate.ts';

/** The move cannot be done; the message is the one line printed. */
export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveError';
  }
}

/** Rows read from the embedded database and written to the server per statement. */
const BATCH = 2_000;

/**
 * Copies every table of the embedded database (`from`) into an empty PostgreSQL database (`to`): both
 * are migrated to this build first, a target holding any row is refused, tables are copied parents
 * first (foreign keys) in one transaction on the target, so a failed move leaves it empty, and each
 * sequence is set past the highest id copied. Rows travel as JSON text and are rebuilt by PostgreSQL
 * (`json_populate_recordset`), so numerics, timestamps and JSON keep their exact values. Returns each
 * table with its row count, in the order copied.
 */
export async function moveToServer(
  from: Database,
  to: Database,
): Promise<Array<{ table: string; rows: number }>> {
  await migrate(from);
  await migrate(to);
  const tables = inDependencyOrder(
    await tableNames(to.orm),
    await rows<{ child: string; parent: string }>(
      to.orm,
      sql`select c.relname as child, p.relname as parent from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = 'public'::regnamespace`,
    ),
  );
  for (const table of tables) {
    const [found] = await rows<{ any: boolean }>(
      to.orm,
      sql`select exists (select 1 from ${sql.identifier(table)}) as any`,
    );
    if (found!.any) {
      throw new MoveError(
        `the target database is not empty (${table} has rows): move into a new, empty database`,
      );
    }
  }
  return to.orm.transaction(async (target) => {
    const copied: Array<{ table: string; rows: number }> = [];
    for (const table of tables) copied.push({ table, rows: await copyTable(from, target, table) });
    await resetSequences(target);
    return copied;
  });
}

/** Pulse's tables, without the migrations' own record, which each side keeps for itself. */
async function tableNames(executor: Pick<Executor, 'execute'>): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    executor,
    sql`select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'pulse_migrations'
      order by table_name`,
  );
  return found.map((t) => t.table_name);
}

/** Parents before children; a table referring to itself is its own parent and needs no order. */
export function inDependencyOrder(
  tables: string[],
  references: Array<{ child: string; parent: string }>,
): string[] {
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) if (child !== parent) parents.get(child)?.add(parent);
  const ordered: string[] = [];
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !ordered.includes(t) && [...parents.get(t)!].every((p) => ordered.includes(p)),
    );
    if (!ready.length)
      throw new MoveError(
        `the tables' foreign keys form a cycle: ${tables.filter((t) => !ordered.includes(t)).join(', ')}`,
      );
    ordered.push(...ready);
  }
  return ordered;
}

/** One table through a cursor on the embedded database, BATCH rows per insert on the server. */
async function copyTable(from: Database, target: Pick<Executor, 'execute'>, table: string): Promise<number> {
  const name = sql.identifier(table);
  return from.orm.transaction(async (source) => {
    await source.execute(
      sql`declare pulse_move no scroll cursor for select row_to_json(t)::text as row from ${name} t`,
    );
    let count = 0;
    for (;;) {
      const batch = await rows<{ row: string }>(source, sql.raw(`fetch ${BATCH} from pulse_move`));
      if (!batch.length) break;
      const json = `[${batch.map((r) => r.row).join(',')}]`;
      await target.execute(
        sql`insert into ${name} select * from json_populate_recordset(null::${name}, ${json}::json)`,
      );
      count += batch.length;
    }
    await source.execute(sql`close pulse_move`);
    return count;
  });
}

/** Every sequence owned by a column starts after the highest value copied into it. */
async function resetSequences(target: Pick<Executor, 'execute'>): Promise<void> {
  const owned = await rows<{ sequence: string; table: string; column: string }>(
    target,
    sql`select s.relname as sequence, t.relname as table, a.attname as column from pg_class s
      join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.deptype in ('a', 'i')
      join pg_class t on t.oid = d.refobjid
      join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where s.relkind = 'S' and s.relnamespace = 'public'::regnamespace`,
  );
  for (const { sequence, table, column } of owned) {
    await target.execute(
      sql`select setval(${sequence}::regclass, coalesce((select max(${sql.identifier(column)}) from ${sql.identifier(table)}), 0) + 1, false)`,
    );
  }
}
