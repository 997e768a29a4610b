/** Closing surveys: following up their posts in the outbox, expiring the week-old ones. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, Contact, Survey } from '../../db/schema.ts';
import { DAY } from '../../domain/time.ts';
import { type Columns, instant } from '../sql.ts';

/** A survey Pulse gave up on, with whom to tell. */
export type UndeliverableSurvey = Pick<Survey, 'id' | 'kind'> &
  Pick<Account, 'ownerSlackId'> &
  Pick<Contact, 'email'> & {
    /** Its `failure_reason`: Slack's error, or what the delivery found (`no_route`, …). */
    reason: string;
    accountName: Account['name'];
    contactName: Contact['name'];
  };

const UNDELIVERABLE_COLUMNS = sql`s.id, s.kind, s.failure_reason as reason, a.name as account_name,
  a.owner_slack_id, c.name as contact_name, c.email`;

type UndeliverableRow = Columns<Survey, 'kind'> &
  Columns<Account, 'ownerSlackId'> &
  Columns<Contact, 'email'> & {
    id: number | string;
    reason: string;
    account_name: Account['name'];
    contact_name: Contact['name'];
  };
const undeliverable = (r: UndeliverableRow): UndeliverableSurvey => ({
  id: Number(r.id),
  kind: r.kind,
  reason: r.reason,
  accountName: r.account_name,
  ownerSlackId: r.owner_slack_id,
  contactName: r.contact_name,
  email: r.email,
});

/**
 * Follows up the outbox: a survey post that went out leaves its `ts` on the survey (expiry updates that
 * message); one Slack refused for good makes the survey undeliverable. Returns the latter.
 */
export async function reconcileSurveyPosts(tx: Executor): Promise<UndeliverableSurvey[]> {
  await tx.execute(
    sql`update surveys s set ts = o.ts, channel = coalesce(o.channel, s.channel)
        from slack_outbox o
        where s.status in ('sent','answered','expired') and s.ts is null
          and o.id = s.post_outbox_id and o.status = 'sent'`,
  );
  const failed = await rows<UndeliverableRow>(
    tx,
    sql`with failed as (
          update surveys s set status = 'undeliverable', failure_reason = o.last_error
          from slack_outbox o
          where s.status = 'sent' and o.id = s.post_outbox_id and o.status = 'failed'
          returning s.id, s.kind, s.failure_reason, s.account_id, s.contact_id
        )
        select ${UNDELIVERABLE_COLUMNS}
        from failed s join accounts a on a.id = s.account_id join contacts c on c.id = s.contact_id
        order by s.id`,
  );
  return failed.map(undeliverable);
}

/** A survey that just expired, with where its message is (when it can still be updated). */
export type ExpiredSurvey = Pick<Survey, 'id' | 'locale' | 'channel' | 'ts'> & {
  /** A sent survey always has its route. */
  route: NonNullable<Survey['route']>;
};

/**
 * Closes the surveys whose week is over: sent ones become expired; pending ones that never found a route
 * in that time become undeliverable, so nothing retries forever. Returns both. Run it after
 * reconcileSurveyPosts in the same transaction: that is what gives a delivered post its `ts`.
 */
export async function expireSurveys(
  tx: Executor,
  now: Date,
  lifetimeDays: number,
): Promise<{ expired: ExpiredSurvey[]; abandoned: UndeliverableSurvey[] }> {
  const expired = await rows<
    Columns<Survey, 'locale' | 'channel' | 'ts'> & {
      id: number | string;
      route: NonNullable<Survey['route']>;
    }
  >(
    tx,
    sql`update surveys s set status = 'expired'
        where s.status = 'sent' and s.expires_at <= ${instant(now)}
        returning s.id, s.locale, s.route, s.channel, s.ts`,
  );
  const abandoned = await rows<UndeliverableRow>(
    tx,
    sql`with abandoned as (
          update surveys s set status = 'undeliverable',
            failure_reason = coalesce(s.failure_reason, 'no_route')
          where s.status = 'pending' and s.created_at <= ${instant(new Date(+now - lifetimeDays * DAY))}
          returning s.id, s.kind, s.failure_reason, s.account_id, s.contact_id
        )
        select ${UNDELIVERABLE_COLUMNS}
        from abandoned s join accounts a on a.id = s.account_id join contacts c on c.id = s.contact_id
        order by s.id`,
  );
  return {
    expired: expired
      .map((r) => ({ id: Number(r.id), locale: r.locale, route: r.route, channel: r.channel, ts: r.ts }))
      .sort((a, b) => a.id - b.id),
    abandoned: abandoned.map(undeliverable),
  };
}
