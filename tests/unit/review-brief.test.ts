import { describe, expect, it } from 'vitest';
import { percentChange, type ReviewBriefFacts, talkingPoints } from '../../src/domain/review-brief.ts';
import { briefBlocks } from '../../src/slack/blocks/review.ts';

const quiet: ReviewBriefFacts = {
  account: { key: 'acme', name: 'Acme Corp', tier: 'high_touch', renewalDate: '2028-06-30' },
  upcoming: { startsAt: new Date('2027-04-07T17:00:00Z'), timezone: 'America/Sao_Paulo' },
  since: { at: new Date('2027-01-06T17:00:00Z'), lastReview: true },
  goals: [
    {
      goal: {
        description: 'Sponsor named',
        metric: null,
        comparator: null,
        target: null,
        dueDate: '2027-03-01',
      },
      status: { state: 'untracked', current: null },
    },
  ],
  health: { score: 78, band: 'green', scoreThen: 74 },
  usage: { now: 21, before: 20 },
  tickets: { now: 2, before: 3 },
  milestones: { reached: [], overdue: [] },
  nps: { score: 40, answers: 5 },
  csat: { percent: 90, answers: 10 },
  billingFlags: [],
  today: '2027-04-02',
};

/** A quarter that went wrong on every front. */
const rough: ReviewBriefFacts = {
  ...quiet,
  account: { ...quiet.account, renewalDate: '2027-06-30' },
  goals: [
    {
      goal: {
        description: 'Roll out to sales',
        metric: 'active_users',
        comparator: '>=',
        target: 40,
        dueDate: '2027-03-31',
      },
      status: { state: 'missed', current: 14 },
    },
    {
      goal: {
        description: 'Train admins',
        metric: 'admins_trained',
        comparator: '>=',
        target: 5,
        dueDate: '2027-03-01',
      },
      status: { state: 'met', current: 6 },
    },
  ],
  health: { score: 44, band: 'red', scoreThen: 71 },
  usage: { now: 14, before: 20 },
  tickets: { now: 9, before: 3 },
  milestones: {
    reached: [{ title: 'SSO live', reachedAt: new Date('2027-02-10T12:00:00Z') }],
    overdue: [{ title: 'Sales rollout', plannedFor: '2027-03-15' }],
  },
  nps: { score: -20, answers: 5 },
  csat: { percent: 60, answers: 5 },
  billingFlags: [
    {
      externalId: 'in_1',
      type: 'payment_failed',
      occurredAt: new Date('2027-03-28T00:00:00Z'),
      amount: '1200.00',
      currency: 'USD',
      dueDate: null,
      cardExpiresAt: null,
    },
  ],
};

describe('the pre-review brief', () => {
  it('derives one talking point per worrying fact, most pressing first', () => {
    expect(talkingPoints(rough)).toEqual([
      '1 billing red flag open: settle it before talking about expansion.',
      'Renewal on 2027-06-30, in 89 days: confirm the decision makers and the renewal plan.',
      'Usage fell 30% since the last review (20 → 14 active users a day): ask what changed.',
      'Health fell from 71 to 44 since the last review: walk through what drove it down.',
      'Goal missed: Roll out to sales (active users ≥ 40) by 2027-03-31. Agree on what gets it back on track.',
      'Celebrate 1 goal met: Train admins.',
      '1 milestone overdue (Sales rollout): re-plan them together.',
      'Celebrate 1 milestone reached: SSO live.',
      'NPS is -20 since the last review: hear out the detractors.',
      'CSAT is 60% since the last review: ask where support fell short.',
      'Open support tickets rose from 3 to 9: review the open ones.',
    ]);
  });

  it('has nothing to warn about in a quiet quarter', () => {
    expect(talkingPoints(quiet)).toEqual([
      'No warning signs: use the time for the next period’s goals and expansion.',
    ]);
  });

  it('asks for measurable goals when the last review recorded none, and celebrates growth', () => {
    const points = talkingPoints({ ...quiet, goals: [], usage: { now: 26, before: 20 } });
    expect(points).toEqual([
      'Usage grew 30% since the last review (20 → 26 active users a day): open with it.',
      'No goals were recorded at the last review: set measurable ones this time.',
    ]);
  });

  it('changes in percent only between two figures', () => {
    expect(percentChange(20, 14)).toBe(-30);
    expect(percentChange(null, 14)).toBeNull();
    expect(percentChange(0, 14)).toBeNull();
  });

  it('renders every section of the brief', () => {
    const text = JSON.stringify(briefBlocks(rough));
    for (const part of [
      'Review brief: Acme Corp',
      'Roll out to sales (active users ≥ 40) by 2027-03-31: *missed (now 14)*',
      '44/100 red (was 71)',
      '20 → 14',
      '3 → 9',
      '-20 (5) / 60% (5)',
      'Payment failed',
      'Wed 30 Jun 2027',
      'SSO live',
      'Sales rollout: overdue since Mon 15 Mar 2027',
      'Usage fell 30%',
    ]) {
      expect(text).toContain(part);
    }
  });
});
