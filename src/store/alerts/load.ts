/** Alerts as their message shows them: the alert, its account, its current health and its delivered post. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, AccountHealth, Alert } from '../../db/schema.ts';
import { HEALTH_ALERT_KINDS, type HealthAlertKind } from '../../domain/alert-rules.ts';
import type {
  AlertCause,
  AlertMessageData,
  AlertStatus,
  HealthAlertRecord,
  RedFlagKind,
} from '../../domain/alerts.ts';
import type { BillingFlag } from '../../domain/billing-flags.ts';
import type { StoredText } from '../../domain/stored-text.ts';
import { bigintArray, type Columns, dateOrNull, epochMs } from '../sql.ts';
import type { RedFlagDetail } from './red-flags.ts';

const isHealth = (kind: string): kind is HealthAlertKind =>
  (HEALTH_ALERT_KINDS as readonly string[]).includes(kind);

/** An alert as its message shows it, plus where it goes and where it went. */
export interface AlertRecord extends AlertMessageData {
  accountId: number;
  /** The incident it is a cause of (null only for an alert being raised, not attached yet). */
  incidentId: number | null;
  raisedAt: Date;
  /** The account's own channel, if it has one. */
  accountChannel: string | null;
  /** The posted message, once the outbox delivered it. */
  posted: { channel: string; ts: string } | null;
}

type AlertRow = Columns<Alert, 'accountId' | 'statusBy'> &
  Columns<
    Account,
    'key' | 'name' | 'tier' | 'mrr' | 'currency' | 'ownerSlackId' | 'renewalDate' | 'channelId'
  > & {
    id: number | string;
    incident_id: number | string | null;
    raised_at: number;
    status: AlertStatus;
    kind: 'billing' | HealthAlertKind | RedFlagKind;
    detail: BillingFlagJson | HealthAlertRecord | RedFlagDetail;
    /** Pulse's note as a stored sentence, else the person's words (a JSON string). */
    resolution_note: StoredText | null;
    status_at: number | null;
    snoozed_until: number | null;
    // Health and post are left-joined: absent until computed, and until delivered.
    score: AccountHealth['score'];
    band: AccountHealth['band'];
    data_as_of: number | null;
    posted_channel: string | null;
    posted_ts: string | null;
    stripe_customer_id: string | null;
  };

type BillingFlagJson = Omit<BillingFlag, 'occurredAt'> & { occurredAt: string };

/** An alert's cause from its stored kind and detail. */
export function causeOf(kind: AlertRow['kind'], detail: AlertRow['detail']): AlertCause {
  if (kind === 'billing') {
    const flag = detail as BillingFlagJson;
    return { kind: 'billing', flag: { ...flag, occurredAt: new Date(flag.occurredAt) } };
  }
  if (isHealth(kind)) return { kind: 'health', health: detail as HealthAlertRecord };
  const { headline, facts, link, contact } = detail as RedFlagDetail;
  return {
    kind: 'red_flag',
    redFlag: { kind, headline, facts: facts ?? [], ...(link && { link }), ...(contact && { contact }) },
  };
}

/** These alerts with their account and current health, in id order. */
export async function loadAlerts(executor: Executor, ids: number[]): Promise<AlertRecord[]> {
  if (!ids.length) return [];
  const found = await rows<AlertRow>(
    executor,
    sql`select al.id, al.incident_id, ${epochMs(sql`al.created_at`)} as raised_at, al.account_id, al.status, al.kind, al.detail, al.status_by, ${epochMs(sql`al.status_at`)} as status_at,
        ${epochMs(sql`al.snoozed_until`)} as snoozed_until,
        coalesce(al.resolution_message, to_jsonb(al.resolution_note)) as resolution_note,
        a.key, a.name, a.tier, a.mrr::text as mrr, a.currency, a.owner_slack_id,
        to_char(a.renewal_date, 'YYYY-MM-DD') as renewal_date, a.channel_id,
        h.score, h.band, ${epochMs(sql`h.data_as_of`)} as data_as_of,
        o.channel as posted_channel, o.ts as posted_ts,
        (select s.customer_id from stripe_customers s where s.account_id = a.id
          order by s.updated_at desc, s.customer_id limit 1) as stripe_customer_id
      from alerts al
      join accounts a on a.id = al.account_id
      left join account_health h on h.account_id = al.account_id
      left join slack_outbox o on o.id = al.post_outbox_id and o.status = 'sent'
      where al.id = any(${bigintArray(ids)})
      order by al.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id,
    incidentId: r.incident_id === null ? null : Number(r.incident_id),
    raisedAt: new Date(Number(r.raised_at)),
    status: r.status,
    cause: causeOf(r.kind, r.detail),
    statusBy: r.status_by,
    statusAt: dateOrNull(r.status_at),
    snoozedUntil: dateOrNull(r.snoozed_until),
    resolutionNote: r.resolution_note,
    account: {
      key: r.key,
      name: r.name,
      tier: r.tier,
      mrr: r.mrr,
      currency: r.currency,
      ownerSlackId: r.owner_slack_id,
      renewalDate: r.renewal_date,
      stripeCustomerId: r.stripe_customer_id,
      channelId: r.channel_id,
    },
    score: r.score,
    band: r.band,
    dataAsOf: dateOrNull(r.data_as_of),
    accountChannel: r.channel_id,
    posted: r.posted_channel && r.posted_ts ? { channel: r.posted_channel, ts: r.posted_ts } : null,
  }));
}
