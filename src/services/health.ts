import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { HealthRecomputer } from '../deps.ts';
import { DEFAULT_HEALTH_ALERT_THRESHOLDS } from '../domain/alert-rules.ts';
import type { HealthModel } from '../domain/health-model.ts';
import type { Metrics } from '../metrics.ts';
import { modelOf, readHealthBefore, recomputeHealth, scoredWithOtherModel } from '../store/health.ts';
import { evaluateBillingAlerts, evaluateHealthAlerts } from './alerts.ts';
import { resolveReachedFirstValue } from './milestones.ts';

/** The model in effect: HEALTH_MODEL's, or the built-in one shaped by HEALTH_WEIGHTS and HEALTH_BANDS. */
export const modelInEffect = (health: Config['health']): HealthModel => health.model ?? modelOf(health);

/**
 * During a burst, the pause between two runs is the last run's duration times `factor`, at most `maxMs`:
 * recomputation then takes at most a quarter of the database's time, and a run costs the same for one
 * batch or ten (a batch of 5,000 points touching 5,000 accounts is stored in ~0.1 s of CPU, their
 * recomputation takes ~0.7 s), so ingestion keeps most of the machine and health trails by seconds.
 * On PGlite the runs, the ingestion and the bot share one thread and one connection: the next batch
 * cannot commit while a run holds the database, so it arrives just after the run, when nothing is pending
 * yet. There every run is followed by the pause (`always`), so the batches of a burst gather into fewer
 * runs. On the server a run starts at once when nothing was pending at the end of the last one.
 */
const PAUSE: Record<Database['kind'], { factor: number; maxMs: number; always: boolean }> = {
  postgres: { factor: 3, maxMs: 6_000, always: false },
  pglite: { factor: 3, maxMs: 6_000, always: true },
};

/**
 * Coalesces recomputation requests: while one set-based run is going, newly touched accounts wait and
 * go together into the next run, so a burst of ingestion batches costs a few runs, not one per batch.
 * Between runs of a burst it pauses three times as long as the last run took, so recomputation takes at
 * most a quarter of the database's time and ingestion keeps its throughput; health then trails a burst
 * by seconds.
 */
export function createHealthRecomputer(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  config: Pick<Config, 'health'> & Partial<Pick<Config, 'alertChannel' | 'timezone' | 'reviews' | 'locale'>>;
}): HealthRecomputer {
  let pending = new Set<number>();
  let waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  /** Whether the drain loop (runs and the pauses between them) is going. */
  let draining = false;
  const pause = PAUSE[deps.db.kind];
  const { health } = deps.config;
  const model = modelInEffect(health);

  /** Alerts are evaluated unless `quiet`: a backfilled day, or a rescore under a new model. */
  const run = async (accountIds?: number[], asOf?: Date, quiet = asOf !== undefined) => {
    const end = deps.metrics.healthRecomputeDuration.startTimer();
    const now = asOf ?? deps.clock();
    // Health alerts compare with the health before this run: read it before the run rewrites it.
    const before = quiet
      ? null
      : await readHealthBefore(deps.db.orm, {
          accountIds,
          now,
          windowDays: DEFAULT_HEALTH_ALERT_THRESHOLDS.fallWindowDays,
          modelVersion: model.version,
        });
    const count = await recomputeHealth(deps.db, {
      accountIds,
      now,
      model,
      reviewCadence: deps.config.reviews?.cadence,
      timezone: deps.config.timezone,
    });
    end();
    // Alerts follow the present only: a backfilled day (asOf) must not raise or resolve anything.
    if (before) {
      const evaluation = {
        accountIds,
        now,
        alertChannel: deps.config.alertChannel,
        timezone: deps.config.timezone ?? 'UTC',
        locale: deps.config.locale ?? 'en',
      };
      await evaluateBillingAlerts(deps.db, evaluation);
      await evaluateHealthAlerts(deps.db, { ...evaluation, before, model });
      await deps.db.orm.transaction((tx) =>
        resolveReachedFirstValue(
          tx,
          {
            clock: deps.clock,
            config: {
              alertChannel: deps.config.alertChannel,
              timezone: evaluation.timezone,
              locale: evaluation.locale,
            },
          },
          { accountIds, now },
        ),
      );
    }
    deps.metrics.healthRecomputations.inc(count);
    return count;
  };

  // One recomputation at a time: two overlapping runs could leave the older result written last.
  let last: Promise<unknown> = Promise.resolve();
  const serially = <T>(job: () => Promise<T>): Promise<T> => {
    const next = last.then(job);
    last = next.catch(() => undefined);
    return next;
  };

  /** The scheduled run in progress, if any: idle() waits for it, not for the pause that follows it. */
  let current: Promise<unknown> | null = null;

  const drain = async () => {
    // Every schedule() of this turn of the event loop joins the first run, not only the first caller.
    await new Promise((resolve) => setImmediate(resolve));
    while (pending.size) {
      const ids = [...pending];
      const batch = waiters;
      pending = new Set();
      waiters = [];
      const started = performance.now();
      const job = serially(() => run(ids));
      current = job;
      try {
        await job;
        for (const w of batch) w.resolve();
      } catch (error) {
        deps.logger.error({ err: error, accounts: ids.length }, 'health recomputation failed');
        for (const w of batch) w.reject(error);
      } finally {
        current = null;
      }
      if (pending.size || pause.always)
        await sleep(Math.min(pause.maxMs, pause.factor * (performance.now() - started)));
    }
    draining = false;
  };

  return {
    schedule(accountIds) {
      if (!accountIds.length) return Promise.resolve();
      for (const id of accountIds) pending.add(id);
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      if (!draining) {
        draining = true;
        void drain();
      }
      return done;
    },
    recomputeAll(asOf) {
      return serially(() => run(undefined, asOf));
    },
    rescoreForModel() {
      // Set-based like the nightly run, and quiet: a band changed by a new model is no "crossed into red".
      return serially(async () =>
        (await scoredWithOtherModel(deps.db.orm, model.version)) ? run(undefined, undefined, true) : 0,
      );
    },
    async idle() {
      // The pause after a run, with nothing queued, is no work: a CLI import or a test need not sit it out.
      for (;;) {
        if (current) await current.catch(() => undefined);
        else if (pending.size)
          await new Promise<void>((resolve) => waiters.push({ resolve, reject: () => resolve() }));
        else break;
      }
      await last;
    },
  };
}
