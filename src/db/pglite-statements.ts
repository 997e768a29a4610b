import {
  type messages,
  type PGlite,
  parse,
  protocol,
  type QueryOptions,
  type Results,
} from '@electric-sql/pglite';

/** Named statements kept at once; the least recently used is closed beyond it. */
const CACHED_STATEMENTS = 200;
/**
 * Statements with more parameters are batches (rows of an import, a list of ids) whose text changes with
 * their size and is seldom run again: named, each would keep its parse tree of every row in the cache.
 */
const MAX_PARAMETERS = 100;

/**
 * PGlite runs every `query` as an unnamed statement: PostgreSQL parses, analyses and plans it again on
 * each call, which in WebAssembly cost the health card 3.2–3.6 ms of CPU against 0.5 ms for executing
 * it. This is what postgres.js's named statements do on the server: each parameterised text is parsed
 * once as a named statement, then bound and executed in one protocol message, so PostgreSQL may run it
 * on a cached generic plan. Statements inside a PGlite transaction (its own client), those without
 * parameters (migrations, DDL, `vacuum`) and batches (see MAX_PARAMETERS) keep PGlite's path.
 *
 * It takes PGlite's two locks as `query` does: the transaction lock keeps a statement out of another
 * caller's open transaction, the query lock orders the protocol messages.
 */
export function withNamedStatements(client: PGlite): PGlite {
  const names = new Map<
    string,
    { name: string; paramTypes: number[]; columns: messages.BackendMessage | undefined }
  >();
  let next = 0;
  // PGlite merges a query's parsers into its own (one per type, arrays included) on every call: a
  // fifth of the card's CPU. drizzle passes the same parsers object to every run of a statement it
  // prepared (`.prepare()`), so that merge is made once. PGlite's own parsers stay as they were when it
  // opened (Pulse never calls `refreshArrayTypes`).
  const merged = new WeakMap<object, QueryOptions['parsers']>();
  const parsersFor = (options?: QueryOptions) => {
    if (!options?.parsers) return client.parsers;
    let parsers = merged.get(options.parsers);
    if (!parsers) {
      parsers = { ...client.parsers, ...options.parsers };
      merged.set(options.parsers, parsers);
    }
    return parsers;
  };

  const send = (messages: Uint8Array[]) => {
    const message = new Uint8Array(messages.reduce((length, m) => length + m.length, 0));
    let at = 0;
    for (const m of messages) {
      message.set(m, at);
      at += m.length;
    }
    return client.execProtocol(message);
  };

  async function prepared(text: string) {
    const known = names.get(text);
    if (known) {
      names.delete(text);
      names.set(text, known);
      return known;
    }
    const name = `pulse_${next++}`;
    const { messages } = await send([
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    ]);
    // Its columns, described once: each run then skips describing them again (and parsing their names).
    const statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      columns: messages.find((m) => m.name === 'rowDescription'),
    };
    names.set(text, statement);
    if (names.size > CACHED_STATEMENTS) {
      const [oldest, { name: closed }] = names.entries().next().value!;
      names.delete(oldest);
      await send([protocol.serialize.close({ type: 'S', name: closed }), protocol.serialize.sync()]);
    }
    return statement;
  }

  async function query<T>(text: string, params: unknown[], options?: QueryOptions): Promise<Results<T>> {
    await client._checkReady();
    return client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        try {
          const { name, paramTypes, columns } = await prepared(text);
          const values = params.map((param, i) => {
            if (param === null || param === undefined) return null;
            const serialize = options?.serializers?.[paramTypes[i]!] ?? client.serializers[paramTypes[i]!];
            return serialize ? serialize(param) : String(param);
          });
          const { messages } = await send([
            protocol.serialize.bind({ statement: name, values: values as string[] }),
            protocol.serialize.execute({}),
            protocol.serialize.sync(),
          ]);
          const described = columns ? [columns, ...messages] : messages;
          return parse.parseResults(described, parsersFor(options) as typeof client.parsers, {
            rowMode: options?.rowMode,
          })[0] as Results<T>;
        } catch (error) {
          // As PGlite's own errors carry them.
          throw Object.assign(error as Error, { query: text, params, queryOptions: options });
        }
      }),
    );
  }

  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return <T>(text: string, params?: unknown[], options?: QueryOptions) =>
          params?.length && params.length <= MAX_PARAMETERS && !options?.blob && !options?.paramTypes
            ? query<T>(text, params, options)
            : target.query<T>(text, params, options);
      }
      // PGlite's methods read its private fields: they must run on the instance, not on the proxy.
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
