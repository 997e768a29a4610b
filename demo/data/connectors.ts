import { VENDOR_DOMAIN } from './slack-workspace.ts';

/**
 * What the sandbox's local HubSpot and Zendesk hold: a few customers that are not in the demo portfolio
 * (so the portfolio's stories stay as they are), their contacts, and their support tickets. Plain data
 * in the sources' own shapes; dates are days before `now`. The sandbox syncs them on start, as a
 * connected workspace would, and the Segment demo script (`npm run demo:segment`) sends their product
 * events.
 */

/** Which HubSpot property holds which Pulse field, as HUBSPOT_PROPERTIES says it. */
export const DEMO_HUBSPOT_PROPERTIES =
  'key=pulse_account_key,mrr=mrr,renewal_date=contract_renewal_date,tier=cs_tier,stage=cs_stage,seats=seats,role=pulse_role';

export interface DemoCompany {
  id: string;
  properties: Record<string, string | null>;
  /** Days before now it was last modified in HubSpot. */
  modifiedDaysAgo: number;
}

export interface DemoCrmContact {
  id: string;
  properties: Record<string, string | null>;
  modifiedDaysAgo: number;
}

/** HubSpot owners: the demo's CSMs, matched to their Slack users by e-mail. */
export const DEMO_HUBSPOT_OWNERS = [
  { id: '701', email: `priya.natarajan@${VENDOR_DOMAIN}`, firstName: 'Priya', lastName: 'Natarajan' },
  { id: '702', email: `jonas.becker@${VENDOR_DOMAIN}`, firstName: 'Jonas', lastName: 'Becker' },
];

export const DEMO_COMPANIES: DemoCompany[] = [
  {
    id: '9001',
    modifiedDaysAgo: 3,
    properties: {
      name: 'Gringotts Bank',
      domain: 'gringotts.example',
      pulse_account_key: 'gringotts',
      hubspot_owner_id: '701',
      mrr: '6200',
      seats: '80',
      cs_tier: 'High Touch',
      cs_stage: 'Adoption',
      contract_renewal_date: '2027-02-28',
    },
  },
  {
    id: '9002',
    modifiedDaysAgo: 2,
    properties: {
      name: 'Duff Brewing',
      domain: 'www.duff.example',
      pulse_account_key: 'duff',
      hubspot_owner_id: '702',
      mrr: '1450',
      seats: '25',
      cs_tier: 'Mid Touch',
      cs_stage: 'Onboarding',
      contract_renewal_date: '2026-11-30',
    },
  },
  {
    id: '9003',
    modifiedDaysAgo: 1,
    properties: {
      name: 'Krusty Burger',
      domain: 'krusty.example',
      pulse_account_key: 'krusty',
      hubspot_owner_id: '702',
      mrr: '980',
      seats: '15',
      cs_tier: 'Low Touch',
      cs_stage: 'Renewal',
      contract_renewal_date: '2026-09-15',
    },
  },
  // A CRM always has a bad row: this one is skipped with its reason, shown in /cs connectors.
  {
    id: '9004',
    modifiedDaysAgo: 1,
    properties: { name: 'Planet Express', domain: 'planetexpress.example', mrr: 'about 2k' },
  },
];

export const DEMO_CRM_CONTACTS: DemoCrmContact[] = [
  {
    id: '9101',
    modifiedDaysAgo: 3,
    properties: {
      email: 'griphook@gringotts.example',
      firstname: 'Griphook',
      lastname: 'Goblin',
      associatedcompanyid: '9001',
      pulse_role: 'Champion',
    },
  },
  {
    id: '9102',
    modifiedDaysAgo: 3,
    properties: {
      email: 'ragnok@gringotts.example',
      firstname: 'Ragnok',
      lastname: 'Goblin',
      associatedcompanyid: '9001',
      pulse_role: 'Decision Maker',
    },
  },
  {
    id: '9103',
    modifiedDaysAgo: 2,
    properties: {
      email: 'duffman@duff.example',
      firstname: 'Duff',
      lastname: 'Man',
      associatedcompanyid: '9002',
      pulse_role: 'Champion',
    },
  },
  {
    id: '9104',
    modifiedDaysAgo: 1,
    properties: {
      email: 'krusty@krusty.example',
      firstname: 'Herschel',
      lastname: 'Krustofski',
      associatedcompanyid: '9003',
      pulse_role: 'Champion',
    },
  },
];

export interface DemoTicket {
  id: number;
  organizationId: number;
  subject: string;
  priority: 'urgent' | 'high' | 'normal' | 'low';
  createdDaysAgo: number;
  /** Its statuses, each from some days before now, oldest first; the first is the one it was created with. */
  history: Array<{ status: 'open' | 'pending' | 'hold' | 'solved' | 'closed'; daysAgo: number }>;
}

/** Zendesk organizations: `external_id` is the account key, which is how tickets reach an account. */
export const DEMO_ORGANIZATIONS = [
  { id: 8001, name: 'Gringotts Bank', external_id: 'gringotts', domain_names: ['gringotts.example'] },
  { id: 8002, name: 'Duff Brewing', external_id: 'duff', domain_names: ['duff.example'] },
  { id: 8003, name: 'Krusty Burger', external_id: 'krusty', domain_names: ['krusty.example'] },
];

export const DEMO_TICKETS: DemoTicket[] = [
  // An urgent ticket open two days on a high-touch account: the urgent-ticket red flag in #cs-alerts.
  {
    id: 5001,
    organizationId: 8001,
    subject: 'Wire transfers stuck in the approval queue',
    priority: 'urgent',
    createdDaysAgo: 2,
    history: [{ status: 'open', daysAgo: 2 }],
  },
  // Open for three weeks: counted in tickets_open_14_days.
  {
    id: 5002,
    organizationId: 8001,
    subject: 'Export to the ledger drops the cents',
    priority: 'normal',
    createdDaysAgo: 21,
    history: [
      { status: 'open', daysAgo: 21 },
      { status: 'pending', daysAgo: 12 },
      { status: 'open', daysAgo: 6 },
    ],
  },
  {
    id: 5003,
    organizationId: 8001,
    subject: 'SSO login loops for new staff',
    priority: 'high',
    createdDaysAgo: 10,
    history: [
      { status: 'open', daysAgo: 10 },
      { status: 'solved', daysAgo: 4 },
    ],
  },
  {
    id: 5004,
    organizationId: 8002,
    subject: 'How do we invite the brewery floor team?',
    priority: 'low',
    createdDaysAgo: 5,
    history: [
      { status: 'open', daysAgo: 5 },
      { status: 'solved', daysAgo: 3 },
    ],
  },
  {
    id: 5005,
    organizationId: 8003,
    subject: 'Receipts print the wrong store address',
    priority: 'normal',
    createdDaysAgo: 8,
    history: [{ status: 'open', daysAgo: 8 }],
  },
];
