import type { Band, Bands, ComponentLabels, ComponentResult } from './health.ts';
import { DAY, HOUR } from './time.ts';

/**
 * The health red flags of docs/cs-method.md as pure decisions for one account: which conditions to open,
 * which snoozed ones to bring back, which episodes have ended. One condition is one alert until its
 * episode ends; an episode ends (is "cleared") only past a margin, so a wobbling score alerts once.
 */
export const HEALTH_ALERT_KINDS = ['entered_red', 'fell_fast', 'renewal_at_risk'] as const;
export type HealthAlertKind = (typeof HEALTH_ALERT_KINDS)[number];

export interface HealthAlertThresholds {
  /** Points past a threshold before an episode ends and the condition can fire again. */
  rearmMargin: number;
  fallPoints: number;
  fallWindowDays: number;
  renewalDays: number;
  cooldownHours: number;
}

export const DEFAULT_HEALTH_ALERT_THRESHOLDS: HealthAlertThresholds = {
  rearmMargin: 5,
  fallPoints: 15,
  fallWindowDays: 7,
  renewalDays: 60,
  cooldownHours: 24,
};

/** The latest alert of one kind for the account, whatever its status (the store's `distinct on (kind)`). */
export interface HealthAlertState {
  kind: HealthAlertKind;
  dedupeKey: string;
  openedAt: Date;
  status: 'open' | 'acknowledged' | 'snoozed' | 'resolved';
  snoozedUntil: Date | null;
  /** When these rules said its episode ended; null while it lasts, even after a CSM resolved the alert. */
  clearedAt: Date | null;
}

export interface ScoreSnapshot {
  /** YYYY-MM-DD (UTC), as in `health_snapshots.day`. */
  day: string;
  score: number | null;
  components: ComponentResult[];
}

export interface HealthAlertInput {
  accountId: number;
  status: 'active' | 'churned';
  /** YYYY-MM-DD */
  renewalDate: string | null;
  now: Date;
  /** This recomputation's result; null score = no data. */
  score: number | null;
  /**
   * The band the recomputation decided with the account's segment (as stored): the rules never band a score
   * themselves, so an alert and the card always name the same band. Null with a null score.
   */
  band: Band | null;
  /** The bands of the account's segment: where "back out of red" lies (red_max + the margin). */
  bands: Bands;
  components: ComponentResult[];
  /** The stored health before this recomputation; null score when there was none or it had no data. */
  previousScore: number | null;
  /** Its band as stored then. */
  previousBand: Band | null;
  previousComponents: ComponentResult[];
  /** Snapshots of the last `fallWindowDays` UTC days up to today, read before today's is rewritten; older ones are ignored. */
  snapshots: ScoreSnapshot[];
  alerts: HealthAlertState[];
}

export interface ComponentChange {
  component: string;
  /** A model's own component names itself (built-in ones are named by the renderer). */
  label?: ComponentLabels;
  /** null = no data on that side. */
  from: number | null;
  to: number | null;
  /** to − from; null when either side has no data. */
  change: number | null;
}

export type HealthAlertDetail =
  | { kind: 'entered_red'; score: number; previousScore: number | null }
  | { kind: 'fell_fast'; score: number; peakScore: number; peakDay: string; fall: number }
  | { kind: 'renewal_at_risk'; score: number; renewalDate: string; daysToRenewal: number };

export interface HealthAlertToOpen {
  kind: HealthAlertKind;
  dedupeKey: string;
  detail: HealthAlertDetail;
  /** The components that moved, the biggest fall first. */
  changes: ComponentChange[];
}

export interface HealthAlertDecisions {
  open: HealthAlertToOpen[];
  /** Dedupe keys of snoozed alerts whose snooze has ended while their condition still holds. */
  renotify: string[];
  /** Dedupe keys of episodes that ended: set `cleared_at`, and resolve the alert (by "pulse") if still unresolved. */
  close: string[];
}

const utcMidnight = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const daysFromToday = (date: string, now: Date) => (Date.parse(`${date}T00:00:00Z`) - utcMidnight(now)) / DAY;

/** Entered red and fell fast are numbered episodes (a retried or concurrent evaluation derives the same key); renewal is keyed by its date, so each renewal alerts once. */
export function healthAlertKey(accountId: number, kind: HealthAlertKind, episode: number | string): string {
  return `health:${accountId}:${kind}:${episode}`;
}

const episodeOf = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1)) || 0;

/** Components whose score (or presence of data) differs, the biggest fall first, data appearing or vanishing last. */
export function componentChanges(before: ComponentResult[], after: ComponentResult[]): ComponentChange[] {
  const old = new Map(before.map((c) => [c.component, c.score]));
  return after
    .map((c): ComponentChange => {
      const from = old.get(c.component) ?? null;
      return {
        component: c.component,
        from,
        to: c.score,
        change: from === null || c.score === null ? null : c.score - from,
        ...(c.label && { label: c.label }),
      };
    })
    .filter((c) => c.from !== c.to)
    .sort((a, b) => (a.change ?? Number.POSITIVE_INFINITY) - (b.change ?? Number.POSITIVE_INFINITY));
}

/**
 * The highest score of the window. Measured against the peak rather than the score 7 days ago: a score
 * that rose and then fell (60 → 80 → 64 within the week) fell 16 points within 7 days, which a comparison
 * with the score 7 days ago (60 → 64) would miss. The window is today and the `fallWindowDays` UTC days
 * before it: a snapshot dated 7 days ago counts, one dated 8 days ago does not.
 */
function peakOf(snapshots: ScoreSnapshot[], now: Date, windowDays: number) {
  // The snapshot itself is kept (not copied): its components may be parsed only when they are read.
  let peak: (ScoreSnapshot & { score: number }) | null = null;
  for (const s of snapshots) {
    const age = -daysFromToday(s.day, now);
    if (s.score === null || age < 0 || age > windowDays) continue;
    if (!peak || s.score > peak.score) peak = s as ScoreSnapshot & { score: number };
  }
  return peak;
}

/**
 * Decides the health alerts of one account after a recomputation.
 * - entered red: the band crosses into red (from above red, or from no score), red as the account's segment
 *   sets it; the episode ends once the score is back at the segment's redMax + margin or above (55 by
 *   default), so 49/51/50/52 alerts once.
 * - fell fast: the score is ≥ 15 points under the peak of the last 7 days; the episode ends once the fall is
 *   ≤ 15 − margin. It does not fire while an entered-red episode lasts: the red alert already calls for
 *   action, and a deeper fall inside red adds noise, not a new action.
 * - renewal at risk: renewal in 0–60 calendar days (UTC) while yellow or red; once per renewal date; the
 *   episode ends when the account turns green, the date passes or changes.
 * - cooldown: no new alert within 24 h of the account's last one, except entered red: crossing into red is
 *   the line the team set for "at risk", so it must not wait a day behind a fell-fast alert of the same
 *   slide (which then cannot fire again, see above). At most one other alert opens per cooldown, in the
 *   order entered red, fell fast, renewal; a deferred condition opens on a later evaluation if it still holds.
 * - snooze: a snoozed alert is never re-opened; once its snooze has ended it is re-notified if the plain
 *   condition holds now (red, fallen ≥ 15, renewal at risk), whatever the cooldown: a CSM chose the time.
 * - churned: nothing opens and every episode ends. No score: nothing at all, silence is not recovery.
 */
export function healthAlertDecisions(
  input: HealthAlertInput,
  thresholds: HealthAlertThresholds = DEFAULT_HEALTH_ALERT_THRESHOLDS,
): HealthAlertDecisions {
  const decisions: HealthAlertDecisions = { open: [], renotify: [], close: [] };
  const latest = new Map(input.alerts.map((a) => [a.kind, a]));
  const live = (kind: HealthAlertKind) => {
    const a = latest.get(kind);
    return a && a.clearedAt === null ? a : undefined;
  };
  if (input.status === 'churned') {
    decisions.close = input.alerts.filter((a) => a.clearedAt === null).map((a) => a.dedupeKey);
    return decisions;
  }
  const { score, band, bands, now } = input;
  if (score === null || band === null) return decisions;
  const { rearmMargin } = thresholds;

  const peak = peakOf(input.snapshots, now, thresholds.fallWindowDays);
  const fall = peak ? peak.score - score : 0;
  const renewal =
    input.renewalDate === null
      ? null
      : {
          date: input.renewalDate,
          key: healthAlertKey(input.accountId, 'renewal_at_risk', input.renewalDate),
          days: daysFromToday(input.renewalDate, now),
        };
  const renewalAtRisk =
    !!renewal && renewal.days >= 0 && renewal.days <= thresholds.renewalDays && band !== 'green';

  const holds: Record<HealthAlertKind, boolean> = {
    entered_red: band === 'red',
    fell_fast: fall >= thresholds.fallPoints,
    renewal_at_risk: renewalAtRisk,
  };
  const cleared: Record<HealthAlertKind, (a: HealthAlertState) => boolean> = {
    entered_red: () => score >= bands.redMax + rearmMargin,
    fell_fast: () => fall <= thresholds.fallPoints - rearmMargin,
    renewal_at_risk: (a) => a.dedupeKey !== renewal?.key || !renewalAtRisk,
  };
  for (const kind of HEALTH_ALERT_KINDS) {
    const a = live(kind);
    if (!a) continue;
    if (cleared[kind](a)) decisions.close.push(a.dedupeKey);
    else if (a.status === 'snoozed' && a.snoozedUntil !== null && a.snoozedUntil <= now && holds[kind])
      decisions.renotify.push(a.dedupeKey);
  }

  const lastOpened = Math.max(...input.alerts.map((a) => +a.openedAt));
  let coolingDown = +now - lastOpened < thresholds.cooldownHours * HOUR;
  // Read only when an alert opens: the components of every account are costly to parse in a nightly run.
  const sinceBefore = () => componentChanges(input.previousComponents, input.components);

  const nextKey = (kind: HealthAlertKind) =>
    healthAlertKey(input.accountId, kind, episodeOf(latest.get(kind)?.dedupeKey ?? '') + 1);
  const { previousBand } = input;
  const redEpisode = live('entered_red');
  if (!redEpisode && holds.entered_red && previousBand !== 'red') {
    decisions.open.push({
      kind: 'entered_red',
      dedupeKey: nextKey('entered_red'),
      detail: { kind: 'entered_red', score, previousScore: input.previousScore },
      changes: sinceBefore(),
    });
    coolingDown = true;
  }
  const redLasts =
    (redEpisode && !decisions.close.includes(redEpisode.dedupeKey)) || decisions.open.length > 0;
  if (!coolingDown && !redLasts && !live('fell_fast') && holds.fell_fast && peak) {
    decisions.open.push({
      kind: 'fell_fast',
      dedupeKey: healthAlertKey(
        input.accountId,
        'fell_fast',
        episodeOf(latest.get('fell_fast')?.dedupeKey ?? '') + 1,
      ),
      detail: { kind: 'fell_fast', score, peakScore: peak.score, peakDay: peak.day, fall },
      changes: componentChanges(peak.components, input.components),
    });
    coolingDown = true;
  }
  const lastRenewal = latest.get('renewal_at_risk');
  if (!coolingDown && renewal && renewalAtRisk && lastRenewal?.dedupeKey !== renewal.key) {
    decisions.open.push({
      kind: 'renewal_at_risk',
      dedupeKey: renewal.key,
      detail: { kind: 'renewal_at_risk', score, renewalDate: renewal.date, daysToRenewal: renewal.days },
      changes: sinceBefore(),
    });
  }
  return decisions;
}
