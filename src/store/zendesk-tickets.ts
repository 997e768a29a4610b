import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { TicketHistory } from '../domain/ticket-history.ts';
import { DAY } from '../domain/time.ts';
import type { StoredTicket } from '../domain/urgent-tickets.ts';
import { LONG_OPEN_DAYS, OPEN_STATUSES, type Ticket } from '../domain/zendesk-tickets.ts';
import { textArray } from './sql.ts';

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

export type TicketRecord = Pick<Ticket, 'id' | 'status' | 'created_at' | 'updated_at'> & {
  priority: string | null;
  subject: string | null;
  organization_id: number | null;
  account_id: number | null;
};

/**
 * Stores tickets as the export (or the webhook) gives them, and each version's status in the tickets'
 * history. A ticket already stored from a later update keeps that one: a page replayed after a restart
 * never takes a ticket back in time. Answers, per account, the earliest status change new to the
 * history: the day its figures must be rebuilt from.
 */
export async function upsertTickets(db: Executor, tickets: TicketRecord[]): Promise<Map<number, Date>> {
  if (!tickets.length) return new Map();
  const records = sql`jsonb_to_recordset(${json(tickets)}) as r(id bigint, account_id integer, organization_id bigint,
          status text, priority text, subject text, created_at timestamptz, updated_at timestamptz)`;
  await db.execute(
    sql`insert into zendesk_tickets as t (id, account_id, organization_id, status, priority, subject, created_at, updated_at)
        select distinct on (r.id) r.id, r.account_id, r.organization_id, r.status, r.priority, r.subject, r.created_at, r.updated_at
        from ${records}
        order by r.id, r.updated_at desc
        on conflict (id) do update set account_id = excluded.account_id, organization_id = excluded.organization_id,
          status = excluded.status, priority = excluded.priority, subject = excluded.subject, created_at = excluded.created_at,
          updated_at = excluded.updated_at
        where excluded.updated_at >= t.updated_at`,
  );
  const changed = await rows<{ account_id: number; since: string | Date }>(
    db,
    sql`with versions as (
          select distinct on (r.id, r.updated_at) r.id, r.updated_at as at, r.status from ${records}
          union all
          select distinct on (r.id) r.id, r.created_at, 'new' from ${records} where r.created_at < r.updated_at
        ), added as (
          insert into zendesk_ticket_statuses (ticket_id, at, status)
          select id, at, status from versions on conflict do nothing
          returning ticket_id, at
        )
        select t.account_id, min(a.at) as since from added a join zendesk_tickets t on t.id = a.ticket_id
        where t.account_id is not null group by t.account_id`,
  );
  return new Map(changed.map((c) => [c.account_id, new Date(c.since)]));
}

/** The status history of every ticket of these accounts, with each account's key and zone. */
export async function ticketHistories(
  db: Executor,
  accountIds: number[],
): Promise<Array<{ account_id: number; key: string; timezone: string | null; tickets: TicketHistory[] }>> {
  if (!accountIds.length) return [];
  const found = await rows<{
    account_id: number;
    key: string;
    timezone: string | null;
    id: number | string;
    created_at: string | Date;
    at: string | Date;
    status: string;
  }>(
    db,
    sql`select a.id as account_id, a.key, a.timezone, t.id, t.created_at, s.at, s.status
        from zendesk_tickets t join accounts a on a.id = t.account_id
        join zendesk_ticket_statuses s on s.ticket_id = t.id
        where t.account_id in (select jsonb_array_elements_text(${json(accountIds)})::int)
        order by a.id, t.id, s.at`,
  );
  const accounts = new Map<
    number,
    { account_id: number; key: string; timezone: string | null; tickets: Map<string, TicketHistory> }
  >();
  for (const r of found) {
    let account = accounts.get(r.account_id);
    if (!account) {
      account = { account_id: r.account_id, key: r.key, timezone: r.timezone, tickets: new Map() };
      accounts.set(r.account_id, account);
    }
    let ticket = account.tickets.get(String(r.id));
    if (!ticket) {
      ticket = { createdAt: new Date(r.created_at), statuses: [] };
      account.tickets.set(String(r.id), ticket);
    }
    ticket.statuses.push({ at: new Date(r.at), status: r.status });
  }
  return [...accounts.values()].map((a) => ({ ...a, tickets: [...a.tickets.values()] }));
}

/** A stored ticket, as the webhook completes a change from it. */
export async function storedTicket(db: Executor, id: number): Promise<TicketRecord | undefined> {
  const [found] = await rows<
    TicketRecord & { id: number | string; created_at: string | Date; updated_at: string | Date }
  >(
    db,
    sql`select id, account_id, organization_id::float8 as organization_id, status, priority, subject, created_at, updated_at
        from zendesk_tickets where id = ${id}`,
  );
  return (
    found && {
      ...found,
      id: Number(found.id),
      created_at: new Date(found.created_at).toISOString(),
      updated_at: new Date(found.updated_at).toISOString(),
    }
  );
}

/** The account an organization's stored tickets are linked to, when the export has linked one. */
export async function accountOfOrganization(
  db: Executor,
  organizationId: number,
): Promise<number | undefined> {
  const [found] = await rows<{ account_id: number }>(
    db,
    sql`select account_id from zendesk_tickets where organization_id = ${organizationId} and account_id is not null
        order by updated_at desc limit 1`,
  );
  return found?.account_id;
}

/** The accounts whose contacts have an e-mail address at each of these domains. */
export async function accountsByContactDomain(
  db: Executor,
  domains: string[],
): Promise<Map<string, number[]>> {
  if (!domains.length) return new Map();
  const found = await rows<{ domain: string; account_id: number }>(
    db,
    sql`select distinct lower(split_part(email, '@', 2)) as domain, account_id from contacts
        where lower(split_part(email, '@', 2)) in (select jsonb_array_elements_text(${json([...new Set(domains)])}))`,
  );
  const byDomain = new Map<string, number[]>();
  for (const { domain, account_id } of found)
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), account_id]);
  return byDomain;
}

export interface TicketFigures {
  account_id: number;
  key: string;
  timezone: string | null;
  open: number;
  open_long: number;
}

/** Per account with Zendesk tickets: how many are open now, and how many of those for 14 days or more. */
export async function ticketFigures(db: Executor, now: Date): Promise<TicketFigures[]> {
  const longSince = new Date(+now - LONG_OPEN_DAYS * DAY).toISOString();
  return rows<TicketFigures>(
    db,
    sql`select a.id as account_id, a.key, a.timezone,
          count(*) filter (where t.status = any(${textArray(OPEN_STATUSES)}))::int as open,
          count(*) filter (where t.status = any(${textArray(OPEN_STATUSES)})
            and t.created_at <= ${longSince}::timestamptz)::int as open_long
        from zendesk_tickets t join accounts a on a.id = t.account_id
        group by a.id order by a.id`,
  );
}

/** The open urgent tickets of active accounts, with the account's tier: what the urgent-ticket red flag reads. */
export async function openUrgentTickets(db: Executor): Promise<StoredTicket[]> {
  const found = await rows<{
    id: number | string;
    account_id: number;
    tier: string;
    status: string;
    priority: string;
    subject: string | null;
    created_at: string | Date;
  }>(
    db,
    sql`select t.id, t.account_id, a.tier, t.status, t.priority, t.subject, t.created_at
        from zendesk_tickets t join accounts a on a.id = t.account_id
        where t.priority = 'urgent' and t.status = any(${textArray(OPEN_STATUSES)}) and a.status = 'active'
        order by t.id`,
  );
  return found.map((t) => ({
    id: Number(t.id),
    accountId: t.account_id,
    tier: t.tier,
    status: t.status,
    priority: t.priority,
    subject: t.subject,
    createdAt: new Date(t.created_at),
  }));
}
