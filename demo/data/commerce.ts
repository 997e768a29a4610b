/**
 * What each demo customer does with the product, as an e-commerce platform measures it: the metrics of the
 * five success goals in sandbox/health-models/e-commerce.yaml (`sales`, `invoice_errors`,
 * `reports_generated`, `products_announced`; `logins` comes from the usage story in accounts.ts). Plain
 * data, told to fit each account's story: a thriving account meets all five goals, one in difficulty three,
 * an account at risk two or fewer (it sells less). demo/generate.ts turns each into daily points.
 */

export interface CommerceStory {
  /** Sales a day, on average, before any fall. */
  sales: number;
  /** A shop selling less: from `startedDaysAgo`, sales fall linearly over `days` days to `to`, and stay there. */
  fall?: { to: number; startedDaysAgo: number; days: number };
  /** The days (counted back from the day before `now`) with an invoice issued wrongly. */
  invoiceErrorsDaysAgo: number[];
  /** A report every this many days; null: none in the whole history. */
  reportEveryDays: number | null;
  /** A new product announced every this many days, none in the last `quietDays`; null: none ever. */
  productEveryDays: number | null;
  quietDays?: number;
}

/** Meets all five goals: sells daily, invoices right, a report a week, a new product every ten days. */
const thriving = (sales: number): CommerceStory => ({
  sales,
  invoiceErrorsDaysAgo: [],
  reportEveryDays: 7,
  productEveryDays: 10,
});

export const COMMERCE_STORIES: Record<string, CommerceStory> = {
  // Usage sliding, a failed payment: still selling, but invoices went wrong and nothing new for a month (3/5).
  acme: {
    sales: 9,
    fall: { to: 5, startedDaysAgo: 21, days: 21 },
    invoiceErrorsDaysAgo: [4, 12],
    reportEveryDays: 7,
    productEveryDays: 12,
    quietDays: 35,
  },
  globex: thriving(40),
  // Silent for three weeks: it sold well until then, and no longer logs in daily.
  initech: thriving(4),
  // Sales fell away six weeks ago and usage followed; invoices go wrong, nothing new announced (2/5).
  umbrella: {
    sales: 12,
    fall: { to: 0.3, startedDaysAgo: 45, days: 14 },
    invoiceErrorsDaysAgo: [2, 6, 9],
    reportEveryDays: 14,
    productEveryDays: 9,
    quietDays: 40,
  },
  hooli: thriving(55),
  // A support backlog about invoicing: invoices wrong, and no report read in months (3/5).
  stark: { sales: 20, invoiceErrorsDaysAgo: [1, 3, 8, 15, 22], reportEveryDays: null, productEveryDays: 8 },
  wayne: thriving(30),
  wonka: thriving(8),
  // Never really adopted: a sale every other day, invoices wrong, no report, nothing announced (1/5).
  cyberdyne: { sales: 0.5, invoiceErrorsDaysAgo: [5, 19], reportEveryDays: null, productEveryDays: null },
  // Downgraded and using less: still selling, but no report and no new product lately (3/5).
  soylent: {
    sales: 3,
    fall: { to: 1.6, startedDaysAgo: 30, days: 30 },
    invoiceErrorsDaysAgo: [],
    reportEveryDays: null,
    productEveryDays: 15,
    quietDays: 40,
  },
  tyrell: thriving(18),
  aperture: thriving(3),
  // An invoice overdue, usage falling: sales fell away over the last six weeks, invoices wrong (2/5).
  oscorp: {
    sales: 4,
    fall: { to: 0.5, startedDaysAgo: 40, days: 12 },
    invoiceErrorsDaysAgo: [3, 17],
    reportEveryDays: 10,
    productEveryDays: 20,
    quietDays: 45,
  },
  massive: thriving(14),
  vandelay: thriving(3),
  dunder: thriving(5),
  nakatomi: thriving(7),
  // A disputed charge, usage halving: under a sale a day, no report, nothing new; invoices still right (2/5).
  virtucon: {
    sales: 2,
    fall: { to: 0.4, startedDaysAgo: 45, days: 20 },
    invoiceErrorsDaysAgo: [],
    reportEveryDays: null,
    productEveryDays: null,
  },
  // Churned five weeks ago: it had stopped selling before it left.
  sterling: {
    sales: 2,
    fall: { to: 0.1, startedDaysAgo: 90, days: 30 },
    invoiceErrorsDaysAgo: [40, 50],
    reportEveryDays: null,
    productEveryDays: null,
  },
  // Low usage: a couple of sales a day, invoices wrong, no report (3/5).
  zorg: { sales: 2, invoiceErrorsDaysAgo: [6, 20], reportEveryDays: null, productEveryDays: 14 },
  nordwind: thriving(16),
  lumiere: thriving(2),
  // A growing support backlog: invoices wrong, and nothing new announced for six weeks (3/5).
  tabajara: {
    sales: 6,
    invoiceErrorsDaysAgo: [2, 9, 16],
    reportEveryDays: 7,
    productEveryDays: 12,
    quietDays: 42,
  },
  capivara: thriving(25),
  // Stuck in onboarding: its few users log in, but it has hardly sold a thing (1 of its 2 onboarding goals).
  jabuti: { sales: 0.2, invoiceErrorsDaysAgo: [], reportEveryDays: null, productEveryDays: null },
  tucano: thriving(2),
  // Fading before the renewal: sales down to about one and a half a day; no report, nothing new (3/5).
  pindorama: {
    sales: 2.5,
    fall: { to: 1.3, startedDaysAgo: 30, days: 30 },
    invoiceErrorsDaysAgo: [],
    reportEveryDays: null,
    productEveryDays: 20,
    quietDays: 35,
  },
  piedpiper: thriving(2),
  // Usage halved: sales under one a day for a month, invoices wrong; a monthly report still goes out (2/5).
  bluth: {
    sales: 3,
    fall: { to: 0.4, startedDaysAgo: 40, days: 14 },
    invoiceErrorsDaysAgo: [7],
    reportEveryDays: 20,
    productEveryDays: 25,
    quietDays: 50,
  },
  // Usage dropping for two weeks: selling less but still daily, a report, invoices wrong, nothing new (3/5).
  prestige: {
    sales: 3,
    fall: { to: 1.5, startedDaysAgo: 14, days: 14 },
    invoiceErrorsDaysAgo: [5],
    reportEveryDays: 14,
    productEveryDays: 12,
    quietDays: 33,
  },
};
