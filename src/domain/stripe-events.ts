import { z } from 'zod';
import type { BillingEventInput } from './ingestion.ts';

/**
 * Stripe events → Pulse billing events, pure. Only the fields Pulse reads are checked, and loosely,
 * because the shape of an event follows the API version of the webhook endpoint that receives it.
 */

/** A billing event as the ingestion API takes it, before its account is known. */
export type StripeBillingEvent = Omit<BillingEventInput, 'account'>;

/** What the event itself says about whose it is: Pulse cannot ask Stripe for the customer. */
export interface StripeCustomerRef {
  /** `cus_…`, when the object names its customer (disputes do not). */
  customerId: string | null;
  /** `metadata.pulse_account` of the customer (when expanded), the object or its subscription. */
  accountKey: string | null;
  /** The customer's e-mail, when the object carries it (invoices, sources, dispute evidence). */
  email: string | null;
}

/**
 * What a verified event means: nothing for Pulse (`ignored`), or whose it is and the billing events it
 * carries, none for an event that only tells who a customer is (`customer.created` / `customer.updated`).
 */
export type StripeMapping =
  | { ignored: string }
  | {
      customer: StripeCustomerRef;
      events: StripeBillingEvent[];
      /** The monthly amount the subscription event sets (0 once deleted), dated when Stripe created the event. */
      movement?: StripeMrrMovement;
      /** Why a subscription event sets no MRR (its prices bill by usage). */
      unmeasured?: string;
    };

/**
 * One subscription's monthly amount from an event, in Stripe's currency, before its account is known:
 * the account's MRR is the sum over its subscriptions.
 */
export interface StripeMrrMovement {
  /** The event that said it: a re-sent event is told from a new one at the same second. */
  eventId: string;
  subscriptionId: string;
  at: string;
  mrr: number;
  currency: string;
}

// https://docs.stripe.com/currencies: amounts are integers in the minor unit, none for these…
const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
// …and three decimals for these, the last of which Stripe requires to be 0.
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));

/** Stripe's integer minor units → the decimal major units of the ingestion API (two decimals at most). */
export function majorUnits(minor: number, currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return minor;
  if (THREE_DECIMAL.has(code)) return Math.round(minor / 10) / 100;
  return minor / 100;
}

const metadata = z.record(z.string(), z.string()).nullish();
const customer = z
  .union([z.string(), z.looseObject({ id: z.string(), email: z.string().nullish(), metadata })])
  .nullish();

const customerObject = z.looseObject({ id: z.string(), email: z.string().nullish(), metadata });

const envelope = z.looseObject({
  id: z.string(),
  type: z.string(),
  created: z.int(),
  data: z.looseObject({ object: z.unknown(), previous_attributes: z.unknown().optional() }),
});

const subscriptionDetails = z.looseObject({ metadata }).nullish();
const invoice = z.looseObject({
  customer,
  customer_email: z.string().nullish(),
  currency: z.string(),
  amount_due: z.int(),
  amount_paid: z.int(),
  amount_remaining: z.int(),
  due_date: z.int().nullish(),
  metadata,
  // `parent.subscription_details` since API version 2025-03-31; `subscription_details` before.
  parent: z.looseObject({ subscription_details: subscriptionDetails }).nullish(),
  subscription_details: subscriptionDetails,
});

const cardExpiry = { exp_month: z.int().min(1).max(12), exp_year: z.int() };
/** A card, or a legacy Source object of type card. */
const expiringSource = z.union([
  z.looseObject({ object: z.literal('card'), customer, metadata, ...cardExpiry }),
  z.looseObject({
    object: z.literal('source'),
    customer,
    metadata,
    owner: z.looseObject({ email: z.string().nullish() }).nullish(),
    card: z.looseObject(cardExpiry),
  }),
]);

const dispute = z.looseObject({
  amount: z.int(),
  currency: z.string(),
  metadata,
  evidence: z.looseObject({ customer_email_address: z.string().nullish() }).nullish(),
});

const recurring = z.looseObject({
  interval: z.enum(['day', 'week', 'month', 'year']),
  interval_count: z.int().min(1),
  usage_type: z.string().nullish(),
});
const subscriptionItem = z.looseObject({
  quantity: z.int().nullish(),
  price: z.looseObject({ unit_amount: z.int().nullish(), recurring: recurring.nullish() }).nullish(),
  plan: z
    .looseObject({
      amount: z.int().nullish(),
      interval: recurring.shape.interval,
      interval_count: z.int().min(1),
      usage_type: z.string().nullish(),
    })
    .nullish(),
});
const subscriptionItems = z.looseObject({ data: z.array(subscriptionItem) });
const subscription = z.looseObject({
  id: z.string(),
  customer,
  currency: z.string(),
  metadata,
  items: subscriptionItems,
});
const subscriptionChange = z.looseObject({
  items: subscriptionItems.optional(),
  quantity: z.int().nullish(),
  plan: subscriptionItem.shape.plan,
});

type Metadata = z.infer<typeof metadata>;
type Customer = z.infer<typeof customer>;
type SubscriptionItem = z.infer<typeof subscriptionItem>;

const isoDate = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().slice(0, 10);

/** The last day of the card's expiry month: the card works until then. */
const lastDayOf = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

function customerRef(owner: Customer, email: string | null | undefined, ...metadatas: Metadata[]) {
  const expanded = typeof owner === 'object' && owner !== null ? owner : undefined;
  const accountKey = [expanded?.metadata, ...metadatas].map((m) => m?.pulse_account).find(Boolean);
  return {
    customerId: (typeof owner === 'string' ? owner : expanded?.id) ?? null,
    accountKey: accountKey ?? null,
    email: expanded?.email ?? email ?? null,
  };
}

const DAYS_PER_MONTH = 365 / 12;
const PER_MONTH = { day: DAYS_PER_MONTH, week: DAYS_PER_MONTH / 7, month: 1, year: 1 / 12 };

/**
 * The recurring amount of subscription items per month, in minor units; undefined when it cannot be
 * told from the event (metered or tiered prices bill by usage).
 */
function monthlyAmount(items: SubscriptionItem[]): number | undefined {
  let total = 0;
  for (const item of items) {
    const price = item.price?.recurring
      ? { amount: item.price.unit_amount, ...item.price.recurring }
      : item.plan && { ...item.plan };
    if (!price || price.amount == null || price.usage_type === 'metered') return undefined;
    total += (price.amount * (item.quantity ?? 1) * PER_MONTH[price.interval]) / price.interval_count;
  }
  return Math.round(total);
}

/** The items before an update: the whole list when it changed, else the legacy single plan/quantity. */
function previousItems(change: z.infer<typeof subscriptionChange>, current: SubscriptionItem[]) {
  if (change.items) return change.items.data;
  if ((change.quantity === undefined && change.plan === undefined) || current.length !== 1) return undefined;
  const [item] = current as [SubscriptionItem];
  return [
    {
      ...item,
      ...(change.quantity !== undefined && { quantity: change.quantity }),
      ...(change.plan !== undefined && { price: null, plan: change.plan }),
    },
  ];
}

type Parsed<T extends z.ZodType> = { ok: true; value: z.infer<T> } | { ok: false; reason: string };
function parse<T extends z.ZodType>(schema: T, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, reason: `${issue.path.join('.') || 'object'}: ${issue.message}` };
}

/**
 * Maps a verified Stripe event to the billing events it means for Pulse, each with the Stripe event ID
 * as `external_id` (a re-sent event is a duplicate) and the event's `created` as `occurred_at`.
 * Anything Pulse does not act on comes back as `{ ignored: reason }`.
 */
export function mapStripeEvent(input: unknown): StripeMapping {
  const envelopeParsed = parse(envelope, input);
  if (!envelopeParsed.ok) return { ignored: `not a Stripe event (${envelopeParsed.reason})` };
  const event = envelopeParsed.value;
  const base = { external_id: event.id, occurred_at: new Date(event.created * 1000).toISOString() };
  const unreadable = (reason: string) => ({ ignored: `${event.type}: unexpected object (${reason})` });
  const money = (minor: number, currency: string) => ({
    amount: majorUnits(minor, currency),
    currency: currency.toUpperCase(),
  });
  const mrrOf = (subscriptionId: string, monthly: number | undefined, currency: string) =>
    monthly === undefined
      ? { unmeasured: `${event.type}: usage-based (metered or tiered) prices, no monthly amount to record` }
      : {
          movement: {
            eventId: event.id,
            subscriptionId,
            at: base.occurred_at,
            mrr: majorUnits(monthly, currency),
            currency: currency.toUpperCase(),
          },
        };

  switch (event.type) {
    case 'customer.created':
    case 'customer.updated': {
      const parsed = parse(customerObject, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      return { customer: customerRef(parsed.value, null), events: [] };
    }
    case 'invoice.payment_failed':
    case 'invoice.overdue':
    case 'invoice.paid':
    case 'invoice.payment_succeeded': {
      const parsed = parse(invoice, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      const inv = parsed.value;
      const ref = customerRef(
        inv.customer,
        inv.customer_email,
        inv.metadata,
        inv.parent?.subscription_details?.metadata,
        inv.subscription_details?.metadata,
      );
      const due_date = inv.due_date == null ? null : isoDate(inv.due_date);
      const billing =
        event.type === 'invoice.payment_failed'
          ? { type: 'payment_failed' as const, ...money(inv.amount_due, inv.currency), due_date }
          : event.type === 'invoice.overdue'
            ? { type: 'invoice_overdue' as const, ...money(inv.amount_remaining, inv.currency), due_date }
            : {
                type:
                  event.type === 'invoice.paid' ? ('invoice_paid' as const) : ('payment_succeeded' as const),
                ...money(inv.amount_paid, inv.currency),
              };
      return { customer: ref, events: [{ ...base, ...billing }] };
    }
    case 'customer.source.expiring': {
      const parsed = parse(expiringSource, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      const source = parsed.value;
      const card = source.object === 'card' ? source : source.card;
      const email = source.object === 'source' ? source.owner?.email : null;
      return {
        customer: customerRef(source.customer, email, source.metadata),
        events: [
          { ...base, type: 'card_expiring', card_expires_at: lastDayOf(card.exp_year, card.exp_month) },
        ],
      };
    }
    case 'charge.dispute.created': {
      const parsed = parse(dispute, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      const d = parsed.value;
      return {
        customer: customerRef(null, d.evidence?.customer_email_address, d.metadata),
        events: [{ ...base, type: 'dispute_opened', ...money(d.amount, d.currency) }],
      };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.deleted': {
      const parsed = parse(subscription, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      const sub = parsed.value;
      const monthly = monthlyAmount(sub.items.data);
      const customer = customerRef(sub.customer, null, sub.metadata);
      if (event.type === 'customer.subscription.created') {
        return { customer, events: [], ...mrrOf(sub.id, monthly, sub.currency) };
      }
      return {
        customer,
        events: [
          {
            ...base,
            type: 'subscription_canceled',
            ...(monthly !== undefined && money(monthly, sub.currency)),
          },
        ],
        movement: {
          eventId: event.id,
          subscriptionId: sub.id,
          at: base.occurred_at,
          mrr: 0,
          currency: sub.currency.toUpperCase(),
        },
      };
    }
    case 'customer.subscription.updated': {
      const parsed = parse(subscription, event.data.object);
      if (!parsed.ok) return unreadable(parsed.reason);
      const sub = parsed.value;
      const customer = customerRef(sub.customer, null, sub.metadata);
      const now = monthlyAmount(sub.items.data);
      const change = parse(subscriptionChange, event.data.previous_attributes ?? {});
      const before = change.ok ? previousItems(change.value, sub.items.data) : undefined;
      const was = before && monthlyAmount(before);
      const downgrade =
        was !== undefined && now !== undefined && now < was
          ? [{ ...base, type: 'subscription_downgraded' as const, ...money(was - now, sub.currency) }]
          : [];
      return { customer, events: downgrade, ...mrrOf(sub.id, now, sub.currency) };
    }
    default:
      return { ignored: event.type };
  }
}

/**
 * Free mail providers: a customer paying with a gmail.com address says nothing about which company it
 * is, and a contact of one account with such an address must not claim every such customer.
 */
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'uol.com.br',
  'bol.com.br',
  'terra.com.br',
  'yahoo.com.br',
  'hotmail.com.br',
]);

/** The e-mail domain that may link a Stripe customer to an account: lower-case, never a free mail provider. */
export function linkingDomain(email: string | null): string | null {
  const domain = email?.trim().toLowerCase().split('@').at(-1);
  return domain && email!.includes('@') && !FREE_MAIL.has(domain) ? domain : null;
}
