import type { AlertCause, AlertMessageData, AlertStatus } from './alerts.ts';
import type { BillingFlagType } from './billing-flags.ts';

/**
 * An incident is what Pulse raised about one account, as one message: its causes (alerts) are listed
 * most severe first and its headline is the most severe. While it is open, whatever else Pulse raises
 * about the account joins it instead of being posted on its own; it ends with its last cause.
 */

/** A cause as the grouping rules see it. */
export interface IncidentCause {
  id: number;
  cause: AlertCause;
  status: AlertStatus;
  /** When it was raised: causes raised at the same instant come from the same evaluation. */
  raisedAt: Date;
}

/**
 * How severe a cause is, lower first. Money already lost or disputed comes before a score, and a score
 * before a signal about one contact or a milestone: it is the order a CSM works through them in.
 */
const BILLING_SEVERITY: Record<BillingFlagType, number> = {
  dispute_opened: 0,
  subscription_canceled: 1,
  payment_failed: 2,
  invoice_overdue: 3,
  subscription_downgraded: 4,
  card_expiring: 9,
};

export function causeSeverity(cause: AlertCause): number {
  if (cause.kind === 'billing') return BILLING_SEVERITY[cause.flag.type];
  if (cause.kind === 'health') return { entered_red: 5, fell_fast: 6, renewal_at_risk: 7 }[cause.health.kind];
  // An urgent ticket stalled on a top account is a customer waiting now: before any survey or cadence signal.
  return { urgent_ticket: 7.5, detractor: 8, low_csat: 10, review_overdue: 11, no_first_value: 12 }[
    cause.redFlag.kind
  ];
}

/** Unresolved causes first, then the most severe, then the earliest raised: the first is the headline. */
export function orderCauses<T extends Pick<IncidentCause, 'id' | 'cause' | 'status'>>(causes: T[]): T[] {
  return [...causes].sort(
    (a, b) =>
      Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
      causeSeverity(a.cause) - causeSeverity(b.cause) ||
      a.id - b.id,
  );
}

/**
 * Whether `cause` is a consequence of `other`: a score that fell or turned red because its billing
 * component moved most, while a billing flag is the other cause. Its line tells nothing new to act on.
 */
export function isConsequenceOf(cause: AlertCause, other: AlertCause): boolean {
  return (
    cause.kind === 'health' &&
    other.kind === 'billing' &&
    cause.health.kind !== 'renewal_at_risk' &&
    cause.health.changes[0]?.component === 'billing'
  );
}

/**
 * Which causes just added to an open incident are said in its thread ("Added: …"): all of them, except a
 * consequence of a cause raised in the same evaluation (the same instant): the message already shows
 * that cause, and the consequence is a line of it.
 */
export function causesToAnnounce(existing: IncidentCause[], added: IncidentCause[]): number[] {
  const all = [...existing, ...added];
  return added
    .filter(
      (c) =>
        !all.some((o) => o.id !== c.id && +o.raisedAt === +c.raisedAt && isConsequenceOf(c.cause, o.cause)),
    )
    .map((c) => c.id);
}

/** How urgent a status is for the incident's state: an open cause calls for a click. */
const URGENCY: Record<AlertStatus, number> = { open: 0, snoozed: 1, acknowledged: 2, resolved: 3 };

/**
 * The cause whose status the incident shows: the most urgent unresolved one (a cause added after an
 * acknowledgement makes the incident open again), else the latest resolved. Causes in `orderCauses` order.
 */
export function stateCause<T extends Pick<IncidentCause, 'status'> & { statusAt: Date | null }>(
  ordered: T[],
): T | undefined {
  const unresolved = ordered.filter((c) => c.status !== 'resolved');
  if (unresolved.length)
    return unresolved.reduce((best, c) => (URGENCY[c.status] < URGENCY[best.status] ? c : best));
  return ordered.reduce<T | undefined>(
    (latest, c) => (!latest || +(c.statusAt ?? 0) > +(latest.statusAt ?? 0) ? c : latest),
    undefined,
  );
}

/**
 * The incident's message from its causes: the headline and the account are the most severe cause's, the
 * state (open, acknowledged, snoozed, resolved, by whom) is `stateCause`'s, the other causes are lines.
 */
export function incidentView<T extends AlertMessageData>(
  causes: T[],
  assigneeSlackId: string | null = null,
): T {
  const ordered = orderCauses(causes);
  const lead = ordered[0];
  if (!lead) throw new Error('an incident has at least one cause');
  const state = stateCause(ordered)!;
  return {
    ...lead,
    status: state.status,
    statusBy: state.statusBy,
    statusAt: state.statusAt,
    snoozedUntil: state.snoozedUntil,
    resolutionNote: state.resolutionNote,
    assigneeSlackId: assigneeSlackId ?? lead.account.ownerSlackId,
    otherCauses: ordered.slice(1).map((c) => ({ cause: c.cause, status: c.status })),
  };
}
