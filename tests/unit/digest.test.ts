import { describe, expect, it } from 'vitest';
import { blockKitProblems } from '../../sandbox/block-kit-limits.ts';
import {
  composeDigest,
  DIGEST_TOP,
  type DigestInput,
  digestWeekStart,
  type RedFlag,
} from '../../src/domain/digest.ts';
import { digestBlocks, digestText } from '../../src/slack/blocks/digest.ts';
import { ACCOUNT } from '../../src/slack/constants.ts';

const account = (i: number) => ({ key: `acct-${i}`, name: `Account ${i}` });
const flag = (i: number, over: Partial<RedFlag> = {}): RedFlag => ({
  ...account(i),
  kind: 'entered_red',
  detail: { kind: 'entered_red', score: 40, previousScore: 55, band: 'red', changes: [] },
  status: 'open',
  isNew: false,
  createdAt: '2026-03-01T10:00:00.000Z',
  ...over,
});
const billing = (i: number, amount: string, isNew = true): RedFlag =>
  flag(i, {
    kind: 'billing',
    isNew,
    detail: {
      externalId: `in_${i}`,
      type: 'payment_failed',
      occurredAt: '2026-03-06T10:00:00.000Z',
      amount,
      currency: 'USD',
      dueDate: '2026-03-20',
      cardExpiresAt: null,
    },
  });

function input(over: Partial<DigestInput> = {}): DigestInput {
  const empty = { items: [], total: 0 };
  return {
    weekStart: '2026-03-09',
    asOf: '2026-03-09T12:00:00.000Z',
    bands: {
      now: { red: 3, yellow: 5, green: 10, no_data: 1 },
      weekAgo: { red: 1, yellow: 6, green: 11, no_data: 1 },
    },
    red: {
      items: [
        { ...account(2), score: 40 },
        { key: 'umbrella', name: 'Umbrella <Corp>', score: 12 },
        { ...account(7), score: 30 },
      ],
      total: 3,
    },
    movers: {
      up: { items: [{ ...account(1), score: 80, band: 'green', change: 12 }], total: 1 },
      down: {
        items: [
          { ...account(2), score: 40, band: 'red', change: -20 },
          { ...account(3), score: 60, band: 'yellow', change: -5 },
        ],
        total: 2,
      },
    },
    flags: {
      open: { items: [flag(4), billing(5, '300.00', false), billing(6, '1200.00')], total: 3 },
      newThisWeek: 1,
      billing: 2,
      billingAmounts: [{ currency: 'USD', amount: '1500.00' }],
    },
    surveys: {
      week: { nps: { promoters: 3, passives: 1, detractors: 1 }, csat: { satisfied: 2, total: 3 } },
      last90Days: { nps: { promoters: 0, passives: 0, detractors: 0 }, csat: { satisfied: 0, total: 0 } },
    },
    reviews: { within30: 0, within60: 0, upcoming: empty, overdue: empty },
    renewals: { within30: 0, within60: 0, upcoming: empty },
    milestones: {
      reached: {
        items: [{ ...account(7), title: 'Go-live', reachedAt: '2026-03-08T10:00:00.000Z' }],
        total: 1,
      },
      firstValue: { items: [{ ...account(7), ttfvDays: 21 }], total: 1, medianDays: 21 },
      portfolioTtfv: { accounts: 40, medianDays: 33.5 },
    },
    ...over,
  };
}

describe('digest composition', () => {
  it('takes the week of Monday in the team zone', () => {
    // Sunday 23:30 in São Paulo is already Monday in UTC.
    expect(digestWeekStart(new Date('2026-03-16T02:30:00Z'), 'America/Sao_Paulo')).toBe('2026-03-09');
    expect(digestWeekStart(new Date('2026-03-16T02:30:00Z'), 'UTC')).toBe('2026-03-16');
  });

  it('counts bands with their change since last week and computes NPS and CSAT as cs-method.md defines', () => {
    const d = composeDigest(input());
    expect(d.accounts).toBe(19);
    expect(d.bands).toEqual([
      { band: 'red', count: 3, change: 2 },
      { band: 'yellow', count: 5, change: -1 },
      { band: 'green', count: 10, change: -1 },
      { band: 'no_data', count: 1, change: 0 },
    ]);
    // (3 − 1) / 5 = 40; CSAT 2 of 3 satisfied = 67 %.
    expect(d.surveys.week).toEqual({ nps: 40, npsResponses: 5, csat: 67, csatResponses: 3 });
    expect(d.surveys.last90Days).toEqual({ nps: null, npsResponses: 0, csat: null, csatResponses: 0 });
    expect(d.movers.down.items.map((m) => m.key)).toEqual(['acct-2', 'acct-3']);
  });

  it('names the accounts in red, worst first, up to ten, then counts the rest', () => {
    const three = JSON.stringify(digestBlocks(composeDigest(input()), { timezone: 'UTC', locale: 'en' }));
    expect(three).toContain(':red_circle: *Umbrella &lt;Corp&gt;* 12, *Account 7* 30, *Account 2* 40');
    expect(three).not.toContain('…and');
    const twelve = composeDigest(
      input({
        red: {
          items: Array.from({ length: 10 }, (_, i) => ({ ...account(100 + i), score: 39 - i })),
          total: 12,
        },
      }),
    );
    expect(twelve.red.items.map((a) => a.score)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(twelve.red.more).toBe(2);
    const text = JSON.stringify(digestBlocks(twelve, { timezone: 'UTC', locale: 'en' }));
    expect(text).toContain('*Account 109* 30, *Account 108* 31');
    expect(text).toContain('*Account 100* 39 …and 2 more');
  });

  it('lists billing flags first, the largest amount first, with their amounts in the message', () => {
    const d = composeDigest(input());
    expect(d.flags.open.items.map((f) => f.key)).toEqual(['acct-6', 'acct-5', 'acct-4']);
    const text = JSON.stringify(digestBlocks(d, { timezone: 'UTC', locale: 'en' }));
    expect(text).toContain('Payment failed: $1,200.00, due Fri 20 Mar 2026');
    expect(text).toContain('2 billing flags ($1,500.00)');
    expect(text).toContain('Entered red: 40/100 (was 55)');
    expect(text).toContain('NPS *+40* (5 responses) · CSAT *67%* (3 responses)');
    expect(text).toContain('Portfolio median: 33.5 days over 40 accounts');
    expect(digestText(d, 'en')).toBe('Weekly digest: 3 red, 5 yellow, 10 green, 1 no data; 3 open red flags');
  });

  it('stays within Block Kit limits at 10,000 accounts, showing the top of each list and "and N more"', () => {
    const many = <T>(make: (i: number) => T) => ({
      items: Array.from({ length: 10_000 }, (_, i) => make(i)),
      total: 10_000,
    });
    const longName = (i: number) => ({
      key: `acct-${i}`,
      name: `${'Very long company name '.repeat(6)}${i}`,
    });
    const d = composeDigest(
      input({
        red: many((i) => ({ ...longName(i), score: i % 40 })),
        movers: {
          up: many((i) => ({
            ...longName(i),
            score: 50 + (i % 50),
            band: 'yellow' as const,
            change: 1 + (i % 40),
          })),
          down: many((i) => ({ ...longName(i), score: 20, band: 'red' as const, change: -1 - (i % 60) })),
        },
        flags: {
          open: many((i) => (i % 3 ? flag(i) : billing(i, `${i}.00`))),
          newThisWeek: 4_000,
          billing: 3_334,
          billingAmounts: [{ currency: 'USD', amount: '16665000.00' }],
        },
        reviews: {
          within30: 5_000,
          within60: 10_000,
          upcoming: many((i) => ({
            ...longName(i),
            kind: 'rts',
            startsAt: new Date(Date.UTC(2026, 3, 1) + i * 60_000).toISOString(),
            timezone: 'America/Phoenix',
          })),
          overdue: many((i) => ({ ...longName(i), dueOn: '2026-01-01', daysOverdue: i % 90 })),
        },
        renewals: {
          within30: 5_000,
          within60: 10_000,
          upcoming: many((i) => ({
            ...longName(i),
            renewalDate: '2026-04-01',
            band: 'red' as const,
            mrr: '999.00',
            currency: 'EUR',
          })),
        },
        milestones: {
          reached: many((i) => ({
            ...longName(i),
            title: 'T'.repeat(200),
            reachedAt: '2026-03-08T10:00:00.000Z',
          })),
          firstValue: { ...many((i) => ({ ...longName(i), ttfvDays: i % 200 })), medianDays: 99.5 },
          portfolioTtfv: { accounts: 10_000, medianDays: 99.5 },
        },
      }),
    );
    expect(d.movers.up.items).toHaveLength(DIGEST_TOP);
    expect(d.movers.up.items[0]!.change).toBe(40);
    expect(d.movers.down.items[0]!.change).toBe(-60);
    expect(d.flags.open.items.every((f) => f.kind === 'billing')).toBe(true);
    expect(d.flags.open.items[0]!.detail.amount).toBe('9999.00');
    expect(d.reviews.overdue.items[0]!.daysOverdue).toBe(89);

    const blocks = digestBlocks(d, { timezone: 'America/Sao_Paulo', locale: 'en' });
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const text = JSON.stringify(blocks);
    expect(text.match(/…and 9,995 more/g)).toHaveLength(8);
    expect(text).toContain('…and 9,990 more');
    // Every listed account is one choice away from its health card.
    const menus = blocks.flatMap((b) =>
      'accessory' in b && b.accessory?.type === 'static_select' ? [b.accessory] : [],
    );
    expect(menus.every((m) => m.action_id === ACCOUNT.healthCard)).toBe(true);
    // The accounts in red first (ten of them), then each list's top.
    expect(menus.map((m) => m.options!.length)).toEqual([10, ...Array(menus.length - 1).fill(DIGEST_TOP)]);
  });
});
