import type { BillingFlag, BillingFlagType } from './billing-flags.ts';
import builtIn from './health-models/built-in.json' with { type: 'json' };

/**
 * The health score of docs/cs-method.md: a weighted average Σ(wᵢ·xᵢ)/Σwᵢ of component scores (0–100).
 * A component without data is left out and its weight spread over the others in proportion;
 * it is never counted as zero or as perfect.
 */
export const HEALTH_COMPONENTS = [
  'usage',
  'outcomes',
  'sentiment',
  'support',
  'billing',
  'relationship',
] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

/** The built-in model's weights (health-models/built-in.json, the file a team's own model starts from). */
export const DEFAULT_WEIGHTS: Record<HealthComponent, number> = builtIn.default.weights;

/** Bands as the market leader ships them: red 0–50, yellow 51–75, green 76–100. */
export const DEFAULT_BANDS = {
  redMax: builtIn.default.bands.red_max,
  yellowMax: builtIn.default.bands.yellow_max,
};
export type Bands = typeof DEFAULT_BANDS;
export type Band = 'red' | 'yellow' | 'green';

/** Share of seats active on an average day that counts as full use (a B2B product is rarely used by every seat daily). */
export const USAGE_TARGET_UTILISATION = 0.7;
/** A fall in usage costs this many points per percent: a 40% fall empties the trend half of usage. */
const USAGE_FALL_PENALTY = 250;
const POINTS_PER_OPEN_TICKET = 10;
const POINTS_PER_LONG_OPEN_TICKET = 10;
export const LONG_OPEN_TICKET_DAYS = 14;

/** How hard each open billing flag pulls the billing component down: the worst open flag sets it. */
export const BILLING_FLAG_SCORE: Record<BillingFlagType, number> = {
  subscription_canceled: 0,
  dispute_opened: 0,
  payment_failed: 20,
  invoice_overdue: 30,
  subscription_downgraded: 50,
  card_expiring: 60,
};

/** The stored facts about one account that the health model reads; produced set-based by the store. */
export interface HealthInputs {
  seats: number | null;
  usage: {
    /** Average daily active users over the last 7 days, and over the 28 days before them. */
    activeUsersRecent: number | null;
    activeUsersPrevious: number | null;
    loginsRecent: number | null;
    loginsPrevious: number | null;
    /** Average of the `mau` and `wau` points of the last 7 days, when the product sends them. */
    mauRecent?: number | null;
    wauRecent?: number | null;
  };
  support: {
    /** Latest tickets_open value within 30 days. */
    openTickets: number | null;
    /** Lowest tickets_open over the last 14 days, when data covers them: tickets open that long at least. */
    longOpenTickets: number | null;
  };
  billing: { hasHistory: boolean; openFlags: BillingFlag[] };
  relationship: {
    contacts: number;
    champions: number;
    /** When the tier has a review cadence: the next review's due date and whether it has passed. */
    review?: { due: string; overdue: boolean } | null;
  };
  outcomes: { reached: number; overdue: number } | null;
  sentiment: { answers: Array<{ kind: 'nps' | 'csat'; score: number }> } | null;
}

/** A component's name in both languages of the team (a model's own components carry theirs). */
export type ComponentLabels = { en: string; 'pt-BR': string };

/** One success goal of the account's segment, as the card shows it: met or not, and the value it was judged on. */
export interface GoalResult {
  goal: string;
  /** Added by the reader from the model in effect (withModelLabels); snapshots stored before carry it too. */
  label?: ComponentLabels;
  /** null = no data: the goal counts neither way. */
  value: number | null;
  met: boolean | null;
  atLeast?: number;
  atMost?: number;
}

/**
 * A component's score. `component` is a built-in name (HEALTH_COMPONENTS) or one of the model's own,
 * which are stored without their `label` and given it by the reader from the model in effect
 * (withModelLabels; snapshots stored before carry theirs); the goals component lists its `goals`.
 */
export type ComponentResult = (
  | { component: string; score: null }
  | { component: string; score: number; detail: Record<string, number | string | null> }
) & { label?: ComponentLabels; goals?: GoalResult[] };

export interface HealthResult {
  /** null when no component has data: silence is not health. */
  score: number | null;
  band: Band | null;
  /** Every component, the one pulling the score down most first; components without data last. */
  components: ComponentResult[];
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Relative change from previous to recent, or null when there is nothing to compare with. */
function relativeChange(recent: number | null, previous: number | null): number | null {
  if (recent === null || previous === null || previous <= 0) return null;
  return (recent - previous) / previous;
}

export function usageScore(seats: number | null, u: HealthInputs['usage']): ComponentResult {
  const level =
    seats && seats > 0 && u.activeUsersRecent !== null
      ? clamp((100 * u.activeUsersRecent) / seats / USAGE_TARGET_UTILISATION)
      : null;
  const changes = [
    relativeChange(u.activeUsersRecent, u.activeUsersPrevious),
    relativeChange(u.loginsRecent, u.loginsPrevious),
  ].filter((c): c is number => c !== null);
  const change = changes.length ? changes.reduce((a, b) => a + b, 0) / changes.length : null;
  const trend = change === null ? null : clamp(100 + USAGE_FALL_PENALTY * Math.min(0, change));
  const parts = [level, trend].filter((p): p is number => p !== null);
  if (!parts.length) return { component: 'usage', score: null };
  return {
    component: 'usage',
    score: Math.round(parts.reduce((a, b) => a + b, 0) / parts.length),
    detail: {
      activeUsers: u.activeUsersRecent === null ? null : round1(u.activeUsersRecent),
      seats,
      changePct: change === null ? null : Math.round(change * 100),
      ...stickiness(u),
    },
  };
}

/**
 * DAU/MAU (and WAU/MAU): how much of the month's users come back each day, the value cycle's pulse;
 * shown beside active users, not scored. Only when the product sends `mau`.
 */
function stickiness(u: HealthInputs['usage']): Record<string, number | null> {
  if (!u.mauRecent || u.mauRecent <= 0) return {};
  const share = (n: number | null | undefined) =>
    n == null ? null : Math.round((100 * n) / u.mauRecent!) / 100;
  return { mau: round1(u.mauRecent), dauMau: share(u.activeUsersRecent), wauMau: share(u.wauRecent) };
}

export function outcomesScore(o: HealthInputs['outcomes']): ComponentResult {
  if (!o || o.reached + o.overdue === 0) return { component: 'outcomes', score: null };
  return {
    component: 'outcomes',
    score: Math.round((100 * o.reached) / (o.reached + o.overdue)),
    detail: { reached: o.reached, overdue: o.overdue },
  };
}

/** Latest answers per contact: NPS 0–10 maps to 0–100, CSAT 1–5 to 0–100. */
export function sentimentScore(s: HealthInputs['sentiment']): ComponentResult {
  if (!s || s.answers.length === 0) return { component: 'sentiment', score: null };
  const mapped = s.answers.map((a) => (a.kind === 'nps' ? a.score * 10 : (a.score - 1) * 25));
  return {
    component: 'sentiment',
    score: Math.round(mapped.reduce((a, b) => a + b, 0) / mapped.length),
    detail: { answers: s.answers.length },
  };
}

export function supportScore(s: HealthInputs['support']): ComponentResult {
  if (s.openTickets === null) return { component: 'support', score: null };
  const longOpen = Math.min(s.longOpenTickets ?? 0, s.openTickets);
  return {
    component: 'support',
    score: Math.round(
      clamp(100 - POINTS_PER_OPEN_TICKET * s.openTickets - POINTS_PER_LONG_OPEN_TICKET * longOpen),
    ),
    detail: { openTickets: s.openTickets, longOpenTickets: longOpen },
  };
}

export function billingScore(b: HealthInputs['billing']): ComponentResult {
  if (!b.hasHistory && b.openFlags.length === 0) return { component: 'billing', score: null };
  const score = Math.min(100, ...b.openFlags.map((f) => BILLING_FLAG_SCORE[f.type]));
  return { component: 'billing', score, detail: { openFlags: b.openFlags.length } };
}

/** A champion in place, and success reviews on cadence for the tiers that have one. */
const NO_CHAMPION_SCORE = 40;
const REVIEW_OVERDUE_SCORE = 40;

/**
 * The mean of what is known: the champion (100 with one, 40 without, when the account has contacts) and,
 * for tiers with a review cadence, the reviews (100 on cadence, 40 once the next one is overdue).
 */
export function relationshipScore(r: HealthInputs['relationship']): ComponentResult {
  const parts: number[] = [];
  if (r.contacts > 0) parts.push(r.champions > 0 ? 100 : NO_CHAMPION_SCORE);
  if (r.review) parts.push(r.review.overdue ? REVIEW_OVERDUE_SCORE : 100);
  if (!parts.length) return { component: 'relationship', score: null };
  return {
    component: 'relationship',
    score: Math.round(parts.reduce((a, b) => a + b, 0) / parts.length),
    detail: {
      champions: r.champions,
      contacts: r.contacts,
      ...(r.review && { reviewDue: r.review.due, reviewOverdue: r.review.overdue ? 1 : 0 }),
    },
  };
}

export function bandOf(score: number, bands: Bands = DEFAULT_BANDS): Band {
  if (score <= bands.redMax) return 'red';
  if (score <= bands.yellowMax) return 'yellow';
  return 'green';
}

/** The six built-in components of an account, in the built-in model's order. */
export function builtInComponents(inputs: HealthInputs): Record<HealthComponent, ComponentResult> {
  return {
    usage: usageScore(inputs.seats, inputs.usage),
    outcomes: outcomesScore(inputs.outcomes),
    sentiment: sentimentScore(inputs.sentiment),
    support: supportScore(inputs.support),
    billing: billingScore(inputs.billing),
    relationship: relationshipScore(inputs.relationship),
  };
}

/**
 * The weighted average of the components that have data and weigh something, its band, and the
 * components ordered by what they cost the score. Components without a weight count for nothing.
 */
export function combineComponents(
  components: ComponentResult[],
  weights: Readonly<Record<string, number>>,
  bands: Bands,
): HealthResult {
  const weight = (c: ComponentResult) => weights[c.component] ?? 0;
  const scored = components.filter(
    (c): c is Extract<ComponentResult, { score: number }> => c.score !== null && weight(c) > 0,
  );
  const totalWeight = scored.reduce((sum, c) => sum + weight(c), 0);
  if (totalWeight === 0) return { score: null, band: null, components };
  const score = Math.round(scored.reduce((sum, c) => sum + weight(c) * c.score, 0) / totalWeight);
  // The drag of a component is what it costs the score: its weight times its distance from 100.
  const drag = (c: ComponentResult) => (c.score === null ? -1 : weight(c) * (100 - c.score));
  const ordered = [...components].sort((a, b) => drag(b) - drag(a));
  return { score, band: bandOf(score, bands), components: ordered };
}

/** The built-in model's score: its six components with these weights and bands. */
export function computeHealth(
  inputs: HealthInputs,
  weights: Record<HealthComponent, number> = DEFAULT_WEIGHTS,
  bands: Bands = DEFAULT_BANDS,
): HealthResult {
  return combineComponents(Object.values(builtInComponents(inputs)), weights, bands);
}

/** ↑ ↓ → for a change in points; small wobbles are flat. */
export function trendArrow(change: number | null): '↑' | '↓' | '→' {
  if (change === null || Math.abs(change) < 3) return '→';
  return change > 0 ? '↑' : '↓';
}

const SPARK = '▁▂▃▄▅▆▇█';
/** A sparkline of 0–100 scores; a gap in the history shows as a space. */
export function sparkline(scores: Array<number | null>): string {
  return scores
    .map((s) =>
      s === null ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((clamp(s) / 100) * SPARK.length))],
    )
    .join('');
}
