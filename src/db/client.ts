import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Logger } from 'pino';
import postgres from 'postgres';
import { lockDataDir, openFailure } from './data-dir-lock.ts';
import { withNamedStatements } from './pglite-statements.ts';
import * as schema from './schema.ts';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The database or an open transaction: store functions take either. */
export type Executor = Pick<Orm, 'execute' | 'select' | 'insert' | 'update' | 'delete' | 'transaction'>;

export interface Database {
  orm: Orm;
  kind: 'postgres' | 'pglite';
  /** Calls `onNotify` on each NOTIFY of `channel` (sent by any process, once its transaction commits). */
  listen(channel: string, onNotify: () => void): Promise<{ unlisten(): Promise<void> }>;
  close(): Promise<void>;
}

/** Rows of a raw query, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T>(executor: Pick<Orm, 'execute'>, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

type Client = postgres.Sql | postgres.TransactionSql;

/**
 * drizzle runs every query unnamed, and postgres.js then sends a parameterised query in two round trips
 * (describe, then execute) and PostgreSQL parses it each time. Named statements, cached per connection,
 * take one round trip. Pulse's SQL comes in a small fixed set of shapes, so the cache stays small, and
 * PostgreSQL may then reuse a generic plan instead of planning each execution: planning the health card
 * cost four times its execution. The statements whose best plan depends on their parameters (how many
 * accounts a recomputation reads) ask for a custom plan themselves (`set local plan_cache_mode`).
 */
function preparedStatements<T extends Client>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: object) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          const open = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
          return open.call(target, ...args, (tx: postgres.TransactionSql) => work(preparedStatements(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * `DATABASE_URL` → postgres.js against a PostgreSQL server; none → PGlite persisted in `dataDir`, locked
 * to this process until close (see data-dir-lock.ts). `holder` names this process for the one refused.
 */
export async function openDatabase(options: {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  holder?: string;
  logger?: Pick<Logger, 'warn'>;
}): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connection: { application_name: 'pulse' },
    });
    return {
      orm: drizzlePostgres(preparedStatements(client), { schema }) as unknown as Orm,
      kind: 'postgres',
      // postgres.js listens on a connection of its own, outside the pool, and reconnects it.
      listen: (channel, onNotify) => client.listen(channel, onNotify),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = options.dataDir ?? './.data';
  if (dir === 'memory://') return pgliteDatabase(await PGlite.create());
  const lock = lockDataDir(dir, {
    what: options.holder ?? process.argv.slice(1).join(' '),
    logger: options.logger,
  });
  const client = await PGlite.create(dir).catch((error: Error) => {
    lock.release();
    throw openFailure(dir, error);
  });
  return pgliteDatabase(client, () => lock.release());
}

/** A PGlite instance, however it was created, as Pulse's database; closing it closes the instance. */
export function pgliteDatabase(client: PGlite, afterClose = () => {}): Database {
  return {
    orm: drizzlePglite(withNamedStatements(client), { schema }) as unknown as Orm,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const unlisten = await client.listen(channel, onNotify);
      return { unlisten };
    },
    async close() {
      try {
        await client.close();
      } finally {
        afterClose();
      }
    },
  };
}
