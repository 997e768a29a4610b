import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  dayIn,
  daysBetween,
  firstReached,
  isOverdue,
  type Milestone,
  medianDays,
  nearPlannedMilestone,
  planOrder,
  reachedDayProblem,
  startOfDayIn,
  successPlanSummary,
  targetDayProblem,
  timeToFirstValue,
  titleLikeness,
} from '../../src/domain/milestones.ts';
import { celebrationMessage, successPlanBlocks, successPlanText } from '../../src/slack/blocks/milestones.ts';
import { parseCsCommand } from '../../src/slack/commands/parser.ts';
import { MILESTONE } from '../../src/slack/constants.ts';

const planned = (title: string, plannedFor: string | null): Milestone => ({
  title,
  plannedFor,
  reachedAt: null,
});
const reached = (title: string, at: string, plannedFor: string | null = null): Milestone => ({
  title,
  plannedFor,
  reachedAt: new Date(at),
});

describe('/cs milestone dates', () => {
  const parsed = (text: string) => {
    const result = parseCsCommand(text);
    if (!result.ok) throw new Error(`expected ${text} to parse: ${result.problem}`);
    return result.command;
  };
  const problem = (text: string) => {
    const result = parseCsCommand(text);
    if (result.ok) throw new Error(`expected ${text} to fail`);
    expect(result.subcommand).toBe('milestone');
    return result.problem;
  };

  it('takes no date as today', () => {
    expect(parsed('milestone acme Go-live')).toEqual({
      kind: 'milestone',
      account: 'acme',
      title: 'Go-live',
    });
  });

  it('takes --date anywhere after the account, or a trailing date', () => {
    const expected = { kind: 'milestone', account: 'acme', title: 'First report shared', date: '2026-11-02' };
    expect(parsed('milestone acme First report shared --date 2026-11-02')).toEqual(expected);
    expect(parsed('milestone acme --date 2026-11-02 First report shared')).toEqual(expected);
    expect(parsed('milestone acme First report shared 2026-11-02')).toEqual(expected);
    expect(parsed('milestone "Acme Corp" Go-live --DATE 2024-02-29')).toEqual({
      kind: 'milestone',
      account: 'Acme Corp',
      title: 'Go-live',
      date: '2024-02-29',
    });
  });

  it('keeps a date inside the title as part of it', () => {
    expect(parsed('milestone acme 2026-11-02 review held')).toEqual({
      kind: 'milestone',
      account: 'acme',
      title: '2026-11-02 review held',
    });
  });

  it('refuses days the calendar does not have, and other date formats', () => {
    expect(problem('milestone acme Go-live 2030-02-30')).toBe('2030-02-30 is not a day of the calendar.');
    expect(problem('milestone acme Go-live --date 2026-13-01')).toBe(
      '2026-13-01 is not a day of the calendar.',
    );
    expect(problem('milestone acme Go-live 2026-1-5')).toBe(
      '`2026-1-5` is not a date: write it as YYYY-MM-DD.',
    );
    expect(problem('milestone acme Go-live 02/11/2026')).toBe(
      '`02/11/2026` is not a date: write it as YYYY-MM-DD.',
    );
    expect(problem('milestone acme Go-live --date tomorrow')).toBe(
      '`tomorrow` is not a date: write it as YYYY-MM-DD.',
    );
    expect(problem('milestone acme Go-live --date')).toBe('Give the date after --date, as YYYY-MM-DD.');
  });

  it('asks for a title when only a date follows the account', () => {
    expect(problem('milestone acme 2026-11-02')).toContain('Name the account and the milestone');
    expect(problem('milestone acme --date 2026-11-02')).toContain('Name the account and the milestone');
  });
});

describe('calendar days in zones', () => {
  it('reads an instant as the day it is in the zone', () => {
    const at = new Date('2026-03-01T02:30:00Z');
    expect(dayIn(at, 'UTC')).toBe('2026-03-01');
    expect(dayIn(at, 'America/Sao_Paulo')).toBe('2026-02-28');
    expect(startOfDayIn('2026-02-28', 'America/Sao_Paulo').toISOString()).toBe('2026-02-28T03:00:00.000Z');
  });

  it('counts whole days across a DST change', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2026-03-09', '2026-03-07')).toBe(-2);
    expect(startOfDayIn('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayIn('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('refuses a reached day after today and a target day before it', () => {
    expect(reachedDayProblem('2026-12-02', '2026-12-01')).toBe('future');
    expect(reachedDayProblem('2026-12-01', '2026-12-01')).toBeUndefined();
    expect(targetDayProblem('2026-11-30', '2026-12-01')).toBe('past');
    expect(targetDayProblem('2026-12-01', '2026-12-01')).toBeUndefined();
    expect(targetDayProblem(undefined, '2026-12-01')).toBe('no_target');
  });
});

describe('time to first value', () => {
  it('runs from the contract start to the day of the first milestone reached, in the account zone', () => {
    const milestones = [
      reached('Data imported', '2026-02-10T15:00:00Z'),
      reached('Kick-off', '2026-01-20T01:00:00Z'),
      planned('Go-live', '2026-03-01'),
    ];
    expect(firstReached(milestones)?.title).toBe('Kick-off');
    // 01:00 UTC on the 20th is still the 19th in São Paulo.
    expect(timeToFirstValue('2026-01-05', firstReached(milestones)!.reachedAt, 'UTC')).toBe(15);
    expect(timeToFirstValue('2026-01-05', firstReached(milestones)!.reachedAt, 'America/Sao_Paulo')).toBe(14);
  });

  it('is unknown without a contract start or a milestone reached, and 0 for value before the contract', () => {
    expect(timeToFirstValue(null, new Date('2026-01-20T12:00:00Z'), 'UTC')).toBeNull();
    expect(timeToFirstValue('2026-01-05', undefined, 'UTC')).toBeNull();
    expect(timeToFirstValue('2026-01-05', new Date('2026-01-05T09:00:00Z'), 'UTC')).toBe(0);
    expect(timeToFirstValue('2026-01-05', new Date('2025-12-20T09:00:00Z'), 'UTC')).toBe(0);
  });

  it('takes the portfolio median: the middle value, or the mean of the two middle ones', () => {
    expect(medianDays([])).toBeNull();
    expect(medianDays([12])).toBe(12);
    expect(medianDays([40, 3, 12])).toBe(12);
    expect(medianDays([40, 3, 12, 20])).toBe(16);
    expect(medianDays([7, 8])).toBe(7.5);
  });
});

describe('the success plan', () => {
  const today = '2026-12-01';
  const milestones = [
    reached('Kick-off', '2026-10-03T12:00:00Z', '2026-10-05'),
    reached('Unplanned win', '2026-11-10T12:00:00Z'),
    planned('Go-live', '2026-11-30'),
    planned('Due today', today),
    planned('Board report', '2027-01-15'),
    planned('Someday', null),
  ];

  it('is overdue once the target day is past, not on the day itself, and never once reached', () => {
    expect(isOverdue(planned('Go-live', '2026-11-30'), today)).toBe(true);
    expect(isOverdue(planned('Due today', today), today)).toBe(false);
    expect(isOverdue(planned('Someday', null), today)).toBe(false);
    expect(isOverdue(reached('Late but done', '2026-12-01T09:00:00Z', '2026-11-01'), today)).toBe(false);
  });

  it('sums up planned, reached, overdue and TTFV', () => {
    expect(successPlanSummary(milestones, { contractStart: '2026-09-20', today, zone: 'UTC' })).toEqual({
      planned: 5,
      reached: 2,
      overdue: 1,
      ttfvDays: 13,
    });
    expect(successPlanSummary([], { contractStart: '2026-09-20', today, zone: 'UTC' })).toEqual({
      planned: 0,
      reached: 0,
      overdue: 0,
      ttfvDays: null,
    });
  });

  it('reads reached first by day, then open ones by target day, undated last', () => {
    expect(planOrder(milestones).map((m) => m.title)).toEqual([
      'Kick-off',
      'Unplanned win',
      'Go-live',
      'Due today',
      'Board report',
      'Someday',
    ]);
  });

  it('renders dates, the overdue mark, TTFV, the counts and the button', () => {
    const context = { zone: 'UTC', today, contractStart: '2026-09-20' };
    const view = {
      account: { key: 'acme', name: 'Acme <Corp>' },
      milestones,
      summary: successPlanSummary(milestones, context),
      locale: 'en' as const,
      context,
    };
    const blocks = successPlanBlocks(view);
    const text = JSON.stringify(blocks);
    expect(successPlanText(view)).toBe('Acme &lt;Corp&gt;: 5 planned, 2 reached, 1 overdue');
    expect(text).toContain('5 planned, 2 reached · :warning: 1 overdue');
    expect(text).toContain('*Time to first value* 13 days');
    expect(text).toContain(':warning: *Go-live* due Mon 30 Nov 2026, *overdue* by 1 day');
    expect(text).toContain(':spiral_calendar_pad: *Due today* due Tue 1 Dec 2026');
    expect(text).toContain('*Someday* no target date');
    expect(text).toContain(
      ':white_check_mark: *Kick-off* reached Sat 3 Oct 2026 (planned for Mon 5 Oct 2026)',
    );
    const actions = blocks.at(-1) as Extract<KnownBlock, { type: 'actions' }>;
    expect(actions.elements[0]).toMatchObject({ action_id: MILESTONE.addToPlanAction, value: 'acme' });
  });

  it('says why there is no TTFV yet', () => {
    const context = { zone: 'UTC', today, contractStart: '2026-11-01' };
    const open = [planned('Go-live', '2026-12-20')];
    const text = JSON.stringify(
      successPlanBlocks({
        account: { key: 'acme', name: 'Acme' },
        milestones: open,
        summary: successPlanSummary(open, context),
        locale: 'en',
        context,
      }),
    );
    expect(text).toContain('none yet: no milestone reached in 30 days since the contract start');
  });

  it('keeps a long plan within Block Kit limits', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      planned(`Milestone ${i} ${'x'.repeat(150)}`, '2027-01-01'),
    );
    const context = { zone: 'UTC', today, contractStart: null };
    const blocks = successPlanBlocks({
      account: { key: 'acme', name: 'Acme' },
      milestones: many,
      summary: successPlanSummary(many, context),
      locale: 'en',
      context,
    });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(blocks)).toMatch(/…and \d+ more/);
  });

  it('celebrates in one short line, escaping what a person typed', () => {
    expect(celebrationMessage({ name: 'Acme & Co' }, 'Go-live <now>', '2026-12-01', 'en').text).toBe(
      ':tada: Acme &amp; Co reached a milestone: *Go-live &lt;now&gt;* (Tue 1 Dec 2026).',
    );
  });
});

describe('a title worded differently from a planned milestone', () => {
  const planned = (title: string, reached = false): Milestone => ({
    title,
    plannedFor: '2026-12-20',
    reachedAt: reached ? new Date('2026-12-01T00:00:00Z') : null,
  });

  it('reads titles alike whatever their case, spaces and punctuation', () => {
    expect(titleLikeness('Kick-off held', 'kickoff  HELD')).toBe(1);
    expect(titleLikeness('Kickoff done', 'Kick-off held')).toBeGreaterThanOrEqual(0.6);
    expect(titleLikeness('Security review passed', 'Kick-off held')).toBeLessThan(0.3);
  });

  it('finds the closest planned, unreached milestone, and none for an exact title or a far one', () => {
    const plan = [planned('Kick-off held'), planned('Go-live'), planned('Kick-off call', true)];
    expect(nearPlannedMilestone('Kickoff done', plan)?.title).toBe('Kick-off held');
    expect(nearPlannedMilestone('kick-off held', plan)).toBeUndefined();
    expect(nearPlannedMilestone('Renewal signed', plan)).toBeUndefined();
    expect(nearPlannedMilestone('Kick-off calls', [planned('Kick-off call', true)])).toBeUndefined();
  });
});
