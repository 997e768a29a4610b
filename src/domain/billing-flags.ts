import { DAY } from './time.ts';

/** Billing events as the contract names them, and the red flags they raise (docs/cs-method.md, "Red flags"). */
export const BILLING_EVENT_TYPES = [
  'payment_failed',
  'payment_succeeded',
  'invoice_overdue',
  'invoice_paid',
  'card_expiring',
  'subscription_canceled',
  'subscription_downgraded',
  'dispute_opened',
] as const;
export type BillingEventType = (typeof BILLING_EVENT_TYPES)[number];
export type BillingFlagType = Exclude<BillingEventType, 'payment_succeeded' | 'invoice_paid'>;

export interface BillingEvent {
  externalId: string;
  type: BillingEventType;
  occurredAt: Date;
  amount: string | null;
  currency: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  /** YYYY-MM-DD */
  cardExpiresAt: string | null;
}

export interface BillingFlag extends BillingEvent {
  type: BillingFlagType;
}

/** A card is a red flag once it expires within this many days. */
export const CARD_EXPIRY_WARNING_DAYS = 30;
/** No event closes a dispute or a downgrade, so they count for a fixed time: card networks settle disputes in ~75 days. */
export const DISPUTE_OPEN_DAYS = 75;
export const DOWNGRADE_FLAG_DAYS = 30;

const isPayment = (e: BillingEvent) => e.type === 'payment_succeeded' || e.type === 'invoice_paid';
const endOfDay = (date: string) => new Date(`${date}T23:59:59.999Z`);
/** Whole calendar days (UTC) from today to `date`: a card expiring on the 30th day from today is within 30 days at any hour. */
const daysUntil = (date: string, now: Date) =>
  (Date.parse(`${date}T00:00:00Z`) - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) /
  DAY;

/**
 * The red flags still open at `now`: a failed payment or overdue invoice until a payment clears it,
 * a card expiring within 30 days until a payment after its expiry date proves a new card (a newer
 * card_expiring event replaces an older one), a cancellation until a payment reactivates it, a dispute
 * for 75 days and a downgrade for 30.
 */
export function openBillingFlags(events: BillingEvent[], now: Date): BillingFlag[] {
  const past = events.filter((e) => e.occurredAt <= now).sort((a, b) => +a.occurredAt - +b.occurredAt);
  const paidAfter = (at: Date) => past.some((e) => isPayment(e) && e.occurredAt > at);
  const latestCard = past.filter((e) => e.type === 'card_expiring').at(-1);
  const flags: BillingFlag[] = [];
  for (const e of past) {
    switch (e.type) {
      case 'payment_failed':
      case 'invoice_overdue':
      case 'subscription_canceled':
        if (!paidAfter(e.occurredAt)) flags.push(e as BillingFlag);
        break;
      case 'dispute_opened':
        if (+now - +e.occurredAt < DISPUTE_OPEN_DAYS * DAY) flags.push(e as BillingFlag);
        break;
      case 'subscription_downgraded':
        if (+now - +e.occurredAt < DOWNGRADE_FLAG_DAYS * DAY) flags.push(e as BillingFlag);
        break;
      case 'card_expiring': {
        if (e !== latestCard || !e.cardExpiresAt) break;
        const soon = daysUntil(e.cardExpiresAt, now) <= CARD_EXPIRY_WARNING_DAYS;
        if (soon && !paidAfter(endOfDay(e.cardExpiresAt))) flags.push(e as BillingFlag);
        break;
      }
    }
  }
  return flags;
}
