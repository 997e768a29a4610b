import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { nextDueAt, pulseSchedules } from '../jobs/scheduler.ts';
import { lastRuns } from '../store/schedule-runs.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** GET /schedules: every schedule with its cron, its next run and how its latest tick went. */
export function registerSchedulesRoute(app: FastifyInstance, deps: Deps): void {
  app.get('/schedules', async () => {
    const now = deps.clock();
    const latest = await lastRuns(deps.db.orm);
    return {
      timezone: deps.config.timezone,
      schedules: pulseSchedules(deps).map((s) => {
        const last = latest.get(s.name);
        return {
          name: s.name,
          cron: s.expression,
          next_run_at: iso(nextDueAt(s.expression, deps.config.timezone, now)),
          last_run: last && {
            due_at: iso(last.dueAt),
            runner: last.runner,
            started_at: iso(last.startedAt),
            finished_at: iso(last.finishedAt),
            error: last.error,
          },
        };
      }),
    };
  });
}
