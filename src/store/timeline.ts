import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { TimelineEvent } from '../domain/timeline.ts';
import { epochMs } from './sql.ts';

/**
 * The headline of a red flag raised by another capability (a stored sentence, or text from before they
 * were stored so), or the billing flag's type; null for health alerts.
 */
const ALERT_HEADLINE = sql`case when al.kind = 'billing' then to_jsonb(al.detail->>'type') else al.detail->'headline' end`;

/**
 * The account's newest `limit` events, oldest first, from the tables that record them: notes, alerts
 * raised and resolved (with the resolve note), survey answers, milestones reached, reviews held, billing
 * events and owner changes. Each source gives at most `limit` rows through its own index, so the cost does
 * not grow with the account's history.
 */
export async function loadTimeline(db: Executor, accountId: number, limit: number): Promise<TimelineEvent[]> {
  const source = (kind: string, at: SQL, data: SQL, from: SQL) =>
    sql`(select ${kind}::text as kind, ${at} as at, ${data} as data ${from} order by 2 desc limit ${limit})`;
  const sources = [
    source(
      'note',
      sql`n.at`,
      sql`jsonb_build_object('text', n.text, 'author', n.author, 'permalink', n.permalink)`,
      sql`from account_notes n where n.account_id = ${accountId}`,
    ),
    source(
      'alert_raised',
      sql`al.created_at`,
      sql`jsonb_build_object('alertKind', al.kind, 'headline', ${ALERT_HEADLINE})`,
      sql`from alerts al where al.account_id = ${accountId}`,
    ),
    source(
      'alert_resolved',
      sql`act.at`,
      sql`jsonb_build_object('alertKind', al.kind, 'headline', ${ALERT_HEADLINE}, 'by', act.user_id,
            'note', coalesce(act.detail->'note', al.resolution_message, to_jsonb(al.resolution_note)))`,
      sql`from alert_actions act join alerts al on al.id = act.alert_id
          where al.account_id = ${accountId} and act.action = 'resolved'`,
    ),
    source(
      'survey_answer',
      sql`s.answered_at`,
      sql`jsonb_build_object('survey', s.kind, 'score', s.score, 'comment', s.comment,
            'contact', coalesce(c.name, c.email))`,
      sql`from surveys s join contacts c on c.id = s.contact_id
          where s.account_id = ${accountId} and s.answered_at is not null and s.score is not null`,
    ),
    source(
      'milestone',
      sql`m.reached_at`,
      sql`jsonb_build_object('title', m.title)`,
      sql`from milestones m where m.account_id = ${accountId} and m.reached_at is not null`,
    ),
    source(
      'review_held',
      sql`r.starts_at`,
      sql`jsonb_build_object('review', r.kind)`,
      sql`from success_reviews r where r.account_id = ${accountId} and r.status = 'held'`,
    ),
    source(
      'billing',
      sql`b.occurred_at`,
      sql`jsonb_build_object('type', b.type, 'amount', b.amount::text, 'currency', b.currency)`,
      sql`from billing_events b where b.account_id = ${accountId}`,
    ),
    source(
      'owner_change',
      sql`o.at`,
      sql`jsonb_build_object('from', o.from_owner, 'to', o.to_owner)`,
      sql`from account_owner_changes o where o.account_id = ${accountId}`,
    ),
  ];
  const found = await rows<{
    kind: TimelineEvent['kind'];
    at: number | string;
    data: Record<string, unknown>;
  }>(
    db,
    sql`select kind, at_ms as at, data from (
          select kind, ${epochMs(sql`at`)} as at_ms, data, at
          from (${sql.join(sources, sql` union all `)}) e
          order by at desc, kind limit ${limit}) newest
        order by at_ms, kind`,
  );
  // The JSON was built above for each kind: its fields are that kind's.
  return found.map((r) => ({ ...r.data, kind: r.kind, at: new Date(Number(r.at)) }) as TimelineEvent);
}
