export interface MilestonePlan {
  account: string;
  title: string;
  reachedDaysAgo?: number;
  dueInDays?: number;
}

/**
 * Success plans: `reachedDaysAgo` for a milestone reached, `dueInDays` (negative: past) for a target day.
 * Onboarding accounts show time to first value; jabuti has none after 60 days (a red flag); acme has 3
 * reached and 2 overdue, which keeps its outcomes at 60 and its score where its story puts it.
 */
export const MILESTONE_PLANS: MilestonePlan[] = [
  { account: 'acme', title: 'Kick-off held', reachedDaysAgo: 492, dueInDays: -493 },
  { account: 'acme', title: 'Data import completed', reachedDaysAgo: 470, dueInDays: -465 },
  { account: 'acme', title: 'First quarterly report shared', reachedDaysAgo: 400 },
  { account: 'acme', title: 'Finance team onboarded', dueInDays: -20 },
  { account: 'acme', title: 'Board dashboard live', dueInDays: -5 },
  { account: 'acme', title: 'Second business unit live', dueInDays: 45 },
  { account: 'aperture', title: 'SSO configured', reachedDaysAgo: 38, dueInDays: -36 },
  { account: 'aperture', title: 'First test chamber report', reachedDaysAgo: 30 },
  { account: 'aperture', title: 'All labs onboarded', dueInDays: 12 },
  { account: 'lumiere', title: 'First occupancy report', reachedDaysAgo: 27, dueInDays: -25 },
  { account: 'piedpiper', title: 'First file compressed', reachedDaysAgo: 33 },
  { account: 'jabuti', title: 'Teachers trained', dueInDays: -25 },
  { account: 'jabuti', title: 'First class online', dueInDays: 10 },
];
