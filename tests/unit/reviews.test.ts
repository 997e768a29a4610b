import { describe, expect, it } from 'vitest';
import {
  briefDueAt,
  isReviewOverdue,
  meetingInstant,
  nextReviewDue,
  parseReviewCadence,
  reviewKindFor,
  workingDaysBefore,
} from '../../src/domain/reviews.ts';
import { t } from '../../src/i18n/index.ts';
import { parseCsCommand } from '../../src/slack/commands/parser.ts';

const NOW = new Date('2030-01-15T12:00:00Z');
const at = (date: string, time: string, zone: string, now = NOW) => meetingInstant(date, time, zone, now);
const instantOf = (result: ReturnType<typeof meetingInstant>) => {
  if (!result.ok) throw new Error(result.reason);
  return result.startsAt.toISOString();
};
/** Why a time is refused, as the scheduling modal says it in English. */
const problemOf = (date: string, time: string, zone: string) => {
  const result = meetingInstant(date, time, zone, NOW);
  return result.ok ? undefined : t('en', 'rts.modal.when', { reason: result.reason, date, time, zone });
};

describe('meeting time in a zone', () => {
  it('reads the date and time in the zone given', () => {
    expect(instantOf(at('2030-03-01', '14:00', 'America/Sao_Paulo'))).toBe('2030-03-01T17:00:00.000Z');
    expect(instantOf(at('2030-03-01', '14:00', 'UTC'))).toBe('2030-03-01T14:00:00.000Z');
    expect(instantOf(at('2030-03-01', '9:05', 'Asia/Tokyo'))).toBe('2030-03-01T00:05:00.000Z');
  });

  it('refuses dates that are not on the calendar, and accepts 29 February of a leap year', () => {
    expect(problemOf('2030-02-30', '10:00', 'UTC')).toBe('2030-02-30 does not exist on the calendar.');
    expect(problemOf('2030-02-29', '10:00', 'UTC')).toContain('does not exist on the calendar');
    expect(problemOf('2030-13-01', '10:00', 'UTC')).toContain('does not exist on the calendar');
    expect(instantOf(at('2032-02-29', '10:00', 'UTC'))).toBe('2032-02-29T10:00:00.000Z');
  });

  it('refuses times that are not on a clock', () => {
    for (const time of ['24:00', '12:60', '7', 'noon']) {
      expect(problemOf('2030-03-01', time, 'UTC')).toContain('is not a time of day');
    }
    expect(problemOf('2030-3-1', '10:00', 'UTC')).toContain('is not a date');
  });

  it('refuses the local time skipped when the clocks go forward', () => {
    // New York, Sunday 10 March 2030: 02:00 becomes 03:00.
    expect(problemOf('2030-03-10', '02:30', 'America/New_York')).toBe(
      '2030-03-10 02:30 does not exist in America/New_York: the clocks skip it for daylight saving. Pick another time.',
    );
    expect(instantOf(at('2030-03-10', '01:59', 'America/New_York'))).toBe('2030-03-10T06:59:00.000Z');
    expect(instantOf(at('2030-03-10', '03:00', 'America/New_York'))).toBe('2030-03-10T07:00:00.000Z');
    // Lisbon, Sunday 31 March 2030: 01:00 becomes 02:00.
    expect(problemOf('2030-03-31', '01:30', 'Europe/Lisbon')).toContain('does not exist in Europe/Lisbon');
  });

  it('takes the first of a local time that happens twice when the clocks go back', () => {
    // New York, Sunday 3 November 2030: 01:30 EDT (05:30Z), then 01:30 EST (06:30Z).
    expect(instantOf(at('2030-11-03', '01:30', 'America/New_York'))).toBe('2030-11-03T05:30:00.000Z');
    expect(instantOf(at('2030-11-03', '02:30', 'America/New_York'))).toBe('2030-11-03T07:30:00.000Z');
  });

  it('refuses instants that are not in the future', () => {
    expect(problemOf('2030-01-15', '12:00', 'UTC')).toBe(
      '2030-01-15 12:00 (UTC) is in the past. Give a date and time still to come.',
    );
    expect(problemOf('2029-12-31', '23:00', 'UTC')).toContain('is in the past');
    // 09:30 in São Paulo is 12:30Z: still to come.
    expect(instantOf(at('2030-01-15', '09:30', 'America/Sao_Paulo'))).toBe('2030-01-15T12:30:00.000Z');
    expect(problemOf('2030-01-15', '08:59', 'America/Sao_Paulo')).toContain('is in the past');
  });
});

describe('cadence by tier', () => {
  const cadence = { exclusive: 1, high_touch: 3 };
  const TIERS = ['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive'];
  const due = (over: Partial<Parameters<typeof nextReviewDue>[0]>) =>
    nextReviewDue(
      { tier: 'high_touch', status: 'active', lastReviewAt: null, contractStart: null, zone: 'UTC', ...over },
      cadence,
    );

  it('names the kind: RMS for exclusive, RTS otherwise', () => {
    expect(reviewKindFor('exclusive')).toBe('rms');
    expect(reviewKindFor('high_touch')).toBe('rts');
    expect(reviewKindFor('low_touch')).toBe('rts');
  });

  it('parses REVIEW_CADENCE and refuses what is not tier=months', () => {
    expect(parseReviewCadence('exclusive=1,high_touch=3', TIERS)).toEqual({ ok: true, cadence });
    expect(parseReviewCadence('mid_touch=6, high_touch=0', TIERS)).toEqual({
      ok: true,
      cadence: { mid_touch: 6 },
    });
    expect(parseReviewCadence('vip=1', TIERS).ok).toBe(false);
    expect(parseReviewCadence('exclusive=1.5', TIERS).ok).toBe(false);
    expect(parseReviewCadence('exclusive', TIERS).ok).toBe(false);
  });

  it('counts from the last review, else the contract start; other tiers have none', () => {
    expect(due({ lastReviewAt: new Date('2030-01-10T15:00:00Z') })).toBe('2030-04-10');
    expect(due({ tier: 'exclusive', lastReviewAt: new Date('2030-01-31T15:00:00Z') })).toBe('2030-02-28');
    expect(due({ contractStart: '2029-11-20' })).toBe('2030-02-20');
    expect(due({})).toBeNull();
    expect(due({ tier: 'mid_touch', contractStart: '2029-11-20' })).toBeNull();
    expect(due({ status: 'churned', contractStart: '2029-11-20' })).toBeNull();
  });

  it('takes the last review day in the account zone', () => {
    // 02:00Z on 1 Feb is still 31 January in São Paulo.
    expect(
      due({ tier: 'exclusive', lastReviewAt: new Date('2030-02-01T02:00:00Z'), zone: 'America/Sao_Paulo' }),
    ).toBe('2030-02-28');
  });

  it('is overdue from the day after the due date, in the zone', () => {
    expect(isReviewOverdue('2030-02-20', new Date('2030-02-20T23:00:00Z'), 'UTC')).toBe(false);
    expect(isReviewOverdue('2030-02-20', new Date('2030-02-21T00:00:00Z'), 'UTC')).toBe(true);
    expect(isReviewOverdue('2030-02-20', new Date('2030-02-21T02:00:00Z'), 'America/Sao_Paulo')).toBe(false);
    expect(isReviewOverdue(null, NOW, 'UTC')).toBe(false);
  });
});

describe('brief timing', () => {
  it('counts working days back from the meeting, skipping weekends', () => {
    expect(workingDaysBefore('2030-03-06', 3)).toBe('2030-03-01'); // Wednesday → Friday before
    expect(workingDaysBefore('2030-03-11', 3)).toBe('2030-03-06'); // Monday → Wednesday before
    expect(workingDaysBefore('2030-03-10', 1)).toBe('2030-03-08'); // Sunday → Friday
  });

  it('is due at 09:00 in the meeting zone', () => {
    expect(briefDueAt(new Date('2030-03-06T17:00:00Z'), 'America/Sao_Paulo', 3).toISOString()).toBe(
      '2030-03-01T12:00:00.000Z',
    );
  });
});

describe('/cs rts parsing', () => {
  const ok = (text: string) => {
    const parsed = parseCsCommand(text);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.command;
  };
  it('reads brief after the account', () => {
    expect(ok('rts acme brief')).toEqual({ kind: 'rts', account: 'acme', brief: true });
    expect(ok('rts Acme Corp BRIEF')).toEqual({ kind: 'rts', account: 'Acme Corp', brief: true });
    expect(ok('rts brief')).toEqual({ kind: 'rts', account: 'brief' });
    expect(ok('rts acme 2030-02-30 10:00')).toEqual({
      kind: 'rts',
      account: 'acme',
      date: '2030-02-30',
      time: '10:00',
    });
  });
});
