import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import { HEALTH_ALERT_KINDS, type HealthAlertKind, type HealthAlertState } from '../domain/alert-rules.ts';
import type { BillingFlag } from '../domain/billing-flags.ts';
import type { Band, ComponentResult } from '../domain/health.ts';
import type {
  AlertCause,
  AlertMessageData,
  AlertStatus,
  HealthAlertRecord,
  RedFlagKind,
  RedFlagRecord,
} from '../slack/blocks/alert.ts';
import { bigintArray, dateOrNull, epochMs, instant, onlyAccounts, textArray } from './sql.ts';

/** Who Pulse is in `alert_actions` and `status_by` when it changes an alert by itself. */
export const PULSE_ACTOR = 'pulse';

/** `<column> = any(health kinds)`: alerts the health rules own (the others are billing and red flags). */
const isHealthKind = (column: SQL) => sql`${column} = any(${textArray(HEALTH_ALERT_KINDS)})`;
const isHealth = (kind: string): kind is HealthAlertKind =>
  (HEALTH_ALERT_KINDS as readonly string[]).includes(kind);

/**
 * One alert per open billing flag of these accounts that has none yet, set-based: a flag's alert is
 * keyed by its event's external id, so the same flag seen again by any later recomputation (or a
 * re-sent event) inserts nothing. Churned accounts, and accounts with no channel to post to, get none.
 * Returns the new alerts' ids.
 */
export async function raiseBillingAlerts(
  tx: Executor,
  opts: { accountIds?: number[]; now: Date; fallbackChannel?: string },
): Promise<number[]> {
  const inserted = await rows<{ id: number | string }>(
    tx,
    sql`insert into alerts (account_id, kind, dedupe_key, detail, created_at)
      select h.account_id, 'billing', 'billing:' || (f.flag->>'externalId'), f.flag, ${instant(opts.now)}
      from account_health h
      join accounts a on a.id = h.account_id
      cross join lateral jsonb_array_elements(h.open_billing_flags) as f(flag)
      where a.status = 'active' and coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) is not null
        ${onlyAccounts(sql`h.account_id`, opts.accountIds)}
      order by h.account_id, f.flag->>'occurredAt'
      on conflict (dedupe_key) do nothing
      returning id`,
  );
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Resolves, as Pulse, the unresolved billing alerts of these accounts whose flag is no longer open
 * (a later payment cleared it), and records it in `alert_actions`. Returns their ids.
 */
export async function resolveClearedBillingAlerts(
  tx: Executor,
  opts: { accountIds?: number[]; now: Date },
): Promise<number[]> {
  const now = instant(opts.now);
  const resolved = await rows<{ id: number | string }>(
    tx,
    sql`with cleared as (
        update alerts al set status = 'resolved', status_by = ${PULSE_ACTOR}, status_at = ${now},
          snoozed_until = null, resolution_note = 'The billing flag was cleared by a later payment.'
        from account_health h
        where h.account_id = al.account_id and al.kind = 'billing' and al.status <> 'resolved'
          ${onlyAccounts(sql`al.account_id`, opts.accountIds)}
          and not exists (
            select 1 from jsonb_array_elements(h.open_billing_flags) as f(flag)
            where 'billing:' || (f.flag->>'externalId') = al.dedupe_key)
        returning al.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'resolved', '{"reason":"flag_cleared"}'::jsonb, ${now} from cleared
      )
      select id from cleared`,
  );
  return resolved.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Resolves, as Pulse, the unresolved alerts of one kind for these accounts whose condition no longer
 * holds (`stillHolds` false for their row `al`), and records why in `alert_actions`. Returns their ids.
 */
export async function resolveAlertsAsPulse(
  tx: Executor,
  opts: { kind: string; accountIds?: number[]; now: Date; note: string; reason: string; stillHolds?: SQL },
): Promise<number[]> {
  const now = instant(opts.now);
  const resolved = await rows<{ id: number | string }>(
    tx,
    sql`with ended as (
        update alerts al set status = 'resolved', status_by = ${PULSE_ACTOR}, status_at = ${now},
          snoozed_until = null, resolution_note = ${opts.note}
        where al.kind = ${opts.kind} and al.status <> 'resolved'
          ${onlyAccounts(sql`al.account_id`, opts.accountIds)}
          ${opts.stillHolds ? sql`and not (${opts.stillHolds})` : sql.empty()}
        returning al.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'resolved', ${JSON.stringify({ reason: opts.reason })}::jsonb, ${now} from ended
      )
      select id from ended`,
  );
  return resolved.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** An alert as its message shows it, plus where it goes and where it went. */
export interface AlertRecord extends AlertMessageData {
  accountId: number;
  /** The account's own channel, if it has one. */
  accountChannel: string | null;
  /** The posted message, once the outbox delivered it. */
  posted: { channel: string; ts: string } | null;
}

interface AlertRow {
  id: number | string;
  account_id: number;
  status: AlertStatus;
  kind: 'billing' | HealthAlertKind | RedFlagKind;
  detail: BillingFlagJson | HealthAlertRecord | RedFlagDetail;
  status_by: string | null;
  status_at: number | null;
  snoozed_until: number | null;
  resolution_note: string | null;
  key: string;
  name: string;
  tier: string;
  mrr: string | null;
  currency: string;
  owner_slack_id: string | null;
  renewal_date: string | null;
  channel_id: string | null;
  score: number | null;
  band: Band | null;
  data_as_of: number | null;
  posted_channel: string | null;
  posted_ts: string | null;
}

type BillingFlagJson = Omit<BillingFlag, 'occurredAt'> & { occurredAt: string };
/** A red flag's `alerts.detail`: its kind is the row's; `revision` counts the changes since it was raised. */
type RedFlagDetail = Omit<RedFlagRecord, 'kind'> & { revision?: number };

function causeOf(kind: AlertRow['kind'], detail: AlertRow['detail']): AlertCause {
  if (kind === 'billing') {
    const flag = detail as BillingFlagJson;
    return { kind: 'billing', flag: { ...flag, occurredAt: new Date(flag.occurredAt) } };
  }
  if (isHealth(kind)) return { kind: 'health', health: detail as HealthAlertRecord };
  const { headline, facts } = detail as RedFlagDetail;
  return { kind: 'red_flag', redFlag: { kind, headline, facts: facts ?? [] } };
}

/** These alerts with their account and current health, in id order. */
export async function loadAlerts(executor: Executor, ids: number[]): Promise<AlertRecord[]> {
  if (!ids.length) return [];
  const found = await rows<AlertRow>(
    executor,
    sql`select al.id, al.account_id, al.status, al.kind, al.detail, al.status_by, ${epochMs(sql`al.status_at`)} as status_at,
        ${epochMs(sql`al.snoozed_until`)} as snoozed_until, al.resolution_note,
        a.key, a.name, a.tier, a.mrr::text as mrr, a.currency, a.owner_slack_id,
        to_char(a.renewal_date, 'YYYY-MM-DD') as renewal_date, a.channel_id,
        h.score, h.band, ${epochMs(sql`h.data_as_of`)} as data_as_of,
        o.channel as posted_channel, o.ts as posted_ts
      from alerts al
      join accounts a on a.id = al.account_id
      left join account_health h on h.account_id = al.account_id
      left join slack_outbox o on o.dedupe_key = 'alert:' || al.id || ':post' and o.status = 'sent'
      where al.id = any(${bigintArray(ids)})
      order by al.id`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id,
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
    },
    score: r.score,
    band: r.band,
    dataAsOf: dateOrNull(r.data_as_of),
    accountChannel: r.channel_id,
    posted: r.posted_channel && r.posted_ts ? { channel: r.posted_channel, ts: r.posted_ts } : null,
  }));
}

export type AlertAction =
  | { action: 'acknowledged' }
  | { action: 'snoozed'; until: Date }
  | { action: 'resolved'; note: string };

/**
 * A person's click: changes the alert and records who did what, in one statement. A resolved alert no
 * longer changes; returns false then (or when there is no such alert).
 */
export async function applyAlertAction(
  executor: Executor,
  alertId: number,
  change: AlertAction & { userId: string; now: Date },
): Promise<boolean> {
  const now = instant(change.now);
  const until = change.action === 'snoozed' ? change.until.toISOString() : null;
  const note = change.action === 'resolved' ? change.note : null;
  const detail = change.action === 'snoozed' ? { until } : change.action === 'resolved' ? { note } : null;
  const [result] = await rows<{ changed: number }>(
    executor,
    sql`with changed as (
        update alerts set status = ${change.action}, status_by = ${change.userId}, status_at = ${now},
          snoozed_until = ${until}::timestamptz, resolution_note = ${note}
        where id = ${alertId} and status <> 'resolved'
        returning id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${change.userId}, ${change.action}, ${detail && JSON.stringify(detail)}::jsonb, ${now}
        from changed
      )
      select count(*)::int as changed from changed`,
  );
  return result!.changed === 1;
}

/** The state of one account that the health rules read after a recomputation. */
export interface HealthAlertSubject {
  accountId: number;
  status: 'active' | 'churned';
  renewalDate: string | null;
  /** Whether its alerts have a channel to go to (its own, or the fallback). */
  postable: boolean;
  score: number | null;
  components: ComponentResult[];
  alerts: HealthAlertState[];
}

interface SubjectRow {
  account_id: number;
  status: 'active' | 'churned';
  renewal_date: string | null;
  postable: boolean;
  score: number | null;
  components: ComponentResult[] | null;
  alerts: Array<{
    kind: HealthAlertKind;
    dedupe_key: string;
    opened_at: number;
    status: AlertStatus;
    snoozed_until: number | null;
    cleared_at: number | null;
  }>;
}

/**
 * These accounts (undefined = all) with their current health and the latest health alert of each kind,
 * in one query.
 */
export async function loadHealthAlertSubjects(
  executor: Executor,
  opts: { accountIds?: number[]; fallbackChannel?: string },
): Promise<HealthAlertSubject[]> {
  const found = await rows<SubjectRow>(
    executor,
    sql`with latest as (
        select distinct on (al.account_id, al.kind) al.account_id, al.kind, al.dedupe_key,
          ${epochMs(sql`al.created_at`)} as opened_at, al.status,
          ${epochMs(sql`al.snoozed_until`)} as snoozed_until, ${epochMs(sql`al.cleared_at`)} as cleared_at
        from alerts al
        where ${isHealthKind(sql`al.kind`)} ${onlyAccounts(sql`al.account_id`, opts.accountIds)}
        order by al.account_id, al.kind, al.created_at desc, al.id desc
      ), grouped as (
        select account_id, json_agg(json_build_object('kind', kind, 'dedupe_key', dedupe_key,
          'opened_at', opened_at, 'status', status, 'snoozed_until', snoozed_until,
          'cleared_at', cleared_at)) as alerts
        from latest group by account_id
      )
      select a.id as account_id, a.status, to_char(a.renewal_date, 'YYYY-MM-DD') as renewal_date,
        coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) is not null as postable,
        h.score, h.components, coalesce(g.alerts, '[]'::json) as alerts
      from accounts a
      left join account_health h on h.account_id = a.id
      left join grouped g on g.account_id = a.id
      where true ${onlyAccounts(sql`a.id`, opts.accountIds)}
      order by a.id`,
  );
  return found.map((r) => ({
    accountId: r.account_id,
    status: r.status,
    renewalDate: r.renewal_date,
    postable: r.postable,
    score: r.score,
    components: r.components ?? [],
    alerts: r.alerts.map((a) => ({
      kind: a.kind,
      dedupeKey: a.dedupe_key,
      openedAt: new Date(Number(a.opened_at)),
      status: a.status,
      snoozedUntil: dateOrNull(a.snoozed_until),
      clearedAt: dateOrNull(a.cleared_at),
    })),
  }));
}

/** A health alert to insert: the rules' decision, as stored. */
export interface NewHealthAlert {
  accountId: number;
  kind: HealthAlertKind;
  dedupeKey: string;
  detail: HealthAlertRecord;
}

/** Inserts these alerts in one statement; a dedupe key already taken inserts nothing. Returns the new ids. */
export async function insertHealthAlerts(
  tx: Executor,
  alerts: NewHealthAlert[],
  now: Date,
): Promise<number[]> {
  if (!alerts.length) return [];
  const input = alerts.map((a) => ({
    account_id: a.accountId,
    kind: a.kind,
    dedupe_key: a.dedupeKey,
    detail: a.detail,
  }));
  const inserted = await rows<{ id: number | string }>(
    tx,
    sql`insert into alerts (account_id, kind, dedupe_key, detail, created_at)
      select account_id, kind, dedupe_key, detail, ${instant(now)}
      from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(account_id int, kind text, dedupe_key text, detail jsonb)
      order by account_id, dedupe_key
      on conflict (dedupe_key) do nothing
      returning id`,
  );
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** A red flag's alert to insert, as stored. */
export interface NewRedFlagAlert {
  accountId: number;
  kind: RedFlagKind;
  dedupeKey: string;
  headline: string;
  facts: Array<{ label: string; value: string }>;
}

/**
 * Inserts a red flag's alert unless its condition already has one (dedupe key taken), its account is
 * churned or unknown, or the account has no channel to post to (its own, or the fallback), like billing
 * alerts. Returns the new alert's id.
 */
export async function insertRedFlagAlert(
  tx: Executor,
  alert: NewRedFlagAlert,
  opts: { now: Date; fallbackChannel?: string },
): Promise<number | undefined> {
  const detail: RedFlagDetail = { headline: alert.headline, facts: alert.facts };
  const [inserted] = await rows<{ id: number | string }>(
    tx,
    sql`insert into alerts (account_id, kind, dedupe_key, detail, created_at)
      select a.id, ${alert.kind}, ${alert.dedupeKey}, ${JSON.stringify(detail)}::jsonb, ${instant(opts.now)}
      from accounts a
      where a.id = ${alert.accountId} and a.status = 'active'
        and coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) is not null
      on conflict (dedupe_key) do nothing
      returning id`,
  );
  return inserted && Number(inserted.id);
}

/**
 * Changes the headline and/or facts of a red flag's alert, counting the revision (its message updates
 * are keyed by it). A change that changes nothing is no revision. Returns the alert's id and revision.
 */
export async function reviseRedFlagAlert(
  tx: Executor,
  dedupeKey: string,
  change: { headline?: string; facts?: Array<{ label: string; value: string }> },
): Promise<{ id: number; revision: number } | undefined> {
  const patch = JSON.stringify({
    ...(change.headline !== undefined && { headline: change.headline }),
    ...(change.facts !== undefined && { facts: change.facts }),
  });
  const [revised] = await rows<{ id: number | string; revision: number }>(
    tx,
    sql`update alerts set detail = detail || ${patch}::jsonb
        || jsonb_build_object('revision', coalesce((detail->>'revision')::int, 0) + 1)
      where dedupe_key = ${dedupeKey} and kind <> 'billing' and not ${isHealthKind(sql`kind`)}
        and (detail || ${patch}::jsonb) <> detail
      returning id, (detail->>'revision')::int as revision`,
  );
  return revised && { id: Number(revised.id), revision: revised.revision };
}

const keyArray = (keys: string[]) => sql`${JSON.stringify(keys)}::jsonb`;

/**
 * Ends these health episodes: sets `cleared_at`, and resolves as Pulse (with an audit row) the alerts
 * nobody resolved. Returns the ids Pulse resolved.
 */
export async function clearHealthAlerts(tx: Executor, dedupeKeys: string[], now: Date): Promise<number[]> {
  if (!dedupeKeys.length) return [];
  const at = instant(now);
  const resolved = await rows<{ id: number | string }>(
    tx,
    sql`with cleared as (
        update alerts al set cleared_at = ${at},
          status = 'resolved',
          status_by = case when al.status = 'resolved' then al.status_by else ${PULSE_ACTOR} end,
          status_at = case when al.status = 'resolved' then al.status_at else ${at} end,
          snoozed_until = null,
          resolution_note = case when al.status = 'resolved' then al.resolution_note
            else 'The condition no longer holds.' end
        from (select al2.id, al2.status as was from alerts al2
          where al2.dedupe_key in (select jsonb_array_elements_text(${keyArray(dedupeKeys)}))
            and al2.cleared_at is null
          for update) old
        where al.id = old.id
        returning al.id, old.was
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'resolved', '{"reason":"condition_cleared"}'::jsonb, ${at}
        from cleared where was <> 'resolved'
      )
      select id from cleared where was <> 'resolved'`,
  );
  return resolved.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** An alert Pulse reopened because its snooze ended; the snooze's end keys its messages: once per snooze. */
export interface ReopenedAlert {
  id: number;
  snoozedUntil: Date;
}

/**
 * Reopens, as Pulse, the snoozed alerts `which` selects whose snooze has ended, recorded as "renotified"
 * with the snooze's end. Rows another process is reopening are skipped, so each snooze ends once.
 */
async function reopenSnoozed(tx: Executor, which: SQL, now: Date): Promise<ReopenedAlert[]> {
  const at = instant(now);
  const reopened = await rows<{ id: number | string; snoozed_until: number }>(
    tx,
    sql`with ended as (
        select id, snoozed_until from alerts
        where status = 'snoozed' and snoozed_until <= ${at} and ${which}
        order by id
        for update skip locked
      ), reopened as (
        update alerts al set status = 'open', status_by = ${PULSE_ACTOR}, status_at = ${at}, snoozed_until = null
        from ended where al.id = ended.id and al.status = 'snoozed'
        returning al.id, ended.snoozed_until
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'renotified', jsonb_build_object('snoozedUntil', snoozed_until), ${at}
        from reopened
      )
      select id, ${epochMs(sql`snoozed_until`)} as snoozed_until from reopened order by id`,
  );
  return reopened.map((r) => ({ id: Number(r.id), snoozedUntil: new Date(Number(r.snoozed_until)) }));
}

/** Brings back these health alerts (the rules say their condition still holds) if their snooze has ended. */
export function renotifyHealthAlerts(
  tx: Executor,
  dedupeKeys: string[],
  now: Date,
): Promise<ReopenedAlert[]> {
  if (!dedupeKeys.length) return Promise.resolve([]);
  return reopenSnoozed(
    tx,
    sql`dedupe_key in (select jsonb_array_elements_text(${keyArray(dedupeKeys)})) and cleared_at is null`,
    now,
  );
}

/**
 * Brings back the billing and red-flag alerts whose snooze has ended. Their condition is a fact that
 * holds until someone (or a clearing payment) resolves it, so no rule has to be asked first.
 */
export function reopenEndedSnoozes(tx: Executor, now: Date): Promise<ReopenedAlert[]> {
  return reopenSnoozed(tx, sql`not ${isHealthKind(sql`kind`)}`, now);
}

/** How long an alert may stay open with nobody acting before Pulse escalates it, by account tier. */
export interface EscalationPolicy {
  urgentTiers: string[];
  urgentHours: number;
  otherHours: number;
}

/**
 * Marks as escalated, in one statement, every alert due for it: still open, nobody ever acted on it,
 * older than its tier's delay, not escalated yet, and its post delivered (the escalation replies in its
 * thread; an alert whose post failed is left alone). Rows another process is escalating are skipped and
 * `escalated_at` is set once, so concurrent runs escalate each alert once. Returns their ids.
 */
export async function escalateDueAlerts(
  tx: Executor,
  opts: EscalationPolicy & { now: Date },
): Promise<number[]> {
  const at = instant(opts.now);
  const escalated = await rows<{ id: number | string }>(
    tx,
    sql`with due as (
        select al.id from alerts al
        join accounts a on a.id = al.account_id
        join slack_outbox o on o.dedupe_key = 'alert:' || al.id || ':post' and o.status = 'sent' and o.ts is not null
        where al.status = 'open' and al.escalated_at is null
          and al.created_at <= ${at} - make_interval(hours => case
            when a.tier = any(${textArray(opts.urgentTiers)}) then ${opts.urgentHours}::int
            else ${opts.otherHours}::int end)
          and not exists (select 1 from alert_actions x where x.alert_id = al.id and x.user_id <> ${PULSE_ACTOR})
        order by al.id
        for update of al skip locked
      ), escalated as (
        update alerts al set escalated_at = ${at} from due
        where al.id = due.id and al.escalated_at is null
        returning al.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'escalated', null, ${at} from escalated
      )
      select id from escalated`,
  );
  return escalated.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Accounts with a snoozed health alert whose snooze has ended since their last recomputation: only the
 * health rules know whether its condition still holds, so these accounts are recomputed (and the
 * evaluation re-notifies). Once recomputed after the snooze's end, an account is not returned again.
 */
export async function accountsWithEndedHealthSnoozes(executor: Executor, now: Date): Promise<number[]> {
  const found = await rows<{ account_id: number }>(
    executor,
    sql`select distinct al.account_id from alerts al
      left join account_health h on h.account_id = al.account_id
      where ${isHealthKind(sql`al.kind`)} and al.status = 'snoozed' and al.cleared_at is null
        and al.snoozed_until <= ${instant(now)}
        and (h.computed_at is null or h.computed_at < al.snoozed_until)
      order by al.account_id`,
  );
  return found.map((r) => r.account_id);
}

/** An alert whose first post the outbox gave up on, with Slack's reason and the channel it was for. */
export interface UndeliveredAlert {
  alert: AlertRecord;
  error: string;
  channel: string | null;
}

/**
 * `from … where …` of an account's unresolved alerts whose post failed for good (alias `al` for the
 * alert, `o` for its outbox row): the health card asks whether there are any, in its own query.
 */
export const undeliveredAlertsOf = (accountId: SQL) => sql`from alerts al
  join slack_outbox o on o.dedupe_key = 'alert:' || al.id || ':post' and o.status = 'failed'
  where al.account_id = ${accountId} and al.status <> 'resolved'`;

/**
 * This account's alerts that never reached Slack (their post's outbox row failed), oldest first. Alerts
 * Pulse has since resolved are left out: their condition is over, so nobody has to act on them.
 */
export async function undeliveredAlerts(executor: Executor, accountId: number): Promise<UndeliveredAlert[]> {
  const failed = await rows<{ id: number | string; last_error: string | null; channel: string | null }>(
    executor,
    sql`select al.id, o.last_error, o.payload->>'channel' as channel
      ${undeliveredAlertsOf(sql`${accountId}`)}
      order by al.id`,
  );
  const alerts = new Map(
    (
      await loadAlerts(
        executor,
        failed.map((r) => Number(r.id)),
      )
    ).map((a) => [a.id, a]),
  );
  return failed.map((r) => ({
    alert: alerts.get(Number(r.id))!,
    error: r.last_error ?? 'unknown error',
    channel: r.channel,
  }));
}
