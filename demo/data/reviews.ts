export interface ReviewPlan {
  /** The account's key. */
  key: string;
  /** The last review held, this many days ago (none: never had one). */
  heldDaysAgo?: number;
  /** The next one, scheduled this many days ahead. */
  scheduledInDays?: number;
  /** Goals set at the last review, tracked against the demo's metrics. */
  goals?: Array<{
    description: string;
    metric?: string;
    comparator?: '>=' | '<=';
    target?: number;
    dueInDays: number;
  }>;
}

/**
 * The success reviews of the demo's high-touch (quarterly RTS) and exclusive (monthly RMS) accounts: on
 * cadence, except umbrella, whose quarterly review is overdue (a red flag, and its relationship suffers).
 * Acme's and Globex's next reviews are close, so their briefs reach the owner's DM within days.
 */
export const REVIEW_PLANS: ReviewPlan[] = [
  {
    key: 'acme',
    heldDaysAgo: 75,
    scheduledInDays: 6,
    goals: [
      {
        description: 'Active users ≥ 90',
        metric: 'active_users',
        comparator: '>=',
        target: 90,
        dueInDays: 20,
      },
      { description: 'Open tickets ≤ 1', metric: 'tickets_open', comparator: '<=', target: 1, dueInDays: 20 },
      { description: 'Roll out the reporting module to finance', dueInDays: 40 },
    ],
  },
  { key: 'umbrella', heldDaysAgo: 130 },
  { key: 'cyberdyne', heldDaysAgo: 40 },
  { key: 'tyrell', heldDaysAgo: 20 },
  { key: 'massive', heldDaysAgo: 60 },
  { key: 'nordwind', heldDaysAgo: 80, scheduledInDays: 9 },
  { key: 'capivara', heldDaysAgo: 30 },
  { key: 'globex', heldDaysAgo: 24, scheduledInDays: 4 },
  { key: 'hooli', heldDaysAgo: 18 },
  { key: 'stark', heldDaysAgo: 10 },
  { key: 'wayne', heldDaysAgo: 27, scheduledInDays: 2 },
];
