/**
 * The demo portfolio's customers: about 30 accounts of a fictional software vendor, each following a story a
 * CSM would recognise (steady, growing, usage falling, a support backlog, gone silent, a failed payment…).
 * Plain data: demo/generate.ts turns each story into the ingestion API's objects, dated relative to `now`.
 */

/** Active users as a share of seats over time; `days` counts back from the day before `now`. */
export type UsageStory =
  | { kind: 'steady'; share: number }
  | { kind: 'growing'; from: number; to: number }
  /** Steady at `from`, then a linear fall to `to` over the last `days` days. */
  | { kind: 'falling'; from: number; to: number; days: number }
  /** From the contract start, a ramp to `to` over `days` days, then steady. */
  | { kind: 'ramping'; to: number; days: number };

/** Open support tickets: `usual`, rising linearly to `to` over the last `days` days. */
export interface TicketStory {
  usual: number;
  to?: number;
  days?: number;
}

export interface EmailContact {
  name: string;
  email: string;
  role: 'champion' | 'decision_maker' | 'user';
}

export interface AccountPlan {
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
export const ACCOUNT_PLANS: AccountPlan[] = [
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
