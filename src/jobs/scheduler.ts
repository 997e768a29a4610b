import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.ts';
import { runAlertFollowups } from './alert-followups.ts';

/** Time-driven work, in PULSE_TIMEZONE. Returns a function that stops every schedule. */
export function startSchedules(deps: Deps): () => Promise<void> {
  // A failed run is logged and the next tick tries again; it never takes the process down.
  const every = (name: string, expression: string, run: () => Promise<void>) =>
    cron.schedule(
      expression,
      () =>
        run().catch((error) => {
          deps.logger.error({ err: error, schedule: name }, 'scheduled run failed');
        }),
      { name, timezone: deps.config.timezone, noOverlap: true },
    );
  const tasks: ScheduledTask[] = [
    every('health-recompute', deps.config.healthCron, async () => {
      const count = await deps.health.recomputeAll();
      deps.logger.info({ accounts: count }, 'scheduled health recomputation done');
    }),
    every('alert-followups', '* * * * *', async () => {
      const { recheckAccounts } = await runAlertFollowups(deps);
      // The recomputation's health evaluation re-notifies the snoozed health alerts that still hold.
      await deps.health.schedule(recheckAccounts);
    }),
  ];
  return async () => {
    await Promise.all(tasks.map((t) => t.stop()));
  };
}
