import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { DEFAULT_REVIEW_CADENCE } from '../../src/domain/reviews.ts';
import { buildDigest, runWeeklyDigest } from '../../src/services/digest.ts';
import { digestBlocks } from '../../src/slack/blocks/digest.ts';
import { blocksText } from '../helpers/blocks.ts';
import { freshDatabase } from '../helpers/database.ts';

/** Monday 9 March 2026, 09:00 UTC: the default DIGEST_CRON's tick. */
const NOW = new Date('2026-03-09T09:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(+NOW - days * DAY).toISOString();
const day = (days: number) => ago(days).slice(0, 10);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const deps = (now = NOW) => ({
  db,
  clock: () => now,
  logger: pino({ level: 'silent' }),
  config: {
    timezone: 'UTC',
    alertChannel: 'C0CSALERTS',
    reviews: { cadence: DEFAULT_REVIEW_CADENCE, briefDaysBefore: 2 },
    grossMargin: '1',
  },
});

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  await db.orm.execute(sql`
    insert into accounts (id, key, name, tier, contract_start, renewal_date, mrr, status) values
      (1, 'acme', 'Acme', 'high_touch', ${day(200)}, ${day(-10)}, 4500, 'active'),
      (2, 'globex', 'Globex', 'exclusive', ${day(30)}, ${day(-45)}, null, 'active'),
      (3, 'hooli', 'Hooli', 'low_touch', ${day(10)}, null, null, 'active'),
      (4, 'gone', 'Gone', 'low_touch', null, ${day(-5)}, null, 'churned')`);
  await db.orm.execute(sql`
    insert into account_health (account_id, score, band, components, computed_at) values
      (1, 40, 'red', '[]', ${NOW.toISOString()}), (2, 90, 'green', '[]', ${NOW.toISOString()}),
      (3, 60, 'yellow', '[]', ${NOW.toISOString()})`);
  // A week ago Acme was yellow at 70 and Globex green at 80; Hooli had no snapshot yet.
  await db.orm.execute(sql`
    insert into health_snapshots (account_id, day, score, band, components) values
      (1, ${day(7)}, 70, 'yellow', '[]'), (1, ${day(30)}, 90, 'green', '[]'), (2, ${day(8)}, 80, 'green', '[]')`);
  await db.orm.execute(sql`
    insert into alerts (account_id, kind, dedupe_key, detail, status, created_at) values
      (1, 'billing', 'billing:in_1', ${JSON.stringify({ externalId: 'in_1', type: 'payment_failed', occurredAt: ago(2), amount: '1200.00', currency: 'USD', dueDate: null, cardExpiresAt: null })}, 'open', ${ago(2)}),
      (1, 'entered_red', 'red:1:1', ${JSON.stringify({ kind: 'entered_red', score: 40, previousScore: 70, band: 'red', changes: [] })}, 'acknowledged', ${ago(20)}),
      (2, 'billing', 'billing:in_2', ${JSON.stringify({ externalId: 'in_2', type: 'invoice_overdue', occurredAt: ago(1), amount: '99.50', currency: 'USD', dueDate: null, cardExpiresAt: null })}, 'resolved', ${ago(1)})`);
  await db.orm.execute(
    sql`insert into contacts (id, account_id, email, role) values (1, 1, 'a@acme.test', 'champion')`,
  );
  const survey = (id: number, kind: string, score: number, answered: string) =>
    sql`(${id}, 1, 1, ${kind}, 'cadence', ${`s${id}`}, 'en', 'answered', ${score}, ${answered})`;
  await db.orm.execute(sql`
    insert into surveys (id, account_id, contact_id, kind, trigger, dedupe_key, locale, status, score, answered_at) values
      ${survey(1, 'nps', 10, ago(1))}, ${survey(2, 'nps', 3, ago(2))}, ${survey(3, 'nps', 9, ago(40))},
      ${survey(4, 'csat', 5, ago(3))}, ${survey(5, 'csat', 2, ago(50))}, ${survey(6, 'nps', 0, ago(120))}`);
  await db.orm.execute(sql`
    insert into milestones (account_id, title, reached_at, planned_for, recorded_by) values
      (1, 'Kick-off', ${ago(150)}, null, 'api'), (2, 'Go-live', ${ago(3)}, null, 'api'),
      (2, 'Training', null, ${day(5)}, 'api')`);
  // Globex (monthly) met 20 days ago: on cadence. Acme (quarterly) last met 100 days ago: overdue.
  await db.orm.execute(sql`
    insert into success_reviews (account_id, kind, starts_at, timezone, status, scheduled_by) values
      (1, 'rts', ${ago(100)}, 'UTC', 'held', 'U1'), (2, 'rms', ${ago(20)}, 'UTC', 'held', 'U1'),
      (2, 'rms', ${ago(-10)}, 'UTC', 'scheduled', 'U1'), (3, 'rts', ${ago(-45)}, 'UTC', 'scheduled', 'U1')`);
});

afterAll(() => database.drop());

describe('the weekly digest, from the database', () => {
  it('reads every figure in a few set-based queries', async () => {
    const d = await buildDigest(deps());
    expect(d.weekStart).toBe('2026-03-09');
    expect(d.accounts).toBe(3);
    expect(d.bands).toEqual([
      { band: 'red', count: 1, change: 1 },
      { band: 'yellow', count: 1, change: 0 },
      { band: 'green', count: 1, change: 0 },
      { band: 'no_data', count: 0, change: -1 },
    ]);
    expect(d.red).toEqual({ items: [{ key: 'acme', name: 'Acme', score: 40 }], more: 0 });
    expect(d.movers.down.items).toEqual([{ key: 'acme', name: 'Acme', score: 40, band: 'red', change: -30 }]);
    expect(d.movers.up.items).toEqual([
      { key: 'globex', name: 'Globex', score: 90, band: 'green', change: 10 },
    ]);
    expect(d.flags.openCount).toBe(2);
    expect(d.flags.newThisWeek).toBe(1);
    expect(d.flags.billingAmounts).toEqual([{ currency: 'USD', amount: '1200.00' }]);
    expect(d.flags.open.items.map((f) => [f.kind, f.isNew, f.status])).toEqual([
      ['billing', true, 'open'],
      ['entered_red', false, 'acknowledged'],
    ]);
    // Week: NPS 10 and 3 → (1 − 1)/2 = 0; CSAT 5 → 100 %. 90 days: NPS 10, 3, 9 → (2 − 1)/3 = 33; CSAT 5, 2 → 50 %.
    expect(d.surveys.week).toEqual({ nps: 0, npsResponses: 2, csat: 100, csatResponses: 1 });
    expect(d.surveys.last90Days).toEqual({ nps: 33, npsResponses: 3, csat: 50, csatResponses: 2 });
    expect(d.reviews).toMatchObject({ within30: 1, within60: 2 });
    expect(d.reviews.upcoming.items.map((r) => r.key)).toEqual(['globex', 'hooli']);
    // Acme last met 29 Nov 2025: due three months later, 28 Feb 2026, overdue 9 days on 9 March.
    expect(d.reviews.overdue.items).toEqual([
      { key: 'acme', name: 'Acme', dueOn: '2026-02-28', daysOverdue: 9 },
    ]);
    expect(d.renewals).toMatchObject({ within30: 1, within60: 2 });
    expect(d.renewals.upcoming.items.map((r) => [r.key, r.mrr])).toEqual([
      ['acme', '4500.00'],
      ['globex', null],
    ]);
    expect(d.milestones.reached.items.map((m) => m.title)).toEqual(['Go-live']);
    // Globex: contract 30 days ago, first value 3 days ago → 27 days. Acme: 200 − 150 = 50 days.
    expect(d.milestones.firstValue).toMatchObject({ count: 1, medianDays: 27 });
    expect(d.milestones.portfolioTtfv).toEqual({ accounts: 2, medianDays: 38.5 });
  });

  it('gains a retention line: this month to date against last month, and ARR at risk now', async () => {
    // Acme new in February at 4,000 and up to 4,500 in March; Globex churned in February.
    await db.orm.execute(sql`
      insert into account_mrr_changes (account_id, at, mrr, currency, source) values
        (1, '2026-02-01T10:00:00Z', 4000, 'USD', 'api'), (1, '2026-03-03T10:00:00Z', 4500, 'USD', 'api'),
        (2, '2026-01-15T10:00:00Z', 1000, 'USD', 'api'), (2, '2026-02-20T10:00:00Z', 0, 'USD', 'api')`);
    const d = await buildDigest(deps());
    expect(d.retention).toEqual({
      currency: 'USD',
      otherCurrencies: [],
      monthToDate: { nrr: 1.125, grr: 1, logo_churn_rate: 0, mrrEnd: 4500 },
      lastMonth: { nrr: 0, grr: 0, logo_churn_rate: 1, mrrEnd: 4000 },
      // Acme red at 4,500 a month; Hooli yellow with no MRR.
      arrAtRisk: { red: { accounts: 1, arr: 54000 }, yellow: { accounts: 1, arr: 0 } },
    });
    expect(blocksText(digestBlocks(d, { timezone: 'UTC', locale: 'en' }))).toContain(
      '*Retention* · month to date: NRR 112.5% (last month 0.0%), GRR 100.0% (0.0%), logo churn 0.0% (100.0%)',
    );
    await db.orm.execute(sql`delete from account_mrr_changes`);
  });

  it("posts the week's scheduled digest once, however often the schedule runs", async () => {
    await runWeeklyDigest(deps());
    await runWeeklyDigest(deps(new Date(+NOW + 3_600_000)));
    const posted = await rows<{ dedupe_key: string; channel: string }>(
      db.orm,
      sql`select dedupe_key, payload->>'channel' as channel from slack_outbox where dedupe_key like 'digest:%'`,
    );
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channel).toBe('C0CSALERTS');
    const recorded = await rows<{ week_start: string; trigger: string }>(
      db.orm,
      sql`select to_char(week_start, 'YYYY-MM-DD') as week_start, trigger from digests`,
    );
    expect(recorded).toEqual([{ week_start: '2026-03-09', trigger: 'schedule' }]);
    // The next week is a new digest.
    await runWeeklyDigest(deps(new Date(+NOW + 7 * DAY)));
    expect(await rows(db.orm, sql`select 1 from digests`)).toHaveLength(2);
  });
});
