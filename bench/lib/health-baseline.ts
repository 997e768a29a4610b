import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../src/db/client.ts';
import { type BillingEvent, openBillingFlags } from '../../src/domain/billing-flags.ts';
import {
  type Bands,
  computeHealth,
  type HealthComponent,
  LONG_OPEN_TICKET_DAYS,
} from '../../src/domain/health.ts';

const DAY = 86_400_000;
const at = (now: Date, daysBefore: number) =>
  sql`${new Date(+now - daysBefore * DAY).toISOString()}::timestamptz`;

interface AccountFacts {
  seats: number | null;
  active_users_recent: number | null;
  active_users_previous: number | null;
  logins_recent: number | null;
  logins_previous: number | null;
  open_tickets: number | null;
  tickets_before_long: number | null;
  tickets_min_long: number | null;
  contacts: number;
  champions: number;
  data_as_of: string | null;
  events: Array<Omit<BillingEvent, 'occurredAt'> & { occurredAt: string }>;
}

/**
 * The recomputation as it is usually first written: for each account, one query that gathers its facts
 * (each figure a small indexed subquery, its billing history as JSON), the same domain, and one write.
 * The benchmark's baseline; it must give the same results as `recomputeHealth`.
 */
export async function recomputeHealthOneByOne(
  db: Executor,
  opts: { accountIds: number[]; now: Date; weights: Record<HealthComponent, number>; bands: Bands },
): Promise<number> {
  const { now } = opts;
  const nowAt = at(now, 0);
  for (const accountId of opts.accountIds) {
    const points = (metric: string) =>
      sql`from metric_points where account_id = ${accountId} and metric = ${metric}`;
    const [facts] = await rows<AccountFacts>(
      db,
      sql`select a.seats,
        (select avg(value) ${points('active_users')} and at > ${at(now, 7)} and at <= ${nowAt}) as active_users_recent,
        (select avg(value) ${points('active_users')} and at > ${at(now, 35)} and at <= ${at(now, 7)})
          as active_users_previous,
        (select avg(value) ${points('logins')} and at > ${at(now, 7)} and at <= ${nowAt}) as logins_recent,
        (select avg(value) ${points('logins')} and at > ${at(now, 35)} and at <= ${at(now, 7)}) as logins_previous,
        (select value ${points('tickets_open')} and at > ${at(now, 30)} and at <= ${nowAt} order by at desc limit 1)
          as open_tickets,
        (select value ${points('tickets_open')} and at > ${at(now, 30)} and at <= ${at(now, LONG_OPEN_TICKET_DAYS)}
          order by at desc limit 1) as tickets_before_long,
        (select min(value) ${points('tickets_open')} and at > ${at(now, LONG_OPEN_TICKET_DAYS)} and at <= ${nowAt})
          as tickets_min_long,
        (select count(*) from contacts where account_id = a.id)::int as contacts,
        (select count(*) from contacts where account_id = a.id and role = 'champion')::int as champions,
        to_char(greatest(
          (select max(at) from metric_points where account_id = a.id and at <= ${nowAt}),
          (select max(occurred_at) from billing_events where account_id = a.id and occurred_at <= ${nowAt}))
          at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as data_as_of,
        (select coalesce(json_agg(json_build_object('externalId', external_id, 'type', type,
            'occurredAt', to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'amount', amount::text, 'currency', currency, 'dueDate', to_char(due_date, 'YYYY-MM-DD'),
            'cardExpiresAt', to_char(card_expires_at, 'YYYY-MM-DD')) order by occurred_at, id), '[]'::json)
          from billing_events where account_id = a.id and occurred_at <= ${nowAt}) as events
      from accounts a where a.id = ${accountId}`,
    );
    if (!facts) continue;
    const events = facts.events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));
    const openFlags = openBillingFlags(events, now);
    const result = computeHealth(
      {
        seats: facts.seats,
        usage: {
          activeUsersRecent: facts.active_users_recent,
          activeUsersPrevious: facts.active_users_previous,
          loginsRecent: facts.logins_recent,
          loginsPrevious: facts.logins_previous,
        },
        support: {
          openTickets: facts.open_tickets,
          longOpenTickets:
            facts.tickets_before_long === null
              ? null
              : Math.min(facts.tickets_before_long, facts.tickets_min_long ?? Number.POSITIVE_INFINITY),
        },
        billing: { hasHistory: events.length > 0, openFlags },
        relationship: { contacts: facts.contacts, champions: facts.champions },
        outcomes: null,
        sentiment: null,
      },
      opts.weights,
      opts.bands,
    );
    const components = JSON.stringify(result.components);
    await db.execute(sql`
      with current_health as (
        insert into account_health (account_id, score, band, components, open_billing_flags, data_as_of, computed_at)
        values (${accountId}, ${result.score}, ${result.band}, ${components}::jsonb, ${JSON.stringify(openFlags)}::jsonb,
          ${facts.data_as_of}::timestamptz, ${nowAt})
        on conflict (account_id) do update set
          score = excluded.score, band = excluded.band, components = excluded.components,
          open_billing_flags = excluded.open_billing_flags, data_as_of = excluded.data_as_of,
          computed_at = excluded.computed_at
      )
      insert into health_snapshots (account_id, day, score, band, components)
      values (${accountId}, ${now.toISOString().slice(0, 10)}::date, ${result.score}, ${result.band}, ${components}::jsonb)
      on conflict (account_id, day) do update set
        score = excluded.score, band = excluded.band, components = excluded.components`);
  }
  return opts.accountIds.length;
}
