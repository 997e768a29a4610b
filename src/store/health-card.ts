/** The health card's data: one prepared statement, on the ack path of `/cs health`. */
import { eq, type Placeholder, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { type Account, accountHealth, accounts, slackChannels } from '../db/schema.ts';
import type { AlertCause, AlertStatus } from '../domain/alerts.ts';
import type { BillingFlag } from '../domain/billing-flags.ts';
import type { Band, ComponentResult } from '../domain/health.ts';
import { orderCauses } from '../domain/incidents.ts';
import { DAY, utcDay } from '../domain/time.ts';
import { causeOf } from './alerts/load.ts';
import { undeliveredAlertsOf } from './alerts/undelivered.ts';
import type { LastNote } from './notes.ts';
import { dateOrNull, epochMs } from './sql.ts';
import {
  accountFigureCounts,
  type FigureRow,
  SURVEY_WINDOW_DAYS,
  type SurveyFigures,
  surveyFiguresFrom,
} from './surveys/figures.ts';

const SPARKLINE_WEEKS = 8;

/** A billing flag as stored in `account_health.open_billing_flags` (JSON has no dates). */
type StoredBillingFlag = Omit<BillingFlag, 'occurredAt'> & { occurredAt: string };

export interface CurrentHealth {
  /** null when no component has data. */
  score: number | null;
  band: Band | null;
  /** As stored, in `computeHealth`'s order: the one pulling the score down most first, those without data last. */
  components: ComponentResult[];
  openBillingFlags: BillingFlag[];
  /** The version of the model that computed it (null before models were versioned). */
  modelVersion: string | null;
  /** The model's segment it was scored in, whose bands decided its band (null before segments were stored). */
  segment: string | null;
}

/** What the card shows of the account, and what its review due date is computed from. */
export type CardAccount = Pick<
  Account,
  | 'id'
  | 'key'
  | 'name'
  | 'tier'
  | 'stage'
  | 'status'
  | 'mrr'
  | 'currency'
  | 'ownerSlackId'
  | 'channelId'
  | 'timezone'
  | 'contractStart'
  | 'renewalDate'
>;

/** An open incident as the card lists it: who it was assigned to (null: the owner) and its causes. */
export interface CardIncident {
  id: number;
  assigneeSlackId: string | null;
  /** In `orderCauses` order: the first is the headline. */
  causes: Array<{ id: number; cause: AlertCause; status: AlertStatus }>;
}

/** Everything the health card shows. */
export interface HealthView {
  account: CardAccount;
  /** null until the account's health has been computed once. */
  health: CurrentHealth | null;
  /** Current score minus the snapshot score on or before now−7 days / now−30 days; null without one. */
  change7d: number | null;
  change30d: number | null;
  /** One score per week for the last 8 weeks, oldest first (the latest snapshot of each week); null for a week without one. */
  weekly: Array<number | null>;
  /** Newest fact the score was computed from: with no fresh data the card says how old it is. */
  dataAsOf: Date | null;
  /** Some of its alerts never reached Slack: the card lists them (a second query, only then). */
  hasUndeliveredAlerts: boolean;
  /** Its own channel is known to be shared outside the workspace, so its alerts go to the alert channel. */
  channelShared: boolean;
  /** NPS and CSAT of the surveys sent in the last 90 days. */
  surveys: SurveyFigures;
  /** The scheduled success review, and the start of the latest held or scheduled one (for the due date). */
  reviews: { scheduledAt: Date | null; lastReviewAt: Date | null };
  /** The account's newest note: the last touch. */
  lastNote: LastNote | null;
  /** The account's open incidents, oldest first. */
  openIncidents: CardIncident[];
}

type StoredCause = { id: number | string; kind: string; detail: unknown; status: AlertStatus };
type CauseArgs = Parameters<typeof causeOf>;

/** The parameters of the card's statement, by name: only values change from one card to the next. */
const param = {
  which: sql.placeholder('which'),
  today: sql.placeholder('today'),
  weekAgo: sql.placeholder('weekAgo'),
  monthAgo: sql.placeholder('monthAgo'),
  sparklineFrom: sql.placeholder('sparklineFrom'),
  surveysFrom: sql.placeholder('surveysFrom'),
  now: sql.placeholder('now'),
};

/**
 * The card's statement, by key or by id. Built once per executor and run prepared: drizzle builds no SQL
 * per card, and on the server postgres.js keeps it as a named statement per connection, so PostgreSQL
 * parses it once and may run it on a cached generic plan (planning this statement cost more than running
 * it). Its open incidents come in the same statement, each with its causes' kind, detail and status.
 */
function cardStatement(executor: Executor, by: 'key' | 'id') {
  const snapshotBefore = (day: Placeholder) => sql<number | null>`(select s.score from health_snapshots s
    where s.account_id = ${accounts.id} and s.day <= ${day}::date
    order by s.day desc limit 1)`;
  return executor
    .select({
      id: accounts.id,
      key: accounts.key,
      name: accounts.name,
      tier: accounts.tier,
      stage: accounts.stage,
      status: accounts.status,
      mrr: accounts.mrr,
      currency: accounts.currency,
      ownerSlackId: accounts.ownerSlackId,
      channelId: accounts.channelId,
      timezone: accounts.timezone,
      contractStart: accounts.contractStart,
      renewalDate: accounts.renewalDate,
      // Left-joined: null until the account's health has been computed.
      score: accountHealth.score,
      band: accountHealth.band,
      components: accountHealth.components,
      openBillingFlags: accountHealth.openBillingFlags,
      modelVersion: accountHealth.modelVersion,
      segment: accountHealth.segment,
      dataAsOf: accountHealth.dataAsOf,
      computed: sql<boolean>`${accountHealth.accountId} is not null`,
      score7dAgo: snapshotBefore(param.weekAgo),
      score30dAgo: snapshotBefore(param.monthAgo),
      // The sparkline's snapshots as two arrays, oldest first: days before today and score.
      recentDaysAgo: sql<number[] | null>`(select array_agg(${param.today}::date - s.day order by s.day)
        from health_snapshots s where s.account_id = ${accounts.id}
          and s.day <= ${param.today}::date and s.day > ${param.sparklineFrom}::date)`,
      recentScores: sql<Array<number | null> | null>`(select array_agg(s.score order by s.day)
        from health_snapshots s where s.account_id = ${accounts.id}
          and s.day <= ${param.today}::date and s.day > ${param.sparklineFrom}::date)`,
      // Scalar subqueries, not `exists`: PostgreSQL may run an `exists` as a hashed subplan, which reads
      // every failed outbox row (or every channel) once per card when it misjudges the outer row count,
      // as it does on tables not yet analysed. A scalar subquery is always one index probe per card.
      hasUndeliveredAlerts: sql<boolean>`coalesce((select true ${undeliveredAlertsOf(sql`${accounts.id}`)}
        limit 1), false)`,
      channelShared: sql<boolean>`coalesce((select c.shared from ${slackChannels} c
        where c.id = ${accounts.channelId}), false)`,
      surveyCounts: sql<FigureRow | null>`${accountFigureCounts(sql`${accounts.id}`, {
        from: sql`${param.surveysFrom}::timestamptz`,
        now: sql`${param.now}::timestamptz`,
      })}`,
      scheduledReviewAt: sql<number | null>`(select ${epochMs(sql`min(r.starts_at)`)} from success_reviews r
        where r.account_id = ${accounts.id} and r.status = 'scheduled')`,
      lastReviewAt: sql<number | null>`(select ${epochMs(sql`max(r.starts_at)`)} from success_reviews r
        where r.account_id = ${accounts.id} and r.status in ('held', 'scheduled'))`,
      lastNote: sql<{ author: string; at: number } | null>`(select json_build_object(
          'author', n.author, 'at', ${epochMs(sql`n.at`)})
        from account_notes n where n.account_id = ${accounts.id} order by n.at desc, n.id desc limit 1)`,
      openIncidents: sql<Array<{
        id: number | string;
        assignee: string | null;
        causes: StoredCause[] | null;
      }> | null>`(select json_agg(json_build_object('id', i.id, 'assignee', i.assignee_slack_id,
          'causes', (select json_agg(json_build_object('id', al.id, 'kind', al.kind, 'detail', al.detail,
            'status', al.status)) from alerts al where al.incident_id = i.id)) order by i.id)
        from incidents i where i.account_id = ${accounts.id} and i.resolved_at is null)`,
    })
    .from(accounts)
    .leftJoin(accountHealth, eq(accountHealth.accountId, accounts.id))
    .where(by === 'key' ? eq(accounts.key, param.which) : eq(accounts.id, param.which))
    .prepare(`health_card_by_${by}`);
}

type CardStatement = ReturnType<typeof cardStatement>;
const statements = new WeakMap<Executor, Partial<Record<'key' | 'id', CardStatement>>>();

function statementFor(executor: Executor, by: 'key' | 'id'): CardStatement {
  const built = statements.get(executor) ?? {};
  statements.set(executor, built);
  built[by] ??= cardStatement(executor, by);
  return built[by];
}

const dayBefore = (now: Date, days: number) => utcDay(new Date(+now - days * DAY));

/**
 * The health card of one account, by id or by key (with its survey figures, review dates, last note and
 * open incidents), or null when there is no such account. One round trip, the lookup by key included: it
 * is on the ack path.
 */
export async function loadHealthView(
  executor: Executor,
  which: number | { key: string },
  now: Date,
): Promise<HealthView | null> {
  const [found] = await statementFor(executor, typeof which === 'number' ? 'id' : 'key').execute({
    which: typeof which === 'number' ? which : which.key,
    today: utcDay(now),
    weekAgo: dayBefore(now, 7),
    monthAgo: dayBefore(now, 30),
    sparklineFrom: dayBefore(now, 7 * SPARKLINE_WEEKS),
    surveysFrom: new Date(+now - SURVEY_WINDOW_DAYS * DAY).toISOString(),
    now: now.toISOString(),
  });
  if (!found) return null;
  const score = found.score;
  const change = (before: number | null) => (score === null || before === null ? null : score - before);
  return {
    account: {
      id: found.id,
      key: found.key,
      name: found.name,
      tier: found.tier,
      stage: found.stage,
      status: found.status,
      mrr: found.mrr,
      currency: found.currency,
      ownerSlackId: found.ownerSlackId,
      channelId: found.channelId,
      timezone: found.timezone,
      contractStart: found.contractStart,
      renewalDate: found.renewalDate,
    },
    health: found.computed
      ? {
          score,
          band: found.band,
          components: found.components as ComponentResult[],
          openBillingFlags: (found.openBillingFlags as StoredBillingFlag[]).map((f) => ({
            ...f,
            occurredAt: new Date(f.occurredAt),
          })),
          modelVersion: found.modelVersion,
          segment: found.segment,
        }
      : null,
    change7d: change(found.score7dAgo),
    change30d: change(found.score30dAgo),
    weekly: weeklyScores(found.recentDaysAgo ?? [], found.recentScores ?? []),
    dataAsOf: found.dataAsOf,
    hasUndeliveredAlerts: found.hasUndeliveredAlerts,
    channelShared: found.channelShared,
    surveys: surveyFiguresFrom(found.surveyCounts),
    reviews: {
      scheduledAt: dateOrNull(found.scheduledReviewAt),
      lastReviewAt: dateOrNull(found.lastReviewAt),
    },
    lastNote: found.lastNote && { author: found.lastNote.author, at: new Date(found.lastNote.at) },
    openIncidents: (found.openIncidents ?? []).map((i) => ({
      id: Number(i.id),
      assigneeSlackId: i.assignee,
      causes: orderCauses(
        (i.causes ?? []).map((c) => ({
          id: Number(c.id),
          cause: causeOf(c.kind as CauseArgs[0], c.detail as CauseArgs[1]),
          status: c.status,
        })),
      ),
    })),
  };
}

/** Week i (oldest first) spans the 7 UTC days ending 7·(7−i) days before today; the latest snapshot in it wins. */
function weeklyScores(daysAgo: number[], scores: Array<number | null>): Array<number | null> {
  const weeks: Array<number | null> = Array(SPARKLINE_WEEKS).fill(null);
  daysAgo.forEach((days, i) => {
    weeks[SPARKLINE_WEEKS - 1 - Math.floor(days / 7)] = scores[i]!;
  });
  return weeks;
}
