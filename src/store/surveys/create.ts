/** Creating surveys under the contact rule, in one statement. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Survey } from '../../db/schema.ts';
import { CONTACT_GAP_DAYS } from '../../domain/surveys.ts';
import { DAY } from '../../domain/time.ts';
import { type Columns, instant } from '../sql.ts';
import { CONTACTING } from './recipients.ts';

/** A survey a decision calls for: who, which, why, and the decision's key. */
export type SurveyCandidate = Pick<Survey, 'contactId' | 'kind' | 'trigger' | 'dedupeKey'> & {
  /** Who sent it with `/cs survey`, when a person did. */
  requestedBy?: string;
};

/**
 * Inserts the surveys these decisions call for, keeping every rule in one statement: never to a churned
 * account, never a dedupe key twice, and never to a person already asked (by any of their identities:
 * contact, e-mail, Slack user, or the Slack user a survey actually reached once the e-mail was looked
 * up; any kind, any account) within CONTACT_GAP_DAYS, nor twice in this batch
 * (earlier candidates win). A transaction-scoped advisory lock serialises concurrent batches, so two
 * triggers for the same person at the same moment cannot both pass the check. Returns what was inserted.
 */
export async function createSurveys(
  tx: Executor,
  candidates: SurveyCandidate[],
  now: Date,
): Promise<Array<{ id: number; contactId: number; dedupeKey: string }>> {
  if (!candidates.length) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('pulse:survey-contact-rule'))`);
  const input = candidates.map((c, ord) => ({
    contact_id: c.contactId,
    kind: c.kind,
    trigger: c.trigger,
    dedupe_key: c.dedupeKey,
    requested_by: c.requestedBy ?? null,
    ord,
  }));
  const cutoff = new Date(+now - CONTACT_GAP_DAYS * DAY);
  const inserted = await rows<Columns<Survey, 'contactId' | 'dedupeKey'> & { id: number | string }>(
    tx,
    sql`with cand as (
          select r.*, c.account_id, lower(c.email) as email, c.slack_user_id, a.locale
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            as r(contact_id int, kind text, trigger text, dedupe_key text, requested_by text, ord int)
          join contacts c on c.id = r.contact_id
          join accounts a on a.id = c.account_id
          where a.status = 'active' and not exists (select 1 from surveys d where d.dedupe_key = r.dedupe_key)
        ), surveyed as (
          select o.id, lower(o.email) as email, o.slack_user_id, s.recipient_slack_id
          from surveys s join contacts o on o.id = s.contact_id
          where s.status in ${CONTACTING} and coalesce(s.sent_at, s.created_at) > ${instant(cutoff)}
        ), recent as (
          -- The people asked, and one hop further: the contacts sharing an e-mail or a Slack user with
          -- them, so a contact known only by e-mail is recognised through a sibling that has the user.
          select id, email, slack_user_id, recipient_slack_id from surveyed
          union
          select k.id, lower(k.email), k.slack_user_id, null
          from contacts k join surveyed on lower(k.email) = surveyed.email
          union
          select k.id, lower(k.email), k.slack_user_id, null
          from contacts k join surveyed on k.slack_user_id in (surveyed.slack_user_id, surveyed.recipient_slack_id)
        ), allowed as (
          select cand.*,
            row_number() over (partition by email order by ord) as by_email,
            row_number() over (partition by coalesce(slack_user_id, 'contact:' || contact_id) order by ord)
              as by_slack_user
          from cand
          where not exists (select 1 from recent where recent.id = cand.contact_id)
            and not exists (select 1 from recent where recent.email = cand.email)
            and not exists (select 1 from recent where recent.slack_user_id = cand.slack_user_id)
            and not exists (select 1 from recent where recent.recipient_slack_id = cand.slack_user_id)
        )
        insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, requested_by, created_at)
        select account_id, contact_id, kind, trigger, dedupe_key, locale, requested_by, ${instant(now)}
        from allowed where by_email = 1 and by_slack_user = 1
        order by ord
        on conflict (dedupe_key) do nothing
        returning id, contact_id, dedupe_key`,
  );
  return inserted.map((r) => ({ id: Number(r.id), contactId: r.contact_id, dedupeKey: r.dedupe_key }));
}
