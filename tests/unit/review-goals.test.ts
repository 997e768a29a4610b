import { describe, expect, it } from 'vitest';
import { checkGoals, type Goal, goalStatus } from '../../src/domain/goals.ts';
import { goalLineIn, goalProblemText, goalStateIn } from '../../src/slack/blocks/review.ts';

const activeUsers: Goal = {
  description: 'Roll out to sales',
  metric: 'active_users',
  comparator: '>=',
  target: 40,
  dueDate: '2027-03-31',
};
const tickets: Goal = {
  ...activeUsers,
  description: 'Fewer tickets',
  metric: 'tickets_open',
  comparator: '<=',
  target: 5,
};

describe('goal tracking against the latest metric point', () => {
  it('is met when the latest point reaches the target, whatever the date', () => {
    expect(goalStatus(activeUsers, 40, '2027-01-10')).toEqual({ state: 'met', current: 40 });
    expect(goalStatus(activeUsers, 52, '2027-05-01')).toEqual({ state: 'met', current: 52 });
    expect(goalStatus(tickets, 5, '2027-01-10')).toEqual({ state: 'met', current: 5 });
  });

  it('is not met yet before the due date, missed after it', () => {
    expect(goalStatus(activeUsers, 39.5, '2027-03-31')).toEqual({ state: 'on_track', current: 39.5 });
    expect(goalStatus(activeUsers, 39.5, '2027-04-01')).toEqual({ state: 'missed', current: 39.5 });
    expect(goalStatus(tickets, 6, '2027-04-01')).toEqual({ state: 'missed', current: 6 });
  });

  it('says when there is nothing to measure', () => {
    expect(goalStatus(activeUsers, null, '2027-01-10')).toEqual({ state: 'no_data', current: null });
    const qualitative = { ...activeUsers, metric: null, comparator: null, target: null };
    expect(goalStatus(qualitative, 12, '2027-01-10')).toEqual({ state: 'untracked', current: null });
  });

  it('reads like the CSM wrote it, in either language', () => {
    expect(goalLineIn('en', activeUsers)).toBe('Roll out to sales (active users ≥ 40) by Wed 31 Mar 2027');
    expect(goalLineIn('en', { ...activeUsers, metric: null, comparator: null, target: null })).toBe(
      'Roll out to sales by Wed 31 Mar 2027',
    );
    expect(goalLineIn('pt-BR', { ...activeUsers, target: 40.5 })).toBe(
      'Roll out to sales (active users ≥ 40,5) até qua., 31 de mar. de 2027',
    );
    expect(goalStateIn('en', { state: 'on_track', current: 39.5 })).toBe('not met yet (now 39.5)');
    expect(goalStateIn('pt-BR', { state: 'on_track', current: 39.5 })).toBe(
      'ainda não cumprida (agora 39,5)',
    );
    expect(goalStateIn('pt-BR', { state: 'untracked', current: null })).toBe('não medida pelo Pulse');
  });
});

describe('the outcome modal goals', () => {
  const today = '2027-01-10';
  it('keeps filled rows, skips empty ones, and normalises the metric name', () => {
    const { goals, problems } = checkGoals(
      [
        {
          description: ' Roll out to sales ',
          metric: 'Active Users',
          comparator: '>=',
          target: '40',
          dueDate: '2027-03-31',
        },
        {},
        { description: 'Executive sponsor named', dueDate: '2027-02-28' },
      ],
      today,
    );
    expect(problems).toEqual([]);
    expect(goals).toEqual([
      activeUsers,
      {
        description: 'Executive sponsor named',
        metric: null,
        comparator: null,
        target: null,
        dueDate: '2027-02-28',
      },
    ]);
  });

  it('reports every problem by row and field, and keeps nothing', () => {
    const { goals, problems } = checkGoals(
      [
        { description: '', metric: 'active_users', target: '40', dueDate: '2027-01-10' },
        { description: 'More logins', target: 'lots', comparator: '>=', dueDate: '2027-03-01' },
      ],
      today,
    );
    expect(goals).toEqual([]);
    expect(problems).toEqual([
      { row: 0, field: 'description', problem: 'description' },
      { row: 0, field: 'dueDate', problem: 'duePast' },
      { row: 0, field: 'comparator', problem: 'metricNeedsTarget' },
      { row: 1, field: 'target', problem: 'target' },
      { row: 1, field: 'metric', problem: 'metricMissing' },
    ]);
    expect(problems.map((p) => goalProblemText('en', p.problem))).toEqual([
      'Describe the goal.',
      'The due date must be after today.',
      'A metric needs ≥ or ≤ and a target number.',
      'The target must be a number.',
      'Name the metric the target is for.',
    ]);
    expect(goalProblemText('pt-BR', 'duePast')).toBe('O prazo precisa ser depois de hoje.');
  });
});
