import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { accountHealth, accounts, billingEvents, contacts, metricPoints } from '../../src/db/schema.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { listPortfolio, recomputeHealth } from '../../src/store/health.ts';
import { loadHealthView } from '../../src/store/health-card.ts';
import { addNote } from '../../src/store/notes.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-06-30T06:00:00Z');
const later = (days: number) => new Date(+NOW + days * DAY);
const midnight = (date: string) => new Date(`${date}T00:00:00Z`);
/** The UTC midnights from `from` to `to`, inclusive. */
function days(from: string, to: string): Date[] {
  const out: Date[] = [];
  for (let t = +midnight(from); t <= +midnight(to); t += DAY) out.push(new Date(t));
  return out;
}
const options = (now: Date, accountIds?: number[]) => ({
  now,
  accountIds,
  weights: DEFAULT_WEIGHTS,
  bands: DEFAULT_BANDS,
});

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const id: Record<string, number> = {};

const healthOf = async (key: string) => {
  const [row] = await db.orm.select().from(accountHealth).where(eq(accountHealth.accountId, id[key]!));
  return row;
};
const snapshotDays = (key: string) =>
  rows<{ day: string; score: number | null }>(
    db.orm,
    sql`select to_char(day, 'YYYY-MM-DD') as day, score from health_snapshots where account_id = ${id[key]} order by day`,
  );

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      {
        key: 'acme',
        name: 'Acme',
        seats: 20,
        tier: 'high_touch',
        ownerSlackId: 'U0ACME',
        renewalDate: '2025-09-01',
      },
      { key: 'globex', name: 'Globex', seats: 10 },
      { key: 'initech', name: 'Initech' },
      { key: 'umbrella', name: 'Umbrella', seats: 10, status: 'churned' },
      { key: 'stale', name: 'Stale Co' },
      { key: 'hooli', name: 'Hooli' },
    ]),
  );

  const point = (key: string, metric: string, at: Date, value: number) => ({
    accountId: id[key]!,
    metric,
    at,
    value,
  });
  await db.orm.insert(metricPoints).values([
    // acme: 28 days at 10 active users and 50 logins, then 7 days at 7 and 40.
    ...days('2025-05-27', '2025-06-23').flatMap((d) => [
      point('acme', 'active_users', d, 10),
      point('acme', 'logins', d, 50),
    ]),
    ...days('2025-06-24', '2025-06-30').flatMap((d) => [
      point('acme', 'active_users', d, 7),
      point('acme', 'logins', d, 40),
    ]),
    // Outside the window, before and after: both ignored.
    point('acme', 'active_users', midnight('2025-05-20'), 1000),
    point('acme', 'active_users', midnight('2025-07-01'), 1000),
    // Tickets: 5 open until 16 June, then 3, a low of 2 on 25 June, 4 today.
    ...days('2025-06-11', '2025-06-16').map((d) => point('acme', 'tickets_open', d, 5)),
    ...days('2025-06-17', '2025-06-29').map((d) =>
      point('acme', 'tickets_open', d, d.getUTCDate() === 25 ? 2 : 3),
    ),
    point('acme', 'tickets_open', midnight('2025-06-30'), 4),
    // globex: a steady 7 of 10 seats, with points ahead of the clock for when the tests move it.
    ...days('2025-05-01', '2025-08-15').map((d) => point('globex', 'active_users', d, 7)),
    ...days('2025-05-01', '2025-06-30').map((d) => point('umbrella', 'active_users', d, 3.5)),
    point('stale', 'active_users', midnight('2025-05-01'), 4),
    // hooli: tickets for 10 days only, too short to tell how long they stay open.
    ...days('2025-06-21', '2025-06-30').map((d) => point('hooli', 'tickets_open', d, 2)),
  ]);
  await db.orm.insert(contacts).values([
    { accountId: id.acme!, email: 'ana@acme.example', role: 'champion' },
    { accountId: id.acme!, email: 'bob@acme.example', role: 'user' },
  ]);
  await db.orm.insert(billingEvents).values([
    {
      accountId: id.acme!,
      externalId: 'in_1',
      type: 'payment_succeeded',
      occurredAt: later(-20),
      amount: '100.00',
    },
    {
      accountId: id.acme!,
      externalId: 'in_2',
      type: 'payment_failed',
      occurredAt: later(-5),
      amount: '100.00',
    },
    { accountId: id.hooli!, externalId: 'in_3', type: 'payment_succeeded', occurredAt: later(-10) },
    {
      accountId: id.hooli!,
      externalId: 'card_1',
      type: 'card_expiring',
      occurredAt: later(-3),
      cardExpiresAt: '2025-07-20',
    },
  ]);
});

afterAll(async () => {
  await database?.drop();
});

describe('recomputeHealth', () => {
  it('computes every account, churned ones included, from the facts at or before now', async () => {
    expect(await recomputeHealth(db, options(NOW))).toBe(6);

    const acme = await healthOf('acme');
    // usage: level 7/20/0.7 = 50, trend (−30% users, −20% logins) → 37.5 → 44; support: 4 open, 2 for 14 days
    // → 100 − 40 − 20 = 40; billing: a failed payment → 20; relationship: a champion → 100.
    // (30·44 + 15·40 + 15·20 + 10·100) / 70 = 46
    expect(acme).toMatchObject({ score: 46, band: 'red', computedAt: NOW, dataAsOf: midnight('2025-06-30') });
    expect(acme!.components).toEqual([
      { component: 'usage', score: 44, detail: { activeUsers: 7, seats: 20, changePct: -25 } },
      { component: 'billing', score: 20, detail: { openFlags: 1 } },
      { component: 'support', score: 40, detail: { openTickets: 4, longOpenTickets: 2 } },
      { component: 'relationship', score: 100, detail: { champions: 1, contacts: 2 } },
      { component: 'outcomes', score: null },
      { component: 'sentiment', score: null },
    ]);
    expect(acme!.openBillingFlags).toMatchObject([
      { externalId: 'in_2', type: 'payment_failed', amount: '100.00' },
    ]);

    expect(await healthOf('globex')).toMatchObject({ score: 100, band: 'green' });
    const initech = await healthOf('initech');
    expect(initech).toMatchObject({ score: null, band: null, dataAsOf: null });
    expect(initech!.components).toHaveLength(6);
    expect(await healthOf('umbrella')).toMatchObject({ score: 75, band: 'yellow' });
    // Nothing in the window, but the card still tells how old the last data is.
    expect(await healthOf('stale')).toMatchObject({
      score: null,
      band: null,
      dataAsOf: midnight('2025-05-01'),
    });
    // billing: the card expires in 20 days → 60; support: 2 open, not yet known for how long → 80
    const hooli = await healthOf('hooli');
    expect(hooli).toMatchObject({ score: 70, band: 'yellow', dataAsOf: midnight('2025-06-30') });
    expect(hooli!.components).toEqual([
      { component: 'billing', score: 60, detail: { openFlags: 1 } },
      { component: 'support', score: 80, detail: { openTickets: 2, longOpenTickets: 0 } },
      { component: 'usage', score: null },
      { component: 'outcomes', score: null },
      { component: 'sentiment', score: null },
      { component: 'relationship', score: null },
    ]);
  });

  it('recomputes only the accounts it is given', async () => {
    await db.orm.insert(billingEvents).values({
      accountId: id.globex!,
      externalId: 'in_4',
      type: 'payment_failed',
      occurredAt: midnight('2025-07-03'),
    });
    expect(await recomputeHealth(db, options(later(7), [id.globex!]))).toBe(1);
    // usage 100, billing 20: (30·100 + 15·20) / 45 = 73.3
    expect(await healthOf('globex')).toMatchObject({ score: 73, band: 'yellow', computedAt: later(7) });
    expect(await healthOf('acme')).toMatchObject({ score: 46, computedAt: NOW });
    expect(await recomputeHealth(db, options(later(7), []))).toBe(0);
  });

  it('keeps one snapshot per account and UTC day, and measures the change against them', async () => {
    await recomputeHealth(db, options(new Date(+later(7) + 3_600_000), [id.globex!]));
    expect(await snapshotDays('globex')).toEqual([
      { day: '2025-06-30', score: 100 },
      { day: '2025-07-07', score: 73 },
    ]);
    const week = await loadHealthView(db.orm, id.globex!, later(7));
    expect(week).toMatchObject({ change7d: -27, change30d: null });

    await recomputeHealth(db, options(later(30), [id.globex!]));
    expect(await snapshotDays('globex')).toHaveLength(3);
    const month = await loadHealthView(db.orm, id.globex!, later(30));
    expect(month).toMatchObject({ change7d: 0, change30d: -27 });
    // Weeks ending 30 July, 23 July, … 9 June.
    expect(month!.weekly).toEqual([null, null, null, 100, 73, null, null, 73]);
  });
});

describe('loadHealthView', () => {
  it('returns what the health card shows', async () => {
    const view = await loadHealthView(db.orm, id.acme!, NOW);
    expect(view!.account).toMatchObject({
      key: 'acme',
      name: 'Acme',
      tier: 'high_touch',
      ownerSlackId: 'U0ACME',
    });
    expect(view!.health!.score).toBe(46);
    expect(view!.health!.band).toBe('red');
    expect(view!.health!.components.map((c) => [c.component, c.score])).toEqual([
      ['usage', 44],
      ['billing', 20],
      ['support', 40],
      ['relationship', 100],
      ['outcomes', null],
      ['sentiment', null],
    ]);
    expect(view!.health!.openBillingFlags).toEqual([
      {
        externalId: 'in_2',
        type: 'payment_failed',
        occurredAt: later(-5),
        amount: '100.00',
        currency: null,
        dueDate: null,
        cardExpiresAt: null,
      },
    ]);
    expect(view).toMatchObject({
      change7d: null,
      change30d: null,
      weekly: [null, null, null, null, null, null, null, 46],
      dataAsOf: midnight('2025-06-30'),
    });
  });

  it('shows an account without data as such, and no account at all as null', async () => {
    const view = await loadHealthView(db.orm, id.initech!, NOW);
    expect(view!.health!.score).toBeNull();
    expect(view!.health!.components.every((c) => c.score === null)).toBe(true);
    expect(view!.dataAsOf).toBeNull();
    expect(await loadHealthView(db.orm, 999_999, NOW)).toBeNull();
  });

  it('finds the account by key in the same query, with its newest note', async () => {
    expect((await loadHealthView(db.orm, { key: 'initech' }, NOW))!.lastNote).toBeNull();
    await addNote(db.orm, {
      accountId: id.initech!,
      author: 'U0OLD',
      loggedBy: 'U0OLD',
      source: 'command',
      text: 'kick-off',
      at: later(-9),
    });
    await addNote(db.orm, {
      accountId: id.initech!,
      author: 'U0NEW',
      loggedBy: 'U0NEW',
      source: 'command',
      text: 'renewal call',
      at: later(-2),
    });
    const view = await loadHealthView(db.orm, { key: 'initech' }, NOW);
    expect(view!.account.id).toBe(id.initech);
    expect(view!.lastNote).toEqual({ author: 'U0NEW', at: later(-2) });
    expect(await loadHealthView(db.orm, { key: 'Initech Corp' }, NOW)).toBeNull();
  });

  it('carries the open incidents in the same query, oldest first, each with its causes most severe first', async () => {
    expect((await loadHealthView(db.orm, { key: 'hooli' }, NOW))!.openIncidents).toEqual([]);
    const incident = async (assignee: string | null, resolved: boolean) => {
      const [row] = await rows<{ id: string | number }>(
        db.orm,
        sql`insert into incidents (account_id, channel, assignee_slack_id, resolved_at, created_at)
          values (${id.hooli}, 'C0CSALERTS', ${assignee}, ${resolved ? NOW.toISOString() : null}::timestamptz,
            ${NOW.toISOString()}) returning id`,
      );
      return Number(row!.id);
    };
    const cause = (incidentId: number, kind: string, detail: object, status = 'open') =>
      rows<{ id: string | number }>(
        db.orm,
        sql`insert into alerts (account_id, kind, dedupe_key, detail, status, incident_id)
          values (${id.hooli}, ${kind}, ${`test:${incidentId}:${kind}`}, ${JSON.stringify(detail)}::jsonb,
            ${status}, ${incidentId}) returning id`,
      ).then(([r]) => Number(r!.id));
    const redFlag = (headline: string) => ({ headline, facts: [] });
    const first = await incident(null, false);
    // Raised first but less severe: the unresolved dispute leads; a resolved cause comes last whatever its severity.
    const lowCsat = await cause(first, 'low_csat', redFlag('CSAT 2/5'));
    const dispute = await cause(first, 'billing', {
      externalId: 'dp_1',
      type: 'dispute_opened',
      occurredAt: later(-1).toISOString(),
      amount: '50.00',
      currency: 'USD',
      dueDate: null,
      cardExpiresAt: null,
    });
    const resolved = await cause(first, 'detractor', redFlag('NPS 3'), 'resolved');
    const second = await incident('U0LEAD', false);
    const overdue = await cause(second, 'review_overdue', redFlag('Review overdue'));
    const ended = await incident(null, true);
    await cause(ended, 'urgent_ticket', redFlag('Ticket #9'), 'resolved');

    const view = await loadHealthView(db.orm, { key: 'hooli' }, NOW);
    expect(
      view!.openIncidents.map((i) => ({
        id: i.id,
        assignee: i.assigneeSlackId,
        causes: i.causes.map((c) => [c.id, c.cause.kind, c.status]),
      })),
    ).toEqual([
      {
        id: first,
        assignee: null,
        causes: [
          [dispute, 'billing', 'open'],
          [lowCsat, 'red_flag', 'open'],
          [resolved, 'red_flag', 'resolved'],
        ],
      },
      { id: second, assignee: 'U0LEAD', causes: [[overdue, 'red_flag', 'open']] },
    ]);
    expect(view!.openIncidents[0]!.causes[0]!.cause).toEqual({
      kind: 'billing',
      flag: expect.objectContaining({ type: 'dispute_opened', occurredAt: later(-1), amount: '50.00' }),
    });
    await db.orm.execute(sql`delete from incidents where account_id = ${id.hooli}`);
  });
});

describe('listPortfolio', () => {
  it('lists active accounts worst first: red, no data, yellow, green', async () => {
    await recomputeHealth(db, options(NOW, [id.globex!]));
    // An account ingested but never computed counts as no data.
    await db.orm.insert(accounts).values({ key: 'newco', name: 'NewCo' });
    const portfolio = await listPortfolio(db.orm, { limit: 10, now: NOW });
    expect(portfolio.total).toBe(6);
    expect(portfolio.counts).toEqual({ red: 1, no_data: 3, yellow: 1, green: 1 });
    expect(portfolio.accounts.map((a) => [a.key, a.score, a.band])).toEqual([
      ['acme', 46, 'red'],
      ['initech', null, null],
      ['newco', null, null],
      ['stale', null, null],
      ['hooli', 70, 'yellow'],
      ['globex', 100, 'green'],
    ]);
    expect(portfolio.accounts[0]).toEqual({
      key: 'acme',
      name: 'Acme',
      tier: 'high_touch',
      ownerSlackId: 'U0ACME',
      score: 46,
      band: 'red',
      change7d: null,
      // Flags are unresolved alerts: its billing flag is on the card, but no alert was evaluated here.
      openFlags: 0,
      renewalDate: '2025-09-01',
    });
  });

  it('filters by band and pages, keeping the counts of the whole portfolio', async () => {
    const yellow = await listPortfolio(db.orm, { band: 'yellow', limit: 10, now: NOW });
    expect(yellow.total).toBe(1);
    expect(yellow.counts).toEqual({ red: 1, no_data: 3, yellow: 1, green: 1 });
    expect(yellow.accounts.map((a) => a.key)).toEqual(['hooli']);
    const page = await listPortfolio(db.orm, { limit: 2, offset: 1, now: NOW });
    expect(page.accounts.map((a) => a.key)).toEqual(['initech', 'newco']);
  });

  it('gives the change over 7 days', async () => {
    await recomputeHealth(db, options(later(7), [id.globex!]));
    const portfolio = await listPortfolio(db.orm, { band: 'yellow', limit: 10, now: later(7) });
    expect(portfolio.accounts.map((a) => [a.key, a.score, a.change7d])).toEqual([
      ['hooli', 70, 0],
      ['globex', 73, -27],
    ]);
  });
});

describe('createHealthRecomputer', () => {
  const recomputer = (clock: () => Date) => {
    const metrics = createMetrics();
    const health = createHealthRecomputer({
      db,
      clock,
      logger: pino({ level: 'silent' }),
      metrics,
      config: { health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS } },
    });
    const counted = async () => ({
      runs: (await metrics.healthRecomputeDuration.get()).values.find((v) => v.metricName?.endsWith('_count'))
        ?.value,
      accounts: (await metrics.healthRecomputations.get()).values[0]?.value,
    });
    return { health, counted };
  };

  it('coalesces concurrent schedule() calls into one set-based run', async () => {
    const { health, counted } = recomputer(() => later(1));
    await Promise.all([
      health.schedule([id.acme!]),
      health.schedule([id.hooli!]),
      health.schedule([id.acme!, id.stale!]),
      health.schedule([]),
    ]);
    expect(await counted()).toEqual({ runs: 1, accounts: 3 });
    expect(await healthOf('hooli')).toMatchObject({ computedAt: later(1) });
    expect(await healthOf('initech')).toMatchObject({ computedAt: NOW });

    // Accounts touched while a run is going wait for the next one, together. On PGlite idle() returns
    // during the pause that follows every run, so all three wait for the run after it.
    await health.idle();
    const first = health.schedule([id.acme!]);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, health.schedule([id.hooli!]), health.schedule([id.stale!])]);
    expect(await counted()).toEqual(
      db.kind === 'pglite' ? { runs: 2, accounts: 6 } : { runs: 3, accounts: 6 },
    );

    // Just after a run: on the server a new run starts at once; on PGlite, where the next ingestion batch
    // could not commit during the run, the run is followed by a pause that gathers what comes next.
    await health.idle();
    await health.schedule([id.acme!]);
    const next = health.schedule([id.hooli!]);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([next, health.schedule([id.stale!])]);
    expect(await counted()).toEqual(
      db.kind === 'pglite' ? { runs: 4, accounts: 9 } : { runs: 6, accounts: 9 },
    );
  });

  it('never runs recomputeAll alongside a scheduled run', async () => {
    let tick = 0;
    const { health, counted } = recomputer(() => later(2 + tick++));
    const [, all] = await Promise.all([health.schedule([id.acme!]), health.recomputeAll()]);
    await health.idle();
    expect(all).toBe(7);
    expect(await counted()).toEqual({ runs: 2, accounts: 8 });
    // The full run started first; the scheduled one, which read the clock second, wrote last.
    expect(await healthOf('acme')).toMatchObject({ computedAt: later(3) });
    expect(await healthOf('hooli')).toMatchObject({ computedAt: later(2) });
  });
});
