import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { StripeMrrMovement } from '../domain/stripe-events.ts';
import type { MrrChangeRecord } from './mrr-changes.ts';

/**
 * Keeps each subscription's monthly amount and turns the events' amounts into the account's MRR
 * movements: at each event's instant, the sum over the account's subscriptions in that currency (a
 * deleted one counts 0). Events are taken oldest first; a re-sent event, or one older than what its
 * subscription already holds (delivered late), changes nothing and records no movement: the sum it
 * recorded the first time stays, whatever the other subscriptions did since.
 */
export async function accountMrrFromSubscriptions(
  db: Executor,
  accountId: number,
  amounts: StripeMrrMovement[],
): Promise<MrrChangeRecord[]> {
  const movements: MrrChangeRecord[] = [];
  for (const amount of [...amounts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const [sum] = await rows<{ mrr: string }>(
      db,
      sql`with kept as (
            insert into stripe_subscriptions (subscription_id, account_id, event_id, at, mrr, currency)
            values (${amount.subscriptionId}, ${accountId}, ${amount.eventId}, ${amount.at}::timestamptz, ${amount.mrr}, ${amount.currency})
            on conflict (subscription_id) do update
              set account_id = excluded.account_id, event_id = excluded.event_id, at = excluded.at,
                mrr = excluded.mrr, currency = excluded.currency
              where stripe_subscriptions.at < excluded.at
                or (stripe_subscriptions.at = excluded.at and stripe_subscriptions.event_id <> excluded.event_id)
            returning subscription_id, mrr
          )
          select (coalesce(sum(s.mrr), 0) + (select mrr from kept))::text as mrr
          from stripe_subscriptions s
          where exists (select 1 from kept) and s.account_id = ${accountId}
            and s.currency = ${amount.currency} and s.subscription_id <> ${amount.subscriptionId}`,
    );
    if (sum?.mrr == null) continue;
    movements.push({ account_id: accountId, at: amount.at, mrr: Number(sum.mrr), currency: amount.currency });
  }
  return movements;
}
