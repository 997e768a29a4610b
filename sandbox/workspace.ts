/** Who a person is to the CS team; the sandbox's "you are" switch groups people by it. */
export type PersonaRole = 'csm' | 'cs_lead' | 'champion' | 'decision_maker' | 'outsider';

export interface WorkspaceUser {
  id: string;
  /** Slack handle, e.g. `marina.costa`. */
  name: string;
  realName: string;
  email?: string;
  role?: PersonaRole;
  /** Job title, shown under the name. */
  title?: string;
  /** The customer this person works for, if any. */
  accountKey?: string;
  /** A member of another organisation (Slack Connect): another `team_id`, and `is_stranger` when they share no channel with the app. */
  external?: boolean;
  /** A single-channel guest: Slack sets both `is_restricted` and `is_ultra_restricted`. */
  guest?: boolean;
  /** On Enterprise Grid: the person's own workspace when it is another one of the same organisation. */
  homeTeam?: string;
  /** This person cannot be messaged by the app: `conversations.open` answers `invalid_user_combination`. */
  dmBlocked?: boolean;
  timezone?: string;
  /** The person's Slack language, e.g. `pt-BR`; `en-US` when unset. */
  locale?: string;
}

export interface WorkspaceChannel {
  id: string;
  /** Without `#`, e.g. `cs-alerts`. */
  name: string;
  /** Everyone in it, the bot included where it is a member (elsewhere posting answers `not_in_channel`). */
  members: string[];
  /** Shared with a customer's organisation (Slack Connect). */
  shared?: boolean;
  accountKey?: string;
  topic?: string;
}

export interface WorkspaceUsergroup {
  id: string;
  handle: string;
  users: string[];
}

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
  realName: string;
}

/** The people and channels of a Slack workspace, as the double and the sandbox page need them. */
export interface SandboxWorkspace {
  team?: { id: string; domain: string; name: string };
  /** The Enterprise Grid organisation the workspace belongs to, if any. */
  enterprise?: { id: string; name: string };
  bot?: BotIdentity;
  users: WorkspaceUser[];
  channels: WorkspaceChannel[];
  userGroups?: WorkspaceUsergroup[];
}

export const DEFAULT_TEAM = { id: 'T0PULSE01', domain: 'pulse-sandbox', name: 'Pulse Sandbox' };

/** The app's own identity in the double's workspace. */
export const SANDBOX_BOT: BotIdentity = {
  userId: 'U0PULSEBOT',
  botId: 'B0PULSEBOT',
  appId: 'A0PULSEAPP',
  name: 'pulse',
  realName: 'Pulse',
};

/**
 * A small workspace for when no demo portfolio is given: a CS team, one champion per customer, someone
 * outside the team, a guest, the alert and digest channels, and per customer an internal channel and one
 * shared with them.
 */
export const DEFAULT_WORKSPACE: SandboxWorkspace = {
  team: DEFAULT_TEAM,
  bot: SANDBOX_BOT,
  users: [
    {
      id: 'U0CSLEAD01',
      name: 'beatriz.alves',
      realName: 'Beatriz Alves',
      email: 'beatriz@pulse.example',
      role: 'cs_lead',
      title: 'Head of Customer Success',
    },
    {
      id: 'U0CSM00001',
      name: 'marina.costa',
      realName: 'Marina Costa',
      email: 'marina@pulse.example',
      role: 'csm',
      title: 'Customer Success Manager',
    },
    {
      id: 'U0CSM00002',
      name: 'rafael.lima',
      realName: 'Rafael Lima',
      email: 'rafael@pulse.example',
      role: 'csm',
      title: 'Customer Success Manager',
    },
    {
      id: 'U0CSM00003',
      name: 'luana.prado',
      realName: 'Luana Prado',
      email: 'luana@pulse.example',
      role: 'csm',
      title: 'Customer Success Manager',
      timezone: 'America/Sao_Paulo',
      locale: 'pt-BR',
    },
    {
      id: 'U0ACME0001',
      name: 'ana.souza',
      realName: 'Ana Souza',
      email: 'ana.souza@acme.example',
      role: 'champion',
      title: 'Champion at Acme',
      external: true,
    },
    {
      id: 'U0GLOBEX01',
      name: 'john.smith',
      realName: 'John Smith',
      email: 'john.smith@globex.example',
      role: 'champion',
      title: 'Champion at Globex',
      external: true,
    },
    {
      id: 'U0INITECH1',
      name: 'peter.gibbons',
      realName: 'Peter Gibbons',
      email: 'peter@initech.example',
      role: 'champion',
      title: 'Champion at Initech',
      external: true,
      dmBlocked: true,
    },
    {
      id: 'U0SALES001',
      name: 'diego.ramos',
      realName: 'Diego Ramos',
      email: 'diego@pulse.example',
      role: 'outsider',
      title: 'Account Executive (not in the CS team)',
    },
    {
      id: 'U0GUEST001',
      name: 'kim.tan',
      realName: 'Kim Tan',
      email: 'kim.tan@contractor.example',
      role: 'outsider',
      title: 'Contractor (a single-channel guest in #cs-alerts)',
      guest: true,
    },
  ],
  channels: [
    {
      id: 'C0CSALERTS',
      name: 'cs-alerts',
      members: ['U0CSLEAD01', 'U0CSM00001', 'U0CSM00002', 'U0SALES001', 'U0GUEST001', SANDBOX_BOT.userId],
      topic: 'Risk alerts from Pulse',
    },
    {
      id: 'C0CSDIGEST',
      name: 'cs-digest',
      members: ['U0CSLEAD01', 'U0CSM00001', 'U0CSM00002', SANDBOX_BOT.userId],
      topic: 'The weekly portfolio digest',
    },
    {
      id: 'C0ACMEINTL',
      name: 'acme-internal',
      members: ['U0CSM00001', 'U0CSLEAD01', SANDBOX_BOT.userId],
      topic: 'Internal: alerts and notes about Acme',
    },
    {
      id: 'C0GLOBEXIN',
      name: 'globex-internal',
      members: ['U0CSM00002', 'U0CSLEAD01', SANDBOX_BOT.userId],
      topic: 'Internal: alerts and notes about Globex',
    },
    {
      id: 'C0INITECHI',
      name: 'initech-internal',
      members: ['U0CSM00001', 'U0CSLEAD01', SANDBOX_BOT.userId],
      topic: 'Internal: alerts and notes about Initech',
    },
    {
      id: 'C0ACMESHRD',
      name: 'acme-shared',
      members: ['U0CSM00001', 'U0CSLEAD01', 'U0ACME0001', SANDBOX_BOT.userId],
      shared: true,
    },
    {
      id: 'C0GLOBEXSH',
      name: 'globex-shared',
      members: ['U0CSM00002', 'U0CSLEAD01', 'U0GLOBEX01', SANDBOX_BOT.userId],
      shared: true,
    },
    {
      id: 'C0INITECHS',
      name: 'initech-shared',
      members: ['U0CSM00001', 'U0INITECH1', SANDBOX_BOT.userId],
      shared: true,
    },
  ],
  userGroups: [{ id: 'S0CSTEAM01', handle: 'cs-team', users: ['U0CSLEAD01', 'U0CSM00001', 'U0CSM00002'] }],
};
