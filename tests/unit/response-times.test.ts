import { describe, expect, it } from 'vitest';
import { type ResponseSample, responseTimes } from '../../src/domain/response-times.ts';

const HOUR = 3_600_000;
const sample = (
  owner: string | null,
  tier: string,
  ackHours: number | null,
  resolveHours: number | null,
): ResponseSample => ({
  owner,
  tier,
  toAcknowledgeMs: ackHours === null ? null : ackHours * HOUR,
  toResolveMs: resolveHours === null ? null : resolveHours * HOUR,
});

describe('responseTimes', () => {
  it('gives each CSM and each tier the median and p90 (nearest rank) of acknowledging and resolving', () => {
    const ana = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((h) => sample('U0ANA', 'high_touch', h, h * 10));
    const figures = responseTimes([...ana, sample('U0BO', 'low_touch', 30, null)], 30);
    expect(figures.days).toBe(30);
    expect(figures.byCsm).toEqual([
      {
        who: 'U0ANA',
        incidents: 10,
        acknowledge: { count: 10, medianMs: 5 * HOUR, p90Ms: 9 * HOUR },
        resolve: { count: 10, medianMs: 50 * HOUR, p90Ms: 90 * HOUR },
      },
      {
        who: 'U0BO',
        incidents: 1,
        acknowledge: { count: 1, medianMs: 30 * HOUR, p90Ms: 30 * HOUR },
        // Still open: it counts as an incident, not as a time to resolve.
        resolve: { count: 0, medianMs: null, p90Ms: null },
      },
    ]);
    expect(figures.byTier.map((l) => [l.who, l.incidents])).toEqual([
      ['high_touch', 10],
      ['low_touch', 1],
    ]);
  });

  it('keeps the incidents nobody owns, and never acknowledged ones, apart from the times', () => {
    const figures = responseTimes([sample(null, 'mid_touch', null, 5), sample(null, 'mid_touch', 2, 4)], 30);
    expect(figures.byCsm).toEqual([
      {
        who: null,
        incidents: 2,
        acknowledge: { count: 1, medianMs: 2 * HOUR, p90Ms: 2 * HOUR },
        resolve: { count: 2, medianMs: 4 * HOUR, p90Ms: 5 * HOUR },
      },
    ]);
  });
});
