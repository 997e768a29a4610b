/**
 * The demo Slack workspace as plain data: the CS team of a fictional software vendor, the people of its
 * customers who are in Slack, and the channels they share. The sandbox renders it and its Web API double
 * serves it; the demo portfolio takes the customers' Slack IDs from here.
 * Every e-mail domain is under `.example` (RFC 2606), so no demo message can reach a real inbox.
 */

export type DemoRole = 'csm' | 'cs_lead' | 'champion' | 'decision_maker' | 'outsider';

export interface DemoUser {
  id: string;
  /** Slack handle, as `users.info` returns it in `name`. */
  name: string;
  realName: string;
  email: string;
  role: DemoRole;
  /** Job title, shown under the name. */
  title: string;
  /** A customer's person who reaches the workspace through Slack Connect. */
  external?: boolean;
  /** A single-channel guest of this workspace (Slack's `is_restricted`). */
  guest?: boolean;
  /** The demo account this person works for (customers only). */
  accountKey?: string;
  /** IANA zone, so dates shown to this person can follow their clock. */
  timezone: string;
}

export interface DemoChannel {
  id: string;
  name: string;
  members: string[];
  /** The account this channel is about: its shared channel, or its internal account channel. */
  accountKey?: string;
  /** Shared with the customer (Slack Connect): their people read it, so it is never an account's alert channel. */
  shared?: boolean;
  topic: string;
}

export interface DemoUserGroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface DemoWorkspace {
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string; realName: string };
  users: DemoUser[];
  channels: DemoChannel[];
  userGroups: DemoUserGroup[];
}

const CS_DOMAIN = 'beaconsoftware.example';
const BOT_USER_ID = 'U0PULSEBOT';

const csm = (id: string, handle: string, realName: string, timezone: string): DemoUser => ({
  id,
  name: handle,
  realName,
  email: `${handle}@${CS_DOMAIN}`,
  role: 'csm',
  title: 'Customer Success Manager',
  timezone,
});

export const DEMO_CSMS = {
  ana: csm('U0CSM01', 'ana.souza', 'Ana Souza', 'America/Sao_Paulo'),
  marcus: csm('U0CSM02', 'marcus.reed', 'Marcus Reed', 'America/New_York'),
  priya: csm('U0CSM03', 'priya.natarajan', 'Priya Natarajan', 'America/Chicago'),
  jonas: csm('U0CSM04', 'jonas.becker', 'Jonas Becker', 'Europe/Berlin'),
} as const;

export const DEMO_CS_LEAD: DemoUser = {
  id: 'U0CSLEAD1',
  name: 'helena.costa',
  realName: 'Helena Costa',
  email: `helena.costa@${CS_DOMAIN}`,
  role: 'cs_lead',
  title: 'Head of Customer Success',
  timezone: 'America/Sao_Paulo',
};

/** Works at the vendor but not in CS: the sandbox acts as this person to show account data being refused. */
export const DEMO_OUTSIDER: DemoUser = {
  id: 'U0SALES01',
  name: 'tom.hadley',
  realName: 'Tom Hadley',
  email: `tom.hadley@${CS_DOMAIN}`,
  role: 'outsider',
  title: 'Account Executive',
  timezone: 'America/New_York',
};

interface CustomerPerson {
  id: string;
  accountKey: string;
  realName: string;
  email: string;
  role: 'champion' | 'decision_maker';
  title: string;
  timezone: string;
  /** Slack Connect (external) or a single-channel guest. */
  via: 'connect' | 'guest';
}

const customer = ({ via, ...person }: CustomerPerson): DemoUser => ({
  ...person,
  name: person.email.split('@')[0]!,
  ...(via === 'connect' ? { external: true } : { guest: true }),
});

/**
 * Customer people in Slack. High-touch and exclusive customers talk to their CSM over Slack Connect;
 * two smaller customers were invited as single-channel guests instead (hence not external).
 */
const CUSTOMER_USERS: DemoUser[] = [
  customer({
    id: 'U0ACME01',
    accountKey: 'acme',
    realName: 'Wile Carter',
    email: 'wile.carter@acme.example',
    role: 'champion',
    title: 'Director of Operations',
    timezone: 'America/Phoenix',
    via: 'connect',
  }),
  customer({
    id: 'U0GLOBEX1',
    accountKey: 'globex',
    realName: 'Hank Scorpio',
    email: 'hank@globex.example',
    role: 'decision_maker',
    title: 'CEO',
    timezone: 'America/New_York',
    via: 'connect',
  }),
  customer({
    id: 'U0GLOBEX2',
    accountKey: 'globex',
    realName: 'Mindy Simmons',
    email: 'mindy.simmons@globex.example',
    role: 'champion',
    title: 'Head of Revenue Operations',
    timezone: 'America/New_York',
    via: 'connect',
  }),
  customer({
    id: 'U0UMBREL1',
    accountKey: 'umbrella',
    realName: 'Jill Valentine',
    email: 'jill.valentine@umbrella.example',
    role: 'champion',
    title: 'IT Program Manager',
    timezone: 'America/Chicago',
    via: 'connect',
  }),
  customer({
    id: 'U0HOOLI01',
    accountKey: 'hooli',
    realName: 'Gavin Belson',
    email: 'gavin@hooli.example',
    role: 'decision_maker',
    title: 'CEO',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  }),
  customer({
    id: 'U0HOOLI02',
    accountKey: 'hooli',
    realName: 'Denpok Singh',
    email: 'denpok@hooli.example',
    role: 'champion',
    title: 'Chief Culture Officer',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  }),
  customer({
    id: 'U0STARK01',
    accountKey: 'stark',
    realName: 'Pepper Potts',
    email: 'pepper.potts@stark.example',
    role: 'champion',
    title: 'COO',
    timezone: 'America/New_York',
    via: 'connect',
  }),
  customer({
    id: 'U0WAYNE01',
    accountKey: 'wayne',
    realName: 'Lucius Fox',
    email: 'lucius.fox@wayne.example',
    role: 'champion',
    title: 'VP Applied Sciences',
    timezone: 'America/New_York',
    via: 'connect',
  }),
  customer({
    id: 'U0TYRELL1',
    accountKey: 'tyrell',
    realName: 'Rachael Rosen',
    email: 'rachael@tyrell.example',
    role: 'champion',
    title: 'Executive Assistant to the CEO',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  }),
  customer({
    id: 'U0MASSIV1',
    accountKey: 'massive',
    realName: 'Nina Sharp',
    email: 'nina.sharp@massive.example',
    role: 'champion',
    title: 'Chief Operating Officer',
    timezone: 'America/New_York',
    via: 'connect',
  }),
  customer({
    id: 'U0CYBERD1',
    accountKey: 'cyberdyne',
    realName: 'Miles Dyson',
    email: 'miles.dyson@cyberdyne.example',
    role: 'champion',
    title: 'Director of Special Projects',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  }),
  customer({
    id: 'U0NORDWI1',
    accountKey: 'nordwind',
    realName: 'Katrin Vogel',
    email: 'katrin.vogel@nordwind.example',
    role: 'champion',
    title: 'Leiterin Kundenservice',
    timezone: 'Europe/Berlin',
    via: 'connect',
  }),
  customer({
    id: 'U0CAPIVA1',
    accountKey: 'capivara',
    realName: 'Marina Tavares',
    email: 'marina.tavares@capivara.example',
    role: 'champion',
    title: 'Gerente de Operações',
    timezone: 'America/Sao_Paulo',
    via: 'connect',
  }),
  customer({
    id: 'U0WONKA01',
    accountKey: 'wonka',
    realName: 'Charlie Bucket',
    email: 'charlie@wonka.example',
    role: 'champion',
    title: 'Factory Operations Lead',
    timezone: 'Europe/London',
    via: 'guest',
  }),
  customer({
    id: 'U0TABAJA1',
    accountKey: 'tabajara',
    realName: 'Rogério Lima',
    email: 'rogerio.lima@tabajara.example',
    role: 'champion',
    title: 'Coordenador de Atendimento',
    timezone: 'America/Sao_Paulo',
    via: 'guest',
  }),
];

/** The CSM who owns each demo account; the portfolio takes its `owner_slack_id` from here. */
export const DEMO_OWNERS: Record<string, string> = {
  acme: DEMO_CSMS.marcus.id,
  massive: DEMO_CSMS.marcus.id,
  cyberdyne: DEMO_CSMS.marcus.id,
  wonka: DEMO_CSMS.marcus.id,
  initech: DEMO_CSMS.marcus.id,
  virtucon: DEMO_CSMS.marcus.id,
  piedpiper: DEMO_CSMS.marcus.id,
  prestige: DEMO_CSMS.marcus.id,
  globex: DEMO_CSMS.priya.id,
  umbrella: DEMO_CSMS.priya.id,
  wayne: DEMO_CSMS.priya.id,
  aperture: DEMO_CSMS.priya.id,
  vandelay: DEMO_CSMS.priya.id,
  dunder: DEMO_CSMS.priya.id,
  sterling: DEMO_CSMS.priya.id,
  bluth: DEMO_CSMS.priya.id,
  hooli: DEMO_CSMS.ana.id,
  tyrell: DEMO_CSMS.ana.id,
  capivara: DEMO_CSMS.ana.id,
  tabajara: DEMO_CSMS.ana.id,
  jabuti: DEMO_CSMS.ana.id,
  tucano: DEMO_CSMS.ana.id,
  pindorama: DEMO_CSMS.ana.id,
  stark: DEMO_CSMS.jonas.id,
  nordwind: DEMO_CSMS.jonas.id,
  soylent: DEMO_CSMS.jonas.id,
  oscorp: DEMO_CSMS.jonas.id,
  nakatomi: DEMO_CSMS.jonas.id,
  zorg: DEMO_CSMS.jonas.id,
  lumiere: DEMO_CSMS.jonas.id,
};

/** Exclusive accounts have an internal channel of their own: their alerts go there, not to #cs-alerts. */
export const DEMO_ACCOUNT_CHANNELS: Record<string, string> = {
  globex: 'C0ACCTGLOBEX',
  hooli: 'C0ACCTHOOLI',
  stark: 'C0ACCTSTARK',
  wayne: 'C0ACCTWAYNE',
};

export const DEMO_ALERTS_CHANNEL = 'C0ALERTS';
export const DEMO_DIGEST_CHANNEL = 'C0DIGEST';

const csTeamIds = [...Object.values(DEMO_CSMS).map((u) => u.id), DEMO_CS_LEAD.id];

const champions = CUSTOMER_USERS.filter((u) => u.role === 'champion');
/**
 * One channel per customer whose champion is in Slack, with its CSM, its champion(s) and Pulse: shared
 * through Slack Connect, or a channel of ours where the champion is a guest.
 */
const customerChannels: DemoChannel[] = [...new Set(champions.map((u) => u.accountKey!))].map(
  (accountKey) => {
    const theirs = champions.filter((u) => u.accountKey === accountKey);
    const shared = theirs.some((u) => u.external);
    return {
      id: `C0EXT${accountKey.toUpperCase()}`,
      name: `ext-${accountKey}`,
      members: [DEMO_OWNERS[accountKey]!, ...theirs.map((u) => u.id), BOT_USER_ID],
      accountKey,
      ...(shared ? { shared } : {}),
      topic: shared
        ? `Shared with ${accountKey} through Slack Connect`
        : `With ${accountKey}'s champion, a guest here`,
    };
  },
);

const accountChannels: DemoChannel[] = Object.entries(DEMO_ACCOUNT_CHANNELS).map(([accountKey, id]) => ({
  id,
  name: `acct-${accountKey}`,
  members: [DEMO_OWNERS[accountKey]!, DEMO_CS_LEAD.id, BOT_USER_ID],
  accountKey,
  topic: `Internal: alerts and notes about ${accountKey}`,
}));

export const DEMO_WORKSPACE: DemoWorkspace = {
  team: { id: 'T0DEMO0001', name: 'Beacon Software', domain: 'beacon-demo' },
  bot: { userId: BOT_USER_ID, botId: 'B0PULSEBOT', appId: 'A0PULSEAPP', name: 'pulse', realName: 'Pulse' },
  users: [...Object.values(DEMO_CSMS), DEMO_CS_LEAD, DEMO_OUTSIDER, ...CUSTOMER_USERS],
  channels: [
    {
      id: DEMO_ALERTS_CHANNEL,
      name: 'cs-alerts',
      // The outsider reads alerts too, so the sandbox can show a click from outside the CS team refused.
      members: [...csTeamIds, DEMO_OUTSIDER.id, BOT_USER_ID],
      topic: 'Risk alerts from Pulse: acknowledge, snooze or resolve',
    },
    {
      id: DEMO_DIGEST_CHANNEL,
      name: 'cs-digest',
      members: [...csTeamIds, BOT_USER_ID],
      topic: "The weekly digest of the portfolio's health",
    },
    ...accountChannels,
    ...customerChannels,
  ],
  // `CS_TEAM=S0CSTEAM1` (the sandbox's default) limits reading and changing account data to the CS team.
  userGroups: [{ id: 'S0CSTEAM1', handle: 'cs-team', name: 'Customer Success', users: csTeamIds }],
};
