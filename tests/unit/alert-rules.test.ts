import { describe, expect, it } from 'vitest';
import {
  componentChanges,
  type HealthAlertDecisions,
  type HealthAlertInput,
  type HealthAlertState,
  healthAlertDecisions,
  type ScoreSnapshot,
} from '../../src/domain/alert-rules.ts';
import {
  bandOf,
  type ComponentResult,
  DEFAULT_BANDS,
  type HealthComponent,
} from '../../src/domain/health.ts';

const NOW = new Date('2026-06-15T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOTHING: HealthAlertDecisions = { open: [], renotify: [], close: [] };

const comp = (component: HealthComponent, score: number | null): ComponentResult =>
  score === null ? { component, score } : { component, score, detail: {} };
const snap = (day: string, score: number | null, components: ComponentResult[] = []): ScoreSnapshot => ({
  day,
  score,
  components,
});
const alert = (kind: HealthAlertState['kind'], key: string, extra: Partial<HealthAlertState> = {}) => ({
  kind,
  dedupeKey: `health:7:${kind}:${key}`,
  openedAt: new Date(+NOW - 3 * DAY),
  status: 'open' as const,
  snoozedUntil: null,
  clearedAt: null,
  ...extra,
});

/** The bands are the account's segment's; its band and the previous one are what the recomputation stored. */
function input(extra: Partial<HealthAlertInput>): HealthAlertInput {
  const bands = extra.bands ?? DEFAULT_BANDS;
  const score = extra.score === undefined ? 70 : extra.score;
  const previousScore = extra.previousScore === undefined ? 70 : extra.previousScore;
  return {
    accountId: 7,
    status: 'active',
    renewalDate: null,
    now: NOW,
    score,
    band: score === null ? null : bandOf(score, bands),
    bands,
    components: [],
    previousScore,
    previousBand: previousScore === null ? null : bandOf(previousScore, bands),
    previousComponents: [],
    snapshots: [],
    alerts: [],
    ...extra,
  };
}
const decide = (extra: Partial<HealthAlertInput>) => healthAlertDecisions(input(extra));
const opened = (d: HealthAlertDecisions) => d.open.map((o) => o.dedupeKey);

/** Feeds one score per day to the rules and applies their decisions as the alert store would. */
function simulate(scores: number[]): string[] {
  const alerts: HealthAlertState[] = [];
  const fired: string[] = [];
  let previousScore: number | null = null;
  scores.forEach((score, i) => {
    const now = new Date(+NOW + i * DAY);
    const d = healthAlertDecisions(input({ now, score, previousScore, alerts: [...alerts] }));
    for (const key of d.close) {
      const a = alerts.find((x) => x.dedupeKey === key);
      if (a) a.clearedAt = now;
    }
    for (const o of d.open) {
      const i = alerts.findIndex((x) => x.kind === o.kind);
      const fresh = { ...alert(o.kind, ''), dedupeKey: o.dedupeKey, openedAt: now };
      if (i >= 0) alerts[i] = fresh;
      else alerts.push(fresh);
      fired.push(o.dedupeKey);
    }
    previousScore = score;
  });
  return fired;
}

describe('entered red', () => {
  it('fires when the score crosses into red (50 is red, 51 is not), saying which components moved', () => {
    const d = decide({
      score: 50,
      previousScore: 60,
      components: [comp('usage', 20), comp('support', 90), comp('billing', 100)],
      previousComponents: [comp('usage', 45), comp('support', 80), comp('billing', 100)],
    });
    expect(d).toEqual({
      open: [
        {
          kind: 'entered_red',
          dedupeKey: 'health:7:entered_red:1',
          detail: { kind: 'entered_red', score: 50, previousScore: 60 },
          changes: [
            { component: 'usage', from: 45, to: 20, change: -25 },
            { component: 'support', from: 80, to: 90, change: 10 },
          ],
        },
      ],
      renotify: [],
      close: [],
    });
    expect(decide({ score: 51, previousScore: 60 })).toEqual(NOTHING);
  });

  it('fires when the first score is red, not when the account was already red', () => {
    expect(opened(decide({ score: 40, previousScore: null }))).toEqual(['health:7:entered_red:1']);
    expect(decide({ score: 40, previousScore: 45 })).toEqual(NOTHING);
  });

  it('alerts once for a score wobbling 49/51/50/52', () => {
    expect(simulate([60, 49, 51, 50, 52])).toEqual(['health:7:entered_red:1']);
  });

  it('re-arms only at redMax + 5: 54 does not, 55 does, and the next fall into red is a new episode', () => {
    expect(simulate([60, 49, 54, 50])).toEqual(['health:7:entered_red:1']);
    expect(simulate([60, 49, 55, 50])).toEqual(['health:7:entered_red:1', 'health:7:entered_red:2']);
  });

  it("reads red from the account's segment: 53 is red where red ends at 55, and re-arms at 60", () => {
    const bands = { redMax: 55, yellowMax: 80 };
    expect(opened(decide({ score: 53, previousScore: 70, bands }))).toEqual(['health:7:entered_red:1']);
    expect(decide({ score: 53, previousScore: 70 })).toEqual(NOTHING);
    const red = alert('entered_red', '1');
    expect(decide({ score: 59, previousScore: 53, bands, alerts: [red] })).toEqual(NOTHING);
    expect(decide({ score: 60, previousScore: 53, bands, alerts: [red] })).toEqual({
      ...NOTHING,
      close: ['health:7:entered_red:1'],
    });
  });

  it('trusts the stored band: a score the recomputation put in red is red, whatever the bands say', () => {
    expect(opened(decide({ score: 53, band: 'red', previousScore: 70 }))).toEqual(['health:7:entered_red:1']);
    expect(decide({ score: 53, band: 'red', previousScore: 53, previousBand: 'red' })).toEqual(NOTHING);
  });

  it('ends the episode at 55 even after a CSM resolved the alert, and not before', () => {
    const resolved = alert('entered_red', '1', { status: 'resolved' });
    expect(decide({ score: 50, previousScore: 51, alerts: [resolved] })).toEqual(NOTHING);
    expect(decide({ score: 55, previousScore: 51, alerts: [resolved] })).toEqual({
      ...NOTHING,
      close: ['health:7:entered_red:1'],
    });
  });
});

describe('fell fast', () => {
  const week = (peak: number, day = '2026-06-12') => [
    snap('2026-06-10', 70),
    snap(day, peak, [comp('usage', 90), comp('sentiment', 80)]),
    snap('2026-06-14', 72),
  ];

  it('fires at a 15-point fall under the peak of the week, not at 14', () => {
    expect(decide({ score: 66, previousScore: 72, snapshots: week(80) })).toEqual(NOTHING);
    const d = decide({
      score: 65,
      previousScore: 72,
      snapshots: week(80),
      components: [comp('usage', 60), comp('sentiment', 80)],
    });
    expect(d.open).toEqual([
      {
        kind: 'fell_fast',
        dedupeKey: 'health:7:fell_fast:1',
        detail: { kind: 'fell_fast', score: 65, peakScore: 80, peakDay: '2026-06-12', fall: 15 },
        changes: [{ component: 'usage', from: 90, to: 60, change: -30 }],
      },
    ]);
  });

  it('measures within 7 days: a peak dated 7 days ago counts, 8 days ago does not', () => {
    expect(opened(decide({ score: 65, snapshots: [snap('2026-06-08', 80)] }))).toEqual([
      'health:7:fell_fast:1',
    ]);
    expect(decide({ score: 65, snapshots: [snap('2026-06-07', 80)] })).toEqual(NOTHING);
  });

  it('catches a rise then a fall that the score of 7 days ago would miss (60 → 80 → 64)', () => {
    const snapshots = [snap('2026-06-08', 60), snap('2026-06-11', 80)];
    expect(decide({ score: 64, snapshots }).open[0]?.detail).toEqual({
      kind: 'fell_fast',
      score: 64,
      peakScore: 80,
      peakDay: '2026-06-11',
      fall: 16,
    });
  });

  it('alerts once per fall: re-armed when the fall is back to 10 points, then a new fall is a new alert', () => {
    const live = alert('fell_fast', '1');
    expect(decide({ score: 66, snapshots: week(80), alerts: [live] })).toEqual(NOTHING);
    expect(decide({ score: 64, snapshots: week(80), alerts: [live] })).toEqual(NOTHING);
    expect(decide({ score: 69, snapshots: week(80), alerts: [live] })).toEqual(NOTHING);
    expect(decide({ score: 70, snapshots: week(80), alerts: [live] })).toEqual({
      ...NOTHING,
      close: ['health:7:fell_fast:1'],
    });
    const cleared = { ...live, clearedAt: new Date(+NOW - DAY) };
    expect(opened(decide({ score: 65, snapshots: week(80), alerts: [cleared] }))).toEqual([
      'health:7:fell_fast:2',
    ]);
  });

  it('stays quiet while an entered-red episode lasts: a slide 70 → 48 raises the red alert only', () => {
    expect(opened(decide({ score: 48, previousScore: 70, snapshots: week(70) }))).toEqual([
      'health:7:entered_red:1',
    ]);
    const red = alert('entered_red', '1', { status: 'acknowledged' });
    expect(decide({ score: 35, previousScore: 48, snapshots: week(70), alerts: [red] })).toEqual(NOTHING);
  });
});

describe('renewal at risk', () => {
  it('fires within 60 calendar days while yellow, keyed by the renewal date', () => {
    expect(decide({ score: 70, renewalDate: '2026-08-14' }).open).toEqual([
      {
        kind: 'renewal_at_risk',
        dedupeKey: 'health:7:renewal_at_risk:2026-08-14',
        detail: { kind: 'renewal_at_risk', score: 70, renewalDate: '2026-08-14', daysToRenewal: 60 },
        changes: [],
      },
    ]);
    expect(decide({ score: 70, renewalDate: '2026-08-15' })).toEqual(NOTHING);
    expect(opened(decide({ score: 70, renewalDate: '2026-06-15' }))).toEqual([
      'health:7:renewal_at_risk:2026-06-15',
    ]);
    expect(decide({ score: 70, renewalDate: '2026-06-14' })).toEqual(NOTHING);
  });

  it('fires while red, never while green', () => {
    expect(opened(decide({ score: 30, previousScore: 30, renewalDate: '2026-07-01' }))).toEqual([
      'health:7:renewal_at_risk:2026-07-01',
    ]);
    expect(decide({ score: 76, renewalDate: '2026-07-01' })).toEqual(NOTHING);
  });

  it('alerts once per renewal date; the next renewal alerts again', () => {
    const lastYear = alert('renewal_at_risk', '2025-07-01', { openedAt: new Date('2025-06-01T00:00:00Z') });
    const thisYear = alert('renewal_at_risk', '2026-07-01', { status: 'resolved', clearedAt: NOW });
    expect(opened(decide({ renewalDate: '2026-07-01', alerts: [lastYear] }))).toEqual([
      'health:7:renewal_at_risk:2026-07-01',
    ]);
    expect(decide({ renewalDate: '2026-07-01', alerts: [thisYear] })).toEqual(NOTHING);
  });

  it('ends when the account turns green or the renewal date changes', () => {
    const live = alert('renewal_at_risk', '2026-07-01');
    const close = { ...NOTHING, close: ['health:7:renewal_at_risk:2026-07-01'] };
    expect(decide({ score: 76, renewalDate: '2026-07-01', alerts: [live] })).toEqual(close);
    expect(decide({ score: 75, renewalDate: '2026-07-01', alerts: [live] })).toEqual(NOTHING);
    expect(decide({ score: 70, renewalDate: '2027-07-01', alerts: [live] })).toEqual(close);
  });
});

describe('cooldown', () => {
  const fellFast = (hoursAgo: number) =>
    alert('fell_fast', '1', { openedAt: new Date(+NOW - hoursAgo * HOUR), clearedAt: NOW });

  it('holds any other alert for 24 h after the last one opened, even one whose episode ended', () => {
    expect(decide({ renewalDate: '2026-07-01', alerts: [fellFast(23.99)] })).toEqual(NOTHING);
    expect(opened(decide({ renewalDate: '2026-07-01', alerts: [fellFast(24)] }))).toEqual([
      'health:7:renewal_at_risk:2026-07-01',
    ]);
  });

  it('lets entered red through an hour after a fell-fast alert', () => {
    expect(opened(decide({ score: 50, previousScore: 64, alerts: [fellFast(1)] }))).toEqual([
      'health:7:entered_red:1',
    ]);
  });

  it('opens one alert at a time: entered red first, the renewal on a later evaluation', () => {
    expect(opened(decide({ score: 50, previousScore: 60, renewalDate: '2026-07-01' }))).toEqual([
      'health:7:entered_red:1',
    ]);
  });
});

describe('snooze', () => {
  const snoozed = (until: Date) =>
    alert('entered_red', '1', { status: 'snoozed', snoozedUntil: until, openedAt: new Date(+NOW - 2 * DAY) });
  const ended = snoozed(new Date(+NOW - 60_000));

  it('re-notifies when the snooze ends and the condition still holds', () => {
    expect(decide({ score: 45, previousScore: 45, alerts: [ended] })).toEqual({
      ...NOTHING,
      renotify: ['health:7:entered_red:1'],
    });
  });

  it('neither re-notifies nor re-opens while the snooze lasts, even when the score crosses again', () => {
    const lasting = snoozed(new Date(+NOW + 60_000));
    expect(decide({ score: 45, previousScore: 52, alerts: [lasting] })).toEqual(NOTHING);
  });

  it('says nothing when the snooze ends and the condition no longer holds, and ends the episode past the margin', () => {
    expect(decide({ score: 52, previousScore: 52, alerts: [ended] })).toEqual(NOTHING);
    expect(decide({ score: 56, previousScore: 52, alerts: [ended] })).toEqual({
      ...NOTHING,
      close: ['health:7:entered_red:1'],
    });
    const cleared = { ...ended, clearedAt: new Date(+NOW - DAY) };
    expect(opened(decide({ score: 45, previousScore: 56, alerts: [cleared] }))).toEqual([
      'health:7:entered_red:2',
    ]);
  });
});

describe('churned accounts and accounts without data', () => {
  it('alerts nothing for a churned account and ends its episodes', () => {
    const live = alert('fell_fast', '1');
    const done = alert('entered_red', '2', { clearedAt: NOW });
    expect(
      decide({
        status: 'churned',
        score: 20,
        previousScore: 60,
        renewalDate: '2026-07-01',
        alerts: [live, done],
      }),
    ).toEqual({ ...NOTHING, close: ['health:7:fell_fast:1'] });
  });

  it('decides nothing without a score, not even a snoozed alert coming back', () => {
    const ended = alert('entered_red', '1', { status: 'snoozed', snoozedUntil: new Date(+NOW - 1) });
    expect(
      decide({
        score: null,
        previousScore: 60,
        renewalDate: '2026-07-01',
        alerts: [ended],
        snapshots: [snap('2026-06-14', 90)],
      }),
    ).toEqual(NOTHING);
  });
});

describe('componentChanges', () => {
  it('lists the components that moved, the biggest fall first, data appearing or vanishing last', () => {
    expect(
      componentChanges(
        [comp('usage', 80), comp('support', 50), comp('billing', 100), comp('relationship', null)],
        [
          comp('usage', 70),
          comp('support', 20),
          comp('billing', 100),
          comp('relationship', 40),
          comp('sentiment', null),
        ],
      ),
    ).toEqual([
      { component: 'support', from: 50, to: 20, change: -30 },
      { component: 'usage', from: 80, to: 70, change: -10 },
      { component: 'relationship', from: null, to: 40, change: null },
    ]);
  });
});
