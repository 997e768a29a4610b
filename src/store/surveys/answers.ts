/** Answers: a survey as a click on it sees it, and the score and comment it records. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { Account, Contact, Survey } from '../../db/schema.ts';
import { type Columns, dateOrNull, epochMs, instant } from '../sql.ts';

/** A survey as a click on it sees it. */
export type SurveyForAnswer = Pick<
  Survey,
  | 'id'
  | 'kind'
  | 'status'
  | 'locale'
  | 'route'
  | 'recipientSlackId'
  | 'score'
  | 'comment'
  | 'expiresAt'
  | 'accountId'
> &
  Pick<Account, 'ownerSlackId'> &
  Pick<Contact, 'email'> & { accountName: Account['name']; contactName: Contact['name'] };

/** Reads a survey for a click, locking it so two clicks at once are decided one after the other. */
export async function surveyForAnswer(tx: Executor, id: number): Promise<SurveyForAnswer | undefined> {
  const [r] = await rows<
    Columns<Survey, 'kind' | 'status' | 'locale' | 'route' | 'recipientSlackId' | 'score' | 'comment'> &
      Columns<Account, 'ownerSlackId'> &
      Columns<Contact, 'email'> & {
        id: number | string;
        expires_at: number | null;
        account_id: Account['id'];
        account_name: Account['name'];
        contact_name: Contact['name'];
      }
  >(
    tx,
    sql`select s.id, s.kind, s.status, s.locale, s.route, s.recipient_slack_id, s.score, s.comment,
          ${epochMs(sql`s.expires_at`)} as expires_at, a.id as account_id, a.name as account_name,
          a.owner_slack_id, c.name as contact_name, c.email
        from surveys s join accounts a on a.id = s.account_id join contacts c on c.id = s.contact_id
        where s.id = ${id}
        for update of s`,
  );
  if (!r) return undefined;
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    locale: r.locale,
    route: r.route,
    recipientSlackId: r.recipient_slack_id,
    score: r.score,
    comment: r.comment,
    expiresAt: dateOrNull(r.expires_at),
    accountId: r.account_id,
    accountName: r.account_name,
    ownerSlackId: r.owner_slack_id,
    contactName: r.contact_name,
    email: r.email,
  };
}

export async function recordScore(tx: Executor, id: number, score: number, now: Date): Promise<boolean> {
  const updated = await rows(
    tx,
    sql`update surveys set score = ${score}, status = 'answered', answered_at = ${instant(now)}
        where id = ${id} and status = 'sent' returning id`,
  );
  return updated.length === 1;
}

export async function recordComment(tx: Executor, id: number, comment: string): Promise<boolean> {
  const updated = await rows(
    tx,
    sql`update surveys set comment = ${comment} where id = ${id} and status = 'answered' returning id`,
  );
  return updated.length === 1;
}
