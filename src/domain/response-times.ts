/**
 * How fast the team answers incidents: time to acknowledge (the first person's acknowledgement) and time
 * to resolve, from the incident's opening, per CSM who owns it and per tier, as a median and a p90.
 */

/** The figures cover the incidents opened in this many days before the digest. */
export const RESPONSE_WINDOW_DAYS = 30;

/** One incident as the figures read it. */
export interface ResponseSample {
  /** Who owns it (its assignee, else the account's owner); null when nobody does. */
  owner: string | null;
  tier: string;
  /** Milliseconds from its opening to the first acknowledgement by a person; null when none yet. */
  toAcknowledgeMs: number | null;
  /** Milliseconds from its opening to its end; null while it is open. */
  toResolveMs: number | null;
}

/** A duration's median and 90th percentile (nearest rank), over `count` incidents; null when none. */
export interface Spread {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface ResponseLine {
  /** The CSM's Slack ID (null: incidents nobody owns), or the tier. */
  who: string | null;
  incidents: number;
  acknowledge: Spread;
  resolve: Spread;
}

export interface ResponseTimes {
  days: number;
  byCsm: ResponseLine[];
  byTier: ResponseLine[];
}

/** The nearest-rank percentile of sorted values: the smallest value with at least p% at or below it. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function spread(values: Array<number | null>): Spread {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  return { count: sorted.length, medianMs: percentile(sorted, 50), p90Ms: percentile(sorted, 90) };
}

function linesBy(samples: ResponseSample[], key: (s: ResponseSample) => string | null): ResponseLine[] {
  const groups = new Map<string | null, ResponseSample[]>();
  for (const s of samples) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  return [...groups.entries()]
    .map(([who, group]) => ({
      who,
      incidents: group.length,
      acknowledge: spread(group.map((s) => s.toAcknowledgeMs)),
      resolve: spread(group.map((s) => s.toResolveMs)),
    }))
    .sort((a, b) => b.incidents - a.incidents || String(a.who).localeCompare(String(b.who)));
}

/** The figures of the incidents opened in the last `days` days: most incidents first. */
export function responseTimes(samples: ResponseSample[], days: number): ResponseTimes {
  return { days, byCsm: linesBy(samples, (s) => s.owner), byTier: linesBy(samples, (s) => s.tier) };
}
