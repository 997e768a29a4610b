import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../src/domain/closest-names.ts';

const accounts = [
  { key: 'acme', name: 'Acme Corp' },
  { key: 'acme-br', name: 'Acme Brasil' },
  { key: 'globex', name: 'Globex Corporation' },
  { key: 'initech', name: 'Initech' },
  { key: 'umbrella', name: 'Umbrella Health' },
];

describe('account suggestions', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('acme', 'acme')).toBe(0);
    expect(editDistance('amce', 'acme')).toBe(1);
    expect(editDistance('acm', 'acme')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('puts accounts containing the text first, by key', () => {
    expect(closestNames('acm', accounts).map((a) => a.key)).toEqual(['acme', 'acme-br']);
  });

  it('finds typos within a third of the length', () => {
    expect(closestNames('globx', accounts).map((a) => a.key)).toEqual(['globex']);
    expect(closestNames('inteich', accounts).map((a) => a.key)).toEqual(['initech']);
  });

  it('suggests nothing for text unlike any account', () => {
    expect(closestNames('zzzzzz', accounts)).toEqual([]);
  });

  it('keeps to the limit', () => {
    expect(closestNames('e', accounts, 2)).toHaveLength(2);
  });
});
