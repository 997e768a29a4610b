/** Who a survey goes to, and when each person was last asked: the inputs of the contact rule. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, Contact } from '../../db/schema.ts';
import { type Columns, dateOrNull, epochMs, instant } from '../sql.ts';

/** Statuses that mean the person was (or is about to be) asked: they count for the contact rule. */
export const CONTACTING = sql`('pending','sent','answered','expired')`;

/** Who a survey of an account goes to: its champions, and its decision makers when configured. */
export const recipientRoles = (includeDecisionMakers: boolean) =>
  includeDecisionMakers ? sql`('champion','decision_maker')` : sql`('champion')`;

export type SurveyRecipient = Pick<Contact, 'name' | 'email' | 'slackUserId' | 'role'> & {
  contactId: Contact['id'];
  /** The latest survey that reached this person by any identity, or is about to. */
  lastContactAt: Date | null;
};

/** `active` or `churned`; `churned` for an account that no longer exists, which is surveyed no more. */
export async function surveyAccountStatus(db: Executor, accountId: number): Promise<Account['status']> {
  const [found] = await rows<Columns<Account, 'status'>>(
    db,
    sql`select status from accounts where id = ${accountId}`,
  );
  return found?.status ?? 'churned';
}

/** The account's survey recipients, with when each was last asked (for `/cs survey`'s answer). */
export async function surveyRecipients(
  db: Executor,
  accountId: number,
  includeDecisionMakers: boolean,
): Promise<SurveyRecipient[]> {
  const found = await rows<
    Columns<Contact, 'id' | 'name' | 'email' | 'slackUserId' | 'role'> & { last_contact_at: number | null }
  >(
    db,
    sql`select c.id, c.name, c.email, c.slack_user_id, c.role,
          (select ${epochMs(sql`max(coalesce(s.sent_at, s.created_at))`)}
           from surveys s join contacts o on o.id = s.contact_id
           where s.status in ${CONTACTING}
             and (o.id = c.id or lower(o.email) = lower(c.email) or o.slack_user_id = c.slack_user_id
               or s.recipient_slack_id = c.slack_user_id))
            as last_contact_at
        from contacts c
        where c.account_id = ${accountId} and c.role in ${recipientRoles(includeDecisionMakers)}
        order by c.role, c.id`,
  );
  return found.map((r) => ({
    contactId: r.id,
    name: r.name,
    email: r.email,
    slackUserId: r.slack_user_id,
    role: r.role,
    lastContactAt: dateOrNull(r.last_contact_at),
  }));
}

/**
 * Recipients of every active account, with the day they were added: the NPS cadence decides, per
 * contact, whether its slot is due.
 */
export async function cadenceRecipients(
  db: Executor,
  includeDecisionMakers: boolean,
): Promise<Array<{ contactId: number; addedOn: string }>> {
  const found = await rows<Columns<Contact, 'id'> & { added_on: string }>(
    db,
    sql`select c.id, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD') as added_on
        from contacts c join accounts a on a.id = c.account_id
        where a.status = 'active' and c.role in ${recipientRoles(includeDecisionMakers)}
        order by c.id`,
  );
  return found.map((r) => ({ contactId: r.id, addedOn: r.added_on }));
}

/** Milestones reached and success reviews held since `since`, times each recipient of their account. */
export async function csatOccasions(
  db: Executor,
  opts: { since: Date; now: Date; milestone: boolean; review: boolean; includeDecisionMakers: boolean },
): Promise<Array<{ source: 'milestone' | 'review'; sourceId: number; contactId: number }>> {
  if (!opts.milestone && !opts.review) return [];
  const roles = recipientRoles(opts.includeDecisionMakers);
  const found = await rows<{
    source: 'milestone' | 'review';
    source_id: number | string;
    contact_id: Contact['id'];
  }>(
    db,
    sql`with occasions as (
          select 'milestone' as source, m.id as source_id, m.account_id, m.reached_at as happened_at
          from milestones m
          where ${opts.milestone} and m.reached_at > ${instant(opts.since)} and m.reached_at <= ${instant(opts.now)}
          union all
          select 'review', r.id, r.account_id, r.starts_at
          from success_reviews r
          where ${opts.review} and r.status = 'held'
            and r.starts_at > ${instant(opts.since)} and r.starts_at <= ${instant(opts.now)}
        )
        select o.source, o.source_id, c.id as contact_id
        from occasions o
        join accounts a on a.id = o.account_id and a.status = 'active'
        join contacts c on c.account_id = o.account_id and c.role in ${roles}
        order by o.happened_at, o.source_id, c.id`,
  );
  return found.map((r) => ({ source: r.source, sourceId: Number(r.source_id), contactId: r.contact_id }));
}
