import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import { csatPercent, netPromoterScore, responseRate } from '../domain/survey-figures.ts';
import {
  CONTACT_GAP_DAYS,
  type SurveyKind,
  type SurveyRoute,
  type SurveyStatus,
  type SurveyTrigger,
} from '../domain/surveys.ts';
import { DAY } from '../domain/time.ts';
import { bigintArray, dateOrNull, epochMs, instant, intArray } from './sql.ts';

/** Statuses that mean the person was (or is about to be) asked: they count for the contact rule. */
const CONTACTING = sql`('pending','sent','answered','expired')`;

/** Who a survey of an account goes to: its champions, and its decision makers when configured. */
const recipientRoles = (includeDecisionMakers: boolean) =>
  includeDecisionMakers ? sql`('champion','decision_maker')` : sql`('champion')`;

export interface SurveyCandidate {
  contactId: number;
  kind: SurveyKind;
  trigger: SurveyTrigger;
  dedupeKey: string;
  requestedBy?: string;
}

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
  const inserted = await rows<{ id: number | string; contact_id: number; dedupe_key: string }>(
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

export interface SurveyRecipient {
  contactId: number;
  name: string | null;
  email: string;
  slackUserId: string | null;
  role: string;
  /** The latest survey that reached this person by any identity, or is about to. */
  lastContactAt: Date | null;
}

/** `active` or `churned`; `churned` for an account that no longer exists, which is surveyed no more. */
export async function surveyAccountStatus(db: Executor, accountId: number): Promise<string> {
  const [found] = await rows<{ status: string }>(
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
  const found = await rows<{
    id: number;
    name: string | null;
    email: string;
    slack_user_id: string | null;
    role: string;
    last_contact_at: number | null;
  }>(
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
  const found = await rows<{ id: number; added_on: string }>(
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
    contact_id: number;
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

/** A survey waiting for its route, with what delivery needs to find the person and tell the CSM. */
export interface PendingSurvey {
  id: number;
  kind: SurveyKind;
  locale: string;
  accountId: number;
  accountName: string;
  accountStatus: string;
  channelId: string | null;
  ownerSlackId: string | null;
  contactId: number;
  contactName: string | null;
  email: string;
  slackUserId: string | null;
  createdAt: Date;
}

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
  const found = await rows<{
    id: number | string;
    kind: SurveyKind;
    locale: string;
    account_id: number;
    account_name: string;
    account_status: string;
    channel_id: string | null;
    owner_slack_id: string | null;
    contact_id: number;
    contact_name: string | null;
    email: string;
    slack_user_id: string | null;
    created_at: number;
  }>(
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

/** A survey Pulse gave up on, with whom to tell. */
export interface UndeliverableSurvey {
  id: number;
  kind: SurveyKind;
  reason: string;
  accountName: string;
  ownerSlackId: string | null;
  contactName: string | null;
  email: string;
}

const UNDELIVERABLE_COLUMNS = sql`s.id, s.kind, s.failure_reason as reason, a.name as account_name,
  a.owner_slack_id, c.name as contact_name, c.email`;

type UndeliverableRow = {
  id: number | string;
  kind: SurveyKind;
  reason: string;
  account_name: string;
  owner_slack_id: string | null;
  contact_name: string | null;
  email: string;
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
          and o.dedupe_key = 'survey:' || s.id || ':post' and o.status = 'sent'`,
  );
  const failed = await rows<UndeliverableRow>(
    tx,
    sql`with failed as (
          update surveys s set status = 'undeliverable', failure_reason = o.last_error
          from slack_outbox o
          where s.status = 'sent' and o.dedupe_key = 'survey:' || s.id || ':post' and o.status = 'failed'
          returning s.id, s.kind, s.failure_reason, s.account_id, s.contact_id
        )
        select ${UNDELIVERABLE_COLUMNS}
        from failed s join accounts a on a.id = s.account_id join contacts c on c.id = s.contact_id
        order by s.id`,
  );
  return failed.map(undeliverable);
}

/** A survey that just expired, with where its message is (when it can still be updated). */
export interface ExpiredSurvey {
  id: number;
  locale: string;
  route: SurveyRoute;
  channel: string | null;
  ts: string | null;
}

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
  const expired = await rows<{
    id: number | string;
    locale: string;
    route: SurveyRoute;
    channel: string | null;
    ts: string | null;
  }>(
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

/** A survey as a click on it sees it. */
export interface SurveyForAnswer {
  id: number;
  kind: SurveyKind;
  status: SurveyStatus;
  locale: string;
  route: SurveyRoute | null;
  recipientSlackId: string | null;
  score: number | null;
  comment: string | null;
  expiresAt: Date | null;
  accountId: number;
  accountName: string;
  ownerSlackId: string | null;
  contactName: string | null;
  email: string;
}

/** Reads a survey for a click, locking it so two clicks at once are decided one after the other. */
export async function surveyForAnswer(tx: Executor, id: number): Promise<SurveyForAnswer | undefined> {
  const [r] = await rows<{
    id: number | string;
    kind: SurveyKind;
    status: SurveyStatus;
    locale: string;
    route: SurveyRoute | null;
    recipient_slack_id: string | null;
    score: number | null;
    comment: string | null;
    expires_at: number | null;
    account_id: number;
    account_name: string;
    owner_slack_id: string | null;
    contact_name: string | null;
    email: string;
  }>(
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

/** One figure (NPS or CSAT %) with what it stands on: the answers counted and the share who answered. */
export interface SurveyFigure {
  /** NPS −100…+100 or CSAT % 0…100; null without answers. */
  value: number | null;
  responses: number;
  sent: number;
  /** Percent of the surveys sent in the window that were answered; null when none was sent. */
  responseRate: number | null;
}

export interface SurveyFigures {
  nps: SurveyFigure & { promoters: number; passives: number; detractors: number };
  csat: SurveyFigure & { satisfied: number };
}

export interface SurveyFiguresReport {
  windowDays: number;
  portfolio: SurveyFigures;
  /** Accounts with at least one survey sent in the window (of `accountIds` when given). */
  byAccount: Map<number, SurveyFigures>;
}

/** The window of the figures shown by default, in days. */
export const SURVEY_WINDOW_DAYS = 90;

/** The counts behind NPS and CSAT, over surveys `s`: one definition for every query that shows figures. */
const FIGURE_COUNTS = sql.raw(`count(*) filter (where s.kind = 'nps')::int as nps_sent,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score >= 9)::int as promoters,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score between 7 and 8)::int as passives,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score <= 6)::int as detractors,
  count(*) filter (where s.kind = 'csat')::int as csat_sent,
  count(*) filter (where s.kind = 'csat' and s.status = 'answered' and s.score >= 4)::int as satisfied,
  count(*) filter (where s.kind = 'csat' and s.status = 'answered')::int as csat_answers`);

/** Surveys `s` that reached someone in the window (undeliverable and pending ones are not "sent"). */
const inFigureWindow = (from: Date, now: Date) =>
  sql`s.sent_at > ${instant(from)} and s.sent_at <= ${instant(now)} and s.status in ('sent','answered','expired')`;

/** One account's figure counts as a JSON object, for a query that loads more than the figures. */
export const accountFigureCounts = (accountId: SQL, now: Date, windowDays = SURVEY_WINDOW_DAYS) =>
  sql`(select row_to_json(c) from (select ${FIGURE_COUNTS} from surveys s
    where s.account_id = ${accountId} and ${inFigureWindow(new Date(+now - windowDays * DAY), now)}) c)`;

export type FigureRow = {
  account_id?: number | null;
  nps_sent: number;
  promoters: number;
  passives: number;
  detractors: number;
  csat_sent: number;
  satisfied: number;
  csat_answers: number;
};

export function surveyFiguresFrom(r: FigureRow | undefined | null): SurveyFigures {
  const row = r ?? {
    account_id: null,
    nps_sent: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    csat_sent: 0,
    satisfied: 0,
    csat_answers: 0,
  };
  const npsResponses = row.promoters + row.passives + row.detractors;
  return {
    nps: {
      value: netPromoterScore(row),
      promoters: row.promoters,
      passives: row.passives,
      detractors: row.detractors,
      responses: npsResponses,
      sent: row.nps_sent,
      responseRate: responseRate({ answered: npsResponses, sent: row.nps_sent }),
    },
    csat: {
      value: csatPercent({ satisfied: row.satisfied, total: row.csat_answers }),
      satisfied: row.satisfied,
      responses: row.csat_answers,
      sent: row.csat_sent,
      responseRate: responseRate({ answered: row.csat_answers, sent: row.csat_sent }),
    },
  };
}

/**
 * NPS and CSAT per account and for the portfolio, over the surveys sent in the `windowDays` before
 * `now`: each figure comes with the answers it counts and the response rate of the same surveys.
 */
export async function loadSurveyFigures(
  db: Executor,
  opts: { now: Date; windowDays?: number; accountIds?: number[] },
): Promise<SurveyFiguresReport> {
  const windowDays = opts.windowDays ?? SURVEY_WINDOW_DAYS;
  const from = new Date(+opts.now - windowDays * DAY);
  // The portfolio always counts every account; `accountIds` only limits the per-account rows returned.
  const only = opts.accountIds
    ? sql`having grouping(s.account_id) = 1 or s.account_id = any(${intArray(opts.accountIds)})`
    : sql.empty();
  const found = await rows<FigureRow & { portfolio: boolean }>(
    db,
    sql`select s.account_id, grouping(s.account_id) = 1 as portfolio, ${FIGURE_COUNTS}
        from surveys s
        where ${inFigureWindow(from, opts.now)}
        group by grouping sets ((s.account_id), ())
        ${only}`,
  );
  const byAccount = new Map<number, SurveyFigures>();
  let portfolio: SurveyFigures = surveyFiguresFrom(undefined);
  for (const r of found) {
    if (r.portfolio) portfolio = surveyFiguresFrom(r);
    else byAccount.set(r.account_id!, surveyFiguresFrom(r));
  }
  return { windowDays, portfolio, byAccount };
}

/** Figures for an account with no survey in the window: every count zero, every figure null. */
export const emptySurveyFigures = (): SurveyFigures => surveyFiguresFrom(undefined);
