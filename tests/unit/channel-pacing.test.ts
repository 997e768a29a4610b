import { describe, expect, it } from 'vitest';
import { pacingBudget, SLACK_POST_PACING } from '../../src/domain/channel-pacing.ts';

describe('a channel’s pacing budget', () => {
  it('is one post a second, a burst of one and a half starting a post up to half a second early', () => {
    expect(pacingBudget(SLACK_POST_PACING)).toEqual({ intervalMs: 1_000, toleranceMs: 500 });
    expect(pacingBudget({ perSecond: 5, burst: 1, cushionMs: 0 })).toEqual({
      intervalMs: 200,
      toleranceMs: 0,
    });
  });

  it('refuses a rate that never lets a post through', () => {
    expect(() => pacingBudget({ perSecond: 0, burst: 1, cushionMs: 0 })).toThrow();
    expect(() => pacingBudget({ perSecond: 1, burst: 0.5, cushionMs: 0 })).toThrow();
  });
});
