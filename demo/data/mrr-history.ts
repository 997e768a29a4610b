/**
 * The demo's MRR history over the last 18 months: each step is a share of the account's MRR today, from
 * a number of days ago on. The stories below are told on purpose; the other accounts follow their usage
 * story (demo/generate.ts): growing accounts expanded, falling ones expanded then contracted, steady ones
 * vary by account. Every active account's last step is its MRR today.
 */
export interface MrrStep {
  daysAgo: number;
  /** Of the account's MRR today; 0: churned. */
  share: number;
}

/** 18 months: older contracts start their history here. */
export const MRR_HISTORY_DAYS = 548;

export const MRR_STORIES: Record<string, MrrStep[]> = {
  // Churned 25 days ago, after 15 months at the same price.
  sterling: [
    { daysAgo: 400, share: 1 },
    { daysAgo: 25, share: 0 },
  ],
  // Left 200 days ago, came back 80 days later: the portfolio's reactivation.
  dunder: [
    { daysAgo: 300, share: 1 },
    { daysAgo: 200, share: 0 },
    { daysAgo: 120, share: 1 },
  ],
};
