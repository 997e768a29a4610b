/** Health alerts: what the health rules read after a recomputation, and the opens, clears and renotifies. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, AccountHealth, Alert } from '../../db/schema.ts';
import type { HealthAlertKind, HealthAlertState } from '../../domain/alert-rules.ts';
import type { AlertStatus, HealthAlertRecord } from '../../domain/alerts.ts';
import { type Columns, dateOrNull, epochMs, instant, onlyAccounts } from '../sql.ts';
import { type ReopenedAlert, reopenSnoozed } from './followups.ts';
import { isHealthKind, PULSE_ACTOR } from './shared.ts';

/** The state of one account that the health rules read after a recomputation. */
export interface HealthAlertSubject {
  accountId: Account['id'];
  status: Account['status'];
  renewalDate: Account['renewalDate'];
  /** Whether its alerts have a channel to go to (its own, or the fallback). */
  postable: boolean;
  score: AccountHealth['score'];
  /** The band and segment the recomputation decided: the rules read them, never a band of their own. */
  band: AccountHealth['band'];
  segment: AccountHealth['segment'];
  components: AccountHealth['components'];
  alerts: HealthAlertState[];
}

type SubjectRow = Columns<Account, 'status' | 'renewalDate'> & {
  account_id: Account['id'];
  postable: boolean;
  // Left-joined: an account never computed has no health yet.
  score: AccountHealth['score'];
  band: AccountHealth['band'];
  segment: AccountHealth['segment'];
  components: AccountHealth['components'] | null;
  alerts: Array<
    Columns<Alert, 'dedupeKey'> & {
      kind: HealthAlertKind;
      opened_at: number;
      status: AlertStatus;
      snoozed_until: number | null;
      cleared_at: number | null;
    }
  >;
};

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
        h.score, h.band, h.segment, h.components, coalesce(g.alerts, '[]'::json) as alerts
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
    band: r.band,
    segment: r.segment,
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
