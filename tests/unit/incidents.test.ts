import { describe, expect, it } from 'vitest';
import type { AlertCause, AlertMessageData, AlertStatus } from '../../src/domain/alerts.ts';
import {
  causesToAnnounce,
  type IncidentCause,
  incidentView,
  isConsequenceOf,
  orderCauses,
} from '../../src/domain/incidents.ts';

const T0 = new Date('2026-12-01T10:00:00Z');
const LATER = new Date('2026-12-02T10:00:00Z');

const paymentFailed: AlertCause = {
  kind: 'billing',
  flag: {
    externalId: 'in_1',
    type: 'payment_failed',
    occurredAt: T0,
    amount: '1200',
    currency: 'USD',
    dueDate: null,
    cardExpiresAt: null,
  },
};
const cardExpiring: AlertCause = {
  kind: 'billing',
  flag: { ...paymentFailed.flag, externalId: 'ce_1', type: 'card_expiring' },
} as AlertCause;
const fall = (component: 'billing' | 'usage'): AlertCause => ({
  kind: 'health',
  health: {
    kind: 'fell_fast',
    score: 59,
    peakScore: 80,
    peakDay: '2026-11-28',
    fall: 21,
    band: 'yellow',
    changes: [{ component, from: 100, to: 30, change: -70 }],
  },
});
const enteredRed: AlertCause = {
  kind: 'health',
  health: { kind: 'entered_red', score: 40, previousScore: 60, band: 'red', changes: [] },
};
const detractor: AlertCause = {
  kind: 'red_flag',
  redFlag: { kind: 'detractor', headline: 'NPS 3 from Ana', facts: [] },
};
const reviewOverdue: AlertCause = {
  kind: 'red_flag',
  redFlag: { kind: 'review_overdue', headline: 'RTS was due by Tue 1 Dec 2026', facts: [] },
};

const cause = (id: number, c: AlertCause, raisedAt = T0, status: AlertStatus = 'open'): IncidentCause => ({
  id,
  cause: c,
  status,
  raisedAt,
});

describe('orderCauses', () => {
  it('puts money first, then the score, then a contact or a milestone; the first is the headline', () => {
    const ordered = orderCauses([
      cause(1, reviewOverdue),
      cause(2, detractor),
      cause(3, fall('usage')),
      cause(4, enteredRed),
      cause(5, paymentFailed),
    ]);
    expect(ordered.map((c) => c.id)).toEqual([5, 4, 3, 2, 1]);
  });

  it('puts resolved causes last, and an expiring card after a score', () => {
    const ordered = orderCauses([
      cause(1, paymentFailed, T0, 'resolved'),
      cause(2, cardExpiring),
      cause(3, fall('usage')),
    ]);
    expect(ordered.map((c) => c.id)).toEqual([3, 2, 1]);
  });
});

describe('consequences', () => {
  it('a fall whose billing component moved most is a consequence of a billing flag', () => {
    expect(isConsequenceOf(fall('billing'), paymentFailed)).toBe(true);
    expect(isConsequenceOf(fall('usage'), paymentFailed)).toBe(false);
    expect(isConsequenceOf(fall('billing'), detractor)).toBe(false);
    expect(isConsequenceOf(paymentFailed, fall('billing'))).toBe(false);
  });

  it('is not announced when raised in the same evaluation as its cause, whether or not that one is new', () => {
    // Same evaluation: the billing flag already in the incident, the fall added now.
    expect(causesToAnnounce([cause(1, paymentFailed)], [cause(2, fall('billing'))])).toEqual([]);
    // Both added to an older incident at once: the flag is news, its fall is not.
    expect(
      causesToAnnounce(
        [cause(1, detractor)],
        [cause(2, paymentFailed, LATER), cause(3, fall('billing'), LATER)],
      ),
    ).toEqual([2]);
  });

  it('is announced like any cause when it comes in a later evaluation, or moved for another reason', () => {
    expect(causesToAnnounce([cause(1, paymentFailed)], [cause(2, fall('billing'), LATER)])).toEqual([2]);
    expect(causesToAnnounce([cause(1, paymentFailed)], [cause(2, fall('usage'))])).toEqual([2]);
  });
});

describe('incidentView', () => {
  const data = (id: number, c: AlertCause, extra: Partial<AlertMessageData> = {}): AlertMessageData => ({
    id,
    status: 'open',
    cause: c,
    statusBy: null,
    statusAt: null,
    snoozedUntil: null,
    resolutionNote: null,
    account: {
      key: 'acme',
      name: 'Acme',
      tier: 'high_touch',
      mrr: '100',
      currency: 'USD',
      ownerSlackId: null,
      renewalDate: null,
    },
    score: 40,
    band: 'red',
    dataAsOf: null,
    ...extra,
  });

  it('headlines the most severe cause and lists the others', () => {
    const view = incidentView([data(1, detractor), data(2, paymentFailed)]);
    expect(view.id).toBe(2);
    expect(view.cause).toBe(paymentFailed);
    expect(view.otherCauses).toEqual([{ cause: detractor, status: 'open' }]);
  });

  it('is open again when a cause is added after an acknowledgement, and resolved only with its last cause', () => {
    const acked = { status: 'acknowledged' as const, statusBy: 'U1', statusAt: T0 };
    expect(incidentView([data(1, paymentFailed, acked), data(2, detractor)]).status).toBe('open');
    const resolved = (at: Date, by: string) => ({
      status: 'resolved' as const,
      statusBy: by,
      statusAt: at,
      resolutionNote: by,
    });
    const partly = incidentView([data(1, paymentFailed, resolved(T0, 'pulse')), data(2, detractor, acked)]);
    expect(partly).toMatchObject({ id: 2, status: 'acknowledged', statusBy: 'U1' });
    const done = incidentView([
      data(1, paymentFailed, resolved(LATER, 'U2')),
      data(2, detractor, resolved(T0, 'pulse')),
    ]);
    expect(done).toMatchObject({ id: 1, status: 'resolved', statusBy: 'U2', resolutionNote: 'U2' });
  });
});
