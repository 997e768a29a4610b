/** What the App Home shows, as the store loads it and slack/blocks/home.ts renders it. */
import type { AlertMessageData } from './alerts.ts';
import type { BandCounts } from './digest.ts';
import type { Band } from './health.ts';
import type { CsmRollup } from './retention-metrics.ts';

/** A portfolio line without its owner; `openFlags` counts the account's unresolved alerts. */
export interface HomeAccount {
  key: string;
  name: string;
  score: number | null;
  band: Band | null;
  change7d: number | null;
  openFlags: number;
}

export interface HomeReview {
  key: string;
  name: string;
  kind: string;
  startsAt: string;
  /** The zone the meeting was scheduled in. */
  timezone: string;
}

export interface HomeMilestone {
  key: string;
  name: string;
  title: string;
  plannedFor: string;
}

/** What one person's App Home shows: heads of lists, with each list's full size. */
export interface HomeData {
  /** A CS lead sees the whole portfolio; everyone else the accounts they own. */
  scope: 'own' | 'portfolio';
  counts: BandCounts;
  accounts: { items: HomeAccount[]; total: number };
  /** Each open incident as its message shows it: the most severe cause, the others, its state and owner. */
  incidents: { items: AlertMessageData[]; total: number };
  reviews: { items: HomeReview[]; total: number };
  overdueMilestones: { items: HomeMilestone[]; total: number };
  /** For a CS lead: one line per CSM (docs/retention.md). */
  csms?: CsmRollup[];
}
