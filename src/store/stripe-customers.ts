import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Account, StripeUnlinkedEvent } from '../db/schema.ts';
import { type Columns, epochMs } from './sql.ts';

/** How an event found its account: named by metadata, through a stored link, or by the e-mail domain. */
export type StripeLinkSource = 'metadata' | 'link' | 'email_domain';

export interface StripeAccount {
  accountId: number;
  key: string;
  by: StripeLinkSource;
}

/**
 * The account a Stripe event belongs to, in one query, the most explicit answer first: the account
 * named by `accountKey` (the `metadata.pulse_account` Stripe carried), else the account the customer
 * is linked to, else the one account having a contact at `emailDomain`. A domain shared by contacts of
 * several accounts links to none: a guess would alert the wrong team.
 */
export async function findAccountForStripeEvent(
  db: Executor,
  ref: { customerId: string | null; accountKey: string | null; emailDomain: string | null },
): Promise<StripeAccount | undefined> {
  if (!ref.customerId && !ref.accountKey && !ref.emailDomain) return undefined;
  const [found] = await rows<Columns<Account, 'id' | 'key'> & { by: StripeLinkSource }>(
    db,
    sql`select id, key, by from (
          select id, key, 'metadata' as by, 1 as rank from accounts where key = ${ref.accountKey}::text
          union all
          select a.id, a.key, 'link', 2 from stripe_customers s join accounts a on a.id = s.account_id
          where s.customer_id = ${ref.customerId}::text
          union all
          select min(a.id), min(a.key), 'email_domain', 3 from accounts a join contacts c on c.account_id = a.id
          where substring(c.email from '@([^@]+)$') = ${ref.emailDomain}::text
          having count(distinct a.id) = 1
        ) as linked
        order by rank limit 1`,
  );
  return found && { accountId: found.id, key: found.key, by: found.by };
}

/**
 * Serialises, until the transaction ends, everything done for one Stripe customer: keeping an event
 * while its customer is unlinked and replaying the kept events once it is linked cannot interleave, so
 * no kept event is missed by a replay that ran just before it was kept.
 */
export async function lockStripeCustomer(tx: Executor, customerId: string): Promise<void> {
  await rows(tx, sql`select pg_advisory_xact_lock(hashtext(${`stripe_customer:${customerId}`}))::text`);
}

/**
 * Links a customer to an account. Metadata is the customer's own word and replaces any link; a domain
 * match only links a customer that has none. Returns true when the link is new or now names another
 * account.
 */
export async function linkStripeCustomer(
  tx: Executor,
  link: {
    customerId: string;
    accountId: number;
    by: 'metadata' | 'email_domain';
    email: string | null;
    now: Date;
  },
): Promise<boolean> {
  const [result] = await rows<{ changed: boolean }>(
    tx,
    sql`with before as (
          select account_id from stripe_customers where customer_id = ${link.customerId}
        ), linked as (
          insert into stripe_customers (customer_id, account_id, linked_by, email, updated_at)
          values (${link.customerId}, ${link.accountId}, ${link.by}, ${link.email}, ${link.now.toISOString()}::timestamptz)
          on conflict (customer_id) do update set account_id = excluded.account_id, linked_by = excluded.linked_by,
            email = coalesce(excluded.email, stripe_customers.email), updated_at = excluded.updated_at
          where excluded.linked_by = 'metadata'
          returning account_id
        )
        select exists (select 1 from linked where account_id is distinct from (select account_id from before))
          as changed`,
  );
  return result!.changed;
}

/** A verified event kept until its customer is linked. */
export interface UnlinkedStripeEvent {
  eventId: string;
  type: string;
  payload: unknown;
}

/** Keeps an event whose customer is not linked yet; keeping it again changes nothing. */
export async function keepUnlinkedStripeEvent(
  tx: Executor,
  event: { eventId: string; customerId: string | null; type: string; payload: unknown; now: Date },
): Promise<void> {
  await rows(
    tx,
    sql`insert into stripe_unlinked_events (event_id, customer_id, type, payload, received_at)
      values (${event.eventId}, ${event.customerId}, ${event.type}, ${JSON.stringify(event.payload)}::jsonb,
        ${event.now.toISOString()}::timestamptz)
      on conflict (event_id) do nothing`,
  );
}

/** Takes (deletes and returns) the kept events of this customer, oldest first, for their replay. */
export async function takeUnlinkedStripeEvents(
  tx: Executor,
  customerId: string,
): Promise<UnlinkedStripeEvent[]> {
  const taken = await rows<
    Columns<StripeUnlinkedEvent, 'eventId' | 'type' | 'payload'> & { received_at: number }
  >(
    tx,
    sql`delete from stripe_unlinked_events where customer_id = ${customerId}
      returning event_id, type, payload, ${epochMs(sql`received_at`)} as received_at`,
  );
  return taken
    .sort((a, b) => a.received_at - b.received_at || a.event_id.localeCompare(b.event_id))
    .map((r) => ({ eventId: r.event_id, type: r.type, payload: r.payload }));
}
