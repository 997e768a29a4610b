import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  calendarDate,
  counted,
  instant,
  meetingTime,
  signed,
  slackDate,
} from '../../src/slack/blocks/format.ts';

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

  it("writes dates and instants exactly as luxon's formats did, in every zone, across offset changes", () => {
    const zones = [
      'UTC',
      'America/Sao_Paulo',
      'America/New_York',
      'Europe/London',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
    ];
    // Every 3 days, 7 hours and 13 minutes over two years (leap day 2028), and both sides of New York's and
    // Lord Howe's switches (half an hour there).
    const every = 285_180_000;
    const starts = Date.parse('2027-01-01T00:00:00Z');
    const instants = [
      ...Array.from({ length: 220 }, (_, i) => starts + i * every),
      ...['2027-03-14T06:59:00Z', '2027-03-14T07:00:00Z', '2027-04-03T14:59:00Z', '2027-04-03T15:00:00Z'].map(
        Date.parse,
      ),
    ];
    for (const t of instants) {
      const at = new Date(t);
      const day = at.toISOString().slice(0, 10);
      expect(calendarDate(day)).toBe(DateTime.fromISO(day, { zone: 'utc' }).toFormat('ccc d LLL yyyy'));
      for (const zone of zones) {
        const luxon = DateTime.fromJSDate(at, { zone });
        expect(instant(at, zone)).toBe(luxon.toFormat('yyyy-LL-dd HH:mm ZZZZ'));
        expect(meetingTime(at, zone)).toContain(` (${luxon.toFormat('HH:mm')} ${zone})`);
      }
    }
    expect(calendarDate('2028-02-29')).toBe('Tue 29 Feb 2028');
  });

  it('writes a calendar date as the en-US formatter in UTC does, in any century, and refuses a non-date', () => {
    const intl = new Intl.DateTimeFormat('en-US', {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    const days = ['0001-01-01', '0999-03-01', '1582-10-04', '1900-02-28', '2000-02-29', '9999-12-31'];
    for (
      let t = Date.parse('1969-12-25T00:00:00Z');
      t < Date.parse('2041-01-01T00:00:00Z');
      t += 11 * 86_400_000
    )
      days.push(new Date(t).toISOString().slice(0, 10));
    for (const day of days) {
      const p = Object.fromEntries(
        intl.formatToParts(new Date(`${day}T00:00:00Z`)).map((x) => [x.type, x.value]),
      );
      expect(calendarDate(day), day).toBe(`${p.weekday} ${p.day} ${p.month} ${p.year}`);
    }
    expect(() => calendarDate('2027-02-30x')).toThrow('not a calendar date');
  });
});
