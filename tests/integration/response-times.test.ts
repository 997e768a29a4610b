import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { alertActions, alerts, incidents } from '../../src/db/schema.ts';
import { DEFAULT_REVIEW_CADENCE } from '../../src/domain/reviews.ts';
import { buildDigest } from '../../src/services/digest.ts';
import { digestBlocks } from '../../src/slack/blocks/digest.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-12-07T09:00:00Z');
const ago = (ms: number) => new Date(+NOW - ms);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const deps = () => ({
  db,
  clock: () => NOW,
  config: {
    timezone: 'UTC',
    grossMargin: '1',
    reviews: { cadence: DEFAULT_REVIEW_CADENCE, briefDaysBefore: 3 },
  },
});

/** An incident of one cause, opened `openedAgo`, acknowledged by a person and resolved after so long. */
async function incident(
  accountId: number,
  openedAgo: number,
  answer: { ackAfter?: number; ackBy?: string; resolveAfter?: number; assignee?: string },
) {
  const opened = ago(openedAgo);
  const [row] = await db.orm
    .insert(incidents)
    .values({
      accountId,
      channel: 'C0CSALERTS',
      createdAt: opened,
      assigneeSlackId: answer.assignee ?? null,
      resolvedAt: answer.resolveAfter === undefined ? null : new Date(+opened + answer.resolveAfter),
    })
    .returning({ id: incidents.id });
  const [alert] = await db.orm
    .insert(alerts)
    .values({
      accountId,
      incidentId: row!.id,
      kind: 'detractor',
      dedupeKey: `detractor:${row!.id}`,
      detail: { headline: 'NPS 3', facts: [] },
      createdAt: opened,
    })
    .returning({ id: alerts.id });
  // Pulse's own changes never count as an answer.
  await db.orm
    .insert(alertActions)
    .values({ alertId: alert!.id, userId: 'pulse', action: 'renotified', at: opened });
  if (answer.ackAfter !== undefined)
    await db.orm.insert(alertActions).values({
      alertId: alert!.id,
      userId: answer.ackBy ?? 'U0ANA00001',
      action: 'acknowledged',
      at: new Date(+opened + answer.ackAfter),
    });
}

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  const id = await seedAccounts(db, [
    { key: 'acme', name: 'Acme', tier: 'high_touch', ownerSlackId: 'U0ANA00001' },
    { key: 'globex', name: 'Globex', tier: 'low_touch', ownerSlackId: 'U0BO000001' },
  ]);
  await incident(id.acme!, 2 * DAY, { ackAfter: HOUR, resolveAfter: 5 * HOUR });
  await incident(id.acme!, 3 * DAY, { ackAfter: 3 * HOUR, resolveAfter: 3 * DAY });
  // Assigned to Ana: hers, although Bo owns the account.
  await incident(id.globex!, 4 * DAY, { ackAfter: 30 * 60_000, assignee: 'U0ANA00001' });
  await incident(id.globex!, DAY, {});
  // Opened before the window: left out.
  await incident(id.globex!, 40 * DAY, { ackAfter: 100 * HOUR, resolveAfter: 200 * HOUR });
});
afterAll(() => database.drop());

describe('response times in the digest', () => {
  it('gives time to acknowledge and to resolve per CSM and per tier, median and p90, over 30 days', async () => {
    const digest = await buildDigest(deps());
    expect(digest.responseTimes).toEqual({
      days: 30,
      byCsm: [
        {
          who: 'U0ANA00001',
          incidents: 3,
          acknowledge: { count: 3, medianMs: HOUR, p90Ms: 3 * HOUR },
          resolve: { count: 2, medianMs: 5 * HOUR, p90Ms: 3 * DAY },
        },
        {
          who: 'U0BO000001',
          incidents: 1,
          acknowledge: { count: 0, medianMs: null, p90Ms: null },
          resolve: { count: 0, medianMs: null, p90Ms: null },
        },
      ],
      byTier: [
        expect.objectContaining({ who: 'high_touch', incidents: 2 }),
        expect.objectContaining({ who: 'low_touch', incidents: 2 }),
      ],
    });
    const text = JSON.stringify(digestBlocks(digest, { timezone: 'UTC', locale: 'en' }));
    expect(text).toContain('<@U0ANA00001> · 3 incidents · acknowledged 1 h · 3 h · resolved 5 h · 3 d');
    expect(text).toContain('<@U0BO000001> · 1 incident · acknowledged – · resolved –');
    expect(text).toContain('_high-touch_ · 2 incidents · acknowledged 1 h · 3 h · resolved 5 h · 3 d');
  });
});
