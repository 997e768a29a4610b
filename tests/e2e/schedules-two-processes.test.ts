import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { freshDatabase } from '../helpers/database.ts';
import { type PulseProcess, startPulseProcess } from '../helpers/pulse-process.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack.ts';
import { waitUntil } from '../helpers/wait.ts';

const ALERTS = 'C0CSALERTS';
/** Every second: the weekly digest's schedule, run by two Pulse processes on one database. */
const EVERY_SECOND = '* * * * * *';

/** PGlite lives inside one process: two processes share a database only on the server. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('schedules with two Pulse processes on one database', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let double: SlackDouble;
  let closeSlack: () => Promise<void>;
  const processes: PulseProcess[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    const slack = await startSlackDouble();
    double = slack.double;
    closeSlack = slack.close;
    const env = {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      CS_ALERT_CHANNEL: ALERTS,
      DATABASE_URL: database.url,
      DIGEST_CRON: EVERY_SECOND,
    };
    const started = await Promise.allSettled([startPulseProcess(env), startPulseProcess(env)]);
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    // Let both fire ticks until three that came once both were up have finished and the digest is
    // posted, then stop them, so what follows reads a finished history.
    const bothUp = Date.now();
    await waitUntil(
      'three ticks fired by both processes, finished',
      async () =>
        (
          await rows<{ due_at: Date }>(
            database.db.orm,
            sql`select due_at from schedule_runs
              where schedule = 'weekly-digest' and runner <> 'first-seen' and finished_at is not null`,
          )
        ).filter((t) => +new Date(t.due_at) > bothUp).length >= 3,
      { timeoutMs: 30_000 },
    );
    await double.waitFor((d) => d.messages(ALERTS).some((m) => m.text.startsWith('Weekly digest')), 15_000);
    await Promise.all(processes.map((p) => p.stop()));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await closeSlack();
    await database.drop();
  });

  it('runs each tick once, whichever process claims it, and posts the week’s digest once', async () => {
    const ticks = await rows<{ due_at: string; runner: string; finished: boolean; error: string | null }>(
      database.db.orm,
      sql`select due_at::text, runner, finished_at is not null as finished, error
        from schedule_runs where schedule = 'weekly-digest' and runner <> 'first-seen' order by due_at`,
    );
    // Both processes fired every tick; the claim let one of them run it.
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks.map((t) => t.due_at)).size).toBe(ticks.length);
    expect(ticks.every((t) => t.finished && t.error === null)).toBe(true);
    const [{ digests } = { digests: -1 }] = await rows<{ digests: number }>(
      database.db.orm,
      sql`select count(*)::int as digests from digests where trigger = 'schedule'`,
    );
    expect(digests).toBe(1);
    expect(double.messages(ALERTS).filter((m) => m.text.startsWith('Weekly digest'))).toHaveLength(1);
  });
});
