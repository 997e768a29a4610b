/**
 * The demo's Slack workspace as plain data: the vendor (Beacon Software, a fictional software company) and
 * the Pulse app installed in it, its CS team, the customers' people who are in Slack, which CSM owns which
 * account, and the internal channels. demo/workspace.ts puts them together as the workspace the sandbox
 * serves. Every e-mail domain is under `.example` (RFC 2606), so no demo message can reach a real inbox.
 */

export const TEAM = { id: 'T0DEMO0001', name: 'Beacon Software', domain: 'beacon-demo' };
export const BOT = {
  userId: 'U0PULSEBOT',
  botId: 'B0PULSEBOT',
  appId: 'A0PULSEAPP',
  name: 'pulse',
  realName: 'Pulse',
};
/** The vendor's e-mail domain: its people are `handle@` it. */
export const VENDOR_DOMAIN = 'beaconsoftware.example';

/** Someone who works at the vendor. */
export interface Colleague {
  id: string;
  /** Slack handle, and the e-mail address's local part. */
  handle: string;
  realName: string;
  timezone: string;
  /** Their Slack language when not English: what only they see (Home, DMs, their answers) speaks it. */
  locale?: string;
}

/** The Customer Success Managers, by the short name `ACCOUNT_OWNERS` uses. */
export const CSMS = {
  ana: {
    id: 'U0CSM01',
    handle: 'ana.souza',
    realName: 'Ana Souza',
    timezone: 'America/Sao_Paulo',
    locale: 'pt-BR',
  },
  marcus: { id: 'U0CSM02', handle: 'marcus.reed', realName: 'Marcus Reed', timezone: 'America/New_York' },
  priya: {
    id: 'U0CSM03',
    handle: 'priya.natarajan',
    realName: 'Priya Natarajan',
    timezone: 'America/Chicago',
  },
  jonas: { id: 'U0CSM04', handle: 'jonas.becker', realName: 'Jonas Becker', timezone: 'Europe/Berlin' },
} satisfies Record<string, Colleague>;
export type CsmName = keyof typeof CSMS;

export const CS_LEAD: Colleague & { title: string } = {
  id: 'U0CSLEAD1',
  handle: 'helena.costa',
  realName: 'Helena Costa',
  title: 'Head of Customer Success',
  timezone: 'America/Sao_Paulo',
};

/** Works at the vendor but not in CS: the sandbox acts as this person to show account data being refused. */
export const OUTSIDER: Colleague & { title: string } = {
  id: 'U0SALES01',
  handle: 'tom.hadley',
  realName: 'Tom Hadley',
  title: 'Account Executive',
  timezone: 'America/New_York',
};

export interface CustomerPerson {
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

/**
 * Customer people in Slack. High-touch and exclusive customers talk to their CSM over Slack Connect;
 * two smaller customers were invited as single-channel guests instead (hence not external).
 */
export const CUSTOMER_PEOPLE: CustomerPerson[] = [
  {
    id: 'U0ACME01',
    accountKey: 'acme',
    realName: 'Wile Carter',
    email: 'wile.carter@acme.example',
    role: 'champion',
    title: 'Director of Operations',
    timezone: 'America/Phoenix',
    via: 'connect',
  },
  {
    id: 'U0GLOBEX1',
    accountKey: 'globex',
    realName: 'Hank Scorpio',
    email: 'hank@globex.example',
    role: 'decision_maker',
    title: 'CEO',
    timezone: 'America/New_York',
    via: 'connect',
  },
  {
    id: 'U0GLOBEX2',
    accountKey: 'globex',
    realName: 'Mindy Simmons',
    email: 'mindy.simmons@globex.example',
    role: 'champion',
    title: 'Head of Revenue Operations',
    timezone: 'America/New_York',
    via: 'connect',
  },
  {
    id: 'U0UMBREL1',
    accountKey: 'umbrella',
    realName: 'Jill Valentine',
    email: 'jill.valentine@umbrella.example',
    role: 'champion',
    title: 'IT Program Manager',
    timezone: 'America/Chicago',
    via: 'connect',
  },
  {
    id: 'U0HOOLI01',
    accountKey: 'hooli',
    realName: 'Gavin Belson',
    email: 'gavin@hooli.example',
    role: 'decision_maker',
    title: 'CEO',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  },
  {
    id: 'U0HOOLI02',
    accountKey: 'hooli',
    realName: 'Denpok Singh',
    email: 'denpok@hooli.example',
    role: 'champion',
    title: 'Chief Culture Officer',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  },
  {
    id: 'U0STARK01',
    accountKey: 'stark',
    realName: 'Pepper Potts',
    email: 'pepper.potts@stark.example',
    role: 'champion',
    title: 'COO',
    timezone: 'America/New_York',
    via: 'connect',
  },
  {
    id: 'U0WAYNE01',
    accountKey: 'wayne',
    realName: 'Lucius Fox',
    email: 'lucius.fox@wayne.example',
    role: 'champion',
    title: 'VP Applied Sciences',
    timezone: 'America/New_York',
    via: 'connect',
  },
  {
    id: 'U0TYRELL1',
    accountKey: 'tyrell',
    realName: 'Rachael Rosen',
    email: 'rachael@tyrell.example',
    role: 'champion',
    title: 'Executive Assistant to the CEO',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  },
  {
    id: 'U0MASSIV1',
    accountKey: 'massive',
    realName: 'Nina Sharp',
    email: 'nina.sharp@massive.example',
    role: 'champion',
    title: 'Chief Operating Officer',
    timezone: 'America/New_York',
    via: 'connect',
  },
  {
    id: 'U0CYBERD1',
    accountKey: 'cyberdyne',
    realName: 'Miles Dyson',
    email: 'miles.dyson@cyberdyne.example',
    role: 'champion',
    title: 'Director of Special Projects',
    timezone: 'America/Los_Angeles',
    via: 'connect',
  },
  {
    id: 'U0NORDWI1',
    accountKey: 'nordwind',
    realName: 'Katrin Vogel',
    email: 'katrin.vogel@nordwind.example',
    role: 'champion',
    title: 'Leiterin Kundenservice',
    timezone: 'Europe/Berlin',
    via: 'connect',
  },
  {
    id: 'U0CAPIVA1',
    accountKey: 'capivara',
    realName: 'Marina Tavares',
    email: 'marina.tavares@capivara.example',
    role: 'champion',
    title: 'Gerente de Operações',
    timezone: 'America/Sao_Paulo',
    via: 'connect',
  },
  {
    id: 'U0WONKA01',
    accountKey: 'wonka',
    realName: 'Charlie Bucket',
    email: 'charlie@wonka.example',
    role: 'champion',
    title: 'Factory Operations Lead',
    timezone: 'Europe/London',
    via: 'guest',
  },
  {
    id: 'U0TABAJA1',
    accountKey: 'tabajara',
    realName: 'Rogério Lima',
    email: 'rogerio.lima@tabajara.example',
    role: 'champion',
    title: 'Coordenador de Atendimento',
    timezone: 'America/Sao_Paulo',
    via: 'guest',
  },
];

/** The CSM who owns each demo account. */
export const ACCOUNT_OWNERS: Record<string, CsmName> = {
  acme: 'marcus',
  massive: 'marcus',
  cyberdyne: 'marcus',
  wonka: 'marcus',
  initech: 'marcus',
  virtucon: 'marcus',
  piedpiper: 'marcus',
  prestige: 'marcus',
  globex: 'priya',
  umbrella: 'priya',
  wayne: 'priya',
  aperture: 'priya',
  vandelay: 'priya',
  dunder: 'priya',
  sterling: 'priya',
  bluth: 'priya',
  hooli: 'ana',
  tyrell: 'ana',
  capivara: 'ana',
  tabajara: 'ana',
  jabuti: 'ana',
  tucano: 'ana',
  pindorama: 'ana',
  stark: 'jonas',
  nordwind: 'jonas',
  soylent: 'jonas',
  oscorp: 'jonas',
  nakatomi: 'jonas',
  zorg: 'jonas',
  lumiere: 'jonas',
};

/** Exclusive accounts have an internal channel of their own: their alerts go there, not to #cs-alerts. */
export const ACCOUNT_CHANNELS: Record<string, string> = {
  globex: 'C0ACCTGLOBEX',
  hooli: 'C0ACCTHOOLI',
  stark: 'C0ACCTSTARK',
  wayne: 'C0ACCTWAYNE',
};

export const ALERTS_CHANNEL = {
  id: 'C0ALERTS',
  name: 'cs-alerts',
  topic: 'Risk alerts from Pulse: acknowledge, snooze or resolve',
};
export const DIGEST_CHANNEL = {
  id: 'C0DIGEST',
  name: 'cs-digest',
  topic: "The weekly digest of the portfolio's health",
};

/**
 * The CS team's user group: `CS_TEAM=S0CSTEAM1` (the sandbox's default) limits reading and changing
 * account data to its members.
 */
export const CS_TEAM_GROUP = { id: 'S0CSTEAM1', handle: 'cs-team', name: 'Customer Success' };
