import { type SQL, sql } from 'drizzle-orm';
import { type Database, type Executor, rows } from '../db/client.ts';
import type { Account, AccountHealth, StoredBillingEvent, Survey } from '../db/schema.ts';
import {
  type BillingEvent,
  type BillingFlag,
  DISPUTE_OPEN_DAYS,
  DOWNGRADE_FLAG_DAYS,
  openBillingFlags,
} from '../domain/billing-flags.ts';
import {
  type Band,
  type Bands,
  type ComponentResult,
  type HealthComponent,
  type HealthInputs,
  LONG_OPEN_TICKET_DAYS,
} from '../domain/health.ts';
import type { HealthModel, Measure } from '../domain/health-model.ts';
import { builtInModel } from '../domain/health-model-built-in.ts';
import { evaluateModel, measureKey, modelMeasures } from '../domain/health-model-evaluation.ts';
import { isReviewOverdue, nextReviewDue, type ReviewCadence } from '../domain/reviews.ts';
import { DAY, utcDay } from '../domain/time.ts';
import { type Columns, epochMs, instant, onlyAccounts } from './sql.ts';

/** Usage compares the average day of the last week with the average day of the four weeks before it. */
const RECENT_USAGE_DAYS = 7;
const PREVIOUS_USAGE_DAYS = 28;
/** An open-tickets count older than this says nothing about today's support load. */
const TICKETS_FRESH_DAYS = 30;
/** Sentiment reads each contact's latest NPS and CSAT answer of this window (the longest NPS cadence). */
const SENTIMENT_DAYS = 180;

const daysBefore = (now: Date, days: number) => new Date(+now - days * DAY);
// Snapshots are kept per UTC day: `utcDay` names the day of an instant.

type InputsRow = Columns<Account, 'seats' | 'tier' | 'stage' | 'status' | 'contractStart' | 'timezone'> & {
  account_id: Account['id'];
  last_review_at: number | null;
  active_users_recent: number | null;
  active_users_previous: number | null;
  logins_recent: number | null;
  mau_recent: number | null;
  wau_recent: number | null;
  logins_previous: number | null;
  open_tickets: number | null;
  long_open_tickets: number | null;
  contacts: number;
  champions: number;
  has_billing: boolean;
  milestones_reached: number | null;
  milestones_overdue: number | null;
  answers: Array<{ kind: Survey['kind']; score: number }> | null;
  data_as_of: number | null;
  /** The model's measures, in `modelMeasures` order. */
  measures: Array<number | null>;
};

/** What a model's metric aggregation is in SQL, over the points of its metric and window (`where`). */
function aggregateOf(m: Measure, where: SQL): SQL {
  const latest = sql.raw('array[extract(epoch from m.at)::float8, m.value]');
  switch (m.aggregation) {
    case 'avg':
      return sql`avg(m.value) filter (where ${where})`;
    case 'sum':
      return sql`sum(m.value) filter (where ${where})`;
    case 'min':
      return sql`min(m.value) filter (where ${where})`;
    case 'max':
      return sql`max(m.value) filter (where ${where})`;
    case 'last':
      return sql`(max(${latest}) filter (where ${where}))[2]`;
    case 'count_days_with_value':
      return sql`nullif(count(*) filter (where ${where}), 0)`;
    case 'share_of_days_meeting': {
      const meets =
        m.day!.at_least === undefined
          ? sql`m.value <= ${m.day!.at_most}`
          : sql`m.value >= ${m.day!.at_least}`;
      // The days meeting the condition; null (no data) when the window holds no point at all.
      return sql`case when count(*) filter (where ${where}) > 0
        then count(*) filter (where ${where} and ${meets}) end`;
    }
  }
}

/**
 * The model's measures as columns of the one pass over the metric window: an aggregate with a FILTER
 * per measure. Metric names and thresholds are bound parameters; only the aggregate's name is SQL, and
 * it comes from the schema's closed list.
 */
function measureColumns(measures: Measure[], now: Date): SQL {
  if (!measures.length) return sql.empty();
  return sql.join(
    measures.map(
      (m, i) =>
        sql`, (${aggregateOf(m, sql`m.metric = ${m.metric} and m.at > ${instant(daysBefore(now, m.window_days))}`)})::float8 as ${sql.raw(`measure_${i}`)}`,
    ),
  );
}

/** As JSON: both drivers read it as numbers, where a float8[] comes back as text from one of them. */
const measuresArray = (measures: Measure[]) =>
  measures.length
    ? sql`json_build_array(${sql.join(
        measures.map((_, i) => sql.raw(`u.measure_${i}`)),
        sql`, `,
      )})`
    : sql`'[]'::json`;

/**
 * One row per account with every number the health model reads, in one pass over the metric window:
 * a parallel sequential scan with hashed aggregates when recomputing everyone, primary-key lookups when
 * recomputing a few accounts. "Latest value" is `max(array[epoch, value])` rather than an ordered
 * aggregate, because ordered aggregates rule out hash aggregation.
 */
function inputsQuery(accountIds: number[] | undefined, now: Date, measures: Measure[]): SQL {
  const recentFrom = instant(daysBefore(now, RECENT_USAGE_DAYS));
  const previousFrom = instant(daysBefore(now, RECENT_USAGE_DAYS + PREVIOUS_USAGE_DAYS));
  const longFrom = instant(daysBefore(now, LONG_OPEN_TICKET_DAYS));
  const ticketsFrom = instant(daysBefore(now, TICKETS_FRESH_DAYS));
  const windowFrom = daysBefore(
    now,
    Math.max(
      RECENT_USAGE_DAYS + PREVIOUS_USAGE_DAYS,
      TICKETS_FRESH_DAYS,
      ...measures.map((m) => m.window_days),
    ),
  );
  const latest = sql.raw('array[extract(epoch from m.at)::float8, m.value]');
  return sql`
    with usage as (
      select m.account_id,
        avg(m.value) filter (where m.metric = 'active_users' and m.at > ${recentFrom}) as active_users_recent,
        avg(m.value) filter (
          where m.metric = 'active_users' and m.at > ${previousFrom} and m.at <= ${recentFrom}) as active_users_previous,
        avg(m.value) filter (where m.metric = 'logins' and m.at > ${recentFrom}) as logins_recent,
        avg(m.value) filter (where m.metric = 'mau' and m.at > ${recentFrom}) as mau_recent,
        avg(m.value) filter (where m.metric = 'wau' and m.at > ${recentFrom}) as wau_recent,
        avg(m.value) filter (
          where m.metric = 'logins' and m.at > ${previousFrom} and m.at <= ${recentFrom}) as logins_previous,
        max(${latest}) filter (where m.metric = 'tickets_open' and m.at > ${ticketsFrom}) as tickets_latest,
        max(${latest}) filter (
          where m.metric = 'tickets_open' and m.at > ${ticketsFrom} and m.at <= ${longFrom}) as tickets_before_long,
        min(m.value) filter (where m.metric = 'tickets_open' and m.at > ${longFrom}) as tickets_min_long,
        max(m.at) as last_at
        ${measureColumns(measures, now)}
      from metric_points m
      where m.at > ${instant(windowFrom)} and m.at <= ${instant(now)} ${onlyAccounts(sql`m.account_id`, accountIds)}
      group by m.account_id
    ), people as (
      select c.account_id, count(*)::int as contacts, (count(*) filter (where c.role = 'champion'))::int as champions
      from contacts c
      where true ${onlyAccounts(sql`c.account_id`, accountIds)}
      group by c.account_id
    ), billing as (
      select b.account_id, max(b.occurred_at) as last_at
      from billing_events b
      where b.occurred_at <= ${instant(now)} ${onlyAccounts(sql`b.account_id`, accountIds)}
      group by b.account_id
    ), outcomes as (
      -- A planned milestone not yet due counts neither way: only reached and overdue ones say something.
      select m.account_id,
        (count(*) filter (where m.reached_at <= ${instant(now)}))::int as reached,
        (count(*) filter (where (m.reached_at is null or m.reached_at > ${instant(now)})
          and m.planned_for < ${utcDay(now)}::date))::int as overdue
      from milestones m
      where true ${onlyAccounts(sql`m.account_id`, accountIds)}
      group by m.account_id
    ), latest_answers as (
      select distinct on (s.contact_id, s.kind) s.account_id, s.kind, s.score
      from surveys s
      where s.status = 'answered' and s.answered_at <= ${instant(now)}
        and s.answered_at > ${instant(daysBefore(now, SENTIMENT_DAYS))} ${onlyAccounts(sql`s.account_id`, accountIds)}
      order by s.contact_id, s.kind, s.answered_at desc
    ), reviews as (
      select r.account_id, max(r.starts_at) as last_at
      from success_reviews r
      where r.status in ('held', 'scheduled') ${onlyAccounts(sql`r.account_id`, accountIds)}
      group by r.account_id
    ), sentiment as (
      select account_id, json_agg(json_build_object('kind', kind, 'score', score)) as answers
      from latest_answers
      group by account_id
    )
    select a.id as account_id, a.seats, a.tier, a.stage, a.status, to_char(a.contract_start, 'YYYY-MM-DD') as contract_start,
      a.timezone, ${epochMs(sql`rv.last_at`)} as last_review_at,
      u.active_users_recent, u.active_users_previous, u.logins_recent, u.logins_previous, u.mau_recent, u.wau_recent,
      u.tickets_latest[2] as open_tickets,
      -- The count at the start of the 14 days counts too; without a point that old the span is not covered.
      case when u.tickets_before_long is not null
        then least(u.tickets_min_long, u.tickets_before_long[2]) end as long_open_tickets,
      coalesce(p.contacts, 0) as contacts, coalesce(p.champions, 0) as champions,
      b.account_id is not null as has_billing,
      o.reached as milestones_reached, o.overdue as milestones_overdue, se.answers, ${measuresArray(measures)} as measures,
      ${epochMs(sql`greatest(
        -- Only an account silent for the whole window needs its older history looked up.
        coalesce(u.last_at, (select max(o.at) from metric_points o where o.account_id = a.id and o.at <= ${instant(now)})),
        b.last_at)`)} as data_as_of
    from accounts a
    left join usage u on u.account_id = a.id
    left join people p on p.account_id = a.id
    left join billing b on b.account_id = a.id
    left join outcomes o on o.account_id = a.id
    left join sentiment se on se.account_id = a.id
    left join reviews rv on rv.account_id = a.id
    where true ${onlyAccounts(sql`a.id`, accountIds)}
    order by a.id`;
}

type BillingEventRow = Columns<
  StoredBillingEvent,
  'accountId' | 'externalId' | 'type' | 'amount' | 'currency' | 'dueDate' | 'cardExpiresAt'
> & { occurred_at: number };

/**
 * The billing events `openBillingFlags` needs, not the whole history: the latest payment (it decides
 * whether any earlier flag or card expiry is cleared), the latest card_expiring, the flags at or after
 * the latest payment, and the disputes and downgrades still inside their fixed windows.
 */
function billingEventsQuery(accountIds: number[] | undefined, now: Date): SQL {
  return sql`
    with past as (
      select b.id, b.account_id, b.external_id, b.type, b.occurred_at, b.amount, b.currency, b.due_date,
        b.card_expires_at
      from billing_events b
      where b.occurred_at <= ${instant(now)} ${onlyAccounts(sql`b.account_id`, accountIds)}
    ), latest as (
      select account_id,
        max(occurred_at) filter (where type in ('payment_succeeded', 'invoice_paid')) as paid_at,
        max(occurred_at) filter (where type = 'card_expiring') as card_at
      from past
      group by account_id
    )
    select e.account_id, e.external_id, e.type, ${epochMs(sql`e.occurred_at`)} as occurred_at,
      e.amount::text as amount, e.currency, to_char(e.due_date, 'YYYY-MM-DD') as due_date,
      to_char(e.card_expires_at, 'YYYY-MM-DD') as card_expires_at
    from past e
    join latest l on l.account_id = e.account_id
    where case e.type
      when 'payment_succeeded' then e.occurred_at = l.paid_at
      when 'invoice_paid' then e.occurred_at = l.paid_at
      when 'card_expiring' then e.occurred_at = l.card_at
      when 'dispute_opened' then e.occurred_at > ${instant(daysBefore(now, DISPUTE_OPEN_DAYS))}
      when 'subscription_downgraded' then e.occurred_at > ${instant(daysBefore(now, DOWNGRADE_FLAG_DAYS))}
      else l.paid_at is null or e.occurred_at >= l.paid_at
    end
    order by e.account_id, e.occurred_at, e.id`;
}

/** What one recomputation writes for one account. */
export type HealthRow = Columns<
  AccountHealth,
  'accountId' | 'score' | 'band' | 'components' | 'modelVersion' | 'segment'
> & {
  open_billing_flags: BillingFlag[];
  /** ISO text: the row travels as JSON. */
  data_as_of: string | null;
};

/**
 * Texts as one array literal. `JSON.stringify` of a text escapes exactly what an array element needs
 * (`"` and `\\`) and quotes it; a band name, a segment name (a slug) or an ISO instant gains no other
 * escape, so their JSON array is the array literal with braces; a null is written `null`, which an array
 * literal reads as NULL.
 */
const textsArray = (texts: ReadonlyArray<string | null>) => `{${JSON.stringify(texts).slice(1, -1)}}`;

/**
 * Both upserts in one statement, so the current health and today's snapshot can never disagree. The rows
 * travel column by column, zipped back by `rows from`: the scalars as arrays, the components and flags as
 * JSON arrays whose elements are cast to jsonb one by one. PostgreSQL takes these apart far faster than
 * one JSON document of every row (at 100k accounts, about 1 s of CPU against 6 s for `jsonb_to_recordset`),
 * and writing them costs the bot one `JSON.stringify` each. The model version is the same for every row:
 * one parameter. A snapshot whose values did not change (the same day computed again) is not rewritten;
 * the current health always is, `computed_at` included: the end of a snooze is checked against it.
 */
function writeQuery(health: HealthRow[], now: Date, modelVersion: HealthRow['model_version']): SQL {
  const ids = `{${health.map((h) => h.account_id).join(',')}}`;
  const scores = `{${health.map((h) => h.score ?? 'NULL').join(',')}}`;
  const bands = textsArray(health.map((h) => h.band));
  const dataAsOf = textsArray(health.map((h) => h.data_as_of));
  const segments = textsArray(health.map((h) => h.segment));
  const components = JSON.stringify(health.map((h) => h.components));
  const flags = JSON.stringify(health.map((h) => h.open_billing_flags));
  return sql`
    with input as (
      select r.account_id, r.score, r.band, r.components::jsonb as components,
        r.open_billing_flags::jsonb as open_billing_flags, r.data_as_of, r.segment
      from rows from (unnest(${ids}::int[]), unnest(${scores}::smallint[]), unnest(${bands}::text[]),
        json_array_elements(${components}::json), json_array_elements(${flags}::json),
        unnest(${dataAsOf}::timestamptz[]), unnest(${segments}::text[]))
        as r(account_id, score, band, components, open_billing_flags, data_as_of, segment)
    ), current_health as (
      insert into account_health (account_id, score, band, components, open_billing_flags, data_as_of, computed_at,
        model_version, segment)
      select account_id, score, band, components, open_billing_flags, data_as_of, ${instant(now)}, ${modelVersion},
        segment
      from input
      on conflict (account_id) do update set
        score = excluded.score, band = excluded.band, components = excluded.components,
        open_billing_flags = excluded.open_billing_flags, data_as_of = excluded.data_as_of,
        computed_at = excluded.computed_at, model_version = excluded.model_version, segment = excluded.segment
    )
    insert into health_snapshots as s (account_id, day, score, band, components, model_version)
    select account_id, ${utcDay(now)}::date, score, band, components, ${modelVersion} from input
    on conflict (account_id, day) do update set
      score = excluded.score, band = excluded.band, components = excluded.components,
      model_version = excluded.model_version
    where (s.score, s.band, s.components, s.model_version)
      is distinct from (excluded.score, excluded.band, excluded.components, excluded.model_version)`;
}

/** The model in effect, or the built-in model with HEALTH_WEIGHTS and HEALTH_BANDS applied. */
export type ModelChoice = { model: HealthModel } | { weights: Record<HealthComponent, number>; bands: Bands };
export const modelOf = (choice: ModelChoice): HealthModel =>
  'model' in choice ? choice.model : builtInModel(choice.weights, choice.bands);

export type RecomputeOptions = ModelChoice & {
  /** The accounts to recompute; undefined = every account, churned ones included. */
  accountIds?: number[];
  /** Facts dated after it are ignored. */
  now: Date;
  /** Months between success reviews by tier; without it, reviews are left out of the relationship. */
  reviewCadence?: ReviewCadence;
  /** PULSE_TIMEZONE: the zone of review due dates for accounts without their own. */
  timezone?: string;
};

/**
 * Recomputes the health of many accounts set-based: two reads (model inputs, billing events), the pure
 * domain in between, one write. Returns the number of accounts recomputed.
 */
export async function recomputeHealth(db: Database, opts: RecomputeOptions): Promise<number> {
  if (opts.accountIds?.length === 0) return 0;
  return db.orm.transaction(async (tx) => {
    const health = await scoreHealth(tx, opts);
    if (!health.length) return 0;
    await tx.execute(writeQuery(health, opts.now, health[0]!.model_version));
    return health.length;
  });
}

/**
 * The health of these accounts as of `now` under the model, without writing it (in the caller's
 * transaction): what a recomputation would write, and what `npm run health:preview` compares.
 */
export async function scoreHealth(tx: Executor, opts: RecomputeOptions): Promise<HealthRow[]> {
  const { accountIds, now } = opts;
  // Aggregating 100k accounts' state at once needs more than the default 4 MB to stay in memory. One
  // account or thousands are read through the same statements: a plan cached for a few would walk the
  // metric window by index for each of thousands, so every execution is planned for its own accounts.
  await tx.execute(
    sql`select set_config('work_mem', '64MB', true), set_config('plan_cache_mode', 'force_custom_plan', true)`,
  );
  const model = modelOf(opts);
  const measures = modelMeasures(model);
  const keys = measures.map(measureKey);
  const inputs = await rows<InputsRow>(tx, inputsQuery(accountIds, now, measures));
  if (!inputs.length) return [];
  const events = new Map<number, BillingEvent[]>();
  for (const e of await rows<BillingEventRow>(tx, billingEventsQuery(accountIds, now))) {
    const list = events.get(e.account_id) ?? [];
    list.push({
      externalId: e.external_id,
      type: e.type,
      occurredAt: new Date(e.occurred_at),
      amount: e.amount,
      currency: e.currency,
      dueDate: e.due_date,
      cardExpiresAt: e.card_expires_at,
    });
    events.set(e.account_id, list);
  }
  return inputs.map((row): HealthRow => {
    const openFlags = openBillingFlags(events.get(row.account_id) ?? [], now);
    const result = evaluateModel(model, {
      tier: row.tier,
      stage: row.stage,
      health: toHealthInputs(row, openFlags, opts),
      measures: new Map(keys.map((key, i) => [key, row.measures[i] ?? null])),
    });
    return {
      account_id: row.account_id,
      score: result.score,
      band: result.band,
      components: result.components,
      model_version: model.version,
      segment: result.segment.name,
      open_billing_flags: openFlags,
      data_as_of: row.data_as_of === null ? null : new Date(row.data_as_of).toISOString(),
    };
  });
}

function reviewStanding(row: InputsRow, opts: RecomputeOptions): { due: string; overdue: boolean } | null {
  if (!opts.reviewCadence) return null;
  const zone = row.timezone ?? opts.timezone ?? 'UTC';
  const due = nextReviewDue(
    {
      tier: row.tier,
      status: row.status,
      lastReviewAt: row.last_review_at === null ? null : new Date(row.last_review_at),
      contractStart: row.contract_start,
      zone,
    },
    opts.reviewCadence,
  );
  return due === null ? null : { due, overdue: isReviewOverdue(due, opts.now, zone) };
}

function toHealthInputs(row: InputsRow, openFlags: BillingFlag[], opts: RecomputeOptions): HealthInputs {
  return {
    seats: row.seats,
    usage: {
      activeUsersRecent: row.active_users_recent,
      activeUsersPrevious: row.active_users_previous,
      loginsRecent: row.logins_recent,
      loginsPrevious: row.logins_previous,
      mauRecent: row.mau_recent,
      wauRecent: row.wau_recent,
    },
    support: { openTickets: row.open_tickets, longOpenTickets: row.long_open_tickets },
    billing: { hasHistory: row.has_billing, openFlags },
    relationship: { contacts: row.contacts, champions: row.champions, review: reviewStanding(row, opts) },
    outcomes:
      row.milestones_reached === null
        ? null
        : { reached: row.milestones_reached, overdue: row.milestones_overdue ?? 0 },
    sentiment: row.answers ? { answers: row.answers } : null,
  };
}

/** An account's health as it stood before a recomputation: what the health alert rules compare with. */
export interface HealthBefore {
  score: number | null;
  /** Its band as the recomputation that wrote it decided (with the account's segment then). */
  band: Band | null;
  /** Parsed when first read: the rules read it only for an alert that opens. */
  readonly components: ComponentResult[];
  /** The highest-scoring snapshot of the last `windowDays` UTC days up to today (the earliest of equals), if any. */
  snapshots: Array<{ day: string; score: number | null; readonly components: ComponentResult[] }>;
}

/** A JSON value parsed the first time it is read. */
function parsedOnRead<T extends object>(target: T, key: string, text: string | null, empty: unknown): T {
  let value: unknown;
  return Object.defineProperty(target, key, {
    enumerable: true,
    get: () => {
      value ??= text === null ? empty : JSON.parse(text);
      return value;
    },
  });
}

/**
 * The stored health and the peak snapshot of the fall window of these accounts (undefined = all), in one
 * query; read before the recomputation rewrites them. Components travel as text and are parsed only if
 * an alert needs them: at 100k accounts parsing them all cost more than the rest of the evaluation.
 * Accounts never computed are absent.
 */
export async function readHealthBefore(
  executor: Executor,
  opts: { accountIds?: number[]; now: Date; windowDays: number; modelVersion: string },
): Promise<Map<number, HealthBefore>> {
  const found = await rows<{
    account_id: number;
    score: number | null;
    band: Band | null;
    components: string | null;
    peak_day: string | null;
    peak_score: number | null;
    peak_components: string | null;
  }>(
    executor,
    sql`with peak as (
        select distinct on (s.account_id) s.account_id, to_char(s.day, 'YYYY-MM-DD') as day, s.score,
          s.components::text as components
        from health_snapshots s
        where s.day >= ${utcDay(daysBefore(opts.now, opts.windowDays))}::date and s.day <= ${utcDay(opts.now)}::date
          and s.score is not null ${onlyAccounts(sql`s.account_id`, opts.accountIds)}
          -- A day scored by another model is no peak to fall from: a model change is not a fall.
          and s.model_version is not distinct from ${opts.modelVersion}
        order by s.account_id, s.score desc, s.day
      ), current_health as (
        select h.account_id, h.score, h.band, h.components::text as components from account_health h
        where true ${onlyAccounts(sql`h.account_id`, opts.accountIds)}
      )
      select coalesce(h.account_id, p.account_id) as account_id, h.score, h.band, h.components,
        p.day as peak_day, p.score as peak_score, p.components as peak_components
      from current_health h
      full join peak p on p.account_id = h.account_id`,
  );
  return new Map(
    found.map((r) => {
      const peak =
        r.peak_day === null
          ? []
          : [parsedOnRead({ day: r.peak_day, score: r.peak_score }, 'components', r.peak_components, [])];
      const before = parsedOnRead(
        { score: r.score, band: r.band, snapshots: peak },
        'components',
        r.components,
        [],
      );
      return [r.account_id, before as HealthBefore];
    }),
  );
}

/**
 * Whether some account's current health was computed with another model than this one, or before its
 * segment was stored with it (migration 0023): the card and alerts read the segment's bands from there.
 */
export async function scoredWithOtherModel(executor: Executor, modelVersion: string): Promise<boolean> {
  const [found] = await rows<{ other: boolean }>(
    executor,
    sql`select exists (select 1 from account_health h
      where h.model_version is distinct from ${modelVersion} or h.segment is null) as other`,
  );
  return found?.other ?? false;
}

export type PortfolioBand = Band | 'no_data';

export type PortfolioAccount = Pick<Account, 'key' | 'name' | 'tier' | 'ownerSlackId' | 'renewalDate'> & {
  score: number | null;
  band: Band | null;
  change7d: number | null;
  /** The account's unresolved alerts: what "flag" means wherever Pulse counts them (App Home, digest). */
  openFlags: number;
};

export interface Portfolio {
  /** Active accounts matching the filter (for paging). */
  total: number;
  /** Active accounts per band, whatever the filter. */
  counts: Record<PortfolioBand, number>;
  accounts: PortfolioAccount[];
}

type PortfolioRow = Columns<Account, 'key' | 'name' | 'tier' | 'ownerSlackId' | 'renewalDate'> & {
  // Left-joined: an account never computed has no health yet.
  score: AccountHealth['score'];
  band: AccountHealth['band'];
  change_7d: number | null;
  open_flags: number;
};

/** Worst first: red, then accounts without data (silence is not health), then yellow and green. */
export const bandRank = (band: SQL) =>
  sql`case coalesce(${band}, 'no_data') when 'red' then 0 when 'no_data' then 1 when 'yellow' then 2 else 3 end`;

/**
 * The active accounts, worst first: red (lowest score first), then the accounts with no data (silence is
 * not health, so they come before any account known to be fine; by key among them), then
 * yellow and green, lowest score first. Two queries: the counts, and one page with its 7-day change.
 */
export async function listPortfolio(
  executor: Executor,
  opts: { band?: Band; limit: number; offset?: number; now: Date },
): Promise<Portfolio> {
  const counted = await rows<{ band: PortfolioBand; accounts: number }>(
    executor,
    sql`select coalesce(h.band, 'no_data') as band, count(*)::int as accounts
      from accounts a left join account_health h on h.account_id = a.id
      where a.status = 'active'
      group by 1`,
  );
  const counts: Record<PortfolioBand, number> = { red: 0, no_data: 0, yellow: 0, green: 0 };
  for (const c of counted) counts[c.band] = c.accounts;
  const total = opts.band ? counts[opts.band] : counted.reduce((sum, c) => sum + c.accounts, 0);
  const page = await rows<PortfolioRow>(
    executor,
    sql`select p.key, p.name, p.tier, p.owner_slack_id, to_char(p.renewal_date, 'YYYY-MM-DD') as renewal_date,
        p.score, p.band, p.open_flags,
        p.score - (select s.score from health_snapshots s
          where s.account_id = p.id and s.day <= ${utcDay(daysBefore(opts.now, 7))}::date
          order by s.day desc limit 1) as change_7d
      from (
        select a.id, a.key, a.name, a.tier, a.owner_slack_id, a.renewal_date, h.score, h.band,
          (select count(*)::int from alerts al where al.account_id = a.id and al.status <> 'resolved') as open_flags,
          ${bandRank(sql`h.band`)} as band_rank
        from accounts a left join account_health h on h.account_id = a.id
        where a.status = 'active' ${opts.band ? sql`and h.band = ${opts.band}` : sql.empty()}
        order by band_rank, h.score, a.key
        limit ${opts.limit} offset ${opts.offset ?? 0}
      ) p
      order by p.band_rank, p.score, p.key`,
  );
  return {
    total,
    counts,
    accounts: page.map((r) => ({
      key: r.key,
      name: r.name,
      tier: r.tier,
      ownerSlackId: r.owner_slack_id,
      renewalDate: r.renewal_date,
      score: r.score,
      band: r.band,
      change7d: r.change_7d,
      openFlags: r.open_flags,
    })),
  };
}

/**
 * The accounts churned since `since`, each with the day `horizon` days before its churn day (in
 * `timezone`): the day the back-test reads its band on.
 */
export async function churnedForBacktest(
  executor: Executor,
  scope: { since: Date; horizon: number; timezone: string },
): Promise<Array<{ account_id: number; day: string }>> {
  return rows(
    executor,
    sql`select a.id as account_id,
        to_char((a.churned_at at time zone ${scope.timezone})::date - ${scope.horizon}::int, 'YYYY-MM-DD') as day
      from accounts a
      where a.status = 'churned' and a.churned_at >= ${instant(scope.since)}
      order by a.id`,
  );
}
