import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { accountHealth, accounts, contacts, milestones, surveys } from '../../src/db/schema.ts';
import { type ComponentResult, DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { recomputeHealth } from '../../src/store/health.ts';
import { freshDatabase } from '../helpers/database.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-10T12:00:00Z');
const ago = (days: number) => new Date(+NOW - days * DAY);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let acme: number;
let quiet: number;

const componentsOf = async (accountId: number) => {
  const [row] = await db.orm.select().from(accountHealth).where(eq(accountHealth.accountId, accountId));
  return Object.fromEntries((row!.components as ComponentResult[]).map((c) => [c.component, c]));
};

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  [{ id: acme }, { id: quiet }] = (await db.orm
    .insert(accounts)
    .values([
      { key: 'acme', name: 'Acme' },
      { key: 'quiet', name: 'Quiet' },
    ])
    .returning({ id: accounts.id })) as [{ id: number }, { id: number }];
  const [ana, bruno] = await db.orm
    .insert(contacts)
    .values([
      { accountId: acme, email: 'ana@acme.test', role: 'champion' },
      { accountId: acme, email: 'bruno@acme.test', role: 'decision_maker' },
    ])
    .returning({ id: contacts.id });
  await db.orm.insert(milestones).values([
    { accountId: acme, title: 'Go-live', plannedFor: '2026-01-15', reachedAt: ago(50), recordedBy: 'api' },
    { accountId: acme, title: 'First report', reachedAt: ago(10), recordedBy: 'U0CSM' },
    { accountId: acme, title: 'SSO rollout', plannedFor: '2026-03-01', recordedBy: 'api' },
    { accountId: acme, title: 'Expansion to sales', plannedFor: '2026-06-30', recordedBy: 'api' },
    // Reached after the instant being computed: not reached yet as of NOW, and not due either.
    { accountId: acme, title: 'Later win', plannedFor: '2026-04-01', reachedAt: ago(-5), recordedBy: 'api' },
  ]);
  const answered = (
    contactId: number,
    kind: 'nps' | 'csat',
    score: number | null,
    daysAgo: number,
    key: string,
  ): typeof surveys.$inferInsert => ({
    accountId: acme,
    contactId,
    kind,
    trigger: 'cadence',
    dedupeKey: key,
    locale: 'en',
    status: score === null ? 'sent' : 'answered',
    score,
    sentAt: ago(daysAgo + 1),
    answeredAt: score === null ? null : ago(daysAgo),
  });
  await db.orm.insert(surveys).values([
    answered(ana!.id, 'nps', 9, 100, 'a1'),
    answered(ana!.id, 'nps', 3, 5, 'a2'), // Ana's latest NPS replaces her 9
    answered(ana!.id, 'csat', 5, 20, 'a3'),
    answered(bruno!.id, 'nps', 10, 30, 'b1'),
    answered(bruno!.id, 'csat', 1, 200, 'b2'), // older than the sentiment window
    answered(bruno!.id, 'csat', null, 2, 'b3'), // sent, not answered
  ]);
  await recomputeHealth(db, { now: NOW, weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS });
});

afterAll(() => database.drop());

describe('health from milestones and survey answers', () => {
  it('scores outcomes as milestones reached against reached and overdue ones', async () => {
    expect((await componentsOf(acme)).outcomes).toEqual({
      component: 'outcomes',
      score: 67,
      detail: { reached: 2, overdue: 1 },
    });
  });

  it("scores sentiment from each contact's latest NPS and CSAT answer of the last 180 days", async () => {
    // Ana NPS 3 → 30, Ana CSAT 5 → 100, Bruno NPS 10 → 100: (30 + 100 + 100) / 3
    expect((await componentsOf(acme)).sentiment).toEqual({
      component: 'sentiment',
      score: 77,
      detail: { answers: 3 },
    });
  });

  it('leaves both out as no data for an account without milestones or answers', async () => {
    const components = await componentsOf(quiet);
    expect(components.outcomes?.score).toBeNull();
    expect(components.sentiment?.score).toBeNull();
  });
});
