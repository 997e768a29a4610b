/** Delivering pending surveys: finding them, recording their route and post, giving up on them. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, Contact, Survey } from '../../db/schema.ts';
import { surveyPostKey } from '../../domain/outbox-keys.ts';
import type { SurveyRoute } from '../../domain/surveys.ts';
import { type OutboxMessage, outboxInsert } from '../outbox.ts';
import { bigintArray, type Columns, epochMs, instant } from '../sql.ts';

/** A survey waiting for its route, with what delivery needs to find the person and tell the CSM. */
export type PendingSurvey = Pick<Survey, 'id' | 'kind' | 'locale' | 'accountId' | 'contactId' | 'createdAt'> &
  Pick<Account, 'channelId' | 'ownerSlackId'> &
  Pick<Contact, 'email' | 'slackUserId'> & {
    accountName: Account['name'];
    accountStatus: Account['status'];
    contactName: Contact['name'];
  };

/**
 * Pending surveys, oldest first (only these ids when given). `manualAfter` leaves out the surveys sent with
 * `/cs survey` since that instant: the command delivers them itself and answers with the outcome.
 */
export async function pendingSurveys(
  db: Executor,
  opts: { limit: number; ids?: number[]; afterId?: number; manualAfter?: Date },
): Promise<PendingSurvey[]> {
  const only = opts.ids ? sql`and s.id = any(${bigintArray(opts.ids)})` : sql.empty();
  const notTheCommands = opts.manualAfter
    ? sql`and not (s.trigger = 'manual' and s.created_at > ${instant(opts.manualAfter)})`
    : sql.empty();
  const found = await rows<
    Columns<Survey, 'kind' | 'locale'> &
      Columns<Account, 'channelId' | 'ownerSlackId'> &
      Columns<Contact, 'email' | 'slackUserId'> & {
        id: number | string;
        account_id: Account['id'];
        account_name: Account['name'];
        account_status: Account['status'];
        contact_id: Contact['id'];
        contact_name: Contact['name'];
        created_at: number;
      }
  >(
    db,
    sql`select s.id, s.kind, s.locale, a.id as account_id, a.name as account_name, a.status as account_status,
          a.channel_id, a.owner_slack_id, c.id as contact_id, c.name as contact_name, c.email, c.slack_user_id,
          ${epochMs(sql`s.created_at`)} as created_at
        from surveys s join accounts a on a.id = s.account_id join contacts c on c.id = s.contact_id
        where s.status = 'pending' and s.id > ${opts.afterId ?? 0} ${only} ${notTheCommands}
        order by s.id limit ${opts.limit}`,
  );
  return found.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    locale: r.locale,
    accountId: r.account_id,
    accountName: r.account_name,
    accountStatus: r.account_status,
    channelId: r.channel_id,
    ownerSlackId: r.owner_slack_id,
    contactId: r.contact_id,
    contactName: r.contact_name,
    email: r.email,
    slackUserId: r.slack_user_id,
    createdAt: new Date(Number(r.created_at)),
  }));
}

/**
 * Records how a pending survey reaches its person, if it is still pending: only the caller that gets
 * true may enqueue the post, so two deliveries racing for the same survey post it once.
 */
export async function recordRoute(
  tx: Executor,
  route: {
    id: number;
    route: SurveyRoute;
    recipientSlackId: string;
    channel: string;
    sentAt: Date;
    expiresAt: Date;
  },
): Promise<boolean> {
  const updated = await rows(
    tx,
    sql`update surveys set route = ${route.route}, recipient_slack_id = ${route.recipientSlackId},
          channel = ${route.channel}, status = 'sent', failure_reason = null,
          sent_at = ${instant(route.sentAt)}, expires_at = ${instant(route.expiresAt)}
        where id = ${route.id} and status = 'pending' returning id`,
  );
  return updated.length === 1;
}

/**
 * Enqueues a survey's question and records its row in `surveys.post_outbox_id`, in one statement of the
 * caller's transaction (the one that recorded its route). Returns the row's id; undefined when the post
 * was already enqueued.
 */
export async function enqueueSurveyPost(
  tx: Executor,
  surveyId: number,
  message: Omit<OutboxMessage, 'dedupeKey'>,
): Promise<number | undefined> {
  const [linked] = await rows<{ id: number | string }>(
    tx,
    sql`with posted as (${outboxInsert({ ...message, dedupeKey: surveyPostKey(surveyId) })})
      update surveys s set post_outbox_id = posted.id from posted
      where s.id = ${surveyId}
      returning posted.id`,
  );
  return linked && Number(linked.id);
}

/** Gives up on a pending survey: no route to its person. True when this call made the change. */
export async function markUndeliverable(tx: Executor, id: number, reason: string): Promise<boolean> {
  const updated = await rows(
    tx,
    sql`update surveys set status = 'undeliverable', failure_reason = ${reason}
        where id = ${id} and status = 'pending' returning id`,
  );
  return updated.length === 1;
}

/** Remembers why a pending survey could not be routed this time (Slack down, rate limited): it is retried. */
export async function noteDeliveryProblem(db: Executor, id: number, reason: string): Promise<void> {
  await db.execute(
    sql`update surveys set failure_reason = ${reason} where id = ${id} and status = 'pending'`,
  );
}
