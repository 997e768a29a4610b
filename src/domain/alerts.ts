import { TIERS } from './accounts.ts';
import type { ComponentChange, HealthAlertDetail } from './alert-rules.ts';
import type { BillingFlag } from './billing-flags.ts';
import type { Band } from './health.ts';
import type { StoredText } from './stored-text.ts';

type Tier = (typeof TIERS)[number];

/** An alert's life: open, then acknowledged, snoozed (and back to open) or resolved. */
export type AlertStatus = 'open' | 'acknowledged' | 'snoozed' | 'resolved';

/** A health alert as stored in `alerts.detail`: the rules' detail, the band then, and what moved. */
export type HealthAlertRecord = HealthAlertDetail & { band: Band; changes: ComponentChange[] };

/** Red flags that other capabilities detect (surveys, success milestones, success reviews, support tickets). */
export type RedFlagKind = 'detractor' | 'low_csat' | 'no_first_value' | 'review_overdue' | 'urgent_ticket';

/** A red flag raised by another capability (surveys, milestones, reviews), as stored in `alerts.detail`. */
export interface RedFlagRecord {
  kind: RedFlagKind;
  /** What happened, in one line, written by the capability that raised it; rendered in the reader's language. */
  headline: StoredText;
  facts: RedFlagFact[];
  /** Where the condition lives at its source (the Zendesk ticket), shown as a link button. */
  link?: { text: StoredText; url: string };
  /** The customer contact it is about (a detractor): the alert offers to reply to them. */
  contact?: RedFlagContact;
}

/** One fact shown on a red flag's alert, e.g. "*Comment*: …": a person's words stay as typed. */
export interface RedFlagFact {
  label: StoredText;
  value: StoredText;
}

/** A red flag's contact: their name, and their Slack user when they are in Slack (a DM opens with them). */
export interface RedFlagContact {
  name: string;
  slackUserId: string | null;
}

/** What raised the alert: a billing red flag, a health rule, or another red flag. */
export type AlertCause =
  | { kind: 'billing'; flag: BillingFlag }
  | { kind: 'health'; health: HealthAlertRecord }
  | { kind: 'red_flag'; redFlag: RedFlagRecord };

/** An alert as its Slack message shows it: the alert, its account and the account's health. */
export interface AlertMessageData {
  id: number;
  status: AlertStatus;
  cause: AlertCause;
  /** Who made the latest status change ("pulse" for Pulse itself), and when. */
  statusBy: string | null;
  statusAt: Date | null;
  snoozedUntil: Date | null;
  /** What was done: a person's own words as typed, or Pulse's note as a stored sentence. */
  resolutionNote: StoredText | null;
  account: AlertAccount;
  score: number | null;
  band: Band | null;
  dataAsOf: Date | null;
  /** Who owns the incident: whoever it was assigned to, else the account's owner (null: nobody). */
  assigneeSlackId?: string | null;
  /** The incident's other causes, most severe first, each a line under the headline (src/domain/incidents.ts). */
  otherCauses?: Array<{ cause: AlertCause; status: AlertStatus }>;
}

/** What an alert (and the health card) says of the account. */
export interface AlertAccount {
  key: string;
  name: string;
  tier: string;
  mrr: string | null;
  currency: string;
  ownerSlackId: string | null;
  renewalDate: string | null;
  /** Its Stripe customer, when one is linked (the latest linked): the alert links to it. */
  stripeCustomerId?: string | null;
  /** Its own channel (possibly shared with the customer): where a reply goes when the contact has no Slack user. */
  channelId?: string | null;
}

/**
 * How long an alert may stay open with nobody acting before Pulse escalates it, by account tier: the
 * method's delays are 4 h for high-touch and exclusive accounts and 24 h for the others
 * (ESCALATE_AFTER_HOURS="urgent,other" changes the hours, not which tiers are urgent).
 */
export interface EscalationPolicy {
  urgentTiers: readonly Tier[];
  urgentHours: number;
  otherHours: number;
}

export const DEFAULT_ESCALATION = {
  urgentTiers: ['high_touch', 'exclusive'],
  urgentHours: 4,
  otherHours: 24,
} as const satisfies EscalationPolicy;

/** The escalation delay of an account's alerts, in hours: the one place the rule is decided. */
export function escalationDelayHours(tier: string, policy: EscalationPolicy = DEFAULT_ESCALATION): number {
  return (policy.urgentTiers as readonly string[]).includes(tier) ? policy.urgentHours : policy.otherHours;
}

/** The delay of every tier, for the store's query: it applies the rule, it does not restate it. */
export function escalationDelays(
  policy: EscalationPolicy = DEFAULT_ESCALATION,
): Array<{ tier: Tier; hours: number }> {
  return TIERS.map((tier) => ({ tier, hours: escalationDelayHours(tier, policy) }));
}
