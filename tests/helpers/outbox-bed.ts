import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { OutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { freshDatabase } from './database.ts';
import { type SlackDouble, startSlackDouble } from './slack.ts';

export interface OutboxBed {
  db: Database;
  /** The server database's URL (TEST_DATABASE_URL), for a second connection. */
  url: string | undefined;
  /** The Web API double of the current test, and its URL. */
  double: SlackDouble;
  slackUrl: string;
  /** Workers a test starts: stopped after it. */
  workers: OutboxWorker[];
  /** Run after the test, last pushed first. */
  cleanups: Array<() => Promise<unknown>>;
}

/**
 * The outbox tests' fixture: one database for the file, its outbox emptied before each test (ids start
 * at 1 again: the outbox is the only table these tests touch), and a fresh Web API double per test.
 */
export function outboxBed(): OutboxBed {
  const bed = { workers: [], cleanups: [] } as unknown as OutboxBed;
  let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  beforeAll(async () => {
    database = await freshDatabase();
    bed.db = database.db;
    bed.url = database.url;
  });
  afterAll(() => database?.drop());
  beforeEach(async () => {
    // cascade: alerts and surveys point at their posts; none of these tests keeps one across tests. The
    // channels' budgets go too: a 429 in one test would pace the next.
    await bed.db.orm.execute(sql`truncate slack_outbox, slack_channel_pacing restart identity cascade`);
    const slack = await startSlackDouble();
    bed.double = slack.double;
    bed.slackUrl = slack.url;
    bed.cleanups.push(slack.close);
  });
  afterEach(async () => {
    await Promise.all(bed.workers.splice(0).map((w) => w.stop()));
    for (const cleanup of bed.cleanups.splice(0).reverse()) await cleanup();
  });
  return bed;
}
