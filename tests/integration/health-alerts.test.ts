import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { metricPoints } from '../../src/db/schema.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Three days, one recomputation each: one snapshot per UTC day.
const T0 = new Date('2025-06-28T06:00:00Z');
const T1 = new Date(+T0 + DAY);
const T2 = new Date(+T0 + 2 * DAY);
const FALLBACK = 'C0ALERTS';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let now = T0;
let health: ReturnType<typeof createHealthRecomputer>;
const id: Record<string, number> = {};

const alertRows = () =>
  rows<{
    id: number;
    key: string;
    kind: string;
    dedupe_key: string;
    status: string;
    status_by: string | null;
    cleared: boolean;
    detail: Record<string, unknown>;
  }>(
    db.orm,
    sql`select al.id::int as id, a.key, al.kind, al.dedupe_key, al.status, al.status_by,
        al.cleared_at is not null as cleared, al.detail
      from alerts al join accounts a on a.id = al.account_id order by al.id`,
  );
const outboxRows = () =>
  rows<{ dedupe_key: string; method: string; payload: Record<string, unknown> }>(
    db.orm,
    sql`select dedupe_key, method, payload from slack_outbox order by id`,
  );
const actionRows = () =>
  rows<{ alert_id: number; user_id: string; action: string }>(
    db.orm,
    sql`select alert_id::int as alert_id, user_id, action from alert_actions order by id`,
  );
/** Only support has data: the score is 100 − 10 per open ticket. */
const tickets = (account: string, open: number, at: Date) =>
  db.orm.insert(metricPoints).values({ accountId: id[account]!, metric: 'tickets_open', at, value: open });

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      { key: 'initech', name: 'Initech', channelId: 'C0INITECH' },
      // Renewal 41 days after T0.
      { key: 'hooli', name: 'Hooli', renewalDate: '2025-08-08' },
      { key: 'umbrella', name: 'Umbrella', status: 'churned' },
      { key: 'wayne', name: 'Wayne' },
    ]),
  );
  health = createHealthRecomputer({
    db,
    clock: () => now,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    config: {
      health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS },
      alertChannel: FALLBACK,
      timezone: 'UTC',
    },
  });
  await tickets('initech', 2, new Date(+T0 - HOUR));
  await tickets('hooli', 3, new Date(+T0 - HOUR));
  await tickets('umbrella', 6, new Date(+T0 - HOUR));
  await health.schedule([id.initech!, id.hooli!, id.umbrella!]);
});

afterAll(async () => {
  await health.idle();
  await database.drop();
});

describe('health alerts after a recomputation', () => {
  it('raises one renewal_at_risk for a yellow account renewing within 60 days, none for green or churned', async () => {
    const [row] = await rows<{ key: string; score: number }>(
      db.orm,
      sql`select a.key, h.score from account_health h join accounts a on a.id = h.account_id order by a.id`,
    );
    expect(row).toEqual({ key: 'initech', score: 80 });
    const alerts = await alertRows();
    expect(alerts.map((a) => [a.key, a.kind, a.dedupe_key, a.status])).toEqual([
      ['hooli', 'renewal_at_risk', `health:${id.hooli}:renewal_at_risk:2025-08-08`, 'open'],
    ]);
    expect(alerts[0]!.detail).toEqual({
      kind: 'renewal_at_risk',
      score: 70,
      band: 'yellow',
      renewalDate: '2025-08-08',
      daysToRenewal: 41,
      changes: [{ component: 'support', from: null, to: 70, change: null }],
    });
    expect((await outboxRows()).map((o) => [o.dedupe_key, o.payload.channel, o.payload.text])).toEqual([
      [`alert:${alerts[0]!.id}:post`, FALLBACK, 'Hooli: Renewal in 41 days (Fri 8 Aug 2025) while yellow'],
    ]);
  });

  it('raises one entered_red with one post when the score crosses into red', async () => {
    now = T1;
    await tickets('initech', 6, new Date(+T1 - HOUR));
    await health.schedule([id.initech!]);
    const alerts = (await alertRows()).filter((a) => a.key === 'initech');
    expect(alerts.map((a) => [a.kind, a.dedupe_key, a.status, a.cleared])).toEqual([
      ['entered_red', `health:${id.initech}:entered_red:1`, 'open', false],
    ]);
    expect(alerts[0]!.detail).toEqual({
      kind: 'entered_red',
      score: 40,
      previousScore: 80,
      band: 'red',
      changes: [{ component: 'support', from: 80, to: 40, change: -40 }],
    });
    const outbox = await outboxRows();
    expect(outbox.slice(1).map((o) => [o.dedupe_key, o.method, o.payload.channel, o.payload.text])).toEqual([
      [
        `alert:${alerts[0]!.id}:post`,
        'chat.postMessage',
        'C0INITECH',
        'Initech: Entered red: 40/100 (was 80)',
      ],
    ]);
    expect(JSON.stringify(outbox[1]!.payload.blocks)).toContain('Support 80 → 40 (−40)');
  });

  it('raises nothing new for the same recomputation again', async () => {
    await health.schedule([id.initech!, id.hooli!, id.umbrella!]);
    await health.schedule([id.initech!]);
    expect(await alertRows()).toHaveLength(2);
    expect(await outboxRows()).toHaveLength(2);
  });

  it('closes the episode once the score is back at 55 or above: cleared, resolved by pulse, audited', async () => {
    now = T2;
    await tickets('initech', 2, new Date(+T2 - HOUR));
    await health.schedule([id.initech!]);
    const red = (await alertRows()).find((a) => a.kind === 'entered_red')!;
    expect([red.status, red.status_by, red.cleared]).toEqual(['resolved', 'pulse', true]);
    expect(await actionRows()).toEqual([{ alert_id: red.id, user_id: 'pulse', action: 'resolved' }]);
    // Its post never went out: nothing to update, and nothing new is posted.
    expect(await outboxRows()).toHaveLength(2);
    await health.schedule([id.initech!]);
    expect(await actionRows()).toHaveLength(1);
  });

  it('raises nothing for a backfilled day (recomputeAll with asOf)', async () => {
    await tickets('wayne', 2, new Date(+T0 - 2 * DAY));
    await tickets('wayne', 7, new Date(+T0 - DAY));
    await health.recomputeAll(new Date(+T0 - DAY + HOUR));
    const [wayne] = await rows<{ score: number }>(
      db.orm,
      sql`select score from health_snapshots where account_id = ${id.wayne!}`,
    );
    expect(wayne).toEqual({ score: 30 });
    expect(await alertRows()).toHaveLength(2);
    expect(await outboxRows()).toHaveLength(2);
  });
});
