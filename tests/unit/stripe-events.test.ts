import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { billingEventSchema } from '../../src/domain/ingestion.ts';
import { linkingDomain, majorUnits, mapStripeEvent } from '../../src/domain/stripe-events.ts';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are Stripe's JSON, edited freely in tests
const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/stripe/${name}.json`, import.meta.url), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: a fixture's name, or the fixture edited
const mapped = (event: string | any) => {
  const result = mapStripeEvent(typeof event === 'string' ? fixture(event) : event);
  if ('ignored' in result) throw new Error(`${event.id ?? event} was ignored: ${result.ignored}`);
  return result;
};

describe('mapStripeEvent: mapped types', () => {
  it('customer.created / customer.updated → who the customer is, with no billing event', () => {
    expect(mapped('customer.created')).toEqual({
      customer: { customerId: 'cus_PwAcme0001', accountKey: 'acme', email: 'billing@acme.example' },
      events: [],
    });
    expect(mapped('customer.updated')).toEqual({
      customer: { customerId: 'cus_PwInitech01', accountKey: 'initech', email: 'ap@initech.example' },
      events: [],
    });
    const anonymous = fixture('customer.created');
    anonymous.data.object.metadata = {};
    anonymous.data.object.email = null;
    expect(mapped(anonymous).customer).toEqual({
      customerId: 'cus_PwAcme0001',
      accountKey: null,
      email: null,
    });
  });

  it('invoice.payment_failed → payment_failed with amount_due, linked by the invoice e-mail', () => {
    expect(mapped('invoice.payment_failed')).toEqual({
      customer: { customerId: 'cus_PwAcme0001', accountKey: null, email: 'billing@acme.example' },
      events: [
        {
          external_id: 'evt_1PFailed0001',
          type: 'payment_failed',
          occurred_at: '2024-05-10T10:00:00.000Z',
          amount: 1200,
          currency: 'USD',
          due_date: null,
        },
      ],
    });
  });

  it('invoice.overdue → invoice_overdue with what remains due, linked by the subscription metadata', () => {
    expect(mapped('invoice.overdue')).toEqual({
      customer: { customerId: 'cus_PwGlobex001', accountKey: 'globex', email: 'ap@globex-finance.example' },
      events: [
        {
          external_id: 'evt_1POverdue001',
          type: 'invoice_overdue',
          occurred_at: '2024-05-11T10:00:00.000Z',
          amount: 300,
          currency: 'USD',
          due_date: '2024-05-01',
        },
      ],
    });
  });

  it('invoice.paid → invoice_paid, in yen as they are (a zero-decimal currency)', () => {
    expect(mapped('invoice.paid').events).toEqual([
      {
        external_id: 'evt_1PPaidJpy0001',
        type: 'invoice_paid',
        occurred_at: '2024-05-12T08:00:00.000Z',
        amount: 150000,
        currency: 'JPY',
      },
    ]);
  });

  it('invoice.payment_succeeded → payment_succeeded with amount_paid', () => {
    expect(mapped('invoice.payment_succeeded').events).toEqual([
      {
        external_id: 'evt_1PSucceeded01',
        type: 'payment_succeeded',
        occurred_at: '2024-05-12T08:00:01.000Z',
        amount: 1200,
        currency: 'USD',
      },
    ]);
  });

  it('customer.source.expiring → card_expiring on the last day of the expiry month (a leap February)', () => {
    expect(mapped('customer.source.expiring')).toEqual({
      customer: { customerId: 'cus_PwInitech01', accountKey: null, email: null },
      events: [
        {
          external_id: 'evt_1PExpiring001',
          type: 'card_expiring',
          occurred_at: '2024-05-01T00:00:00.000Z',
          card_expires_at: '2028-02-29',
        },
      ],
    });
  });

  it('customer.source.expiring of a legacy card Source, with its owner e-mail', () => {
    const event = fixture('customer.source.expiring');
    const { exp_month, exp_year, customer } = event.data.object;
    event.data.object = {
      id: 'src_1PAcmeSrc001',
      object: 'source',
      customer,
      metadata: {},
      owner: { email: 'ops@initech.example' },
      card: { exp_month: exp_month + 10, exp_year, brand: 'Visa', last4: '4242' },
      type: 'card',
    };
    expect(mapStripeEvent(event)).toMatchObject({
      customer: { customerId: 'cus_PwInitech01', accountKey: null, email: 'ops@initech.example' },
      events: [{ type: 'card_expiring', card_expires_at: '2028-12-31' }],
    });
  });

  it('charge.dispute.created → dispute_opened, linked by the evidence e-mail (no customer on a dispute)', () => {
    expect(mapped('charge.dispute.created')).toEqual({
      customer: { customerId: null, accountKey: null, email: 'ana.souza@acme.example' },
      events: [
        {
          external_id: 'evt_1PDispute0001',
          type: 'dispute_opened',
          occurred_at: '2024-05-10T12:00:00.000Z',
          amount: 450,
          currency: 'EUR',
        },
      ],
    });
  });

  it('customer.subscription.deleted → subscription_canceled with the monthly amount lost', () => {
    // 10 seats × 45.00 a month.
    expect(mapped('customer.subscription.deleted')).toEqual({
      customer: { customerId: 'cus_PwGlobex001', accountKey: 'globex', email: null },
      events: [
        {
          external_id: 'evt_1PCanceled001',
          type: 'subscription_canceled',
          occurred_at: '2024-05-11T12:00:00.000Z',
          amount: 450,
          currency: 'USD',
        },
      ],
      movement: {
        eventId: 'evt_1PCanceled001',
        subscriptionId: 'sub_1PGlobex001',
        at: '2024-05-11T12:00:00.000Z',
        mrr: 0,
        currency: 'USD',
      },
    });
  });

  it('customer.subscription.created → the MRR it starts, with no billing event', () => {
    const created = fixture('customer.subscription.deleted');
    created.type = 'customer.subscription.created';
    expect(mapped(created)).toEqual({
      customer: { customerId: 'cus_PwGlobex001', accountKey: 'globex', email: null },
      events: [],
      movement: {
        eventId: 'evt_1PCanceled001',
        subscriptionId: 'sub_1PGlobex001',
        at: '2024-05-11T12:00:00.000Z',
        mrr: 450,
        currency: 'USD',
      },
    });
  });

  it('every mapped event is a valid body of POST /api/v1/billing-events', () => {
    const names = [
      'invoice.payment_failed',
      'invoice.overdue',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.source.expiring',
      'charge.dispute.created',
      'customer.subscription.deleted',
      'customer.subscription.updated.downgrade',
    ];
    for (const name of names) {
      for (const event of mapped(name).events) {
        expect(billingEventSchema.safeParse({ account: 'acme', ...event }).success, name).toBe(true);
      }
    }
  });
});

describe('mapStripeEvent: downgrades', () => {
  it('fewer seats is a downgrade by the monthly amount lost', () => {
    // 10 → 6 seats at 45.00: 450.00 → 270.00 a month.
    expect(mapped('customer.subscription.updated.downgrade')).toEqual({
      customer: { customerId: 'cus_PwAcme0001', accountKey: 'acme', email: null },
      events: [
        {
          external_id: 'evt_1PDowngrade01',
          type: 'subscription_downgraded',
          occurred_at: '2024-05-11T13:00:00.000Z',
          amount: 180,
          currency: 'USD',
        },
      ],
      movement: {
        eventId: 'evt_1PDowngrade01',
        subscriptionId: 'sub_1PAcme0001',
        at: '2024-05-11T13:00:00.000Z',
        mrr: 270,
        currency: 'USD',
      },
    });
  });

  it('a dearer plan is an upgrade: no billing event, the new MRR', () => {
    expect(mapped('customer.subscription.updated.upgrade')).toMatchObject({ events: [], movement: {} });
  });

  it('an update that leaves the price alone raises nothing and re-states the MRR (cancel at period end waits for the deletion)', () => {
    const event = fixture('customer.subscription.updated.cancel-at-period-end');
    expect(mapped(event).events).toEqual([]);
    expect(mapped(event).movement?.mrr).toBeGreaterThan(0);
  });

  it('compares monthly amounts across billing intervals', () => {
    const yearly = (unitAmount: number) => {
      const event = fixture('customer.subscription.updated.downgrade');
      const item = event.data.object.items.data[0];
      item.quantity = 1;
      item.price.unit_amount = unitAmount;
      item.price.recurring.interval = 'year';
      return mapStripeEvent(event);
    };
    // 450.00 a month before; 4,800.00 a year is 400.00 a month.
    expect(yearly(480_000)).toMatchObject({ events: [{ type: 'subscription_downgraded', amount: 50 }] });
    expect(yearly(480_000)).toMatchObject({ movement: { mrr: 400 } });
    // 5,400.00 a year is the same 450.00 a month.
    expect(yearly(540_000)).toMatchObject({ events: [], movement: { mrr: 450 } });
  });

  it('reads the legacy previous quantity of a single-plan subscription', () => {
    const event = fixture('customer.subscription.updated.downgrade');
    event.data.previous_attributes = { quantity: 10 };
    expect(mapStripeEvent(event)).toMatchObject({
      events: [{ type: 'subscription_downgraded', amount: 180 }],
    });
  });

  it('cannot measure usage-based prices: no downgrade, no MRR, and the reason', () => {
    const event = fixture('customer.subscription.updated.downgrade');
    event.data.object.items.data[0].price.recurring.usage_type = 'metered';
    expect(mapStripeEvent(event)).toMatchObject({
      events: [],
      unmeasured:
        'customer.subscription.updated: usage-based (metered or tiered) prices, no monthly amount to record',
    });
    expect(mapStripeEvent(event)).not.toHaveProperty('movement');
  });

  it('normalises weekly and multi-month intervals to a month', () => {
    const every = (interval: string, count: number) => {
      const event = fixture('customer.subscription.updated.downgrade');
      const item = event.data.object.items.data[0];
      item.quantity = 1;
      item.price.unit_amount = 120_000;
      item.price.recurring.interval = interval;
      item.price.recurring.interval_count = count;
      return mapped(event).movement?.mrr;
    };
    expect(every('month', 3)).toBe(400);
    expect(every('year', 1)).toBe(100);
    // 1,200.00 a week: 365 / 12 / 7 weeks a month.
    expect(every('week', 1)).toBe(5214.29);
  });
});

describe('mapStripeEvent: what Pulse ignores', () => {
  it('ignores an unmapped type, naming it', () => {
    const updated = fixture('invoice.payment_failed');
    updated.type = 'invoice.updated';
    expect(mapStripeEvent(updated)).toEqual({ ignored: 'invoice.updated' });
  });

  it('ignores a mapped type whose object it cannot read, saying why', () => {
    const event = fixture('invoice.payment_failed');
    delete event.data.object.amount_due;
    expect(mapStripeEvent(event)).toEqual({
      ignored:
        'invoice.payment_failed: unexpected object (amount_due: Invalid input: expected number, received undefined)',
    });
  });

  it('prefers the metadata of an expanded customer', () => {
    const event = fixture('invoice.payment_failed');
    event.data.object.customer = {
      id: 'cus_PwAcme0001',
      email: 'ceo@acme.example',
      metadata: { pulse_account: 'acme' },
    };
    expect(mapped('invoice.payment_failed').customer.accountKey).toBeNull();
    expect(mapStripeEvent(event)).toMatchObject({
      customer: { customerId: 'cus_PwAcme0001', accountKey: 'acme', email: 'ceo@acme.example' },
    });
  });
});

describe('amounts and e-mail domains', () => {
  it('converts minor units by the currency', () => {
    expect(majorUnits(1999, 'usd')).toBe(19.99);
    expect(majorUnits(150000, 'jpy')).toBe(150000);
    expect(majorUnits(9900, 'KRW')).toBe(9900);
    expect(majorUnits(5120, 'kwd')).toBe(5.12);
    expect(majorUnits(100, 'brl')).toBe(1);
  });

  it('links by a company domain, never by a free mail provider', () => {
    expect(linkingDomain('Billing@Acme.Example')).toBe('acme.example');
    expect(linkingDomain('someone@gmail.com')).toBeNull();
    expect(linkingDomain('financeiro@uol.com.br')).toBeNull();
    expect(linkingDomain('not-an-email')).toBeNull();
    expect(linkingDomain(null)).toBeNull();
  });
});
