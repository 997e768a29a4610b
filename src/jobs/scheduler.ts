import cron, { type ScheduledTask } from 'node-cron';
import type { Deps } from '../deps.ts';

/** Time-driven work, in PULSE_TIMEZONE. Returns a function that stops every schedule. */
export function startSchedules(deps: Deps): () => Promise<void> {
  const tasks: ScheduledTask[] = [
    cron.schedule(
      deps.config.healthCron,
      async () => {
        const count = await deps.health.recomputeAll();
        deps.logger.info({ accounts: count }, 'scheduled health recomputation done');
      },
      { name: 'health-recompute', timezone: deps.config.timezone, noOverlap: true },
    ),
  ];
  return async () => {
    await Promise.all(tasks.map((t) => t.stop()));
  };
}
