import { describe, expect, it } from 'vitest';
import {
  type BillingEvent,
  type BillingEventType,
  openBillingFlags,
} from '../../src/domain/billing-flags.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY = 86_400_000;

let sequence = 0;
function event(type: BillingEventType, daysAgo: number, extra: Partial<BillingEvent> = {}): BillingEvent {
  sequence += 1;
  return {
    externalId: `evt_${sequence}`,
    type,
    occurredAt: new Date(+NOW - daysAgo * DAY),
    amount: null,
    currency: null,
    dueDate: null,
    cardExpiresAt: null,
    ...extra,
  };
}

const openTypes = (events: BillingEvent[], now = NOW) => openBillingFlags(events, now).map((f) => f.type);

describe('openBillingFlags', () => {
  it('raises a flag for every kind of billing trouble', () => {
    const events = [
      event('payment_failed', 3),
      event('invoice_overdue', 2, { dueDate: '2025-05-25', amount: '120.00', currency: 'USD' }),
      event('card_expiring', 10, { cardExpiresAt: '2025-06-20' }),
      event('subscription_canceled', 1),
      event('subscription_downgraded', 5),
      event('dispute_opened', 4),
    ];
    expect(openTypes(events)).toEqual([
      'card_expiring',
      'subscription_downgraded',
      'dispute_opened',
      'payment_failed',
      'invoice_overdue',
      'subscription_canceled',
    ]);
    expect(openBillingFlags(events, NOW)[4]).toEqual(events[1]);
  });

  it('raises nothing for payments alone', () => {
    expect(openTypes([event('payment_succeeded', 30), event('invoice_paid', 1)])).toEqual([]);
  });

  it('clears a failed payment, an overdue invoice and a cancellation with a later payment', () => {
    expect(openTypes([event('payment_failed', 5), event('payment_succeeded', 2)])).toEqual([]);
    expect(openTypes([event('invoice_overdue', 5), event('invoice_paid', 2)])).toEqual([]);
    expect(openTypes([event('subscription_canceled', 5), event('payment_succeeded', 1)])).toEqual([]);
    // A payment before the failure clears nothing.
    expect(openTypes([event('payment_succeeded', 5), event('payment_failed', 2)])).toEqual([
      'payment_failed',
    ]);
  });

  it('flags a card expiring within 30 days, not one expiring in 31, at any hour of the day', () => {
    const card = (expires: string) => [event('card_expiring', 1, { cardExpiresAt: expires })];
    for (const hour of ['00:00:00', '12:00:00', '23:59:59']) {
      const now = new Date(`2025-06-01T${hour}Z`);
      expect(openTypes(card('2025-07-01'), now)).toEqual(['card_expiring']);
      expect(openTypes(card('2025-07-02'), now)).toEqual([]);
    }
  });

  it('keeps an expired card flagged until a payment after its expiry proves a new card', () => {
    const card = event('card_expiring', 40, { cardExpiresAt: '2025-05-20' });
    expect(openTypes([card])).toEqual(['card_expiring']);
    expect(openTypes([card, event('payment_succeeded', 15)])).toEqual(['card_expiring']); // 17 May: before expiry
    expect(openTypes([card, event('payment_succeeded', 10)])).toEqual([]); // 22 May: after
  });

  it('judges only the latest card_expiring event', () => {
    const old = event('card_expiring', 20, { cardExpiresAt: '2025-06-10' });
    const renewed = event('card_expiring', 2, { cardExpiresAt: '2028-06-30' });
    expect(openTypes([old])).toEqual(['card_expiring']);
    expect(openTypes([renewed, old])).toEqual([]);
  });

  it('keeps a dispute open for 75 days', () => {
    expect(openTypes([event('dispute_opened', 74.9)])).toEqual(['dispute_opened']);
    expect(openTypes([event('dispute_opened', 75)])).toEqual([]);
    // A payment does not settle a dispute.
    expect(openTypes([event('dispute_opened', 10), event('payment_succeeded', 1)])).toEqual([
      'dispute_opened',
    ]);
  });

  it('keeps a downgrade flagged for 30 days', () => {
    expect(openTypes([event('subscription_downgraded', 29.9)])).toEqual(['subscription_downgraded']);
    expect(openTypes([event('subscription_downgraded', 30)])).toEqual([]);
  });

  it('ignores events dated after now', () => {
    expect(openTypes([event('payment_failed', -0.01)])).toEqual([]);
    expect(openTypes([event('dispute_opened', -1)])).toEqual([]);
    // A payment in the future clears nothing yet.
    expect(openTypes([event('payment_failed', 2), event('payment_succeeded', -1)])).toEqual([
      'payment_failed',
    ]);
    expect(openTypes([event('card_expiring', -1, { cardExpiresAt: '2025-06-05' })])).toEqual([]);
  });
});
