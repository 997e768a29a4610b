import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { type Database, rows } from '../../src/db/client.ts';
import { createOutboxClient, type OutboxWorker, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { type RedFlag, raiseRedFlag } from '../../src/services/red-flags.ts';
import { applyAlertAction } from '../../src/store/alerts/actions.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

/**
 * The two races of an incident's message: an update queued before a click and delivered after it, and a
 * cause added while the incident's post is being sent.
 */
const logger = pino({ level: 'silent' });
const deps = { config: { alertChannel: 'C0CSALERTS', timezone: 'UTC' }, clock: systemClock };

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let double: SlackDouble;
let slackUrl: string;
let closeSlack: () => Promise<unknown>;
const accountId: Record<string, number> = {};

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    accountId,
    await seedAccounts(db, [
      { key: 'acme', name: 'Acme', channelId: 'C0ACMEINTL' },
      { key: 'globex', name: 'Globex', channelId: 'C0GLOBEXIN' },
    ]),
  );
  const slack = await startSlackDouble();
  double = slack.double;
  slackUrl = slack.url;
  closeSlack = slack.close;
});
afterAll(async () => {
  await closeSlack();
  await database.drop();
});

async function withWorker(work: (worker: OutboxWorker) => Promise<void>): Promise<void> {
  const worker = startOutboxWorker({
    db,
    client: createOutboxClient(TEST_BOT_TOKEN, { slackApiUrl: slackUrl }),
    logger,
    clock: systemClock,
    pollMs: 20,
    leaseMs: 1_000,
  });
  try {
    await work(worker);
  } finally {
    await worker.stop();
  }
}

const raise = (account: string, flag: Omit<RedFlag, 'accountId'>) =>
  db.orm.transaction((tx) => raiseRedFlag(tx, deps, { accountId: accountId[account]!, ...flag }));
const detractor = { kind: 'detractor', dedupeKey: 'detractor:1', headline: 'NPS 3 from Ana' } as const;
const lowCsat = { kind: 'low_csat', dedupeKey: 'low_csat:1', headline: 'CSAT 1 from Bo' } as const;
const topLevel = (channel: string) => double.messages(channel).filter((m) => !m.thread_ts);
const text = (blocks: unknown) => JSON.stringify(blocks ?? []);

describe("an incident's message", () => {
  it('is never taken back by an update queued before a click and sent after it', async () => {
    const detractorId = (await raise('acme', detractor))!;
    await withWorker((w) => w.drain());
    const [message] = topLevel('C0ACMEINTL');
    expect(message!.text).toBe('Acme: NPS detractor: NPS 3 from Ana');

    // A cause joins while no worker runs: its update is queued, rendered before the click below.
    await raise('acme', lowCsat);
    const [queued] = await rows<{ payload: { blocks: unknown } }>(
      db.orm,
      sql`select payload from slack_outbox where method = 'chat.update'`,
    );
    expect(text(queued!.payload.blocks)).not.toContain('Acknowledged');
    await applyAlertAction(db.orm, detractorId, { action: 'acknowledged', userId: 'U0CSM', now: new Date() });

    await withWorker((w) => w.drain());
    const shown = text(double.message('C0ACMEINTL', message!.ts)!.blocks);
    // Both causes acknowledged by the click, and the added one listed: the state after the click.
    expect(shown).toContain('Acknowledged by <@U0CSM>');
    expect(shown).toContain('Low CSAT: CSAT 1 from Bo');
    expect(topLevel('C0ACMEINTL')).toHaveLength(1);
    const replies = double.messages('C0ACMEINTL').filter((m) => m.thread_ts === message!.ts);
    expect(replies.map((r) => r.text)).toEqual([
      ':heavy_plus_sign: Added to this incident: Low CSAT: CSAT 1 from Bo.',
    ]);
  });

  it('gets a cause added while its post is being sent, as soon as the post is out, without a click', async () => {
    await raise('globex', { ...detractor, dedupeKey: 'detractor:2' });
    // A worker claimed the post and has not answered yet: it can no longer be rewritten.
    await db.orm.execute(sql`update slack_outbox set status = 'sending', sending_since = now(),
      claims = claims + 1, unconfirmed_since = now() where method = 'chat.postMessage' and status = 'pending'`);
    await raise('globex', { ...lowCsat, dedupeKey: 'low_csat:2' });
    const [waiting] = await rows<{ payload: Record<string, unknown> }>(
      db.orm,
      sql`select payload from slack_outbox where method = 'chat.update' and status = 'pending'`,
    );
    expect(waiting!.payload.ts).toBeUndefined();

    // The claim's lease runs out and a worker sends the post; the update waits for it, then goes.
    await withWorker((w) => w.drain(20_000));
    const [message] = topLevel('C0GLOBEXIN');
    expect(topLevel('C0GLOBEXIN')).toHaveLength(1);
    const shown = text(double.message('C0GLOBEXIN', message!.ts)!.blocks);
    expect(shown).toContain('NPS detractor: NPS 3 from Ana');
    expect(shown).toContain('Low CSAT: CSAT 1 from Bo');
    const replies = double.messages('C0GLOBEXIN').filter((m) => m.thread_ts === message!.ts);
    expect(replies).toHaveLength(1);
    const updates = await rows<{ status: string }>(
      db.orm,
      sql`select status from slack_outbox where method = 'chat.update'`,
    );
    expect(updates).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  }, 30_000);
});
