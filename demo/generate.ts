import type { z } from 'zod';
import type {
  accountSchema,
  billingEventSchema,
  contactSchema,
  metricPointSchema,
  milestoneSchema,
  mrrChangeSchema,
} from '../src/domain/ingestion.ts';
import { DAY } from '../src/domain/time.ts';
import { ACCOUNT_PLANS, type AccountPlan, type TicketStory, type UsageStory } from './data/accounts.ts';
import { BILLING_PLANS, type BillingPlan } from './data/billing.ts';
import { COMMERCE_STORIES, type CommerceStory } from './data/commerce.ts';
import { MILESTONE_PLANS, type MilestonePlan } from './data/milestones.ts';
import { MRR_HISTORY_DAYS, MRR_STORIES, type MrrStep } from './data/mrr-history.ts';
import { prng } from './prng.ts';
import { DEMO_ACCOUNT_CHANNELS, DEMO_OWNERS, DEMO_WORKSPACE } from './workspace.ts';

/**
 * The demo portfolio generator: turns the stories in data/ (accounts, billing events, milestones) into
 * objects in the ingestion API's shapes. Deterministic: each account's noise comes from a PRNG seeded by
 * its key, and every date is relative to `now`, so the same `now` gives the same data and any `now`
 * lands each account on the same band.
 */

export type DemoAccount = z.input<typeof accountSchema>;
export type DemoContact = z.input<typeof contactSchema>;
export type DemoMetricPoint = z.input<typeof metricPointSchema>;
export type DemoBillingEvent = z.input<typeof billingEventSchema>;
export type DemoMilestone = z.input<typeof milestoneSchema>;
export type DemoMrrChange = z.input<typeof mrrChangeSchema>;

export interface DemoPortfolio {
  accounts: DemoAccount[];
  contacts: DemoContact[];
  metrics: DemoMetricPoint[];
  billingEvents: DemoBillingEvent[];
  milestones: DemoMilestone[];
  mrrChanges: DemoMrrChange[];
}

/** Daily metrics cover this many days, ending the day before `now`. */
export const DEMO_HISTORY_DAYS = 90;

/** FNV-1a: a seed per account key, so adding an account never changes the others' data. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193);
  return hash >>> 0;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Midnight (UTC) starting the day `days` days before `now`'s day. */
function dayStart(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY);
}

/**
 * A day's figures are stamped at the end of that day (UTC), when they are complete; a window of the last
 * N days before any `now` then holds exactly N daily points, so weekly seasonality cancels out in it.
 */
const dayEnd = (now: Date, days: number) => new Date(+dayStart(now, days) + DAY - 1000);

function usageShare(story: UsageStory, daysAgo: number, contractAgeDays: number): number {
  switch (story.kind) {
    case 'steady':
      return story.share;
    case 'growing':
      return story.to + ((story.from - story.to) * (daysAgo - 1)) / (DEMO_HISTORY_DAYS - 1);
    case 'falling':
      if (daysAgo > story.days) return story.from;
      return story.to + ((story.from - story.to) * (daysAgo - 1)) / story.days;
    case 'ramping':
      return story.to * Math.min(1, (contractAgeDays - daysAgo + 1) / story.days);
  }
}

function openTickets(story: TicketStory, daysAgo: number): number {
  if (story.to === undefined || story.days === undefined || daysAgo > story.days) return story.usual;
  return Math.round(story.to + ((story.usual - story.to) * (daysAgo - 1)) / story.days);
}

/** Business software: weekdays busier than weekends; the factors average exactly 1 over any 7 days. */
const weekdayFactor = (day: Date) => (day.getUTCDay() === 0 || day.getUTCDay() === 6 ? 0.75 : 1.1);

/** Beyond every window the health model reads: old history gets a little noise of its own. */
const QUIET_HISTORY_DAYS = 35;

function accountMetrics(plan: AccountPlan, now: Date): DemoMetricPoint[] {
  const random = prng(seedOf(plan.key));
  const points: DemoMetricPoint[] = [];
  const firstDay = Math.min(DEMO_HISTORY_DAYS, plan.contractAgeDays);
  for (let daysAgo = firstDay; daysAgo >= 1; daysAgo--) {
    // Draw for every day, silent or not, so a story's noise does not depend on where its data stops.
    const usageNoise = 1 + (random() - 0.5) * 0.1;
    const loginNoise = 1 + (random() - 0.5) * 0.2;
    const ticketNoise = random();
    if (plan.silentDays !== undefined && daysAgo <= plan.silentDays) continue;
    const day = dayStart(now, daysAgo);
    const at = dayEnd(now, daysAgo).toISOString();
    const share = usageShare(plan.usage, daysAgo, plan.contractAgeDays);
    const active = Math.min(plan.seats, Math.round(plan.seats * share * weekdayFactor(day) * usageNoise));
    const logins = Math.round(active * plan.loginsPerUser * loginNoise);
    let tickets = openTickets(plan.tickets, daysAgo);
    if (daysAgo > QUIET_HISTORY_DAYS && ticketNoise < 0.2)
      tickets += ticketNoise < 0.1 && tickets > 0 ? -1 : 1;
    points.push(
      { account: plan.key, metric: 'active_users', value: active, at },
      { account: plan.key, metric: 'logins', value: logins, at },
      { account: plan.key, metric: 'tickets_open', value: tickets, at },
    );
  }
  return points;
}

function salesRate(story: CommerceStory, daysAgo: number): number {
  const { fall } = story;
  if (!fall || daysAgo >= fall.startedDaysAgo) return story.sales;
  const elapsed = fall.startedDaysAgo - daysAgo;
  return elapsed >= fall.days ? fall.to : story.sales + ((fall.to - story.sales) * elapsed) / fall.days;
}

/** Every `every` days, on a day of the cycle set by the account (so accounts do not all report together). */
const onCycle = (every: number | null, daysAgo: number, phase: number) =>
  every !== null && (daysAgo + phase) % every === 0;

/**
 * The e-commerce model's metrics (data/commerce.ts), one point a day like every metric: sales, invoice
 * errors and products announced every day (0 included: a day without is a value, not missing data), a
 * report only on the days one was generated (its goal counts the days with one). Its own PRNG, so the
 * usage metrics above keep their noise.
 */
function commerceMetrics(plan: AccountPlan, now: Date): DemoMetricPoint[] {
  const story = COMMERCE_STORIES[plan.key];
  if (!story) throw new Error(`demo account ${plan.key} has no commerce story in demo/data/commerce.ts`);
  const seed = seedOf(`${plan.key}:commerce`);
  const random = prng(seed);
  const points: DemoMetricPoint[] = [];
  for (let daysAgo = Math.min(DEMO_HISTORY_DAYS, plan.contractAgeDays); daysAgo >= 1; daysAgo--) {
    const salesNoise = 0.6 + 0.8 * random();
    const rounding = random();
    if (plan.silentDays !== undefined && daysAgo <= plan.silentDays) continue;
    const at = dayEnd(now, daysAgo).toISOString();
    // Rounded up with the probability of the fraction: a rate of 0.5 sells on about half the days.
    const sales = Math.floor(
      salesRate(story, daysAgo) * weekdayFactor(dayStart(now, daysAgo)) * salesNoise + rounding,
    );
    const announced =
      onCycle(story.productEveryDays, daysAgo, seed % 7) && daysAgo > (story.quietDays ?? 0) ? 1 : 0;
    points.push(
      { account: plan.key, metric: 'sales', value: sales, at },
      {
        account: plan.key,
        metric: 'invoice_errors',
        value: story.invoiceErrorsDaysAgo.includes(daysAgo) ? 1 : 0,
        at,
      },
      { account: plan.key, metric: 'products_announced', value: announced, at },
    );
    if (onCycle(story.reportEveryDays, daysAgo, seed % 5))
      points.push({ account: plan.key, metric: 'reports_generated', value: 1, at });
  }
  return points;
}

function renewalDate(contractStart: Date, now: Date): Date {
  const renewal = new Date(contractStart);
  do renewal.setUTCFullYear(renewal.getUTCFullYear() + 1);
  while (renewal <= now);
  return renewal;
}

function toAccount(plan: AccountPlan, now: Date): DemoAccount {
  const contractStart = dayStart(now, plan.contractAgeDays);
  return {
    key: plan.key,
    name: plan.name,
    tier: plan.tier,
    stage: plan.stage,
    mrr: plan.mrr,
    currency: plan.currency,
    seats: plan.seats,
    owner_slack_id: DEMO_OWNERS[plan.key] ?? null,
    channel_id: DEMO_ACCOUNT_CHANNELS[plan.key] ?? null,
    locale: plan.locale,
    timezone: plan.timezone,
    contract_start: isoDate(contractStart),
    renewal_date: isoDate(renewalDate(contractStart, now)),
    status: plan.churned ? 'churned' : 'active',
    ...(plan.churned && { churned_at: churnedAt(plan, now) }),
  };
}

/** An account's MRR steps: its told story, else one that follows its usage. */
function mrrSteps(plan: AccountPlan): MrrStep[] {
  const told = MRR_STORIES[plan.key];
  if (told) return told;
  const start = Math.min(plan.contractAgeDays, MRR_HISTORY_DAYS);
  const at = (fraction: number) => Math.round(start * fraction);
  switch (plan.usage.kind) {
    case 'growing':
      return [
        { daysAgo: start, share: 0.7 },
        { daysAgo: at(0.6), share: 0.85 },
        { daysAgo: at(0.25), share: 1 },
      ];
    case 'falling':
      return [
        { daysAgo: start, share: 1 },
        { daysAgo: at(0.5), share: 1.25 },
        { daysAgo: Math.min(plan.usage.days, at(0.25)), share: 1 },
      ];
    default: {
      const variant = seedOf(plan.key) % 3;
      if (variant === 0) return [{ daysAgo: start, share: 1 }];
      if (variant === 1) {
        return [
          { daysAgo: start, share: 0.8 },
          { daysAgo: at(0.5), share: 1 },
        ];
      }
      return [
        { daysAgo: start, share: 1.2 },
        { daysAgo: at(0.33), share: 1 },
      ];
    }
  }
}

/** The day the churned account churned: its story's step to 0. */
const churnedAt = (plan: AccountPlan, now: Date) => {
  const churn = mrrSteps(plan).findLast((s) => s.share === 0);
  return new Date(+dayStart(now, churn?.daysAgo ?? 0) + 10 * 3_600_000).toISOString();
};

/** The account's MRR history, each movement at 10:00 UTC of its day. */
function mrrHistory(plan: AccountPlan, now: Date): DemoMrrChange[] {
  const seen = new Set<number>();
  return mrrSteps(plan)
    .filter((s) => s.daysAgo > 0 && !seen.has(s.daysAgo) && seen.add(s.daysAgo))
    .map((s) => ({
      account: plan.key,
      at: new Date(+dayStart(now, s.daysAgo) + 10 * 3_600_000).toISOString(),
      mrr: Math.round(plan.mrr * s.share),
    }));
}

function contactsOf(plan: AccountPlan): DemoContact[] {
  const inSlack = DEMO_WORKSPACE.users
    .filter((u) => u.accountKey === plan.key && (u.role === 'champion' || u.role === 'decision_maker'))
    .map(
      (u): DemoContact => ({
        account: plan.key,
        email: u.email,
        name: u.realName,
        slack_user_id: u.id,
        role: u.role as 'champion' | 'decision_maker',
      }),
    );
  const byEmail = plan.contacts.map((c): DemoContact => ({ account: plan.key, ...c }));
  return [...inSlack, ...byEmail];
}

function toBillingEvent(event: BillingPlan, now: Date, index: number): DemoBillingEvent {
  const plan = ACCOUNT_PLANS.find((p) => p.key === event.account)!;
  // Billing systems report at varied hours; a fixed hour per event keeps the data deterministic.
  const at = new Date(+dayStart(now, event.daysAgo) + (9 + (index % 8)) * 3_600_000);
  return {
    account: event.account,
    external_id: `demo_${event.account}_${event.type}_${event.daysAgo}`,
    type: event.type,
    occurred_at: at.toISOString(),
    amount: event.amount ?? plan.mrr,
    currency: plan.currency,
    ...(event.dueDaysAgo === undefined ? {} : { due_date: isoDate(dayStart(now, event.dueDaysAgo)) }),
    ...(event.cardExpiresInDays === undefined
      ? {}
      : { card_expires_at: isoDate(dayStart(now, -event.cardExpiresInDays)) }),
  };
}

function toMilestone(plan: MilestonePlan, now: Date): DemoMilestone {
  return {
    account: plan.account,
    title: plan.title,
    ...(plan.dueInDays !== undefined && { planned_for: isoDate(dayStart(now, -plan.dueInDays)) }),
    ...(plan.reachedDaysAgo !== undefined && {
      reached_at: new Date(+dayStart(now, plan.reachedDaysAgo) + 15 * 3_600_000).toISOString(),
    }),
  };
}

/** The whole demo portfolio as of `now`: the same `now` always gives the same objects. */
export function demoPortfolio(now: Date): DemoPortfolio {
  return {
    accounts: ACCOUNT_PLANS.map((plan) => toAccount(plan, now)),
    contacts: ACCOUNT_PLANS.flatMap(contactsOf),
    metrics: ACCOUNT_PLANS.flatMap((plan) => [...accountMetrics(plan, now), ...commerceMetrics(plan, now)]),
    billingEvents: BILLING_PLANS.map((event, i) => toBillingEvent(event, now, i)),
    milestones: MILESTONE_PLANS.map((m) => toMilestone(m, now)),
    mrrChanges: ACCOUNT_PLANS.flatMap((plan) => mrrHistory(plan, now)),
  };
}
