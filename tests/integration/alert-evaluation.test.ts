import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { billingEvents } from '../../src/db/schema.ts';
import type { BillingEventType } from '../../src/domain/billing-flags.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { createMetrics } from '../../src/metrics.ts';
import { evaluateBillingAlerts } from '../../src/services/alerts.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { applyAlertAction } from '../../src/store/alerts/actions.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const HOUR = 3_600_000;
const NOW = new Date('2025-06-30T06:00:00Z');
const ago = (hours: number) => new Date(+NOW - hours * HOUR);
const FALLBACK = 'C0ALERTS';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let health: ReturnType<typeof createHealthRecomputer>;
const id: Record<string, number> = {};

// Billing alerts only: these accounts' flags also turn them red, which raises health alerts of their own.
const alertRows = () =>
  rows<{ id: number; key: string; dedupe_key: string; status: string; status_by: string | null }>(
    db.orm,
    sql`select al.id::int as id, a.key, al.dedupe_key, al.status, al.status_by
      from alerts al join accounts a on a.id = al.account_id where al.kind = 'billing' order by al.id`,
  );
const outboxRows = () =>
  rows<{ dedupe_key: string; method: string; payload: Record<string, unknown> }>(
    db.orm,
    sql`select dedupe_key, method, payload from slack_outbox
      where split_part(dedupe_key, ':', 2)::bigint in (select id from alerts where kind = 'billing') order by id`,
  );
const actionRows = () =>
  rows<{ alert_id: number; user_id: string; action: string; detail: unknown }>(
    db.orm,
    sql`select alert_id::int as alert_id, user_id, action, detail from alert_actions
      where alert_id in (select id from alerts where kind = 'billing') order by id`,
  );
const event = (account: string, externalId: string, type: BillingEventType, at: Date, extra = {}) =>
  db.orm.insert(billingEvents).values({
    accountId: id[account]!,
    externalId,
    type,
    occurredAt: at,
    ...extra,
  });

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      { key: 'acme', name: 'Acme', tier: 'high_touch', mrr: '4500', ownerSlackId: 'U0OWNER1' },
      { key: 'globex', name: 'Globex', channelId: 'C0GLOBEX' },
      { key: 'umbrella', name: 'Umbrella', status: 'churned' },
    ]),
  );
  health = createHealthRecomputer({
    db,
    clock: () => NOW,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    config: {
      health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS },
      alertChannel: FALLBACK,
      timezone: 'UTC',
    },
  });
  await event('acme', 'in_acme_1', 'payment_failed', ago(48), {
    amount: '1200',
    currency: 'USD',
    dueDate: '2025-07-15',
  });
  await event('globex', 'in_globex_1', 'invoice_overdue', ago(24), { amount: '300.5', currency: 'USD' });
  await event('umbrella', 'in_umbrella_1', 'payment_failed', ago(24), { amount: '99', currency: 'USD' });
  await health.schedule(Object.values(id));
});

afterAll(async () => {
  await health.idle();
  await database.drop();
});

describe('billing alerts after a recomputation', () => {
  it('raises one alert per open flag, with one post in the outbox, and none for a churned account', async () => {
    const alerts = await alertRows();
    expect(alerts.map((a) => [a.key, a.dedupe_key, a.status])).toEqual([
      ['acme', 'billing:in_acme_1', 'open'],
      ['globex', 'billing:in_globex_1', 'open'],
    ]);
    const outbox = await outboxRows();
    expect(outbox.map((o) => [o.dedupe_key, o.method, o.payload.channel, o.payload.text])).toEqual([
      [
        `alert:${alerts[0]!.id}:post`,
        'chat.postMessage',
        FALLBACK,
        // The fall of the score the failed payment caused is a line of the same message, not a post.
        'Acme: Payment failed: $1,200.00, due Tue 15 Jul 2025 (and 1 more)',
      ],
      [
        `alert:${alerts[1]!.id}:post`,
        'chat.postMessage',
        'C0GLOBEX',
        'Globex: Invoice overdue: $300.50 (and 1 more)',
      ],
    ]);
    const blocks = JSON.stringify(outbox[0]!.payload.blocks);
    expect(blocks).toContain('<@U0OWNER1>');
    expect(blocks).toContain('$4,500.00');
  });

  it('raises nothing for the same flags again: re-sent event, recomputation, direct re-evaluation', async () => {
    await event('acme', 'in_acme_1', 'payment_failed', ago(48)).onConflictDoNothing();
    await health.schedule([id.acme!, id.globex!]);
    expect(await evaluateBillingAlerts(db, { now: NOW, alertChannel: FALLBACK, timezone: 'UTC' })).toEqual({
      raised: [],
      resolved: [],
    });
    expect(await alertRows()).toHaveLength(2);
    expect(await outboxRows()).toHaveLength(2);
  });

  it('adds a second flag of the same account to its open incident, headline first when more severe', async () => {
    await event('acme', 'dp_acme_1', 'dispute_opened', ago(2), { amount: '50', currency: 'USD' });
    await health.schedule([id.acme!]);
    const alerts = await alertRows();
    expect(alerts.map((a) => a.dedupe_key)).toEqual([
      'billing:in_acme_1',
      'billing:in_globex_1',
      'billing:dp_acme_1',
    ]);
    // The post is still waiting: it goes out with the dispute, and nothing else is enqueued.
    const outbox = await outboxRows();
    expect(outbox.map((o) => o.payload.text)).toEqual([
      'Acme: Dispute opened: $50.00 (and 2 more)',
      'Globex: Invoice overdue: $300.50 (and 1 more)',
    ]);
    expect(JSON.stringify(outbox[0]!.payload.blocks)).toContain('Payment failed: $1,200.00');
  });

  it('resolves, as pulse, the alert whose flag a later payment cleared, updating and replying to its message', async () => {
    const [acme] = await alertRows();
    await db.orm.execute(sql`update slack_outbox set status = 'sent', channel = ${FALLBACK},
      ts = '1751263200.000100' where dedupe_key = ${`alert:${acme!.id}:post`}`);
    await event('acme', 'py_acme_1', 'payment_succeeded', ago(1), { amount: '1200', currency: 'USD' });
    await health.schedule([id.acme!]);
    const alerts = await alertRows();
    expect(alerts.map((a) => [a.dedupe_key, a.status, a.status_by])).toEqual([
      ['billing:in_acme_1', 'resolved', 'pulse'],
      ['billing:in_globex_1', 'open', null],
      // A dispute stays open for 75 days whatever is paid.
      ['billing:dp_acme_1', 'open', null],
    ]);
    expect(await actionRows()).toEqual([
      { alert_id: acme!.id, user_id: 'pulse', action: 'resolved', detail: { reason: 'flag_cleared' } },
    ]);
    const outbox = (await outboxRows()).slice(2);
    expect(
      outbox.map((o) => [o.dedupe_key, o.method, o.payload.channel, o.payload.ts, o.payload.thread_ts]),
    ).toEqual([
      [`alert:${acme!.id}:cleared:update`, 'chat.update', FALLBACK, '1751263200.000100', undefined],
      [`alert:${acme!.id}:cleared:reply`, 'chat.postMessage', FALLBACK, undefined, '1751263200.000100'],
    ]);
    // The incident stays open (the dispute): the payment's line says it is resolved.
    expect(JSON.stringify(outbox[0]!.payload.blocks)).toContain(':white_check_mark: resolved');
    expect(outbox[1]!.payload.text).toContain('(Payment failed: $1,200.00');
    await health.schedule([id.acme!]);
    expect(await outboxRows()).toHaveLength(4);
    expect(await actionRows()).toHaveLength(1);
  });
});

describe('applyAlertAction', () => {
  it('records each change with who and when, and changes nothing once resolved', async () => {
    const globex = (await alertRows())[1]!.id;
    const at = new Date('2025-06-30T07:15:00Z');
    expect(
      await applyAlertAction(db.orm, globex, { action: 'acknowledged', userId: 'U0CSM1', now: at }),
    ).toBe(true);
    const until = new Date('2025-07-01T07:15:00Z');
    expect(
      await applyAlertAction(db.orm, globex, { action: 'snoozed', until, userId: 'U0CSM1', now: at }),
    ).toBe(true);
    expect(
      await applyAlertAction(db.orm, globex, {
        action: 'resolved',
        note: 'Paid by wire',
        userId: 'U0CSM2',
        now: at,
      }),
    ).toBe(true);
    expect(
      await applyAlertAction(db.orm, globex, { action: 'acknowledged', userId: 'U0CSM1', now: at }),
    ).toBe(false);
    const [row] = await rows<{
      status: string;
      status_by: string;
      note: string;
      snoozed_until: string | null;
    }>(
      db.orm,
      sql`select status, status_by, resolution_note as note, snoozed_until::text from alerts where id = ${globex}`,
    );
    expect(row).toEqual({
      status: 'resolved',
      status_by: 'U0CSM2',
      note: 'Paid by wire',
      snoozed_until: null,
    });
    expect((await actionRows()).filter((a) => a.alert_id === globex)).toEqual([
      { alert_id: globex, user_id: 'U0CSM1', action: 'acknowledged', detail: null },
      {
        alert_id: globex,
        user_id: 'U0CSM1',
        action: 'snoozed',
        detail: { until: '2025-07-01T07:15:00.000Z' },
      },
      { alert_id: globex, user_id: 'U0CSM2', action: 'resolved', detail: { note: 'Paid by wire' } },
    ]);
  });
});

describe('an alert cleared before its post went out', () => {
  it('posts it showing it resolved, with nothing to update or reply to', async () => {
    // Globex's incident was resolved above: this opens a new one.
    await event('globex', 'in_globex_2', 'payment_failed', ago(0.5), { amount: '99', currency: 'USD' });
    await health.schedule([id.globex!]);
    const alert = (await alertRows()).find((a) => a.dedupe_key === 'billing:in_globex_2')!;
    const before = await outboxRows();
    await event('globex', 'py_globex_2', 'payment_succeeded', ago(0.25), { amount: '99', currency: 'USD' });
    await health.schedule([id.globex!]);
    expect((await alertRows()).find((a) => a.id === alert.id)).toMatchObject({
      status: 'resolved',
      status_by: 'pulse',
    });
    const after = await outboxRows();
    expect(after).toHaveLength(before.length);
    const post = after.find((o) => o.dedupe_key === `alert:${alert.id}:post`)!;
    expect(post.payload.channel).toBe('C0GLOBEX');
    expect(JSON.stringify(post.payload.blocks)).toContain('Resolved by Pulse');
  });
});
