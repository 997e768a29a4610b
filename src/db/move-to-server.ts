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
 * first (foreign keys; where two tables refer to each other, one of the references is nullable: it is
 * copied empty and filled in once both tables are there) in one transaction on the target, so a failed
 * move leaves it empty, and each
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
  const { order: tables, deferred } = inDependencyOrder(
    await tableNames(to.orm),
    await rows<ForeignKey>(
      to.orm,
      sql`select c.relname as child, p.relname as parent, a.attname as column, not a.attnotnull as nullable
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
        where k.contype = 'f' and k.connamespace = 'public'::regnamespace and cardinality(k.conkey) = 1`,
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
    for (const table of tables) {
      const later = deferred.filter((d) => d.child === table).map((d) => d.column);
      copied.push({ table, rows: await copyTable(from, target, table, later) });
    }
    for (const { child, column } of deferred) await fillColumn(from, target, child, column);
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

export interface ForeignKey {
  child: string;
  parent: string;
  column: string;
  nullable: boolean;
}

/**
 * Parents before children; a table referring to itself is its own parent and needs no order. Where
 * tables refer to each other in a cycle, their nullable references are `deferred`: copied as null, then
 * filled in. A cycle of required references cannot be copied.
 */
export function inDependencyOrder(
  tables: string[],
  references: ForeignKey[],
): { order: string[]; deferred: Array<{ child: string; column: string }> } {
  const order: string[] = [];
  const deferred: ForeignKey[] = [];
  const waitsFor = (t: string) =>
    references.filter(
      (r) => r.child === t && r.parent !== t && !order.includes(r.parent) && !deferred.includes(r),
    );
  while (order.length < tables.length) {
    const left = tables.filter((t) => !order.includes(t));
    const ready = left.filter((t) => !waitsFor(t).length);
    if (ready.length) {
      order.push(...ready);
      continue;
    }
    const breakable = left.flatMap(waitsFor).filter((r) => r.nullable);
    if (!breakable.length) throw new MoveError(`the tables' foreign keys form a cycle: ${left.join(', ')}`);
    deferred.push(...breakable);
  }
  return { order, deferred: deferred.map(({ child, column }) => ({ child, column })) };
}

/**
 * One table through a cursor on the embedded database, BATCH rows per insert on the server; the `empty`
 * columns are copied as null (see fillColumn).
 */
async function copyTable(
  from: Database,
  target: Pick<Executor, 'execute'>,
  table: string,
  empty: string[] = [],
): Promise<number> {
  const name = sql.identifier(table);
  const without = empty.map((column) => sql` - ${column}`);
  return from.orm.transaction(async (source) => {
    await source.execute(
      sql`declare pulse_move no scroll cursor for
        select (to_jsonb(t)${sql.join(without, sql``)})::text as row from ${name} t`,
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

/** Fills in a reference copied as null, by the table's `id`, once the rows it points at are there. */
async function fillColumn(from: Database, target: Pick<Executor, 'execute'>, table: string, column: string) {
  const [name, col] = [sql.identifier(table), sql.identifier(column)];
  const pairs = await rows<{ pairs: string | null }>(
    from.orm,
    sql`select json_agg(json_build_object('id', id, 'value', ${col}))::text as pairs from ${name}
      where ${col} is not null`,
  );
  if (!pairs[0]?.pairs) return;
  await target.execute(
    sql`update ${name} t set ${col} = (p->>'value')::bigint
      from json_array_elements(${pairs[0].pairs}::json) p where t.id = (p->>'id')::bigint`,
  );
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
