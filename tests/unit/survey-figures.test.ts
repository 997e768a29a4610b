import { describe, expect, it } from 'vitest';
import { csatPercent, netPromoterScore, npsCategory, responseRate } from '../../src/domain/survey-figures.ts';

const nps = (scores: number[]) => {
  const counts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) counts[`${npsCategory(s)}s` as keyof typeof counts]++;
  return netPromoterScore(counts);
};

describe('NPS', () => {
  it('is +100 when everyone is a promoter and −100 when everyone is a detractor', () => {
    expect(nps([9, 10, 10])).toBe(100);
    expect(nps([0, 3, 6])).toBe(-100);
  });
  it('counts 7 and 8 as passives: in the total, on neither side', () => {
    expect(nps([7, 8])).toBe(0);
    expect(nps([10, 7, 8, 6])).toBe(0);
    expect(nps([10, 10, 7, 0])).toBe(25);
  });
  it('is an even mix at zero, and null without answers', () => {
    expect(nps([9, 6, 10, 2])).toBe(0);
    expect(nps([])).toBeNull();
  });
  it('rounds to a whole number', () => {
    expect(nps([9, 7, 7])).toBe(33);
    expect(nps([9, 9, 7])).toBe(67);
  });
});

describe('CSAT', () => {
  it('is the share of 4 and 5 answers; 3 is not satisfied', () => {
    expect(csatPercent({ satisfied: 2, total: 4 })).toBe(50);
    expect(csatPercent({ satisfied: 2, total: 3 })).toBe(67);
    expect(csatPercent({ satisfied: 0, total: 0 })).toBeNull();
  });
  it('gives a response rate beside the figure', () => {
    expect(responseRate({ answered: 3, sent: 12 })).toBe(25);
    expect(responseRate({ answered: 0, sent: 0 })).toBeNull();
  });
});
