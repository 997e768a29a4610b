import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { HomeAccount, HomeData, HomeMilestone, HomeReview } from '../domain/home.ts';
import { incidentView } from '../domain/incidents.ts';
import { DAY, utcDay } from '../domain/time.ts';
import { loadIncidents } from './alerts/incidents.ts';
import { bandRank } from './health.ts';
import { instant, isoOf, jsonRows } from './sql.ts';

/**
 * The App Home of one user in one query: their active accounts (all of them for a lead) worst first —
 * red, then no data, then yellow and green, lowest score first — with the 7-day change and open alerts
 * of the ones shown, their open incidents (one with a billing cause first, then the newest) with who
 * owns each, next reviews and overdue milestones.
 */
export async function loadHome(
  db: Executor,
  opts: {
    userId: string;
    lead: boolean;
    now: Date;
    zone: string;
    top: number;
    /** Accounts skipped before the `top` listed: the page. */
    offset?: number;
    listTop: number;
  },
): Promise<HomeData> {
  const now = instant(opts.now);
  const weekAgo = utcDay(new Date(+opts.now - 7 * DAY));
  const today = sql`(${now} at time zone ${opts.zone})::date`;
  const [found] = await rows<{
    total: number;
    counts: Record<string, number>;
    accounts: HomeAccount[];
    incidents_total: number;
    incident_ids: Array<number | string>;
    reviews_total: number;
    reviews: HomeReview[];
    milestones_total: number;
    milestones: HomeMilestone[];
  }>(
    db,
    sql`with mine as materialized (
        select a.id, a.key, a.name, h.score, h.band,
          ${bandRank(sql`h.band`)} as rank
        from accounts a left join account_health h on h.account_id = a.id
        where a.status = 'active' and (${opts.lead}::boolean or a.owner_slack_id = ${opts.userId})
      ), open_incidents as materialized (
        -- The person's incidents: the ones they own (assigned to them, else on an account they own); all for a lead.
        select i.id, i.created_at,
          exists (select 1 from alerts al where al.incident_id = i.id and al.kind = 'billing' and al.status <> 'resolved') as billing
        from incidents i join accounts a on a.id = i.account_id
        where i.resolved_at is null and a.status = 'active'
          and (${opts.lead}::boolean or coalesce(i.assignee_slack_id, a.owner_slack_id) = ${opts.userId})
      ), next_reviews as materialized (
        select r.kind, r.starts_at, r.timezone, m.key, m.name
        from success_reviews r join mine m on m.id = r.account_id
        where r.status = 'scheduled' and r.starts_at > ${now}
      ), late_milestones as materialized (
        select ms.title, ms.planned_for, m.key, m.name
        from milestones ms join mine m on m.id = ms.account_id
        where ms.reached_at is null and ms.planned_for < ${today}
      )
      select (select count(*)::int from mine) as total,
        (select coalesce(json_object_agg(b, n), '{}'::json) from (
          select coalesce(band, 'no_data') as b, count(*)::int as n from mine group by 1) x) as counts,
        ${jsonRows(sql`select p.key, p.name, p.score, p.band,
            p.score - (select s.score from health_snapshots s
              where s.account_id = p.id and s.day <= ${weekAgo}::date order by s.day desc limit 1) as "change7d",
            (select count(*)::int from alerts al where al.account_id = p.id and al.status <> 'resolved') as "openFlags"
          from (select * from mine order by rank, score, key limit ${opts.top} offset ${opts.offset ?? 0}) p
          order by p.rank, p.score, p.key`)} as accounts,
        (select count(*)::int from open_incidents) as incidents_total,
        (select coalesce(json_agg(x.id), '[]'::json) from (select id from open_incidents
          order by billing desc, created_at desc, id desc limit ${opts.listTop}) x) as incident_ids,
        (select count(*)::int from next_reviews) as reviews_total,
        ${jsonRows(sql`select key, name, kind, ${isoOf(sql`starts_at`)} as "startsAt", timezone from next_reviews
          order by starts_at, key limit ${opts.listTop}`)} as reviews,
        (select count(*)::int from late_milestones) as milestones_total,
        ${jsonRows(sql`select key, name, title, to_char(planned_for, 'YYYY-MM-DD') as "plannedFor" from late_milestones
          order by planned_for, key limit ${opts.listTop}`)} as milestones`,
  );
  const r = found!;
  const ids = r.incident_ids.map(Number);
  const incidents = new Map((await loadIncidents(db, ids)).map((i) => [i.id, i]));
  return {
    scope: opts.lead ? 'portfolio' : 'own',
    counts: {
      red: r.counts.red ?? 0,
      yellow: r.counts.yellow ?? 0,
      green: r.counts.green ?? 0,
      no_data: r.counts.no_data ?? 0,
    },
    accounts: { items: r.accounts, total: r.total },
    incidents: {
      // The order chosen above; an incident resolved in between (no cause left to show) is skipped.
      items: ids.flatMap((id) => {
        const i = incidents.get(id);
        return i?.causes.length ? [incidentView(i.causes, i.assigneeSlackId)] : [];
      }),
      total: r.incidents_total,
    },
    reviews: { items: r.reviews, total: r.reviews_total },
    overdueMilestones: { items: r.milestones, total: r.milestones_total },
  };
}

/** Whether any health, alert (or its incident's owner), review or milestone changed after `since`: the App Home refresh sweeps only then. */
export async function homeDataChangedSince(db: Executor, since: Date): Promise<boolean> {
  const [found] = await rows<{ changed: boolean }>(
    db,
    sql`select exists (select 1 from account_health where computed_at > ${instant(since)})
      or exists (select 1 from alerts where created_at > ${instant(since)} or status_at > ${instant(since)})
      or exists (select 1 from success_reviews where updated_at > ${instant(since)})
      or exists (select 1 from milestones where updated_at > ${instant(since)})
      -- An assignment changes who owns an incident and only writes its audit rows; the newest rows by id
      -- are the recent ones, so a few of them answer without scanning the table.
      or exists (select 1 from (select at from alert_actions order by id desc limit 10) recent
        where recent.at > ${instant(since)}) as changed`,
  );
  return found?.changed ?? false;
}
