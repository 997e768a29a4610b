import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { accountHealth, alerts, incidents, slackOutbox } from '../../src/db/schema.ts';
import { builtInModel } from '../../src/domain/health-model-built-in.ts';
import { evaluateHealthAlerts, runAlertFollowups } from '../../src/services/alerts.ts';
import { applyAlertAction } from '../../src/store/alerts/actions.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T0 = new Date('2025-06-30T06:00:00Z');
const at = (ms: number) => new Date(+T0 + ms);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const alertId: Record<string, number> = {};
const accountId: Record<string, number> = {};

const run = (now: Date) =>
  runAlertFollowups({ db, clock: () => now, logger: pino({ level: 'silent' }), config: { timezone: 'UTC' } });

const flag = (externalId: string) => ({
  externalId,
  type: 'payment_failed',
  occurredAt: T0.toISOString(),
  amount: '1200.00',
  currency: 'USD',
  dueDate: '2025-07-01',
  cardExpiresAt: null,
});

const followupMessages = () =>
  rows<{ dedupe_key: string; method: string; payload: Record<string, unknown> }>(
    db.orm,
    sql`select dedupe_key, method, payload from slack_outbox
      where dedupe_key like '%:escalate:%' or dedupe_key like '%:snooze-over:%' order by id`,
  );
/** An alert as the only cause of its incident, whose post the outbox left so (none: not enqueued). */
async function post(
  alert: number,
  outcome?: Omit<typeof slackOutbox.$inferInsert, 'dedupeKey' | 'method' | 'payload'>,
): Promise<void> {
  const [row] = outcome
    ? await db.orm
        .insert(slackOutbox)
        .values({ dedupeKey: `alert:${alert}:post`, method: 'chat.postMessage', payload: {}, ...outcome })
        .returning({ id: slackOutbox.id })
    : [];
  const [cause] = await db.orm.select().from(alerts).where(eq(alerts.id, alert));
  const [incident] = await db.orm
    .insert(incidents)
    .values({ accountId: cause!.accountId, channel: 'C0ANY', postOutboxId: row?.id ?? null })
    .returning({ id: incidents.id });
  await db.orm
    .update(alerts)
    .set({ incidentId: incident!.id, postOutboxId: row?.id ?? null })
    .where(eq(alerts.id, alert));
}
const pulseActions = () =>
  rows<{ alert_id: number; action: string; detail: unknown }>(
    db.orm,
    sql`select alert_id::int as alert_id, action, detail from alert_actions where user_id = 'pulse' order by id`,
  );
const alertState = (id: number) =>
  rows<{ status: string; escalated: boolean; snoozed_until: string | null }>(
    db.orm,
    sql`select status, escalated_at is not null as escalated, snoozed_until::text from alerts where id = ${id}`,
  ).then((r) => r[0]!);

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    accountId,
    await seedAccounts(db, [
      { key: 'acme', name: 'Acme', tier: 'high_touch', ownerSlackId: 'U0ACME', channelId: 'C0ACME' },
      { key: 'globex', name: 'Globex', tier: 'low_touch', ownerSlackId: 'U0GLOBEX', channelId: 'C0GLOBEX' },
      { key: 'hooli', name: 'Hooli', tier: 'mid_touch', channelId: 'C0HOOLI' },
      { key: 'initech', name: 'Initech', tier: 'exclusive', ownerSlackId: 'U0INI', channelId: 'C0INI' },
      { key: 'failed', name: 'Failed', tier: 'high_touch', ownerSlackId: 'U0FAIL', channelId: 'C0FAIL' },
      { key: 'snoozy', name: 'Snoozy', tier: 'mid_touch', channelId: 'C0SNOOZY' },
      { key: 'redco', name: 'Redco', tier: 'mid_touch', channelId: 'C0RED' },
    ]),
  );
  const keys = ['acme', 'globex', 'hooli', 'initech', 'failed', 'snoozy'];
  const created = await db.orm
    .insert(alerts)
    .values([
      ...keys.map((key) => ({
        accountId: accountId[key]!,
        kind: 'billing',
        dedupeKey: `billing:in_${key}`,
        detail: flag(`in_${key}`),
        createdAt: T0,
      })),
      {
        accountId: accountId.redco!,
        kind: 'entered_red',
        dedupeKey: `health:${accountId.redco}:entered_red:1`,
        detail: { kind: 'entered_red', score: 40, previousScore: 60, band: 'red', changes: [] },
        status: 'snoozed',
        statusBy: 'U0CSM',
        statusAt: T0,
        snoozedUntil: at(HOUR),
        createdAt: T0,
      },
    ])
    .returning({ id: alerts.id, key: alerts.dedupeKey });
  created.forEach((a, i) => {
    alertId[keys[i] ?? 'redco'] = a.id;
  });
  // Every post delivered, but the one of "failed".
  for (const key of keys)
    await post(
      alertId[key]!,
      key === 'failed'
        ? { status: 'failed', lastError: 'channel_not_found' }
        : { status: 'sent', channel: `C0${key.toUpperCase()}`, ts: `1751263200.00000${keys.indexOf(key)}` },
    );
  await post(alertId.redco!);
  await db.orm
    .insert(accountHealth)
    .values({ accountId: accountId.redco!, score: 40, band: 'red', components: [], computedAt: T0 });
  await applyAlertAction(db.orm, alertId.initech!, {
    action: 'acknowledged',
    userId: 'U0CSM',
    now: at(HOUR),
  });
  await applyAlertAction(db.orm, alertId.snoozy!, {
    action: 'snoozed',
    until: at(2 * HOUR),
    userId: 'U0CSM',
    now: at(HOUR),
  });
});

afterAll(() => database?.drop());

describe('escalation', () => {
  it('leaves a high-touch alert alone at 3 h 59', async () => {
    const result = await run(at(4 * HOUR - MINUTE));
    expect(result.escalated).toEqual([]);
    expect((await followupMessages()).filter((m) => m.dedupe_key.includes('escalate'))).toEqual([]);
  });

  it('waits longer when ESCALATE_AFTER_HOURS says so', async () => {
    const result = await runAlertFollowups({
      db,
      clock: () => at(4 * HOUR),
      logger: pino({ level: 'silent' }),
      config: { timezone: 'UTC', escalationHours: { urgentHours: 5, otherHours: 24 } },
    });
    expect(result.escalated).toEqual([]);
  });

  it('escalates a high-touch alert after 4 h: a DM to the owner, then a thread reply', async () => {
    // Two processes at once: one escalates, the other skips the locked row or finds it escalated.
    const [first, second] = await Promise.all([run(at(4 * HOUR)), run(at(4 * HOUR))]);
    // initech is acknowledged, failed never posted, the others wait 24 h.
    expect([...first.escalated, ...second.escalated]).toEqual([alertId.acme]);
    const escalations = (await followupMessages()).filter((m) => m.dedupe_key.includes('escalate'));
    expect(escalations).toEqual([
      {
        dedupe_key: `alert:${alertId.acme}:escalate:dm`,
        method: 'chat.postMessage',
        payload: {
          channel: 'U0ACME',
          text: ':rotating_light: Nobody has acted on this alert for 4 hours: *Acme*: Payment failed: $1,200.00, due Tue 1 Jul 2025. It is in <#C0ACME>; you own this account.',
        },
      },
      {
        dedupe_key: `alert:${alertId.acme}:escalate:thread`,
        method: 'chat.postMessage',
        payload: {
          channel: 'C0ACME',
          thread_ts: '1751263200.000000',
          text: ':rotating_light: Escalated: nobody acted on this alert for 4 hours. <@U0ACME> was sent a direct message.',
        },
      },
    ]);
    expect(await alertState(alertId.acme!)).toMatchObject({ status: 'open', escalated: true });
    expect((await pulseActions()).filter((a) => a.action === 'escalated')).toEqual([
      { alert_id: alertId.acme, action: 'escalated', detail: null },
    ]);
  });

  it('escalates the others after 24 h, once however often it runs; no owner → only the thread reply', async () => {
    expect((await run(at(24 * HOUR - MINUTE))).escalated).toEqual([]);
    expect((await run(at(24 * HOUR))).escalated).toEqual([alertId.globex, alertId.hooli]);
    expect((await run(at(25 * HOUR))).escalated).toEqual([]);
    const keys = (await followupMessages()).map((m) => m.dedupe_key).filter((k) => k.includes('escalate'));
    expect(keys).toEqual([
      `alert:${alertId.acme}:escalate:dm`,
      `alert:${alertId.acme}:escalate:thread`,
      `alert:${alertId.globex}:escalate:dm`,
      `alert:${alertId.globex}:escalate:thread`,
      `alert:${alertId.hooli}:escalate:thread`,
    ]);
    const hooli = (await followupMessages()).find(
      (m) => m.dedupe_key === `alert:${alertId.hooli}:escalate:thread`,
    );
    expect(hooli!.payload).toEqual({
      channel: 'C0HOOLI',
      thread_ts: '1751263200.000002',
      text: ':rotating_light: Escalated: nobody acted on this alert for 24 hours. The account has no owner to notify.',
    });
    expect((await pulseActions()).filter((a) => a.action === 'escalated').map((a) => a.alert_id)).toEqual([
      alertId.acme,
      alertId.globex,
      alertId.hooli,
    ]);
  });

  it('never escalates an acknowledged alert, nor one whose post failed', async () => {
    await run(at(72 * HOUR));
    expect(await alertState(alertId.initech!)).toMatchObject({ status: 'acknowledged', escalated: false });
    expect(await alertState(alertId.failed!)).toMatchObject({ status: 'open', escalated: false });
  });
});

describe('escalation to the CS leads', () => {
  const LEADS = ['U0LEAD0001', 'U0LEAD0002'];
  const withLeads = (now: Date) =>
    runAlertFollowups({
      db,
      clock: () => now,
      logger: pino({ level: 'silent' }),
      config: { timezone: 'UTC', csLeads: LEADS, leadEscalationHours: 8 },
    });
  const leadMessages = async () =>
    (await followupMessages()).filter((m) => m.dedupe_key.includes(':escalate:lead'));

  it('waits for no one when there are no CS leads', async () => {
    expect((await run(at(80 * HOUR))).escalatedToLeads).toEqual([]);
    expect(await leadMessages()).toEqual([]);
  });

  it('tells each lead once, ALERT_LEAD_ESCALATION_HOURS after the owner, and says so in the thread', async () => {
    // Acme's owner was told at 4 h: the leads' turn comes 8 h later.
    expect((await withLeads(at(12 * HOUR - MINUTE))).escalatedToLeads).toEqual([]);
    const [first, second] = await Promise.all([withLeads(at(12 * HOUR)), withLeads(at(12 * HOUR))]);
    expect([...first.escalatedToLeads, ...second.escalatedToLeads]).toEqual([alertId.acme]);
    expect((await leadMessages()).map((m) => [m.dedupe_key, m.payload.channel, m.payload.thread_ts])).toEqual(
      [
        [`alert:${alertId.acme}:escalate:lead:U0LEAD0001`, 'U0LEAD0001', undefined],
        [`alert:${alertId.acme}:escalate:lead:U0LEAD0002`, 'U0LEAD0002', undefined],
        [`alert:${alertId.acme}:escalate:leads:thread`, 'C0ACME', '1751263200.000000'],
      ],
    );
    const [dm, , thread] = await leadMessages();
    expect(dm!.payload.text).toBe(
      ':rotating_light: Still unacknowledged 8 hours after its owner was told: *Acme*: Payment failed: $1,200.00, due Tue 1 Jul 2025. It is in <#C0ACME>; you are a CS lead.',
    );
    expect(thread!.payload.text).toBe(
      ':rotating_light: Escalated to the CS leads: still unacknowledged 8 hours after the owner was told. <@U0LEAD0001>, <@U0LEAD0002> were sent a direct message.',
    );
    // The others were escalated to their owners at 24 h; an acknowledged alert never goes up.
    expect((await withLeads(at(32 * HOUR))).escalatedToLeads).toEqual([alertId.globex, alertId.hooli]);
    expect((await withLeads(at(90 * HOUR))).escalatedToLeads).toEqual([]);
    expect(await leadMessages()).toHaveLength(9);
    expect((await pulseActions()).filter((a) => a.action === 'escalated' && a.detail)).toEqual(
      [alertId.acme, alertId.globex, alertId.hooli].map((id) => ({
        alert_id: id,
        action: 'escalated',
        detail: { to: 'leads' },
      })),
    );
  });
});

describe('snoozes that end', () => {
  it('reopens a billing alert whose snooze ended, once: message back to open, reply broadcast to the channel', async () => {
    // The snooze of "snoozy" ended at T0 + 2 h; the runs above already reopened it: check what they did.
    const snoozeEnd = +at(2 * HOUR);
    const messages = (await followupMessages()).filter((m) => m.dedupe_key.includes('snooze-over'));
    expect(messages.map((m) => [m.dedupe_key, m.method])).toEqual([
      [`alert:${alertId.snoozy}:snooze-over:${snoozeEnd}:update`, 'chat.update'],
      [`alert:${alertId.snoozy}:snooze-over:${snoozeEnd}:reply`, 'chat.postMessage'],
    ]);
    expect(messages[1]!.payload).toEqual({
      channel: 'C0SNOOZY',
      thread_ts: '1751263200.000005',
      reply_broadcast: true,
      text: ':alarm_clock: Snooze over, still open: *Snoozy*: Payment failed: $1,200.00, due Tue 1 Jul 2025.',
    });
    expect(messages[0]!.payload).toMatchObject({ channel: 'C0SNOOZY', ts: '1751263200.000005' });
    // Reopened by the first run after the end (at 3 h 59), with Acknowledge back.
    const blocks = JSON.stringify(messages[0]!.payload.blocks);
    expect(blocks).toContain(
      ':alarm_clock: Snooze ended Mon 30 Jun 09:59: still open, no payment has cleared it.',
    );
    expect(blocks).toContain('alert_acknowledge');
    expect(await alertState(alertId.snoozy!)).toEqual({
      status: 'open',
      escalated: false,
      snoozed_until: null,
    });
    expect((await pulseActions()).filter((a) => a.action === 'renotified')).toEqual([
      { alert_id: alertId.snoozy, action: 'renotified', detail: { snoozedUntil: expect.any(String) } },
    ]);
  });

  it('a second snooze that ends brings it back again; running again adds nothing', async () => {
    await applyAlertAction(db.orm, alertId.snoozy!, {
      action: 'snoozed',
      until: at(80 * HOUR),
      userId: 'U0CSM',
      now: at(73 * HOUR),
    });
    expect((await run(at(80 * HOUR - MINUTE))).reopened).toEqual([]);
    expect((await run(at(80 * HOUR))).reopened).toEqual([alertId.snoozy]);
    expect((await run(at(81 * HOUR))).reopened).toEqual([]);
    const replies = (await followupMessages()).filter((m) => m.dedupe_key.endsWith(':reply'));
    expect(replies.map((m) => m.dedupe_key)).toEqual([
      `alert:${alertId.snoozy}:snooze-over:${+at(2 * HOUR)}:reply`,
      `alert:${alertId.snoozy}:snooze-over:${+at(80 * HOUR)}:reply`,
    ]);
  });

  it('leaves health snoozes to the health evaluation: names the account until it is recomputed', async () => {
    expect((await run(at(HOUR - MINUTE))).recheckAccounts).toEqual([]);
    expect((await run(at(HOUR))).recheckAccounts).toEqual([accountId.redco]);
    expect(await alertState(alertId.redco!)).toMatchObject({ status: 'snoozed' });
    await rows(
      db.orm,
      sql`update account_health set computed_at = ${at(HOUR + MINUTE).toISOString()}::timestamptz`,
    );
    expect((await run(at(HOUR + 2 * MINUTE))).recheckAccounts).toEqual([]);
  });

  it('the health evaluation brings a health alert back the same way, once', async () => {
    await post(alertId.redco!, { status: 'sent', channel: 'C0RED', ts: '1751263200.000009' });
    const evaluate = (now: Date) =>
      evaluateHealthAlerts(db, {
        accountIds: [accountId.redco!],
        now,
        timezone: 'UTC',
        before: new Map(),
        model: builtInModel(),
      });
    expect((await evaluate(at(HOUR + 3 * MINUTE))).renotified).toEqual([alertId.redco]);
    expect((await evaluate(at(HOUR + 4 * MINUTE))).renotified).toEqual([]);
    const key = `alert:${alertId.redco}:snooze-over:${+at(HOUR)}`;
    const messages = (await followupMessages()).filter((m) => m.dedupe_key.startsWith(key));
    expect(messages.map((m) => [m.dedupe_key, m.method])).toEqual([
      [`${key}:update`, 'chat.update'],
      [`${key}:reply`, 'chat.postMessage'],
    ]);
    expect(messages[0]!.payload).toMatchObject({ channel: 'C0RED', ts: '1751263200.000009' });
    expect(JSON.stringify(messages[0]!.payload.blocks)).toContain(
      ':alarm_clock: Snooze ended Mon 30 Jun 07:03: the condition still holds (40/100 red).',
    );
    expect(messages[1]!.payload).toEqual({
      channel: 'C0RED',
      thread_ts: '1751263200.000009',
      reply_broadcast: true,
      text: ':alarm_clock: Snooze over, still open: *Redco*: Entered red: 40/100 (was 60).',
    });
    // No second post of the alert: its history stays in one message.
    const posts = await rows<{ n: number }>(
      db.orm,
      sql`select count(*)::int as n from slack_outbox where dedupe_key like ${`alert:${alertId.redco}:%`}
        and method = 'chat.postMessage' and payload ? 'blocks'`,
    );
    expect(posts).toEqual([{ n: 0 }]);
    expect(await alertState(alertId.redco!)).toMatchObject({ status: 'open', snoozed_until: null });
  });
});
