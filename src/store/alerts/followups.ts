/** The time-driven side of alerts: snoozes that ended, and escalation of alerts nobody acted on. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { epochMs, instant, intArray, textArray } from '../sql.ts';
import { isHealthKind, PULSE_ACTOR } from './shared.ts';

/** An alert Pulse reopened because its snooze ended; the snooze's end keys its messages: once per snooze. */
export interface ReopenedAlert {
  id: number;
  snoozedUntil: Date;
}

/**
 * Reopens, as Pulse, the snoozed alerts `which` selects whose snooze has ended, recorded as "renotified"
 * with the snooze's end. Rows another process is reopening are skipped, so each snooze ends once.
 */
export async function reopenSnoozed(tx: Executor, which: SQL, now: Date): Promise<ReopenedAlert[]> {
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

/**
 * Brings back the billing and red-flag alerts whose snooze has ended. Their condition is a fact that
 * holds until someone (or a clearing payment) resolves it, so no rule has to be asked first.
 */
export function reopenEndedSnoozes(tx: Executor, now: Date): Promise<ReopenedAlert[]> {
  return reopenSnoozed(tx, sql`not ${isHealthKind(sql`kind`)}`, now);
}

/** An alert escalated by this run, and whether its incident was escalated (at this step) before. */
export interface EscalatedAlert {
  id: number;
  incidentId: number;
  /** Another cause of its incident was escalated before: the people were told already, once is enough. */
  incidentToldBefore: boolean;
}

const escalatedAlerts = (
  found: Array<{ id: number | string; incident_id: number | string; told: boolean }>,
) =>
  found
    .map((r) => ({ id: Number(r.id), incidentId: Number(r.incident_id), incidentToldBefore: r.told }))
    .sort((a, b) => a.id - b.id);

/**
 * Marks as escalated, in one statement, every alert due for it: still open, nobody ever acted on it,
 * older than its tier's delay, not escalated yet, and its post delivered (the escalation replies in its
 * thread; an alert whose post failed is left alone). Rows another process is escalating are skipped and
 * `escalated_at` is set once, so concurrent runs escalate each alert once.
 */
export async function escalateDueAlerts(
  tx: Executor,
  /** Each tier's delay in hours, as the domain decides it (domain/alerts.ts: escalationDelays). */
  opts: { delays: ReadonlyArray<{ tier: string; hours: number }>; now: Date },
): Promise<EscalatedAlert[]> {
  const at = instant(opts.now);
  const escalated = await rows<{ id: number | string; incident_id: number | string; told: boolean }>(
    tx,
    sql`with due as (
        select al.id, al.incident_id, exists (
            select 1 from alerts x where x.incident_id = al.incident_id and x.escalated_at is not null) as told
        from alerts al
        join accounts a on a.id = al.account_id
        join unnest(${textArray(opts.delays.map((d) => d.tier))}, ${intArray(opts.delays.map((d) => d.hours))})
          as delay(tier, hours) on delay.tier = a.tier
        join slack_outbox o on o.id = al.post_outbox_id and o.status = 'sent' and o.ts is not null
        where al.status = 'open' and al.escalated_at is null
          and al.created_at <= ${at} - make_interval(hours => delay.hours)
          and not exists (select 1 from alert_actions x where x.alert_id = al.id and x.user_id <> ${PULSE_ACTOR})
        order by al.id
        for update of al skip locked
      ), escalated as (
        update alerts al set escalated_at = ${at} from due
        where al.id = due.id and al.escalated_at is null
        returning al.id, due.incident_id, due.told
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'escalated', null, ${at} from escalated
      )
      select id, incident_id, told from escalated`,
  );
  return escalatedAlerts(escalated);
}

/**
 * The second step: marks as escalated to the CS leads every alert the first step escalated at least
 * `hours` ago that is still open with nobody having acted on it, once (an `escalated` audit row to
 * "leads"; rows another process holds are skipped, and the messages' keys keep each step once).
 */
export async function escalateToLeadsDue(
  tx: Executor,
  opts: { hours: number; now: Date },
): Promise<EscalatedAlert[]> {
  const at = instant(opts.now);
  const toLeads = sql`x.action = 'escalated' and x.detail->>'to' = 'leads'`;
  const escalated = await rows<{ id: number | string; incident_id: number | string; told: boolean }>(
    tx,
    sql`with due as (
        select al.id, al.incident_id, exists (
            select 1 from alert_actions x join alerts y on y.id = x.alert_id
            where y.incident_id = al.incident_id and ${toLeads}) as told
        from alerts al
        where al.status = 'open' and al.escalated_at is not null
          and al.escalated_at <= ${at} - make_interval(secs => ${opts.hours * 3600})
          and not exists (select 1 from alert_actions x where x.alert_id = al.id and x.user_id <> ${PULSE_ACTOR})
          and not exists (select 1 from alert_actions x where x.alert_id = al.id and ${toLeads})
        order by al.id
        for update of al skip locked
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'escalated', '{"to":"leads"}'::jsonb, ${at} from due
      )
      select id, incident_id, told from due`,
  );
  return escalatedAlerts(escalated);
}
