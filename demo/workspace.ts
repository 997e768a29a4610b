import {
  ACCOUNT_CHANNELS,
  ACCOUNT_OWNERS,
  ALERTS_CHANNEL,
  BOT,
  type Colleague,
  CS_LEAD,
  CS_TEAM_GROUP,
  CSMS,
  type CsmName,
  CUSTOMER_PEOPLE,
  type CustomerPerson,
  DIGEST_CHANNEL,
  OUTSIDER,
  TEAM,
  VENDOR_DOMAIN,
} from './data/slack-workspace.ts';

/**
 * The demo Slack workspace, put together from data/slack-workspace.ts: the CS team of a fictional
 * software vendor, the people of its customers who are in Slack, and the channels they share (one per
 * customer whose champion is in Slack, one per account with a channel of its own). The sandbox renders
 * it and its Web API double serves it; the demo portfolio takes the customers' Slack IDs from here.
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
  /** Their Slack language (`users.info` `locale`); `en-US` when unset. */
  locale?: string;
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

const colleague = (person: Colleague, role: DemoRole, title: string): DemoUser => ({
  id: person.id,
  name: person.handle,
  realName: person.realName,
  email: `${person.handle}@${VENDOR_DOMAIN}`,
  role,
  title,
  timezone: person.timezone,
  ...(person.locale && { locale: person.locale }),
});

export const DEMO_CSMS = Object.fromEntries(
  Object.entries(CSMS).map(([name, person]) => [name, colleague(person, 'csm', 'Customer Success Manager')]),
) as Record<CsmName, DemoUser>;

export const DEMO_CS_LEAD: DemoUser = colleague(CS_LEAD, 'cs_lead', CS_LEAD.title);

/** Works at the vendor but not in CS: the sandbox acts as this person to show account data being refused. */
export const DEMO_OUTSIDER: DemoUser = colleague(OUTSIDER, 'outsider', OUTSIDER.title);

const customer = ({ via, ...person }: CustomerPerson): DemoUser => ({
  ...person,
  name: person.email.split('@')[0]!,
  ...(via === 'connect' ? { external: true } : { guest: true }),
});

const CUSTOMER_USERS = CUSTOMER_PEOPLE.map(customer);

/** The CSM who owns each demo account, by Slack ID; the portfolio takes its `owner_slack_id` from here. */
export const DEMO_OWNERS: Record<string, string> = Object.fromEntries(
  Object.entries(ACCOUNT_OWNERS).map(([account, csm]) => [account, DEMO_CSMS[csm].id]),
);

/** Exclusive accounts have an internal channel of their own: their alerts go there, not to #cs-alerts. */
export const DEMO_ACCOUNT_CHANNELS = ACCOUNT_CHANNELS;

export const DEMO_ALERTS_CHANNEL = ALERTS_CHANNEL.id;
export const DEMO_DIGEST_CHANNEL = DIGEST_CHANNEL.id;
const BOT_USER_ID = BOT.userId;

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
  team: TEAM,
  bot: BOT,
  users: [...Object.values(DEMO_CSMS), DEMO_CS_LEAD, DEMO_OUTSIDER, ...CUSTOMER_USERS],
  channels: [
    {
      id: ALERTS_CHANNEL.id,
      name: ALERTS_CHANNEL.name,
      // The outsider reads alerts too, so the sandbox can show a click from outside the CS team refused.
      members: [...csTeamIds, DEMO_OUTSIDER.id, BOT_USER_ID],
      topic: ALERTS_CHANNEL.topic,
    },
    {
      id: DIGEST_CHANNEL.id,
      name: DIGEST_CHANNEL.name,
      members: [...csTeamIds, BOT_USER_ID],
      topic: DIGEST_CHANNEL.topic,
    },
    ...accountChannels,
    ...customerChannels,
  ],
  userGroups: [{ ...CS_TEAM_GROUP, users: csTeamIds }],
};
