import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { SlackOutboxRow } from '../db/schema.ts';
import { type ChannelPacing, pacingBudget, SLACK_POST_PACING } from '../domain/channel-pacing.ts';
import { type Columns, epochMs } from './sql.ts';

/** The Web API methods the outbox calls (schema.ts OUTBOX_METHODS, also its check constraint). */
export type OutboxMethod = SlackOutboxRow['method'];

/**
 * Who reads a message: `internal` (account or portfolio data: never posted into a channel shared outside
 * the workspace) or `customer` (a survey, which carries only that customer's own question).
 */
export type OutboxAudience = SlackOutboxRow['audience'];

export interface OutboxMessage {
  /** The decision's key, built in domain/outbox-keys.ts: the same key twice enqueues one message. */
  dedupeKey: SlackOutboxRow['dedupeKey'];
  method: OutboxMethod;
  /** The Web API arguments, without the token. */
  payload: SlackOutboxRow['payload'];
  /** `internal` unless said otherwise. */
  audience?: OutboxAudience;
  /**
   * Where an internal post goes instead when its channel is shared outside the workspace (the alert
   * channel, for an account's own channel); without it such a post is refused.
   */
  fallbackChannel?: string;
  /**
   * The incident whose post this message updates or replies to: it waits for the post's `ts`, and an
   * update is rendered again from the incident when it is sent.
   */
  incidentId?: number;
}

/**
 * The insert of one message, `returning id` (no row when its dedupe key was already enqueued): the one
 * way a row is written, also used as a CTE by statements that link the row to what it posts.
 */
export const outboxInsert = (message: OutboxMessage): SQL =>
  sql`insert into slack_outbox (dedupe_key, method, payload, audience, fallback_channel, incident_id)
    values (${message.dedupeKey}, ${message.method}, ${JSON.stringify(message.payload)}::jsonb,
      ${message.audience ?? 'internal'}, ${message.fallbackChannel ?? null}, ${message.incidentId ?? null}::bigint)
    on conflict (dedupe_key) do nothing
    returning id`;

/**
 * Writes a message to the outbox in the caller's transaction, so the decision and its message commit
 * (or roll back) together. Returns the row's id, or undefined when this dedupe key was already enqueued.
 */
export async function enqueueSlackMessage(tx: Executor, message: OutboxMessage): Promise<number | undefined> {
  const [inserted] = await rows<{ id: number | string }>(tx, outboxInsert(message));
  return inserted && Number(inserted.id);
}

/**
 * Rewrites the arguments of a message nobody has started sending yet, so that what goes out reflects a
 * decision taken since it was enqueued. `outboxId` is the row's id, or a scalar subquery that reads it
 * from the row linking to it. Returns false once the message is sending or sent (or there is no row).
 */
export async function revisePendingMessage(
  tx: Executor,
  outboxId: SQL,
  payload: Record<string, unknown>,
): Promise<boolean> {
  const revised = await rows<{ id: number | string }>(
    tx,
    sql`update slack_outbox set payload = ${JSON.stringify(payload)}::jsonb
      where id = ${outboxId} and status = 'pending' returning id`,
  );
  return revised.length > 0;
}

/** A row claimed for one delivery attempt. */
export interface ClaimedMessage
  extends Pick<SlackOutboxRow, 'id' | 'method' | 'payload' | 'audience' | 'attempts'> {
  fallbackChannel?: string;
  /** The incident whose post it updates or replies to (see OutboxMessage). */
  incidentId?: number;
  /** This claim's number: the outcome is recorded only while the row still carries it. */
  claim: number;
  /**
   * Epoch ms since which an earlier post may have reached Slack unrecorded (its worker died, or the
   * search for it failed): look for that message before posting again.
   */
  unconfirmedSince?: number;
}

/**
 * Claims up to `limit` due rows: pending ones whose time has come, and `sending` ones whose worker has
 * held them longer than the lease (it crashed). The claim commits before Slack is called, so a crash
 * leaves the row in `sending` with the attempt's time, never back in `pending` by accident.
 *
 * Claiming is fair across channels: due chat.postMessage rows are ranked within their channel, and the
 * first of every channel come before the second of any, so one channel's backlog does not starve the
 * others. Posts are paced per channel by the budget every worker shares (src/domain/channel-pacing.ts):
 * the statement locks the budgets of the channels it may post to (skipping one another worker is
 * claiming from right now), takes no more posts of a channel than its budget allows once pacing has
 * begun, and spends the budget for what it took, all before it commits. Pacing runs on the database's
 * clock, the one every process shares.
 */
export async function claimDueMessages(
  db: Executor,
  options: { now: Date; leaseMs: number; limit: number; pacing?: ChannelPacing },
): Promise<ClaimedMessage[]> {
  const now = options.now.toISOString();
  const staleBefore = new Date(+options.now - options.leaseMs).toISOString();
  const { intervalMs, toleranceMs } = pacingBudget(options.pacing ?? SLACK_POST_PACING);
  const due = sql`((status = 'pending' and next_attempt_at <= ${now}::timestamptz)
    or (status = 'sending' and sending_since <= ${staleBefore}::timestamptz))`;
  const ms = (value: number) => sql`(${value}::float8 * interval '1 millisecond')`;
  // Every channel with a due post gets its budget row first, so the claim below always has one to lock.
  await db.execute(sql`insert into slack_channel_pacing (channel)
    select distinct payload->>'channel' from slack_outbox
    where ${due} and method = 'chat.postMessage' and payload->>'channel' is not null
    on conflict (channel) do nothing`);
  const claimed = await rows<
    Columns<SlackOutboxRow, 'method' | 'payload' | 'audience' | 'fallbackChannel' | 'attempts' | 'claims'> & {
      id: number | string;
      incident_id: number | string | null;
      unconfirmed_since: number | null;
    }
  >(
    db,
    // Ranking needs a window function, which FOR UPDATE does not allow in the same select: rank first,
    // then lock in rank order, skipping rows another worker holds and re-checking that they are due.
    // A budget locked FOR UPDATE is read as last committed, whatever this statement's snapshot saw.
    sql`with due_rows as (
          select id, next_attempt_at,
            case when method = 'chat.postMessage' then payload->>'channel' end as channel_key
          from slack_outbox where ${due}
        ), budgets as (
          select p.channel, p.next_post_at from slack_channel_pacing p
          where p.channel in (select channel_key from due_rows)
          for update skip locked
        ), allowed as (
          select b.channel,
            greatest(b.next_post_at, statement_timestamp() - ${ms(toleranceMs)}) as spend_from,
            case
              when not exists (select 1 from slack_channel_pacing where rate_limited_at is not null)
                then ${options.limit}
              when b.next_post_at is null or b.next_post_at <= statement_timestamp()
                then floor(extract(epoch from statement_timestamp()
                  - greatest(b.next_post_at, statement_timestamp() - ${ms(toleranceMs)})) * 1000
                  / ${intervalMs}::float8)::int + 1
              else 0
            end as posts
          from budgets b
        ), ranked as (
          select id, next_attempt_at as due_at, channel_key,
            row_number() over (partition by channel_key order by next_attempt_at, id) as rank
          from due_rows
        ), due as (
          select o.id, r.channel_key from slack_outbox o join ranked r on r.id = o.id
          left join allowed a on a.channel = r.channel_key
          where ${due} and (r.channel_key is null or r.rank <= a.posts)
          order by r.rank, r.due_at, r.id
          limit ${options.limit}
          for update of o skip locked
        ), spent as (
          update slack_channel_pacing p
          set next_post_at = least(a.spend_from + t.posts * ${ms(intervalMs)},
            statement_timestamp() + ${ms(intervalMs)})
          from (select channel_key, count(*)::int as posts from due where channel_key is not null group by 1) t
          join allowed a on a.channel = t.channel_key
          where p.channel = t.channel_key
        )
        update slack_outbox o
        set status = 'sending', sending_since = ${now}::timestamptz, claims = o.claims + 1,
          unconfirmed_since = coalesce(o.unconfirmed_since, ${now}::timestamptz)
        from due
        where o.id = due.id
        returning o.id, o.method, o.payload, o.audience, o.fallback_channel, o.incident_id, o.attempts, o.claims,
          case when o.unconfirmed_since < ${now}::timestamptz
            then ${epochMs(sql`o.unconfirmed_since`)} end as unconfirmed_since`,
  );
  return claimed
    .map((r) => ({
      id: Number(r.id),
      method: r.method,
      payload: r.payload,
      audience: r.audience,
      ...(r.fallback_channel !== null && { fallbackChannel: r.fallback_channel }),
      ...(r.incident_id !== null && { incidentId: Number(r.incident_id) }),
      attempts: r.attempts,
      claim: r.claims,
      ...(r.unconfirmed_since !== null && { unconfirmedSince: Number(r.unconfirmed_since) }),
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Slack answered 429 to a post to `channel`: from now on every worker paces every channel, and none posts
 * to this one before Retry-After and the cushion have passed (a later hold never shortens an earlier one).
 */
export async function holdChannel(db: Executor, channel: string, holdMs: number): Promise<void> {
  await db.execute(sql`insert into slack_channel_pacing (channel, next_post_at, rate_limited_at)
    values (${channel}, statement_timestamp() + (${holdMs}::float8 * interval '1 millisecond'),
      statement_timestamp())
    on conflict (channel) do update set
      next_post_at = greatest(slack_channel_pacing.next_post_at, excluded.next_post_at),
      rate_limited_at = excluded.rate_limited_at`);
}

/**
 * In how many milliseconds a paced channel with a due post may start it, when one is waiting for its
 * budget (undefined: none is, or pacing has not begun).
 */
export async function nextPacedPostIn(db: Executor, now: Date): Promise<number | undefined> {
  const [row] = await rows<{ wait: number | null }>(
    db,
    sql`select (extract(epoch from min(p.next_post_at) - statement_timestamp()) * 1000)::float8 as wait
        from slack_channel_pacing p
        where p.next_post_at > statement_timestamp()
          and exists (select 1 from slack_channel_pacing where rate_limited_at is not null)
          and p.channel in (select o.payload->>'channel' from slack_outbox o
            where o.status = 'pending' and o.next_attempt_at <= ${now.toISOString()}::timestamptz
              and o.method = 'chat.postMessage')`,
  );
  return row?.wait === null || row?.wait === undefined ? undefined : Number(row.wait);
}

export type Outcome =
  | { kind: 'sent'; channel?: string; ts?: string }
  /** `unconfirmed`: Slack's answer is still unknown, so the next claim must look for the message first. */
  | { kind: 'retry'; at: Date; error: string; countsAsAttempt: boolean; unconfirmed?: boolean }
  | { kind: 'failed'; error: string };

/** Records what Slack answered; false when the claim was lost (another worker recovered the row). */
export async function recordOutcome(
  db: Executor,
  message: ClaimedMessage,
  outcome: Outcome,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const fenced = sql`id = ${message.id} and status = 'sending' and claims = ${message.claim}`;
  const query =
    outcome.kind === 'sent'
      ? sql`update slack_outbox set status = 'sent', channel = ${outcome.channel ?? null},
            ts = ${outcome.ts ?? null}, sent_at = ${at}::timestamptz, last_error = null, unconfirmed_since = null
            where ${fenced} returning id`
      : outcome.kind === 'retry'
        ? sql`update slack_outbox set status = 'pending', next_attempt_at = ${outcome.at.toISOString()}::timestamptz,
              attempts = attempts + ${outcome.countsAsAttempt ? 1 : 0}, last_error = ${outcome.error},
              unconfirmed_since = ${outcome.unconfirmed ? sql`unconfirmed_since` : sql`null`}
              where ${fenced} returning id`
        : sql`update slack_outbox set status = 'failed', attempts = attempts + 1,
              last_error = ${outcome.error}, unconfirmed_since = null where ${fenced} returning id`;
  return (await rows(db, query)).length === 1;
}

/** Rows not yet sent or failed, and the earliest instant one of them is due (epoch ms). */
export async function outstandingMessages(
  db: Executor,
): Promise<{ count: number; nextDueAt: number | null }> {
  const [row] = await rows<{ count: number; next_due_at: number | null }>(
    db,
    sql`select count(*)::int as count,
          ${epochMs(sql`min(case when status = 'pending' then next_attempt_at else sending_since end)`)} as next_due_at
        from slack_outbox where status in ('pending','sending')`,
  );
  return { count: row!.count, nextDueAt: row!.next_due_at === null ? null : Number(row!.next_due_at) };
}

/** Rows waiting (`pending`) and being sent (`sending`): the backlog, counted through the due index. */
export async function countOutstandingByStatus(db: Executor): Promise<{ pending: number; sending: number }> {
  const counted = await rows<{
    status: Extract<SlackOutboxRow['status'], 'pending' | 'sending'>;
    count: number;
  }>(
    db,
    sql`select status, count(*)::int as count from slack_outbox
        where status in ('pending','sending') group by status`,
  );
  const counts = { pending: 0, sending: 0 };
  for (const row of counted) counts[row.status] = row.count;
  return counts;
}
