import { sql } from 'drizzle-orm';
import { rows } from '../src/db/client.ts';
import type { Deps } from '../src/deps.ts';
import type { IngestKind } from '../src/domain/ingestion.ts';
import { DAY } from '../src/domain/time.ts';
import { ingest } from '../src/services/ingestion.ts';
import { demoPortfolio } from './generate.ts';
import { loadDemoReviews } from './load-reviews.ts';

export type DemoLoadDeps = Pick<Deps, 'db' | 'metrics' | 'health' | 'logger' | 'clock'>;

export interface DemoCounts {
  accounts: number;
  contacts: number;
  metricPoints: number;
  /** New billing events; those already stored (same `external_id`) are not counted again. */
  billingEvents: number;
  /** Accounts whose health was recomputed after the load. */
  healthRecomputed: number;
}

export interface DemoLoadResult {
  loaded: boolean;
  counts: DemoCounts;
}

/** The demo data failed the ingestion API's validation: a defect in the generator, never a user error. */
export class DemoDataInvalidError extends Error {
  constructor(
    readonly kind: IngestKind,
    readonly problems: Array<{ path: string; message: string }>,
  ) {
    super(
      `demo ${kind} failed validation: ${problems.map((p) => `${p.path || '(body)'} ${p.message}`).join('; ')}`,
    );
    this.name = 'DemoDataInvalidError';
  }
}

/** The ingestion API's batch size for metric points. */
const METRIC_BATCH = 5_000;

const NOTHING: DemoCounts = {
  accounts: 0,
  contacts: 0,
  metricPoints: 0,
  billingEvents: 0,
  healthRecomputed: 0,
};

/**
 * Loads the demo portfolio as of `deps.clock()` through `ingest()`, so it passes the same validation as
 * real data, then recomputes every account's health. Loading twice is harmless: accounts and contacts are
 * upserts, metric points replace themselves, billing events are idempotent on `external_id`. With
 * `onlyIfEmpty`, a database that already holds accounts is left alone (the sandbox calls it on every start).
 */
export async function loadDemoData(
  deps: DemoLoadDeps,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<DemoLoadResult> {
  if (options.onlyIfEmpty && (await hasAccounts(deps))) return { loaded: false, counts: NOTHING };
  const portfolio = demoPortfolio(deps.clock());
  const accounts = await load(deps, 'accounts', portfolio.accounts);
  const contacts = await load(deps, 'contacts', portfolio.contacts);
  let metricPoints = 0;
  for (let i = 0; i < portfolio.metrics.length; i += METRIC_BATCH) {
    metricPoints += await load(deps, 'metrics', portfolio.metrics.slice(i, i + METRIC_BATCH));
  }
  const billingEvents = await load(deps, 'billing-events', portfolio.billingEvents);
  await load(deps, 'milestones', portfolio.milestones);
  await load(deps, 'mrr-changes', portfolio.mrrChanges);
  await loadDemoReviews(deps);
  await backfillHealthHistory(deps);
  const healthRecomputed = await deps.health.recomputeAll();
  return { loaded: true, counts: { accounts, contacts, metricPoints, billingEvents, healthRecomputed } };
}

/** Days before today whose snapshots the demo computes: weekly for 8 weeks, daily for the last 5 of them. */
const HISTORY_DAYS = [56, 49, 42, ...Array.from({ length: 35 }, (_, i) => 35 - i)];

/**
 * A fresh database has no health history, so the card would show no trend. The demo computes the
 * snapshots the nightly recomputation would have written over the last 8 weeks, from the same data.
 */
async function backfillHealthHistory(deps: DemoLoadDeps): Promise<void> {
  const now = +deps.clock();
  for (const days of HISTORY_DAYS) await deps.health.recomputeAll(new Date(now - days * DAY));
}

async function load(deps: DemoLoadDeps, kind: IngestKind, items: unknown[]): Promise<number> {
  const result = await ingest(deps, kind, items);
  if (!result.ok) throw new DemoDataInvalidError(kind, result.errors);
  return result.stored;
}

async function hasAccounts(deps: DemoLoadDeps): Promise<boolean> {
  const [row] = await rows<{ found: boolean }>(
    deps.db.orm,
    sql`select exists (select 1 from accounts) as found`,
  );
  return row?.found === true;
}
