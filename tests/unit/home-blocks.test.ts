import { describe, expect, it } from 'vitest';
import { viewProblems } from '../../sandbox/block-kit-limits.ts';
import type { AlertMessageData } from '../../src/domain/alerts.ts';
import type { HomeData } from '../../src/domain/home.ts';
import { homeView } from '../../src/slack/blocks/home.ts';
import { ACCOUNTS_PAGE, ACTION, BLOCK } from '../../src/slack/constants.ts';
import { HOME_LIST } from '../../src/slack/events/app-home.ts';

const incident = (id: number): AlertMessageData => ({
  id,
  status: id % 2 ? 'open' : 'acknowledged',
  cause: {
    kind: 'billing',
    flag: {
      type: 'payment_failed',
      amount: 1200,
      currency: 'USD',
      dueDate: null,
      cardExpiresAt: null,
      occurredAt: new Date('2026-11-23T08:00:00Z'),
    } as never,
  },
  statusBy: null,
  statusAt: null,
  snoozedUntil: null,
  resolutionNote: null,
  account: {
    key: `a${id}`,
    name: `Account <${id}>`,
    tier: 'high_touch',
    mrr: '100.00',
    currency: 'USD',
    ownerSlackId: 'U0CSM00001',
    renewalDate: null,
  },
  score: 30,
  band: 'red',
  dataAsOf: null,
  assigneeSlackId: id === 3 ? 'U0CSM00002' : 'U0CSM00001',
  otherCauses:
    id === 5
      ? [
          {
            cause: { kind: 'red_flag', redFlag: { kind: 'detractor', headline: 'x', facts: [] } },
            status: 'open',
          },
          {
            cause: { kind: 'red_flag', redFlag: { kind: 'low_csat', headline: 'y', facts: [] } },
            status: 'resolved',
          },
        ]
      : [],
});

const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i + 1));

/** The fullest Home: a lead's, every list at its limit and more behind each. */
const full: HomeData = {
  scope: 'portfolio',
  counts: { red: 100, yellow: 50, green: 50, no_data: 0 },
  accounts: {
    items: many(ACCOUNTS_PAGE, (i) => ({
      key: `a${i}`,
      name: `A${i}`,
      score: 20,
      band: 'red',
      change7d: -5,
      openFlags: 2,
    })),
    total: 200,
  },
  incidents: { items: many(HOME_LIST, incident), total: 40 },
  reviews: {
    items: many(HOME_LIST, (i) => ({
      key: `a${i}`,
      name: `A${i}`,
      kind: 'rts',
      startsAt: '2026-12-15T17:30:00Z',
      timezone: 'UTC',
    })),
    total: 30,
  },
  overdueMilestones: {
    items: many(HOME_LIST, (i) => ({
      key: `a${i}`,
      name: `A${i}`,
      title: 'Go-live',
      plannedFor: '2026-11-01',
    })),
    total: 30,
  },
  csms: many(30, (i) => ({
    owner: `U0CSM${String(i).padStart(5, '0')}`,
    accounts: 7,
    arr: [{ currency: 'USD', amount: 100000 }],
    bands: { red: 1, yellow: 2, green: 4, none: 0 },
    nrr: 1.02,
    openIncidents: 3,
  })),
};

describe('homeView', () => {
  it("lists open incidents with their owner and the message's controls, within a view's 100 blocks", () => {
    const view = homeView(full, { now: new Date('2026-11-23T12:00:00Z'), timezone: 'UTC', locale: 'en' });
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const body = JSON.stringify(view.blocks);
    expect(body).toContain('*Open incidents* · 40');
    expect(body).toContain('*Account &lt;3&gt;* Payment failed: $1,200.00 · owned by <@U0CSM00002>');
    expect(body).toContain(
      '*Account &lt;2&gt;* Payment failed: $1,200.00 _(acknowledged)_ · owned by <@U0CSM00001>',
    );
    // Other causes are counted while unresolved.
    expect(body).toContain('*Account &lt;5&gt;* Payment failed: $1,200.00 (and 1 more) · owned by');
    expect(body).toContain('…and 32 more. Each incident is in its channel, with its buttons.');
    const controls = view.blocks.filter((b) => b.block_id?.startsWith(BLOCK.homeIncidentPrefix));
    expect(controls.map((b) => b.block_id)).toEqual(
      many(HOME_LIST, (i) => `${BLOCK.homeIncidentPrefix}${i}`),
    );
    // Acknowledged: no Acknowledge; the rest as on the message.
    expect(
      (controls[1] as { elements: Array<{ action_id: string }> }).elements.map((e) => e.action_id),
    ).toEqual([ACTION.alertSnooze, ACTION.alertResolve, ACTION.alertAssign]);
  });
});
