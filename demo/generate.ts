import type { z } from 'zod';
import type {
  accountSchema,
  billingEventSchema,
  contactSchema,
  metricPointSchema,
  milestoneSchema,
} from '../src/api/schemas.ts';
import { DEMO_ACCOUNT_CHANNELS, DEMO_OWNERS, DEMO_WORKSPACE } from './workspace.ts';

/**
 * The demo portfolio: about 30 customers of a fictional software vendor, each following a story a CSM
 * would recognise (steady, growing, usage falling, a support backlog, gone silent, a failed payment…),
 * as objects in the ingestion API's shapes. Deterministic: each account's noise comes from a PRNG
 * seeded by its key, and every date is relative to `now`, so the same `now` gives the same data and any
 * `now` lands each account on the same band.
 */

export type DemoAccount = z.input<typeof accountSchema>;
export type DemoContact = z.input<typeof contactSchema>;
export type DemoMetricPoint = z.input<typeof metricPointSchema>;
export type DemoBillingEvent = z.input<typeof billingEventSchema>;
export type DemoMilestone = z.input<typeof milestoneSchema>;

export interface DemoPortfolio {
  accounts: DemoAccount[];
  contacts: DemoContact[];
  metrics: DemoMetricPoint[];
  billingEvents: DemoBillingEvent[];
  milestones: DemoMilestone[];
}

/** Daily metrics cover this many days, ending the day before `now`. */
export const DEMO_HISTORY_DAYS = 90;

/** Active users as a share of seats over time; `days` counts back from the day before `now`. */
type UsageStory =
  | { kind: 'steady'; share: number }
  | { kind: 'growing'; from: number; to: number }
  /** Steady at `from`, then a linear fall to `to` over the last `days` days. */
  | { kind: 'falling'; from: number; to: number; days: number }
  /** From the contract start, a ramp to `to` over `days` days, then steady. */
  | { kind: 'ramping'; to: number; days: number };

/** Open support tickets: `usual`, rising linearly to `to` over the last `days` days. */
interface TicketStory {
  usual: number;
  to?: number;
  days?: number;
}

interface EmailContact {
  name: string;
  email: string;
  role: 'champion' | 'decision_maker' | 'user';
}

interface AccountPlan {
  key: string;
  name: string;
  tier: 'tech_touch' | 'low_touch' | 'mid_touch' | 'high_touch' | 'exclusive';
  stage: 'onboarding' | 'adoption' | 'expansion' | 'renewal';
  currency: 'USD' | 'BRL' | 'EUR';
  locale: 'en' | 'pt-BR';
  timezone: string;
  seats: number;
  mrr: number;
  /** Days from the contract start to `now`; the renewal is its next anniversary. */
  contractAgeDays: number;
  usage: UsageStory;
  tickets: TicketStory;
  /** Logins per active user per day. */
  loginsPerUser: number;
  /** No metric at all in the last `silentDays` days (stale data, or a churned customer). */
  silentDays?: number;
  churned?: boolean;
  /** People known by e-mail only; those in Slack come from the demo workspace. */
  contacts: EmailContact[];
}

const steady = (share: number): UsageStory => ({ kind: 'steady', share });
const growing = (from: number, to: number): UsageStory => ({ kind: 'growing', from, to });
const falling = (from: number, to: number, days: number): UsageStory => ({ kind: 'falling', from, to, days });
const ramping = (to: number, days: number): UsageStory => ({ kind: 'ramping', to, days });
const person = (name: string, email: string, role: EmailContact['role'] = 'champion'): EmailContact => ({
  name,
  email,
  role,
});

/*
 * The stories, and the band each lands on with the default health model (usage 30, support 15, billing 15
 * when the account has billing history, relationship 10; outcomes and sentiment have no data yet).
 */
const PLANS: AccountPlan[] = [
  // Yellow: a high-touch account whose usage is sliding for three weeks, and whose last payment failed.
  {
    key: 'acme',
    name: 'Acme Corporation',
    tier: 'high_touch',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Phoenix',
    seats: 120,
    mrr: 14_400,
    contractAgeDays: 500,
    usage: falling(0.72, 0.46, 21),
    tickets: { usual: 0, to: 2, days: 10 },
    loginsPerUser: 2.2,
    contacts: [person('Roadrunner Jones', 'r.jones@acme.example', 'decision_maker')],
  },
  // Green: the largest exclusive account, steady and paying, renewing in about 11 weeks.
  {
    key: 'globex',
    name: 'Globex Corporation',
    tier: 'exclusive',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 400,
    mrr: 52_000,
    contractAgeDays: 290,
    usage: steady(0.66),
    tickets: { usual: 1 },
    loginsPerUser: 2.6,
    contacts: [person('Frank Grimes', 'frank.grimes@globex.example', 'user')],
  },
  // Yellow: silent for three weeks (no data since) and the champion has left.
  {
    key: 'initech',
    name: 'Initech',
    tier: 'mid_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Chicago',
    seats: 60,
    mrr: 3_600,
    contractAgeDays: 210,
    usage: steady(0.5),
    tickets: { usual: 1 },
    loginsPerUser: 1.6,
    silentDays: 21,
    contacts: [
      person('Bill Lumbergh', 'bill.lumbergh@initech.example', 'decision_maker'),
      person('Milton Waddams', 'milton@initech.example', 'user'),
    ],
  },
  // Red: usage collapsed in the last two weeks and tickets pile up, with the renewal 40 days out.
  {
    key: 'umbrella',
    name: 'Umbrella Corporation',
    tier: 'high_touch',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Chicago',
    seats: 250,
    mrr: 27_500,
    contractAgeDays: 325,
    usage: falling(0.6, 0.12, 12),
    tickets: { usual: 1, to: 5, days: 20 },
    loginsPerUser: 1.9,
    contacts: [person('Albert Wesker', 'a.wesker@umbrella.example', 'decision_maker')],
  },
  // Green: an exclusive account growing into its seats.
  {
    key: 'hooli',
    name: 'Hooli',
    tier: 'exclusive',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 600,
    mrr: 78_000,
    contractAgeDays: 700,
    usage: growing(0.5, 0.7),
    tickets: { usual: 1 },
    loginsPerUser: 3.1,
    contacts: [],
  },
  // Yellow: heavy use, but a support backlog that has been open for weeks.
  {
    key: 'stark',
    name: 'Stark Industries',
    tier: 'exclusive',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 350,
    mrr: 49_000,
    contractAgeDays: 150,
    usage: steady(0.64),
    tickets: { usual: 2, to: 6, days: 24 },
    loginsPerUser: 2.8,
    contacts: [person('Happy Hogan', 'happy.hogan@stark.example', 'decision_maker')],
  },
  // Green with a flag: the card on file expires in two weeks.
  {
    key: 'wayne',
    name: 'Wayne Enterprises',
    tier: 'exclusive',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 300,
    mrr: 45_000,
    contractAgeDays: 310,
    usage: steady(0.62),
    tickets: { usual: 0 },
    loginsPerUser: 2.4,
    contacts: [person('Bruce Wayne', 'bruce@wayne.example', 'decision_maker')],
  },
  // Green: growing.
  {
    key: 'wonka',
    name: 'Wonka Industries',
    tier: 'mid_touch',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'Europe/London',
    seats: 90,
    mrr: 8_100,
    contractAgeDays: 420,
    usage: growing(0.45, 0.62),
    tickets: { usual: 0 },
    loginsPerUser: 1.8,
    contacts: [person('Willy Wonka', 'willy@wonka.example', 'decision_maker')],
  },
  // Red: never really adopted, usage slipping further, tickets unanswered for weeks.
  {
    key: 'cyberdyne',
    name: 'Cyberdyne Systems',
    tier: 'high_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 180,
    mrr: 21_600,
    contractAgeDays: 160,
    usage: falling(0.2, 0.15, 30),
    tickets: { usual: 3, to: 4, days: 30 },
    loginsPerUser: 1.4,
    contacts: [person('Sarah Connor', 'sarah.connor@cyberdyne.example', 'decision_maker')],
  },
  // Yellow: downgraded ten days ago and using less.
  {
    key: 'soylent',
    name: 'Soylent Corp',
    tier: 'low_touch',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 40,
    mrr: 1_600,
    contractAgeDays: 330,
    usage: falling(0.5, 0.36, 30),
    tickets: { usual: 0 },
    loginsPerUser: 1.5,
    contacts: [person('Frank Thorn', 'frank.thorn@soylent.example')],
  },
  // Green: steady.
  {
    key: 'tyrell',
    name: 'Tyrell Corporation',
    tier: 'high_touch',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 220,
    mrr: 24_200,
    contractAgeDays: 600,
    usage: steady(0.6),
    tickets: { usual: 1 },
    loginsPerUser: 2.1,
    contacts: [person('Eldon Tyrell', 'eldon@tyrell.example', 'decision_maker')],
  },
  // Green: onboarding well, a couple of setup questions open.
  {
    key: 'aperture',
    name: 'Aperture Science',
    tier: 'mid_touch',
    stage: 'onboarding',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Detroit',
    seats: 80,
    mrr: 6_400,
    contractAgeDays: 50,
    usage: ramping(0.5, 30),
    tickets: { usual: 1, to: 2, days: 10 },
    loginsPerUser: 1.7,
    contacts: [
      person('Caroline Reyes', 'caroline@aperture.example'),
      person('Cave Johnson', 'cave@aperture.example', 'decision_maker'),
    ],
  },
  // Red: an invoice overdue, usage falling, tickets open.
  {
    key: 'oscorp',
    name: 'Oscorp',
    tier: 'mid_touch',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 65,
    mrr: 5_200,
    contractAgeDays: 315,
    usage: falling(0.55, 0.3, 21),
    tickets: { usual: 1, to: 3, days: 21 },
    loginsPerUser: 1.6,
    contacts: [
      person('Otto Octavius', 'otto@oscorp.example'),
      person('Norman Osborn', 'norman@oscorp.example', 'decision_maker'),
    ],
  },
  // Green: steady.
  {
    key: 'massive',
    name: 'Massive Dynamic',
    tier: 'high_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 150,
    mrr: 18_000,
    contractAgeDays: 240,
    usage: steady(0.58),
    tickets: { usual: 0 },
    loginsPerUser: 2.3,
    contacts: [person('William Bell', 'william.bell@massive.example', 'decision_maker')],
  },
  // Green: small and steady.
  {
    key: 'vandelay',
    name: 'Vandelay Industries',
    tier: 'low_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 35,
    mrr: 2_100,
    contractAgeDays: 180,
    usage: steady(0.52),
    tickets: { usual: 0 },
    loginsPerUser: 1.5,
    contacts: [person('Art Vandelay', 'art@vandelay.example')],
  },
  // Green: a failed payment three weeks ago, cleared three days later.
  {
    key: 'dunder',
    name: 'Dunder Mifflin Paper',
    tier: 'low_touch',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 45,
    mrr: 2_700,
    contractAgeDays: 300,
    usage: steady(0.56),
    tickets: { usual: 0 },
    loginsPerUser: 1.7,
    contacts: [
      person('Pam Beesly', 'pam.beesly@dunder.example'),
      person('Michael Scott', 'michael.scott@dunder.example', 'decision_maker'),
    ],
  },
  // Green: growing.
  {
    key: 'nakatomi',
    name: 'Nakatomi Trading',
    tier: 'mid_touch',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 70,
    mrr: 5_600,
    contractAgeDays: 450,
    usage: growing(0.48, 0.6),
    tickets: { usual: 0 },
    loginsPerUser: 1.9,
    contacts: [person('Holly Gennero', 'holly@nakatomi.example')],
  },
  // Red: a disputed charge, usage halving, nobody to champion the product.
  {
    key: 'virtucon',
    name: 'Virtucon',
    tier: 'tech_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Denver',
    seats: 30,
    mrr: 1_500,
    contractAgeDays: 200,
    usage: falling(0.36, 0.18, 28),
    tickets: { usual: 1 },
    loginsPerUser: 1.3,
    contacts: [person('Number Two', 'billing@virtucon.example', 'user')],
  },
  // Churned: cancelled five weeks ago, silent since; out of the active portfolio.
  {
    key: 'sterling',
    name: 'Sterling Cooper',
    tier: 'tech_touch',
    stage: 'renewal',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/New_York',
    seats: 20,
    mrr: 900,
    contractAgeDays: 400,
    usage: falling(0.5, 0.1, 60),
    tickets: { usual: 0 },
    loginsPerUser: 1.2,
    silentDays: 35,
    churned: true,
    contacts: [person('Pete Campbell', 'pete.campbell@sterling.example')],
  },
  // Yellow: low usage and tickets waiting for weeks.
  {
    key: 'zorg',
    name: 'Zorg Industries',
    tier: 'mid_touch',
    stage: 'adoption',
    currency: 'EUR',
    locale: 'en',
    timezone: 'Europe/Paris',
    seats: 75,
    mrr: 6_000,
    contractAgeDays: 130,
    usage: steady(0.3),
    tickets: { usual: 3 },
    loginsPerUser: 1.4,
    contacts: [
      person('Jean-Baptiste Zorg', 'jb.zorg@zorg.example', 'decision_maker'),
      person('Right Arm', 'right.arm@zorg.example'),
    ],
  },
  // Green: steady, renewing in about seven weeks.
  {
    key: 'nordwind',
    name: 'Nordwind Logistik GmbH',
    tier: 'high_touch',
    stage: 'renewal',
    currency: 'EUR',
    locale: 'en',
    timezone: 'Europe/Berlin',
    seats: 160,
    mrr: 17_600,
    contractAgeDays: 315,
    usage: steady(0.62),
    tickets: { usual: 0 },
    loginsPerUser: 2.0,
    contacts: [person('Matthias Krüger', 'matthias.krueger@nordwind.example', 'decision_maker')],
  },
  // Green: a small hotel group onboarding well.
  {
    key: 'lumiere',
    name: 'Lumière Hôtels',
    tier: 'low_touch',
    stage: 'onboarding',
    currency: 'EUR',
    locale: 'en',
    timezone: 'Europe/Paris',
    seats: 25,
    mrr: 1_500,
    contractAgeDays: 40,
    usage: ramping(0.6, 21),
    tickets: { usual: 0 },
    loginsPerUser: 1.6,
    contacts: [person('Amélie Poulain', 'amelie@lumiere.example')],
  },
  // Yellow: good use, but a support backlog that keeps growing.
  {
    key: 'tabajara',
    name: 'Organizações Tabajara',
    tier: 'mid_touch',
    stage: 'adoption',
    currency: 'BRL',
    locale: 'pt-BR',
    timezone: 'America/Sao_Paulo',
    seats: 50,
    mrr: 9_000,
    contractAgeDays: 170,
    usage: steady(0.55),
    tickets: { usual: 2, to: 6, days: 28 },
    loginsPerUser: 1.8,
    contacts: [person('Marcelo Tabajara', 'marcelo@tabajara.example', 'decision_maker')],
  },
  // Green: a high-touch Brazilian account growing fast.
  {
    key: 'capivara',
    name: 'Capivara Pagamentos',
    tier: 'high_touch',
    stage: 'expansion',
    currency: 'BRL',
    locale: 'pt-BR',
    timezone: 'America/Sao_Paulo',
    seats: 200,
    mrr: 56_000,
    contractAgeDays: 380,
    usage: growing(0.5, 0.68),
    tickets: { usual: 1 },
    loginsPerUser: 2.5,
    contacts: [person('Paulo Henrique Duarte', 'paulo.duarte@capivara.example', 'decision_maker')],
  },
  // Red: stuck in onboarding two months after the sale, with no champion yet.
  {
    key: 'jabuti',
    name: 'Jabuti Educação',
    tier: 'low_touch',
    stage: 'onboarding',
    currency: 'BRL',
    locale: 'pt-BR',
    timezone: 'America/Recife',
    seats: 40,
    mrr: 4_800,
    contractAgeDays: 60,
    usage: falling(0.15, 0.08, 21),
    tickets: { usual: 2, to: 3, days: 21 },
    loginsPerUser: 1.2,
    contacts: [person('Cláudia Menezes', 'claudia.menezes@jabuti.example', 'decision_maker')],
  },
  // Green: tech-touch, steady.
  {
    key: 'tucano',
    name: 'Tucano Logística',
    tier: 'tech_touch',
    stage: 'adoption',
    currency: 'BRL',
    locale: 'pt-BR',
    timezone: 'America/Sao_Paulo',
    seats: 12,
    mrr: 1_800,
    contractAgeDays: 220,
    usage: steady(0.6),
    tickets: { usual: 0 },
    loginsPerUser: 1.5,
    contacts: [person('Fernanda Rocha', 'fernanda.rocha@tucano.example')],
  },
  // Yellow: tech-touch, usage fading a month before the renewal.
  {
    key: 'pindorama',
    name: 'Pindorama Agro',
    tier: 'tech_touch',
    stage: 'renewal',
    currency: 'BRL',
    locale: 'pt-BR',
    timezone: 'America/Cuiaba',
    seats: 20,
    mrr: 2_400,
    contractAgeDays: 335,
    usage: falling(0.36, 0.24, 30),
    tickets: { usual: 0 },
    loginsPerUser: 1.3,
    contacts: [person('João Batista Prado', 'joao.prado@pindorama.example')],
  },
  // Green: a tech-touch startup onboarding itself.
  {
    key: 'piedpiper',
    name: 'Pied Piper',
    tier: 'tech_touch',
    stage: 'onboarding',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 10,
    mrr: 490,
    contractAgeDays: 35,
    usage: ramping(0.65, 14),
    tickets: { usual: 0 },
    loginsPerUser: 2.4,
    contacts: [person('Richard Hendricks', 'richard@piedpiper.example')],
  },
  // Red: usage halved in a month and tickets are piling up.
  {
    key: 'bluth',
    name: 'Bluth Company',
    tier: 'low_touch',
    stage: 'adoption',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 30,
    mrr: 1_800,
    contractAgeDays: 190,
    usage: falling(0.6, 0.25, 28),
    tickets: { usual: 1, to: 4, days: 21 },
    loginsPerUser: 1.5,
    contacts: [person('Michael Bluth', 'michael@bluth.example')],
  },
  // Yellow: tech-touch, usage dropping over the last two weeks.
  {
    key: 'prestige',
    name: 'Prestige Worldwide',
    tier: 'tech_touch',
    stage: 'expansion',
    currency: 'USD',
    locale: 'en',
    timezone: 'America/Los_Angeles',
    seats: 15,
    mrr: 750,
    contractAgeDays: 390,
    usage: falling(0.6, 0.4, 14),
    tickets: { usual: 1 },
    loginsPerUser: 1.6,
    contacts: [person('Brennan Huff', 'brennan@prestige.example')],
  },
];

interface BillingPlan {
  account: string;
  type: DemoBillingEvent['type'];
  daysAgo: number;
  /** The amount in the account's currency; the account's MRR when omitted. */
  amount?: number;
  dueDaysAgo?: number;
  cardExpiresInDays?: number;
}

const BILLING: BillingPlan[] = [
  { account: 'acme', type: 'invoice_paid', daysAgo: 36 },
  { account: 'acme', type: 'payment_failed', daysAgo: 6 },
  { account: 'globex', type: 'invoice_paid', daysAgo: 5 },
  { account: 'oscorp', type: 'invoice_overdue', daysAgo: 9, dueDaysAgo: 16 },
  { account: 'wayne', type: 'card_expiring', daysAgo: 2, cardExpiresInDays: 14 },
  { account: 'soylent', type: 'subscription_downgraded', daysAgo: 10 },
  { account: 'dunder', type: 'payment_failed', daysAgo: 20 },
  { account: 'dunder', type: 'payment_succeeded', daysAgo: 17 },
  { account: 'virtucon', type: 'dispute_opened', daysAgo: 12 },
  { account: 'capivara', type: 'payment_succeeded', daysAgo: 3 },
  { account: 'sterling', type: 'subscription_canceled', daysAgo: 35, amount: 0 },
];

const DAY = 86_400_000;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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
  };
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
  const plan = PLANS.find((p) => p.key === event.account)!;
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

/**
 * Success plans: `reachedDaysAgo` for a milestone reached, `dueInDays` (negative: past) for a target day.
 * Onboarding accounts show time to first value; jabuti has none after 60 days (a red flag); acme has 3
 * reached and 2 overdue, which keeps its outcomes at 60 and its score where its story puts it.
 */
const MILESTONES: Array<{ account: string; title: string; reachedDaysAgo?: number; dueInDays?: number }> = [
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

function toMilestone(plan: (typeof MILESTONES)[number], now: Date): DemoMilestone {
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
    accounts: PLANS.map((plan) => toAccount(plan, now)),
    contacts: PLANS.flatMap(contactsOf),
    metrics: PLANS.flatMap((plan) => accountMetrics(plan, now)),
    billingEvents: BILLING.map((event, i) => toBillingEvent(event, now, i)),
    milestones: MILESTONES.map((m) => toMilestone(m, now)),
  };
}
