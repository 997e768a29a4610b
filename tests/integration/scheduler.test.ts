import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { latestDueAt, nextDueAt, runSchedules, type Schedule } from '../../src/jobs/scheduler.ts';
import { freshDatabase } from '../helpers/database.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
/** The second process's own connection on the server; the same database object on PGlite. */
let other: Database;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  database = await freshDatabase();
  other = database.url ? await openDatabase({ url: database.url }) : database.db;
});

afterAll(async () => {
  if (other !== database.db) await other.close();
  await database.drop();
});

interface RunRow {
  due_at: number;
  runner: string;
  finished: boolean;
  error: string | null;
}
const runRows = (schedule: string) =>
  rows<RunRow>(
    database.db.orm,
    sql`select (extract(epoch from due_at) * 1000)::float8 as due_at, runner, finished_at is not null as finished, error
      from schedule_runs where schedule = ${schedule} order by due_at`,
  );

/** A schedule whose runs are counted per runner. */
function counted(name: string, expression: string, runs: Map<string, number>, runner: string): Schedule {
  return {
    name,
    expression,
    run: async () => {
      runs.set(runner, (runs.get(runner) ?? 0) + 1);
    },
  };
}

const deps = (db: Database, clock: () => Date) => ({ db, clock, logger, config: { timezone: 'UTC' } });

describe('due instants', () => {
  it('finds the latest tick at or before now and the next one, in the time zone', () => {
    const now = new Date('2026-03-11T12:00:00Z'); // a Wednesday
    expect(latestDueAt('0 9 * * 1', 'America/Sao_Paulo', now)?.toISOString()).toBe(
      '2026-03-09T12:00:00.000Z',
    );
    expect(nextDueAt('0 9 * * 1', 'America/Sao_Paulo', now)?.toISOString()).toBe('2026-03-16T12:00:00.000Z');
    expect(latestDueAt('0 12 * * *', 'UTC', now)?.toISOString()).toBe('2026-03-11T12:00:00.000Z');
  });
});

describe('two schedulers on one database', () => {
  it('run each tick of an every-second schedule exactly once', async () => {
    const runs = new Map<string, number>();
    const a = runSchedules(
      deps(database.db, () => new Date()),
      [counted('fast', '* * * * * *', runs, 'A')],
      {
        runner: 'A',
      },
    );
    const b = runSchedules(
      deps(other, () => new Date()),
      [counted('fast', '* * * * * *', runs, 'B')],
      {
        runner: 'B',
      },
    );
    await expect
      .poll(async () => (await runRows('fast')).filter((r) => r.runner !== 'first-seen').length, {
        timeout: 20_000,
        interval: 200,
      })
      .toBeGreaterThanOrEqual(6);
    await Promise.all([a.stop(), b.stop()]);

    const ticks = (await runRows('fast')).filter((r) => r.runner !== 'first-seen');
    const dueAts = ticks.map((t) => t.due_at);
    expect(new Set(dueAts).size).toBe(ticks.length);
    expect(dueAts.every((d) => d % 1000 === 0)).toBe(true);
    expect(ticks.every((t) => t.finished && t.error === null)).toBe(true);
    // Each claimed tick ran once, in the process that claimed it, and nowhere else.
    for (const runner of ['A', 'B']) {
      expect(runs.get(runner) ?? 0).toBe(ticks.filter((t) => t.runner === runner).length);
    }
  }, 30_000);

  it('catch up a tick missed while every process was down once, whatever the number of ticks missed', async () => {
    // Yearly: node-cron never fires during the test, so only start-up catch-up runs it.
    const yearly = '0 0 1 1 *';
    const runs = new Map<string, number>();
    const start = async (at: string) => {
      const clock = () => new Date(at);
      const started = [
        runSchedules(deps(database.db, clock), [counted('yearly', yearly, runs, 'A')], { runner: 'A' }),
        runSchedules(deps(other, clock), [counted('yearly', yearly, runs, 'B')], { runner: 'B' }),
      ];
      await Promise.all(started.map((s) => s.caughtUp));
      await Promise.all(started.map((s) => s.stop()));
    };
    const total = () => (runs.get('A') ?? 0) + (runs.get('B') ?? 0);

    // First seen: the tick before it is marked, not run.
    await start('2031-06-01T00:00:00Z');
    expect(total()).toBe(0);
    expect(await runRows('yearly')).toEqual([
      { due_at: Date.parse('2031-01-01T00:00:00Z'), runner: 'first-seen', finished: true, error: null },
    ]);

    // Restarted after one tick was missed: both processes start, the tick runs once.
    await start('2032-03-01T00:00:00Z');
    expect(total()).toBe(1);

    // Restarted again within the same period: nothing left to catch up.
    await start('2032-09-01T00:00:00Z');
    expect(total()).toBe(1);

    // Down for three ticks: only the latest runs, once.
    await start('2035-02-01T00:00:00Z');
    expect(total()).toBe(2);
    // Older ticks are forgotten after 30 days; the latest one stays.
    const [latest, ...none] = await runRows('yearly');
    expect(none).toEqual([]);
    expect(new Date(latest!.due_at).toISOString()).toBe('2035-01-01T00:00:00.000Z');
    expect(['A', 'B']).toContain(latest!.runner);
    expect(latest!.finished).toBe(true);
  });

  it('records a failed run with its error and keeps running the others', async () => {
    const ran: string[] = [];
    const clock = () => new Date('2031-06-01T00:00:00Z');
    const schedules: Schedule[] = [
      {
        name: 'broken',
        expression: '0 0 1 1 *',
        run: async () => {
          throw new Error('the CRM is down');
        },
      },
      { name: 'fine', expression: '0 0 1 1 *', run: async () => void ran.push('fine') },
    ];
    await database.db.orm.execute(
      sql`insert into schedule_runs (schedule, due_at, runner) values
        ('broken', '2030-01-01T00:00:00Z', 'earlier'), ('fine', '2030-01-01T00:00:00Z', 'earlier')`,
    );
    const running = runSchedules(deps(database.db, clock), schedules, { runner: 'A' });
    await running.caughtUp;
    await running.stop();
    expect(ran).toEqual(['fine']);
    expect((await runRows('broken')).at(-1)).toMatchObject({
      runner: 'A',
      finished: true,
      error: 'the CRM is down',
    });
  });
});
