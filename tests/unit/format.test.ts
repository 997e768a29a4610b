import { describe, expect, it } from 'vitest';
import { counted, meetingTime, signed, slackDate } from '../../src/slack/blocks/format.ts';

describe('numbers and instants as Slack shows them', () => {
  it('agrees nouns with their counts, grouping thousands', () => {
    expect(counted(1, 'champion')).toBe('1 champion');
    expect(counted(0, 'champion')).toBe('0 champions');
    expect(counted(2, 'open ticket')).toBe('2 open tickets');
    expect(counted(1_200, 'account')).toBe('1,200 accounts');
    expect(counted(1, 'reply', 'replies')).toBe('1 reply');
    expect(counted(3, 'reply', 'replies')).toBe('3 replies');
  });

  it('writes negatives with a real minus sign', () => {
    expect([signed(-12), signed(3), signed(0), signed(null)]).toEqual(['−12', '+3', '±0', 'n/a']);
  });

  it("writes an instant as Slack's date token, and a meeting with its own zone's time as well", () => {
    const at = new Date('2026-12-15T17:30:00Z');
    expect(slackDate(at, 'UTC')).toBe('<!date^1797355800^{date_short_pretty} {time}|2026-12-15 17:30 UTC>');
    expect(meetingTime(at, 'America/Phoenix')).toBe(
      '<!date^1797355800^{date_short_pretty} {time}|2026-12-15 10:30 MST> (10:30 America/Phoenix)',
    );
  });
});
