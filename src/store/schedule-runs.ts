import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { ScheduleRun } from '../db/schema.ts';
import { DAY } from '../domain/time.ts';
import { type Columns, epochMs, instant } from './sql.ts';

/** The runner name of the row that marks the tick before a schedule was first seen: it was never run. */
export const FIRST_SEEN = 'first-seen';
/** Old rows only tell history; the newest row of a schedule is always kept (it is what catch-up reads). */
const RETENTION_DAYS = 30;

/**
 * Claims one tick: the process whose insert lands runs it, every other one finds the row and does
 * nothing. Returns whether this runner holds the claim.
 */
export async function claimTick(
  db: Executor,
  tick: { schedule: string; dueAt: Date; runner: string; now: Date },
): Promise<boolean> {
  const claimed = await rows<Columns<ScheduleRun, 'runner'>>(
    db,
    sql`insert into schedule_runs (schedule, due_at, runner, started_at)
      values (${tick.schedule}, ${instant(tick.dueAt)}, ${tick.runner}, ${instant(tick.now)})
      on conflict do nothing
      returning runner`,
  );
  return claimed.length > 0;
}

/**
 * At start-up: claims the schedule's latest due tick when no process ran it and the schedule was seen
 * before (it has a row). A schedule never seen gets a `first-seen` row for that tick instead, which is
 * not run: a new schedule does not fire at start-up for a tick from before it existed. One statement,
 * so two processes starting together agree. Returns whether this runner should run the tick now.
 */
export async function claimCatchUp(
  db: Executor,
  tick: { schedule: string; dueAt: Date; runner: string; now: Date },
): Promise<boolean> {
  const claimed = await rows<Columns<ScheduleRun, 'runner'>>(
    db,
    sql`with seen as (select exists (select 1 from schedule_runs where schedule = ${tick.schedule}) as before)
      insert into schedule_runs (schedule, due_at, runner, started_at, finished_at)
      select ${tick.schedule}, ${instant(tick.dueAt)},
        case when seen.before then ${tick.runner} else ${FIRST_SEEN} end,
        ${instant(tick.now)},
        case when seen.before then null else ${instant(tick.now)} end
      from seen
      on conflict do nothing
      returning runner`,
  );
  return claimed[0]?.runner === tick.runner;
}

/** Records how the claimed tick ended, and forgets the schedule's old ticks. */
export async function finishTick(
  db: Executor,
  tick: { schedule: string; dueAt: Date; now: Date; error: string | null },
): Promise<void> {
  await db.execute(
    sql`update schedule_runs set finished_at = ${instant(tick.now)}, error = ${tick.error}
      where schedule = ${tick.schedule} and due_at = ${instant(tick.dueAt)}`,
  );
  await db.execute(
    sql`delete from schedule_runs
      where schedule = ${tick.schedule} and due_at < ${instant(new Date(+tick.dueAt - RETENTION_DAYS * DAY))}
        and due_at < (select max(due_at) from schedule_runs where schedule = ${tick.schedule})`,
  );
}

export interface LastRun {
  schedule: string;
  dueAt: Date;
  runner: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/** The latest tick of each schedule, by name. */
export async function lastRuns(db: Executor): Promise<Map<string, LastRun>> {
  const found = await rows<
    Columns<ScheduleRun, 'schedule' | 'runner' | 'error'> & {
      due_at: number;
      started_at: number;
      finished_at: number | null;
    }
  >(
    db,
    sql`select distinct on (schedule) schedule, ${epochMs(sql`due_at`)} as due_at, runner,
        ${epochMs(sql`started_at`)} as started_at, ${epochMs(sql`finished_at`)} as finished_at, error
      from schedule_runs
      order by schedule, due_at desc`,
  );
  return new Map(
    found.map((r) => [
      r.schedule,
      {
        schedule: r.schedule,
        dueAt: new Date(r.due_at),
        runner: r.runner,
        startedAt: new Date(r.started_at),
        finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
        error: r.error,
      },
    ]),
  );
}
