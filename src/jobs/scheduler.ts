import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import cron, { type ScheduledTask } from 'node-cron';
import { runHubspotSync } from '../connectors/hubspot/sync.ts';
import { runZendeskSync, ZENDESK_SYNC_CRON } from '../connectors/zendesk/sync.ts';
import type { Deps } from '../deps.ts';
import { messageWithoutData } from '../logger.ts';
import { runAlertFollowups } from '../services/alerts.ts';
import { runWeeklyDigest } from '../services/digest.ts';
import { runFirstValueCheck } from '../services/milestones.ts';
import { runReviewSchedule } from '../services/reviews.ts';
import { runSurveySchedule } from '../services/surveys.ts';
import { claimCatchUp, claimTick, finishTick } from '../store/schedule-runs.ts';

/** A time-driven job; its cron expression (5 fields, or 6 with seconds) is read in PULSE_TIMEZONE. */
export interface Schedule {
  name: string;
  expression: string;
  run: () => Promise<void>;
}

/** Every time-driven job of Pulse, as `every(name, cron, run)`. Runs are idempotent anyway (dedupe keys). */
export function pulseSchedules(deps: Deps): Schedule[] {
  const every = (name: string, expression: string, run: () => Promise<void>): Schedule => ({
    name,
    expression,
    run,
  });
  const tasks: Schedule[] = [
    every('weekly-digest', deps.config.digestCron, () => runWeeklyDigest(deps)),
    every('health-recompute', deps.config.healthCron, async () => {
      const count = await deps.health.recomputeAll();
      deps.logger.info({ accounts: count }, 'scheduled health recomputation done');
    }),
    every('alert-followups', '* * * * *', async () => {
      const { recheckAccounts } = await runAlertFollowups(deps);
      // The recomputation's health evaluation re-notifies the snoozed health alerts that still hold.
      await deps.health.schedule(recheckAccounts);
    }),
    every('first-value', '0 8 * * *', async () => {
      const raised = await runFirstValueCheck(deps);
      deps.logger.info({ alerts: raised.length }, 'time-to-first-value check done');
    }),
    every('surveys', '* * * * *', async () => {
      await runSurveySchedule(deps);
    }),
    every('success-reviews', '*/15 * * * *', async () => {
      const done = await runReviewSchedule(deps);
      deps.logger.info(done, 'success-review schedule done');
    }),
  ];
  // The connectors that pull from their source, each when its settings are given.
  if (deps.config.zendesk) {
    tasks.push(
      every('zendesk-sync', ZENDESK_SYNC_CRON, async () => {
        const nextRunAt = nextDueAt(ZENDESK_SYNC_CRON, deps.config.timezone, deps.clock());
        await runZendeskSync(deps, { nextRunAt });
      }),
    );
  }
  const hubspot = deps.config.hubspot;
  if (hubspot) {
    tasks.push(
      every('hubspot-sync', hubspot.cron, async () => {
        const nextRunAt = nextDueAt(hubspot.cron, deps.config.timezone, deps.clock());
        await runHubspotSync(deps, { nextRunAt });
      }),
    );
  }
  return tasks;
}

/** Starts Pulse's schedules. Returns a function that stops them and waits for the runs in progress. */
export function startSchedules(deps: Deps): () => Promise<void> {
  return runSchedules(deps, pulseSchedules(deps)).stop;
}

/** What running schedules needs: the clock decides start-up catch-up; node-cron's slot names each tick. */
export type SchedulerDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & {
  config: Pick<Deps['config'], 'timezone'>;
};

export interface RunningSchedules {
  /** Settles when the start-up catch-up of every schedule has run (or found nothing to run). */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/** node-cron accepts a few forms cron-parser does not read: those schedules run, without catch-up. */
function parse(expression: string, timezone: string, from: Date) {
  try {
    return CronExpressionParser.parse(expression, { currentDate: from, tz: timezone });
  } catch {
    return null;
  }
}

/** The latest tick at or before `now`, or null when there is none (or cron-parser cannot read it). */
export function latestDueAt(expression: string, timezone: string, now: Date): Date | null {
  const ticks = parse(expression, timezone, new Date(+now + 1));
  return ticks?.hasPrev() ? ticks.prev().toDate() : null;
}

/** The first tick after `now`, or null when there is none (or cron-parser cannot read it). */
export function nextDueAt(expression: string, timezone: string, now: Date): Date | null {
  const ticks = parse(expression, timezone, now);
  return ticks?.hasNext() ? ticks.next().toDate() : null;
}

/**
 * Runs each tick of each schedule once across every process on the database: node-cron fires the tick
 * in every process, and only the process whose `schedule_runs` row (schedule, due instant) lands runs
 * it. At start-up, the latest tick of each schedule that no process ran (every process was down) is
 * run once, not once per missed tick. A failed or crashed run is not retried: the next tick is the
 * retry, as for a run that failed in a single process. `noOverlap` keeps one process from starting a
 * tick while its previous run of the same schedule is still going; another process may take that tick.
 */
export function runSchedules(
  deps: SchedulerDeps,
  schedules: Schedule[],
  options: { runner?: string } = {},
): RunningSchedules {
  const runner = options.runner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const zone = deps.config.timezone;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const runTick = async (schedule: Schedule, dueAt: Date, claim: typeof claimTick) => {
    const log = deps.logger.child({ schedule: schedule.name, dueAt: dueAt.toISOString() });
    try {
      if (stopped) return;
      if (!(await claim(deps.db.orm, { schedule: schedule.name, dueAt, runner, now: deps.clock() }))) return;
      let error: string | null = null;
      try {
        await schedule.run();
      } catch (failure) {
        // A failed run is logged and recorded; the next tick tries again. It never takes the process down.
        error = messageWithoutData(failure);
        log.error({ err: failure }, 'scheduled run failed');
      }
      await finishTick(deps.db.orm, { schedule: schedule.name, dueAt, now: deps.clock(), error });
    } catch (failure) {
      log.error({ err: failure }, 'could not record a scheduled run');
    }
  };
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };

  const now = deps.clock();
  const caughtUp = Promise.all(
    schedules.map((schedule) => {
      const dueAt = latestDueAt(schedule.expression, zone, now);
      return dueAt ? track(runTick(schedule, dueAt, claimCatchUp)) : undefined;
    }),
  ).then(() => undefined);
  const tasks: ScheduledTask[] = schedules.map((schedule) =>
    cron.schedule(schedule.expression, (tick) => track(runTick(schedule, tick.date, claimTick)), {
      name: schedule.name,
      timezone: zone,
      noOverlap: true,
      // A tick that fires late (a busy event loop) still runs, under its own due instant.
      missedExecutionTolerance: 60_000,
    }),
  );

  return {
    caughtUp,
    async stop() {
      stopped = true;
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.all([...inFlight]);
    },
  };
}
