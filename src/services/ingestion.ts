import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { accountKey, type IngestItem, type IngestKind } from '../domain/ingestion.ts';
import { parseBatch } from '../domain/ingestion-batch.ts';
import { formatPath, type Problem } from '../domain/problems.ts';
import { resolveAccountKeys, upsertAccounts } from '../store/accounts.ts';
import { insertBillingEvents } from '../store/billing-events.ts';
import { upsertContacts } from '../store/contacts.ts';
import { upsertMetricPointsByKey } from '../store/metric-points.ts';
import { upsertMilestones } from '../store/milestones.ts';
import { upsertMrrChanges } from '../store/mrr-changes.ts';

export type IngestDeps = Pick<Deps, 'db' | 'metrics' | 'health' | 'logger' | 'clock'>;

export type IngestResult =
  | { ok: true; stored: number; duplicates?: number; accountIds: number[] }
  /** `more`: problems found past the ones listed (see parseBatch). */
  | { ok: false; errors: Problem[]; more?: number };

type Written = Extract<IngestResult, { ok: true }>;
type WithAccountId<T> = Omit<T, 'account'> & { account_id: number };

/**
 * Validates a batch (one object or an array) and stores it in one transaction: all or nothing, every
 * problem listed with its path. Health is then recomputed in the background for the accounts touched.
 * The ingestion API, the CSV import and the demo seed all come through here.
 */
export async function ingest(deps: IngestDeps, kind: IngestKind, input: unknown): Promise<IngestResult> {
  const result = await store(deps, kind, input);
  if (!result.ok) return result;
  deps.metrics.ingestedRows.inc({ kind }, result.stored);
  if (result.accountIds.length) {
    deps.health
      .schedule(result.accountIds)
      .catch((error) =>
        deps.logger.error(
          { err: error, kind, accounts: result.accountIds.length },
          'health after ingestion failed',
        ),
      );
  }
  return result;
}

function store(deps: IngestDeps, kind: IngestKind, input: unknown): Promise<IngestResult> {
  switch (kind) {
    case 'accounts':
      return validateAndWrite(deps, kind, input, async (tx, items) => ({
        ok: true,
        stored: items.length,
        accountIds: unique(await upsertAccounts(tx, items, deps.clock())),
      }));
    case 'contacts':
      return validateAndWrite(deps, kind, input, (tx, items) =>
        withAccounts(tx, items, input, async (records) => {
          await upsertContacts(tx, records);
          return { ok: true, stored: records.length, accountIds: unique(records.map((r) => r.account_id)) };
        }),
      );
    case 'metrics':
      return storeMetricPoints(deps, input);
    case 'billing-events':
      return validateAndWrite(deps, kind, input, (tx, items) =>
        withAccounts(tx, items, input, async (records) => {
          const { inserted, accountIds } = await insertBillingEvents(tx, records);
          return { ok: true, stored: inserted, duplicates: records.length - inserted, accountIds };
        }),
      );
    case 'milestones':
      return validateAndWrite(deps, kind, input, (tx, items) =>
        withAccounts(tx, items, input, async (records) => {
          await upsertMilestones(tx, records);
          return { ok: true, stored: records.length, accountIds: unique(records.map((r) => r.account_id)) };
        }),
      );
    case 'mrr-changes':
      return validateAndWrite(deps, kind, input, (tx, items) =>
        withAccounts(tx, items, input, async (records) => {
          await upsertMrrChanges(tx, records, deps.clock());
          return { ok: true, stored: records.length, accountIds: unique(records.map((r) => r.account_id)) };
        }),
      );
  }
}

async function validateAndWrite<K extends IngestKind>(
  deps: IngestDeps,
  kind: K,
  input: unknown,
  write: (tx: Executor, items: IngestItem<K>[]) => Promise<IngestResult>,
): Promise<IngestResult> {
  const parsed = parseBatch(kind, input);
  if (parsed.ok) return deps.db.orm.transaction((tx) => write(tx, parsed.items));
  return refused(deps, kind, input, parsed);
}

/** An invalid batch's problems, with its unknown accounts named too, so one round of fixes is enough. */
async function refused(
  deps: IngestDeps,
  kind: IngestKind,
  input: unknown,
  parsed: Extract<IngestResult, { ok: false }>,
): Promise<IngestResult> {
  if (kind === 'accounts') return parsed;
  const items: unknown[] = Array.isArray(input) ? input : [input];
  const keys = items.map((item) => {
    const account = (item as { account?: unknown } | null)?.account;
    // The type first: a batch of a hundred thousand items without one should not cost as many parses.
    return typeof account === 'string' && accountKey.safeParse(account).success ? account : undefined;
  });
  const { errors } = await resolveAccounts(deps.db.orm, keys, Array.isArray(input));
  return { ...parsed, errors: inItemOrder([...parsed.errors, ...errors]) };
}

/**
 * The bulk route: one statement resolves the keys and writes the points (atomic by itself, so no
 * transaction and its two extra round trips). Only when a key names no account is a second query run,
 * to say which.
 */
async function storeMetricPoints(deps: IngestDeps, input: unknown): Promise<IngestResult> {
  const parsed = parseBatch('metrics', input);
  if (!parsed.ok) return refused(deps, 'metrics', input, parsed);
  const written = await upsertMetricPointsByKey(deps.db.orm, parsed.items);
  if (written.ok) return { ok: true, stored: parsed.items.length, accountIds: written.accountIds };
  const { errors } = await resolveAccounts(
    deps.db.orm,
    parsed.items.map((item) => item.account),
    Array.isArray(input),
  );
  return { ok: false, errors };
}

/** Resolves every item's account key in one query; an unknown account is an error at that item. */
async function resolveAccounts(db: Executor, keys: Array<string | undefined>, isArray: boolean) {
  const ids = await resolveAccountKeys(
    db,
    keys.filter((key) => key !== undefined),
  );
  const errors = keys.flatMap((key, i): Problem[] =>
    key === undefined || ids.has(key)
      ? []
      : [{ path: formatPath(isArray ? [i, 'account'] : ['account']), message: `unknown account "${key}"` }],
  );
  return { ids, errors };
}

async function withAccounts<T extends { account: string }>(
  tx: Executor,
  items: T[],
  input: unknown,
  write: (records: WithAccountId<T>[]) => Promise<Written>,
): Promise<IngestResult> {
  const { ids, errors } = await resolveAccounts(
    tx,
    items.map((item) => item.account),
    Array.isArray(input),
  );
  if (errors.length) return { ok: false, errors };
  return write(items.map(({ account, ...rest }) => ({ ...rest, account_id: ids.get(account)! })));
}

/** Errors sorted by the item they concern (stable, so each item keeps its fields' order). */
const inItemOrder = (errors: Problem[]) =>
  errors
    .map((error) => ({ error, index: Number(/^\[(\d+)\]/.exec(error.path)?.[1] ?? -1) }))
    .sort((a, b) => a.index - b.index)
    .map(({ error }) => error);

const unique = (ids: number[]) => [...new Set(ids)];
