import type { ACCOUNT_STATUSES, LOCALES, STAGES, TIERS } from './accounts.ts';
import type { BillingEventType } from './billing-flags.ts';

/**
 * The items of the ingestion contract (HTTP API and CSV import), as the store receives them once
 * validated. The zod schemas that validate them stay in api/schemas.ts, which checks that each schema
 * infers exactly these types. An absent field keeps its stored value; `null` clears one whose column
 * may be empty. Dates (`YYYY-MM-DD`) and instants (ISO 8601 with an offset) are kept as written.
 */

export const CONTACT_ROLES = ['champion', 'decision_maker', 'user'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export interface AccountUpsert {
  key: string;
  name: string;
  tier?: (typeof TIERS)[number] | undefined;
  stage?: (typeof STAGES)[number] | undefined;
  mrr?: number | null | undefined;
  currency?: string | undefined;
  seats?: number | null | undefined;
  owner_slack_id?: string | null | undefined;
  channel_id?: string | null | undefined;
  locale?: (typeof LOCALES)[number] | undefined;
  timezone?: string | null | undefined;
  contract_start?: string | null | undefined;
  renewal_date?: string | null | undefined;
  status?: (typeof ACCOUNT_STATUSES)[number] | undefined;
}

export interface ContactUpsert {
  account: string;
  email: string;
  name?: string | null | undefined;
  slack_user_id?: string | null | undefined;
  role: ContactRole;
}

export interface MetricPoint {
  account: string;
  metric: string;
  value: number;
  at: string;
}

/** Billing events are only inserted, so `null` and absent mean the same: not known. */
export interface BillingEventInput {
  account: string;
  external_id: string;
  type: BillingEventType;
  occurred_at: string;
  amount?: number | null | undefined;
  currency?: string | null | undefined;
  due_date?: string | null | undefined;
  card_expires_at?: string | null | undefined;
}

export interface MilestoneInput {
  account: string;
  title: string;
  planned_for?: string | null | undefined;
  reached_at?: string | null | undefined;
}
