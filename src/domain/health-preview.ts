import type { Band } from './health.ts';

/** How the score of an account would move under a new model (`npm run health:preview`). */
export interface ScoreMove {
  key: string;
  name: string;
  current: { score: number | null; band: Band | null };
  next: { score: number | null; band: Band | null };
}

export interface HealthPreview {
  accounts: number;
  /** Accounts whose band would change (no data counts as a band of its own). */
  bandChanges: number;
  /** "green → red": how many accounts make each band change. */
  byChange: Record<string, number>;
  /** The largest moves in points, largest first; an account gaining or losing its score comes last. */
  largest: ScoreMove[];
}

export const PREVIEW_MOVES_SHOWN = 20;

const bandName = (band: Band | null) => band ?? 'no data';

export function healthPreview(moves: ScoreMove[], shown = PREVIEW_MOVES_SHOWN): HealthPreview {
  const byChange: Record<string, number> = {};
  let bandChanges = 0;
  for (const m of moves) {
    if (m.current.band === m.next.band) continue;
    bandChanges++;
    const change = `${bandName(m.current.band)} → ${bandName(m.next.band)}`;
    byChange[change] = (byChange[change] ?? 0) + 1;
  }
  const size = (m: ScoreMove) =>
    m.current.score === null || m.next.score === null
      ? m.current.score === m.next.score
        ? -1
        : 0
      : Math.abs(m.next.score - m.current.score);
  const largest = moves
    .filter((m) => size(m) !== -1 && (m.current.score !== m.next.score || m.current.band !== m.next.band))
    .sort((a, b) => size(b) - size(a) || a.key.localeCompare(b.key))
    .slice(0, shown);
  return { accounts: moves.length, bandChanges, byChange, largest };
}

/** The back-test's headline (docs/retention.md): of the churned accounts scored `horizon` days before, the share red or yellow. */
export function flaggedBeforeChurn(bands: Array<Band | null>): {
  scored: number;
  flagged: number;
  share: number | null;
} {
  const scored = bands.filter((b) => b !== null).length;
  const flagged = bands.filter((b) => b === 'red' || b === 'yellow').length;
  return { scored, flagged, share: scored ? Math.round((10_000 * flagged) / scored) / 10_000 : null };
}

/** Of the accounts churned in the last 12 months, scored 90 days before: the share red or yellow then, per model. */
export type ModelBacktest = Record<'current' | 'next', ReturnType<typeof flaggedBeforeChurn>> & {
  churned: number;
};

const share = (s: number | null) => (s === null ? 'n/a' : `${(100 * s).toFixed(1)}%`);
const scoreText = (x: { score: number | null; band: Band | null }) =>
  x.score === null ? 'no data' : `${x.score} ${x.band}`;

/**
 * What `npm run health:preview` prints (for the CS lead at a terminal, in English like every CLI): the band
 * changes, the largest moves, and the back-test of both models side by side when any account churned.
 */
export function previewReport(
  c: { preview: HealthPreview; backtest: ModelBacktest },
  names: { current: string; next: string },
): string {
  const { preview, backtest } = c;
  return [
    `${preview.bandChanges} of ${preview.accounts} accounts would change band (${names.current} → ${names.next}):`,
    ...Object.entries(preview.byChange)
      .sort((a, b) => b[1] - a[1])
      .map(([change, n]) => `  ${change}: ${n}`),
    '',
    `The ${preview.largest.length} largest moves:`,
    ...preview.largest.map(
      (m) => `  ${m.key.padEnd(24)} ${scoreText(m.current).padEnd(12)} → ${scoreText(m.next)}`,
    ),
    '',
    ...(backtest.churned === 0
      ? ['Back-test: no account churned in the last 12 months, so there is nothing to test the models on.']
      : [
          `Back-test: of ${backtest.churned} accounts churned in the last 12 months, red or yellow 90 days before:`,
          `  current (${names.current}): ${share(backtest.current.share)} of ${backtest.current.scored} scored`,
          `  new (${names.next}): ${share(backtest.next.share)} of ${backtest.next.scored} scored`,
        ]),
  ].join('\n');
}
