/** Incidents: the open one of an account that new alerts join, one created when there is none, and their end. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { bigintArray, instant } from '../sql.ts';
import { type AlertRecord, loadAlerts } from './load.ts';

/** New alerts grouped by the incident they joined: `created` when the incident is new (it has no post yet). */
export interface AttachedAlerts {
  incidentId: number;
  created: boolean;
  alertIds: number[];
}

/**
 * Makes each of these new alerts (those not in an incident yet) a cause of its account's open incident in
 * the channel it would be posted to, creating the incident when there is none. An incident whose message
 * is in a channel since shared outside the workspace takes nothing more (its message can no longer be
 * updated there): a new incident opens, whose post goes to the alert channel. The accounts' rows are
 * locked first, so two evaluations of one account (two processes) never open two incidents. Each alert
 * takes its incident's post as its message (`post_outbox_id`), when there is one already.
 */
export async function attachToIncidents(
  tx: Executor,
  alertIds: number[],
  opts: { now: Date; fallbackChannel?: string },
): Promise<AttachedAlerts[]> {
  if (!alertIds.length) return [];
  const fresh = await rows<{ id: number | string; account_id: number; channel: string }>(
    tx,
    sql`select al.id, al.account_id, coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) as channel
      from alerts al join accounts a on a.id = al.account_id
      where al.id = any(${bigintArray(alertIds)}) and al.incident_id is null
      order by al.id
      for update of a`,
  );
  if (!fresh.length) return [];
  const places = [...new Map(fresh.map((r) => [`${r.account_id}\u0000${r.channel}`, r])).values()].map(
    (r) => ({ account_id: r.account_id, channel: r.channel }),
  );
  const incidents = await rows<{
    id: number | string;
    account_id: number;
    channel: string;
    created: boolean;
  }>(
    tx,
    sql`with wanted as (
        select * from jsonb_to_recordset(${JSON.stringify(places)}::jsonb) as w(account_id int, channel text)
      ), found as (
        select distinct on (i.account_id, i.channel) i.id, i.account_id, i.channel from incidents i
        join wanted w on w.account_id = i.account_id and w.channel = i.channel
        left join slack_outbox o on o.id = i.post_outbox_id
        where i.resolved_at is null
          and not exists (select 1 from slack_channels sc where sc.id = o.channel and sc.shared)
        order by i.account_id, i.channel, i.id desc
      ), made as (
        insert into incidents (account_id, channel, created_at)
        select w.account_id, w.channel, ${instant(opts.now)} from wanted w
        where not exists (select 1 from found f where f.account_id = w.account_id and f.channel = w.channel)
        order by w.account_id
        returning id, account_id, channel
      )
      select id, account_id, channel, false as created from found
      union all select id, account_id, channel, true as created from made`,
  );
  const byPlace = new Map(incidents.map((i) => [`${i.account_id}\u0000${i.channel}`, i]));
  const attached = new Map<number, AttachedAlerts>();
  for (const r of fresh) {
    const incident = byPlace.get(`${r.account_id}\u0000${r.channel}`)!;
    const id = Number(incident.id);
    const entry = attached.get(id) ?? { incidentId: id, created: incident.created, alertIds: [] };
    entry.alertIds.push(Number(r.id));
    attached.set(id, entry);
  }
  const links = [...attached.values()].flatMap((a) =>
    a.alertIds.map((alert) => ({ alert, incident: a.incidentId })),
  );
  await rows(
    tx,
    sql`update alerts al set incident_id = l.incident, post_outbox_id = i.post_outbox_id
      from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as l(alert bigint, incident bigint)
      join incidents i on i.id = l.incident
      where al.id = l.alert`,
  );
  return [...attached.values()].sort((a, b) => a.incidentId - b.incidentId);
}

/** Records an incident's post (already enqueued) on the incident and on each of its causes. */
export async function linkIncidentPost(tx: Executor, incidentId: number, outboxId: number): Promise<void> {
  await rows(
    tx,
    sql`with linked as (update incidents set post_outbox_id = ${outboxId} where id = ${incidentId} returning id)
      update alerts set post_outbox_id = ${outboxId} where incident_id in (select id from linked)`,
  );
}

/** Ends the open incidents of these alerts whose causes are all resolved. Returns the incidents ended. */
export async function endFinishedIncidents(tx: Executor, alertIds: number[], now: Date): Promise<number[]> {
  if (!alertIds.length) return [];
  const ended = await rows<{ id: number | string }>(
    tx,
    sql`update incidents i set resolved_at = ${instant(now)}
      where i.resolved_at is null
        and i.id in (select incident_id from alerts where id = any(${bigintArray(alertIds)}))
        and not exists (select 1 from alerts al where al.incident_id = i.id and al.status <> 'resolved')
      returning i.id`,
  );
  return ended.map((r) => Number(r.id));
}

/** An incident as its message shows it: its causes (any order), where it goes and where its post went. */
export interface IncidentRecord {
  id: number;
  channel: string;
  /** Who it was assigned to; null: nobody did, so the account's owner owns it. */
  assigneeSlackId: string | null;
  /** The post's outbox row and its state; null before it was enqueued. */
  post: { outboxId: number; status: string; channel: string | null; ts: string | null } | null;
  causes: AlertRecord[];
}

/** These incidents with all their causes, in id order. */
export async function loadIncidents(executor: Executor, incidentIds: number[]): Promise<IncidentRecord[]> {
  if (!incidentIds.length) return [];
  const found = await rows<{
    id: number | string;
    channel: string;
    assignee_slack_id: string | null;
    outbox_id: number | string | null;
    status: string | null;
    posted_channel: string | null;
    ts: string | null;
    alert_ids: Array<number | string>;
  }>(
    executor,
    sql`select i.id, i.channel, i.assignee_slack_id, o.id as outbox_id, o.status, o.channel as posted_channel, o.ts,
        (select coalesce(json_agg(al.id order by al.id), '[]'::json) from alerts al where al.incident_id = i.id) as alert_ids
      from incidents i left join slack_outbox o on o.id = i.post_outbox_id
      where i.id = any(${bigintArray(incidentIds)})
      order by i.id`,
  );
  const causes = new Map(
    (
      await loadAlerts(
        executor,
        found.flatMap((r) => r.alert_ids.map(Number)),
      )
    ).map((a) => [a.id, a]),
  );
  return found.map((r) => ({
    id: Number(r.id),
    channel: r.channel,
    assigneeSlackId: r.assignee_slack_id,
    post:
      r.outbox_id === null
        ? null
        : { outboxId: Number(r.outbox_id), status: r.status!, channel: r.posted_channel, ts: r.ts },
    causes: r.alert_ids.map((id) => causes.get(Number(id))!),
  }));
}

/** The incidents of these alerts, each once. */
export async function incidentsOf(executor: Executor, alertIds: number[]): Promise<number[]> {
  if (!alertIds.length) return [];
  const found = await rows<{ incident_id: number | string }>(
    executor,
    sql`select distinct incident_id from alerts
      where id = any(${bigintArray(alertIds)}) and incident_id is not null order by incident_id`,
  );
  return found.map((r) => Number(r.incident_id));
}

/**
 * Assigns the incident of this alert to someone, if it is open and not theirs already, and records it
 * for each unresolved cause (`assigned`, to whom). Returns the incident and the first audit row's id,
 * which keys the thread reply; undefined when nothing changed.
 */
export async function assignIncident(
  tx: Executor,
  alertId: number,
  change: { assignee: string; by: string; now: Date },
): Promise<{ incidentId: number; actionId: number } | undefined> {
  const at = instant(change.now);
  const [assigned] = await rows<{ incident_id: number | string; action_id: number | string | null }>(
    tx,
    sql`with target as (
        select i.id from incidents i
        join alerts al on al.incident_id = i.id and al.id = ${alertId}
        join accounts a on a.id = i.account_id
        where i.resolved_at is null and coalesce(i.assignee_slack_id, a.owner_slack_id, '') <> ${change.assignee}
        for update of i
      ), assigned as (
        update incidents i set assignee_slack_id = ${change.assignee} from target where i.id = target.id
        returning i.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select al.id, ${change.by}, 'assigned', jsonb_build_object('to', ${change.assignee}::text), ${at}
        from alerts al join assigned on al.incident_id = assigned.id
        where al.status <> 'resolved'
        order by al.id
        returning id
      )
      select (select id from assigned) as incident_id, (select min(id) from logged) as action_id`,
  );
  if (!assigned || assigned.incident_id === null) return undefined;
  return { incidentId: Number(assigned.incident_id), actionId: Number(assigned.action_id ?? 0) };
}

/** The account's open incidents, oldest first. */
export async function openIncidentsOf(executor: Executor, accountId: number): Promise<number[]> {
  const found = await rows<{ id: number | string }>(
    executor,
    sql`select id from incidents where account_id = ${accountId} and resolved_at is null order by id`,
  );
  return found.map((r) => Number(r.id));
}
