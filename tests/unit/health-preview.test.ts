import { describe, expect, it } from 'vitest';
import type { Band } from '../../src/domain/health.ts';
import {
  flaggedBeforeChurn,
  healthPreview,
  type ModelBacktest,
  previewReport,
  type ScoreMove,
} from '../../src/domain/health-preview.ts';

const move = (key: string, current: [number, Band] | null, next: [number, Band] | null): ScoreMove => ({
  key,
  name: key,
  current: current ? { score: current[0], band: current[1] } : { score: null, band: null },
  next: next ? { score: next[0], band: next[1] } : { score: null, band: null },
});

const MOVES = [
  move('acme', [62, 'yellow'], [41, 'red']),
  move('globex', [80, 'green'], [78, 'green']),
  move('hooli', [90, 'green'], [70, 'yellow']),
  move('initech', null, [55, 'yellow']),
  move('wayne', [77, 'green'], [73, 'yellow']),
  move('quiet', null, null),
  move('same', [60, 'yellow'], [60, 'yellow']),
];

describe('healthPreview', () => {
  it('counts the band changes by change, no data a band of its own', () => {
    expect(healthPreview(MOVES)).toMatchObject({
      accounts: 7,
      bandChanges: 4,
      byChange: { 'yellow → red': 1, 'green → yellow': 2, 'no data → yellow': 1 },
    });
  });

  it('lists the largest moves in points first, then accounts gaining or losing their score, at most `shown`', () => {
    expect(healthPreview(MOVES).largest.map((m) => m.key)).toEqual([
      'acme',
      'hooli',
      'wayne',
      'globex',
      'initech',
    ]);
    expect(healthPreview(MOVES, 2).largest.map((m) => m.key)).toEqual(['acme', 'hooli']);
  });
});

describe('flaggedBeforeChurn', () => {
  it('is the share of the scored accounts red or yellow; unscored ones are left out', () => {
    expect(flaggedBeforeChurn(['red', 'yellow', 'green', null])).toEqual({
      scored: 3,
      flagged: 2,
      share: 0.6667,
    });
    expect(flaggedBeforeChurn([null])).toEqual({ scored: 0, flagged: 0, share: null });
  });
});

describe('previewReport', () => {
  const names = { current: 'Built-in 3f1c0a9b2d4e', next: 'E-commerce platform 9a0b1c2d3e4f' };
  const backtest: ModelBacktest = {
    churned: 3,
    current: flaggedBeforeChurn(['green', 'yellow', 'green']),
    next: flaggedBeforeChurn(['red', 'yellow', null]),
  };

  it('prints the band changes, the largest moves, and both back-tests side by side', () => {
    const text = previewReport({ preview: healthPreview(MOVES.slice(0, 3)), backtest }, names);
    expect(text.split('\n')).toEqual([
      '2 of 3 accounts would change band (Built-in 3f1c0a9b2d4e → E-commerce platform 9a0b1c2d3e4f):',
      '  yellow → red: 1',
      '  green → yellow: 1',
      '',
      'The 3 largest moves:',
      '  acme                     62 yellow    → 41 red',
      '  hooli                    90 green     → 70 yellow',
      '  globex                   80 green     → 78 green',
      '',
      'Back-test: of 3 accounts churned in the last 12 months, red or yellow 90 days before:',
      '  current (Built-in 3f1c0a9b2d4e): 33.3% of 3 scored',
      '  new (E-commerce platform 9a0b1c2d3e4f): 100.0% of 2 scored',
    ]);
  });

  it('says so when no account churned, rather than printing two empty back-tests', () => {
    const none: ModelBacktest = {
      churned: 0,
      current: flaggedBeforeChurn([]),
      next: flaggedBeforeChurn([]),
    };
    const text = previewReport({ preview: healthPreview([]), backtest: none }, names);
    expect(text).toContain(
      'Back-test: no account churned in the last 12 months, so there is nothing to test the models on.',
    );
    expect(text).not.toContain('n/a');
  });
});
