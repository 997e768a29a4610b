import { describe, expect, it } from 'vitest';
import { type OutboxRefusal, parseRefusal, refusalText } from '../../src/domain/outbox-refusals.ts';

describe('the outbox refusal stored in last_error', () => {
  const refusals: OutboxRefusal[] = [
    { refused: { channel: 'C0ACMESHRD' } },
    { refused: { channel: 'C0ACMESHRD', unknown: 'missing_scope' } },
    { refused: { channel: 'C0ACMESHRD' }, fallback: { channel: 'C0ALERTS1' } },
    {
      refused: { channel: 'C0ACMESHRD', unknown: 'ratelimited' },
      fallback: { channel: 'C0ALERTS1', unknown: '' },
    },
  ];

  it.each(refusals)('reads back what it wrote: %j', (refusal) => {
    expect(parseRefusal(refusalText(refusal))).toEqual(refusal);
  });

  it('keeps the English sentence operators already read in logs and rows', () => {
    expect(refusalText(refusals[2]!)).toBe(
      'refused: C0ACMESHRD is shared outside the workspace (fallback: C0ALERTS1 is shared outside the workspace)',
    );
    expect(refusalText(refusals[1]!)).toBe(
      'refused: could not tell whether C0ACMESHRD is shared outside the workspace (missing_scope)',
    );
  });

  it("is not any other error's reading", () => {
    for (const error of [
      'not_in_channel',
      'refused: something else',
      'refused: C1 is shared outside the workspace!',
    ])
      expect(parseRefusal(error)).toBeUndefined();
  });
});
