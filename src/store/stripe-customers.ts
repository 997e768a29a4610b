import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';

/**
 * The account a Stripe customer belongs to, in one query: the account named by `accountKey` (the
 * `metadata.pulse_account` Stripe carried), else the one account having a contact at `emailDomain`.
 * A domain shared by contacts of several accounts links to none: a guess would alert the wrong team.
 */
export async function findAccountForStripeCustomer(
  db: Executor,
  link: { accountKey: string | null; emailDomain: string | null },
): Promise<string | undefined> {
  if (!link.accountKey && !link.emailDomain) return undefined;
  const found = await rows<{ key: string }>(
    db,
    sql`select key from (
          select key, 1 as rank from accounts where key = ${link.accountKey}::text
          union all
          select min(a.key), 2 from accounts a join contacts c on c.account_id = a.id
          where substring(c.email from '@([^@]+)$') = ${link.emailDomain}::text
          having count(distinct a.id) = 1
        ) as linked
        order by rank limit 1`,
  );
  return found[0]?.key;
}
