import { EventEmitter } from 'node:events';
import {
  type BotIdentity,
  DEFAULT_TEAM,
  SANDBOX_BOT,
  type SandboxWorkspace,
  type WorkspaceUser,
} from './workspace.ts';

export interface SlackFile {
  id: string;
  name: string;
  title: string;
  size: number;
  alt_text?: string;
  /** The bytes posted to the upload URL; undefined until then. */
  content?: Buffer;
  shared: boolean;
}

export interface SlackMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  /** Who posted it: the bot's user ID for the app's messages. */
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: Array<Pick<SlackFile, 'id' | 'name' | 'title' | 'size'>>;
  metadata?: unknown;
  reactions?: Array<{ name: string; users: string[]; count: number }>;
  edited?: { user: string; ts: string };
  reply_count?: number;
  /** How it arrived: a Web API call, a response_url post, a command's acknowledgement, or typed by a person. */
  via: 'api' | 'response_url' | 'ack' | 'person';
}

export interface SlackEphemeral {
  id: string;
  channel: string;
  /** The only person who sees it. */
  user: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  via: 'api' | 'response_url' | 'ack';
}

/** A modal or Home tab as Slack keeps it, plus who sees it and whether it is still open. */
export interface SandboxView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  notify_on_close: boolean;
  clear_on_close: boolean;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  user: string;
  closed: boolean;
  /** The last `response_action: errors` Pulse answered to a submission, by block_id. */
  errors?: Record<string, string>;
}

export interface ChannelRecord {
  id: string;
  name: string;
  isIm: boolean;
  /** For a DM: the person the bot talks to. */
  user?: string;
  members: string[];
  /** Shared with another organisation (Slack Connect): `is_shared` and `is_ext_shared`. */
  shared: boolean;
  /** Another organisation is invited and has not accepted yet: `is_pending_ext_shared`. */
  pendingShared?: boolean;
  topic: string;
  created: number;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  response: unknown;
  status: number;
  /** Epoch milliseconds (the double's clock). */
  at: number;
}

/** A request the sandbox or a test sent to the bot, as Slack would. */
export interface BotRequest {
  kind:
    | 'slash_command'
    | 'block_actions'
    | 'message_action'
    | 'view_submission'
    | 'view_closed'
    | 'event_callback'
    | 'raw';
  url: string;
  body: unknown;
  status: number;
  ack: unknown;
  at: number;
  durationMs: number;
}

export type SlackDoubleChange =
  | { kind: 'message'; channel: string; message: SlackMessage }
  | { kind: 'message_deleted'; channel: string; ts: string }
  | { kind: 'ephemeral'; ephemeral: SlackEphemeral }
  | { kind: 'ephemeral_deleted'; id: string; user: string }
  | { kind: 'view'; view: SandboxView }
  | { kind: 'channel'; channel: ChannelRecord }
  | { kind: 'call'; call: RecordedCall }
  | { kind: 'bot_request'; request: BotRequest };

/** Where a response_url's `replace_original` / `delete_original` point. */
export type OriginalMessage =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; id: string };

export interface ResponseUrlRecord {
  id: string;
  channel: string;
  user: string;
  createdAt: number;
  posts: number;
  original?: OriginalMessage;
  /** Every body posted to it, in order. */
  bodies: unknown[];
}

export interface TriggerRecord {
  user: string;
  createdAt: number;
  used: boolean;
}

/** The in-memory workspace behind the Web API double; every mutation is announced as a `change`. */
export class DoubleState extends EventEmitter<{ change: [SlackDoubleChange] }> {
  readonly team: { id: string; domain: string; name: string };
  readonly enterprise?: { id: string; name: string };
  readonly bot: BotIdentity;
  readonly users = new Map<string, WorkspaceUser>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly usergroups = new Map<string, string[]>();
  readonly history = new Map<string, SlackMessage[]>();
  /** Messages by `channel|ts`, so updates stay cheap in channels with thousands of messages (benchmarks). */
  private readonly byKey = new Map<string, SlackMessage>();
  readonly ephemeralList: SlackEphemeral[] = [];
  readonly viewsById = new Map<string, SandboxView>();
  /** Each person's open modals, root first. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homeHistory = new Map<string, SandboxView[]>();
  readonly files = new Map<string, SlackFile>();
  readonly triggers = new Map<string, TriggerRecord>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly callLog: RecordedCall[] = [];
  readonly botRequestLog: BotRequest[] = [];
  private lastMicros = 0;
  private sequence = 0;

  constructor(
    workspace: SandboxWorkspace,
    readonly now: () => number,
  ) {
    super();
    this.setMaxListeners(0);
    this.team = workspace.team ?? DEFAULT_TEAM;
    this.enterprise = workspace.enterprise;
    this.bot = workspace.bot ?? SANDBOX_BOT;
    for (const user of workspace.users) this.users.set(user.id, user);
    for (const channel of workspace.channels) {
      this.channels.set(channel.id, {
        id: channel.id,
        name: channel.name,
        isIm: false,
        members: [...new Set(channel.members)],
        shared: channel.shared ?? false,
        topic: channel.topic ?? '',
        created: Math.floor(now() / 1000),
      });
    }
    for (const group of workspace.userGroups ?? []) this.usergroups.set(group.id, group.users);
  }

  change(change: SlackDoubleChange): void {
    this.emit('change', change);
  }

  /** Slack's message timestamps: epoch seconds with six digits, unique within the workspace. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** An ID shaped like Slack's (a type letter, then capitals and digits), unique within this double. */
  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}0${this.sequence.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  randomHex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(Math.random() * 0xffffffff).toString(16);
    return out.slice(0, length);
  }

  /** The bot's DM with a person, created on first use; its ID is stable so a restarted sandbox agrees with stored IDs. */
  imWith(userId: string): ChannelRecord {
    const id = `D${userId.slice(1)}`;
    let channel = this.channels.get(id);
    if (!channel) {
      channel = {
        id,
        name: id,
        isIm: true,
        user: userId,
        members: [userId, this.bot.userId],
        shared: false,
        topic: '',
        created: Math.floor(this.now() / 1000),
      };
      this.channels.set(id, channel);
      this.change({ kind: 'channel', channel });
    }
    return channel;
  }

  /** Shares the channel with another organisation, invites one (`pending`), or ends its sharing. */
  setSharing(channel: ChannelRecord, sharing: 'internal' | 'pending' | 'shared'): void {
    channel.shared = sharing === 'shared';
    channel.pendingShared = sharing === 'pending';
    this.change({ kind: 'channel', channel });
  }

  /** A channel by ID or name (`#name` or `name`); a user ID means the bot's DM with that person. */
  findChannel(ref: string): ChannelRecord | undefined {
    const direct = this.channels.get(ref);
    if (direct) return direct;
    if (/^[UW][A-Z0-9]+$/.test(ref) && this.users.has(ref)) return this.imWith(ref);
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) if (!channel.isIm && channel.name === name) return channel;
    return undefined;
  }

  messagesIn(channel: string): SlackMessage[] {
    let list = this.history.get(channel);
    if (!list) {
      list = [];
      this.history.set(channel, list);
    }
    return list;
  }

  findMessage(channel: string, ts: string): SlackMessage | undefined {
    return this.byKey.get(`${channel}|${ts}`);
  }

  addMessage(fields: Omit<SlackMessage, 'type' | 'ts' | 'team'>): SlackMessage {
    const message: SlackMessage = { type: 'message', ts: this.nextTs(), team: this.team.id, ...fields };
    this.messagesIn(message.channel).push(message);
    this.byKey.set(`${message.channel}|${message.ts}`, message);
    if (message.thread_ts) {
      const parent = this.findMessage(message.channel, message.thread_ts);
      if (parent) {
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        this.change({ kind: 'message', channel: parent.channel, message: parent });
      }
    }
    this.change({ kind: 'message', channel: message.channel, message });
    return message;
  }

  /** A message as the bot posts it. */
  addBotMessage(
    channel: string,
    content: {
      text?: string;
      blocks?: unknown[];
      attachments?: unknown[];
      thread_ts?: string;
      metadata?: unknown;
    },
    via: SlackMessage['via'],
  ): SlackMessage {
    return this.addMessage({
      channel,
      user: this.bot.userId,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      text: content.text ?? '',
      ...(content.blocks && { blocks: this.blocksWithIds(content.blocks) }),
      ...(content.attachments && { attachments: content.attachments }),
      ...(content.thread_ts && { thread_ts: content.thread_ts }),
      ...(content.metadata !== undefined && { metadata: content.metadata }),
      via,
    });
  }

  updateMessage(
    message: SlackMessage,
    content: { text?: string; blocks?: unknown[]; attachments?: unknown[] },
  ) {
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = this.blocksWithIds(content.blocks);
    if (content.attachments !== undefined) message.attachments = content.attachments;
    message.edited = { user: message.user, ts: this.nextTs() };
    this.change({ kind: 'message', channel: message.channel, message });
  }

  deleteMessage(message: SlackMessage): void {
    const list = this.messagesIn(message.channel);
    list.splice(list.indexOf(message), 1);
    this.byKey.delete(`${message.channel}|${message.ts}`);
    this.change({ kind: 'message_deleted', channel: message.channel, ts: message.ts });
  }

  addEphemeral(fields: Omit<SlackEphemeral, 'id' | 'ts'>): SlackEphemeral {
    const ephemeral: SlackEphemeral = { id: this.nextId('E'), ts: this.nextTs(), ...fields };
    if (ephemeral.blocks) ephemeral.blocks = this.blocksWithIds(ephemeral.blocks);
    this.ephemeralList.push(ephemeral);
    this.change({ kind: 'ephemeral', ephemeral });
    return ephemeral;
  }

  replaceEphemeral(
    ephemeral: SlackEphemeral,
    content: { text?: string; blocks?: unknown[]; attachments?: unknown[] },
  ) {
    ephemeral.text = content.text ?? '';
    ephemeral.blocks = content.blocks && this.blocksWithIds(content.blocks);
    ephemeral.attachments = content.attachments;
    this.change({ kind: 'ephemeral', ephemeral });
  }

  deleteEphemeral(ephemeral: SlackEphemeral): void {
    this.ephemeralList.splice(this.ephemeralList.indexOf(ephemeral), 1);
    this.change({ kind: 'ephemeral_deleted', id: ephemeral.id, user: ephemeral.user });
  }

  /** Builds a stored view from what the app sent; `base` keeps identity and input state across updates. */
  makeView(raw: Record<string, unknown>, user: string, base?: SandboxView): SandboxView {
    const id = base?.id ?? this.nextId('V');
    return {
      id,
      team_id: this.team.id,
      type: raw.type === 'home' ? 'home' : 'modal',
      title: raw.title,
      submit: raw.submit,
      close: raw.close,
      blocks: Array.isArray(raw.blocks) ? raw.blocks.map((block) => this.withIds(block)) : [],
      private_metadata: typeof raw.private_metadata === 'string' ? raw.private_metadata : '',
      callback_id: typeof raw.callback_id === 'string' ? raw.callback_id : '',
      external_id: typeof raw.external_id === 'string' ? raw.external_id : '',
      notify_on_close: raw.notify_on_close === true,
      clear_on_close: raw.clear_on_close === true,
      state: base?.state ?? { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${this.randomHex(8)}`,
      root_view_id: base?.root_view_id ?? id,
      previous_view_id: base?.previous_view_id ?? null,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      app_installed_team_id: this.team.id,
      user,
      closed: false,
    };
  }

  /** Slack gives every block a block_id, and every input element an action_id, when the app did not. */
  private withIds(block: unknown): unknown {
    if (typeof block !== 'object' || block === null) return block;
    const b = block as Record<string, unknown>;
    const element = b.element as Record<string, unknown> | undefined;
    return {
      ...b,
      block_id: b.block_id ?? this.randomHex(5),
      ...(element && { element: { ...element, action_id: element.action_id ?? this.randomHex(5) } }),
    };
  }

  /** A message's blocks as Slack stores them: with a block_id each, so a click says which block it came from. */
  private blocksWithIds(blocks: unknown[]): unknown[] {
    return blocks.map((block) => this.withIds(block));
  }

  saveView(view: SandboxView): void {
    this.viewsById.set(view.id, view);
    this.change({ kind: 'view', view });
  }

  stackOf(user: string): string[] {
    let stack = this.modalStacks.get(user);
    if (!stack) {
      stack = [];
      this.modalStacks.set(user, stack);
    }
    return stack;
  }

  closeView(view: SandboxView): void {
    const stack = this.stackOf(view.user);
    const at = stack.indexOf(view.id);
    if (at >= 0) stack.splice(at, 1);
    view.closed = true;
    this.change({ kind: 'view', view });
  }

  closeAllViews(user: string): void {
    for (const id of [...this.stackOf(user)]) {
      const view = this.viewsById.get(id);
      if (view) this.closeView(view);
    }
  }

  /** What Slack says about a person in `users.info`; their `locale` only when asked (`include_locale`). */
  slackUser(user: WorkspaceUser | undefined, id: string, withLocale = false): Record<string, unknown> {
    if (id === this.bot.userId) {
      return {
        id,
        team_id: this.team.id,
        name: this.bot.name,
        real_name: this.bot.realName,
        is_bot: true,
        deleted: false,
        is_app_user: false,
        profile: { real_name: this.bot.realName, display_name: this.bot.realName, bot_id: this.bot.botId },
      };
    }
    const u = user!;
    const team = u.external ? `T0EXT${u.id.slice(-4)}` : (u.homeTeam ?? this.team.id);
    // Someone of another organisation who shares no channel with the app is a stranger to it.
    const stranger =
      u.external &&
      ![...this.channels.values()].some(
        (c) => c.shared && c.members.includes(u.id) && c.members.includes(this.bot.userId),
      );
    return {
      id: u.id,
      team_id: team,
      ...(stranger && { is_stranger: true }),
      ...(this.enterprise &&
        !u.external && {
          enterprise_user: {
            id: u.id,
            enterprise_id: this.enterprise.id,
            enterprise_name: this.enterprise.name,
            is_admin: false,
            is_owner: false,
            teams: [team],
          },
        }),
      name: u.name,
      real_name: u.realName,
      deleted: false,
      is_bot: false,
      is_app_user: false,
      is_admin: false,
      is_restricted: u.guest ?? false,
      is_ultra_restricted: u.guest ?? false,
      tz: u.timezone ?? 'UTC',
      ...(withLocale && { locale: u.locale ?? 'en-US' }),
      profile: {
        real_name: u.realName,
        display_name: u.name,
        email: u.email,
        title: u.title ?? '',
      },
    };
  }
}
