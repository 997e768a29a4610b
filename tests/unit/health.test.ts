import { describe, expect, it } from 'vitest';
import type { BillingFlag } from '../../src/domain/billing-flags.ts';
import {
  bandOf,
  computeHealth,
  DEFAULT_WEIGHTS,
  type HealthInputs,
  relationshipScore,
  sparkline,
  trendArrow,
  usageScore,
} from '../../src/domain/health.ts';
import { componentReason } from '../../src/slack/blocks/health-card.ts';

/** An account with no data at all; each test adds what it needs. */
function inputs(overrides: Partial<HealthInputs> = {}): HealthInputs {
  return {
    seats: null,
    usage: { activeUsersRecent: null, activeUsersPrevious: null, loginsRecent: null, loginsPrevious: null },
    support: { openTickets: null, longOpenTickets: null },
    billing: { hasHistory: false, openFlags: [] },
    relationship: { contacts: 0, champions: 0 },
    outcomes: null,
    sentiment: null,
    ...overrides,
  };
}

const flag = (type: BillingFlag['type']): BillingFlag => ({
  externalId: `evt_${type}`,
  type,
  occurredAt: new Date('2025-06-01T00:00:00Z'),
  amount: null,
  currency: null,
  dueDate: null,
  cardExpiresAt: null,
});

/** Usage at exactly `score` (level only): seats 100, so `score` = active users / 0.7. */
const usageAt = (activeUsers: number) =>
  inputs({
    seats: 100,
    usage: {
      activeUsersRecent: activeUsers,
      activeUsersPrevious: null,
      loginsRecent: null,
      loginsPrevious: null,
    },
  });

describe('computeHealth', () => {
  it('averages every component with the default weights', () => {
    const result = computeHealth(
      inputs({
        // level 7/20/0.7 = 50, flat trend = 100 → 75
        seats: 20,
        usage: { activeUsersRecent: 7, activeUsersPrevious: 7, loginsRecent: 50, loginsPrevious: 50 },
        outcomes: { reached: 2, overdue: 3 }, // 40
        sentiment: {
          answers: [
            { kind: 'nps', score: 9 }, // 90
            { kind: 'csat', score: 4 }, // 75 → mean 82.5 → 83
          ],
        },
        support: { openTickets: 3, longOpenTickets: 1 }, // 100 − 30 − 10 = 60
        billing: { hasHistory: true, openFlags: [] }, // 100
        relationship: { contacts: 2, champions: 1 }, // 100
      }),
    );
    // (30·75 + 15·40 + 15·83 + 15·60 + 15·100 + 10·100) / 100 = 74.95
    expect(result.score).toBe(75);
    expect(result.band).toBe('yellow');
    expect(result.components.map((c) => [c.component, c.score])).toEqual([
      ['outcomes', 40], // drag 15·60 = 900
      ['usage', 75], // 30·25 = 750
      ['support', 60], // 15·40 = 600
      ['sentiment', 83], // 15·17 = 255
      ['billing', 100],
      ['relationship', 100],
    ]);
    expect(result.components[1]).toEqual({
      component: 'usage',
      score: 75,
      detail: { activeUsers: 7, seats: 20, changePct: 0 },
    });
  });

  it('leaves components without data out and spreads their weight in proportion', () => {
    const result = computeHealth(
      inputs({
        seats: 20,
        usage: { activeUsersRecent: 7, activeUsersPrevious: 7, loginsRecent: null, loginsPrevious: null }, // 75
        support: { openTickets: 4, longOpenTickets: 0 }, // 60
        relationship: { contacts: 3, champions: 0 }, // 40
      }),
    );
    // (30·75 + 15·60 + 10·40) / (30 + 15 + 10) = 3550 / 55 = 64.5…
    expect(result.score).toBe(65);
    expect(result.band).toBe('yellow');
    expect(result.components.map((c) => [c.component, c.score])).toEqual([
      ['usage', 75], // drag 30·25 = 750
      ['support', 60], // 15·40 = 600
      ['relationship', 40], // 10·60 = 600: a tie keeps the model's order
      ['outcomes', null],
      ['sentiment', null],
      ['billing', null],
    ]);
  });

  it('says nothing about an account without any data', () => {
    const result = computeHealth(inputs());
    expect(result.score).toBeNull();
    expect(result.band).toBeNull();
    expect(result.components.every((c) => c.score === null)).toBe(true);
    expect(result.components.map((c) => c.component)).toEqual([
      'usage',
      'outcomes',
      'sentiment',
      'support',
      'billing',
      'relationship',
    ]);
  });

  it('puts 50 in red, 51 and 75 in yellow, 76 in green with the default bands', () => {
    expect(computeHealth(usageAt(35)).score).toBe(50);
    expect(computeHealth(usageAt(35)).band).toBe('red');
    expect(computeHealth(usageAt(35.7)).score).toBe(51);
    expect(computeHealth(usageAt(35.7)).band).toBe('yellow');
    expect(computeHealth(usageAt(52.5)).band).toBe('yellow');
    expect(computeHealth(usageAt(53.2)).score).toBe(76);
    expect(computeHealth(usageAt(53.2)).band).toBe('green');
    expect([0, 50, 51, 75, 76, 100].map((s) => bandOf(s))).toEqual([
      'red',
      'red',
      'yellow',
      'yellow',
      'green',
      'green',
    ]);
  });

  it('follows custom bands', () => {
    const bands = { redMax: 40, yellowMax: 60 };
    expect([40, 41, 60, 61].map((s) => bandOf(s, bands))).toEqual(['red', 'yellow', 'yellow', 'green']);
    expect(computeHealth(usageAt(35), DEFAULT_WEIGHTS, bands).band).toBe('yellow');
  });

  it('ignores a component whose weight is zero, yet still shows it', () => {
    const account = inputs({
      seats: 20,
      usage: { activeUsersRecent: 7, activeUsersPrevious: 7, loginsRecent: null, loginsPrevious: null }, // 75
      relationship: { contacts: 1, champions: 0 }, // 40
    });
    const result = computeHealth(account, { ...DEFAULT_WEIGHTS, usage: 0 });
    expect(result.score).toBe(40);
    expect(result.band).toBe('red');
    expect(result.components.slice(0, 2)).toMatchObject([
      { component: 'relationship', score: 40 },
      { component: 'usage', score: 75 },
    ]);
    const onlyUsage = computeHealth(inputs({ seats: 20, usage: account.usage }), {
      ...DEFAULT_WEIGHTS,
      usage: 0,
    });
    expect(onlyUsage.score).toBeNull();
    expect(onlyUsage.components[0]).toMatchObject({ component: 'usage', score: 75 });
  });

  it('lets the worst open billing flag set the billing component', () => {
    const result = computeHealth(
      inputs({ billing: { hasHistory: true, openFlags: [flag('card_expiring'), flag('payment_failed')] } }),
    );
    expect(result.score).toBe(20);
    expect(result.components[0]).toEqual({ component: 'billing', score: 20, detail: { openFlags: 2 } });
  });
});

describe('usageScore', () => {
  const usage = (recent: number | null, previous: number | null, logins: [number, number] | null = null) => ({
    activeUsersRecent: recent,
    activeUsersPrevious: previous,
    loginsRecent: logins?.[0] ?? null,
    loginsPrevious: logins?.[1] ?? null,
  });

  it('averages the level and a fall in use', () => {
    // level 7/20/0.7 = 50; change (−30% active users, −20% logins) / 2 = −25% → trend 100 − 250·0.25 = 37.5
    expect(usageScore(20, usage(7, 10, [40, 50]))).toEqual({
      component: 'usage',
      score: 44, // (50 + 37.5) / 2 = 43.75
      detail: { activeUsers: 7, seats: 20, changePct: -25 },
    });
  });

  it('does not reward growth beyond a flat trend, and caps the level at 100', () => {
    // level 12/20/0.7 = 85.7, growth → trend 100
    expect(usageScore(20, usage(12, 10)).score).toBe(93);
    expect(usageScore(20, usage(18, 18)).score).toBe(100);
  });

  it('empties the trend at a 40% fall', () => {
    // level 6/20/0.7 = 42.86, trend 0 → 21.4
    expect(usageScore(20, usage(6, 10)).score).toBe(21);
  });

  it('uses the trend alone without seats, and the level alone without history', () => {
    expect(usageScore(null, usage(5, 10)).score).toBe(0);
    expect(usageScore(null, usage(10, 10)).score).toBe(100);
    expect(usageScore(20, usage(7, null)).score).toBe(50);
    expect(usageScore(null, usage(7, null))).toEqual({ component: 'usage', score: null });
  });
});

describe('trendArrow', () => {
  it('shows a change of 3 points or more, and anything smaller as flat', () => {
    expect([null, 0, 2, -2.9, 3, -3, 15].map(trendArrow)).toEqual(['→', '→', '→', '→', '↑', '↓', '↑']);
  });
});

describe('sparkline', () => {
  it('maps 0–100 onto eight steps and a gap onto a space', () => {
    expect(sparkline([0, 12.5, 50, 99, 100, null, 130, -5])).toBe('▁▂▅██ █▁');
    expect(sparkline([])).toBe('');
  });
});

describe('relationship', () => {
  it('is the champion alone when the tier has no review cadence', () => {
    expect(relationshipScore({ contacts: 2, champions: 1, review: null }).score).toBe(100);
    expect(relationshipScore({ contacts: 2, champions: 0 }).score).toBe(40);
  });
  it('averages the champion with success reviews on cadence, and drops when the review is overdue', () => {
    const onCadence = { due: '2026-03-01', overdue: false };
    const overdue = { due: '2026-01-01', overdue: true };
    expect(relationshipScore({ contacts: 1, champions: 1, review: onCadence }).score).toBe(100);
    expect(relationshipScore({ contacts: 1, champions: 1, review: overdue }).score).toBe(70);
    expect(relationshipScore({ contacts: 1, champions: 0, review: overdue }).score).toBe(40);
    expect(relationshipScore({ contacts: 0, champions: 0, review: overdue })).toEqual({
      component: 'relationship',
      score: 40,
      detail: { champions: 0, contacts: 0, reviewDue: '2026-01-01', reviewOverdue: 1 },
    });
  });
  it('has no data without contacts and without a cadence', () => {
    expect(relationshipScore({ contacts: 0, champions: 0, review: null }).score).toBeNull();
  });
});

describe('stickiness', () => {
  it('shows DAU/MAU and WAU/MAU beside active users when the product sends mau and wau, without scoring them', () => {
    const usage = {
      activeUsersRecent: 21,
      activeUsersPrevious: 20,
      loginsRecent: null,
      loginsPrevious: null,
    };
    const plain = usageScore(50, usage);
    const sticky = usageScore(50, { ...usage, mauRecent: 50, wauRecent: 35 });
    expect(sticky.score).toBe(plain.score);
    expect(sticky).toMatchObject({ detail: { mau: 50, dauMau: 0.42, wauMau: 0.7 } });
    expect(plain).not.toHaveProperty('detail.dauMau');
    expect(componentReason(sticky, 'en')).toContain('DAU/MAU 0.42, WAU/MAU 0.70 of 50 monthly users');
  });
});
