import type { z } from 'zod';
import type { billingEventSchema } from '../../src/domain/ingestion.ts';

export interface BillingPlan {
  account: string;
  type: z.input<typeof billingEventSchema>['type'];
  daysAgo: number;
  /** The amount in the account's currency; the account's MRR when omitted. */
  amount?: number;
  dueDaysAgo?: number;
  cardExpiresInDays?: number;
}

/** The demo's billing history: each event `daysAgo` days before `now`, in the account's currency. */
export const BILLING_PLANS: BillingPlan[] = [
  { account: 'acme', type: 'invoice_paid', daysAgo: 36 },
  { account: 'acme', type: 'payment_failed', daysAgo: 6 },
  { account: 'globex', type: 'invoice_paid', daysAgo: 5 },
  { account: 'oscorp', type: 'invoice_overdue', daysAgo: 9, dueDaysAgo: 16 },
  { account: 'wayne', type: 'card_expiring', daysAgo: 2, cardExpiresInDays: 14 },
  { account: 'soylent', type: 'subscription_downgraded', daysAgo: 10 },
  { account: 'dunder', type: 'payment_failed', daysAgo: 20 },
  { account: 'dunder', type: 'payment_succeeded', daysAgo: 17 },
  { account: 'virtucon', type: 'dispute_opened', daysAgo: 12 },
  { account: 'capivara', type: 'payment_succeeded', daysAgo: 3 },
  { account: 'sterling', type: 'subscription_canceled', daysAgo: 35, amount: 0 },
];
