import { blockKitProblems, viewProblems } from './block-kit-limits.ts';
import type { ChannelRecord, DoubleState, SandboxView, SlackMessage } from './double-state.ts';

/** A trigger_id lives 3 seconds and works once. */
export const TRIGGER_LIFETIME_MS = 3_000;
/** Slack truncates nothing: a longer message is refused. */
const MAX_TEXT = 40_000;
const MAX_MODAL_STACK = 3;

export type Params = Record<string, unknown>;
export type MethodResult = { ok: boolean } & Record<string, unknown>;

export interface MethodContext {
  state: DoubleState;
  params: Params;
  /** Base of the double's own URLs as the caller reached it, e.g. `http://127.0.0.1:4000/sandbox/api`. */
  base: string;
}

type WebApiMethod = (ctx: MethodContext) => MethodResult;

const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  ok: false,
  error,
  ...extra,
});
const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);
const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;
const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const invalid = (error: string, problems: string[]) =>
  fail(error, { response_metadata: { messages: problems } });

/** What a message body (postMessage, update, response_url) must satisfy; undefined when fine. */
export function messageContentProblem(params: Params): MethodResult | undefined {
  const text = str(params.text);
  const blocks = params.blocks;
  if (blocks !== undefined) {
    const problems = blockKitProblems(blocks, 'message');
    if (problems.length > 0) return invalid('invalid_blocks', problems);
  }
  if (params.attachments !== undefined && !Array.isArray(params.attachments))
    return fail('invalid_attachments');
  if (!text && !list(blocks)?.length && !list(params.attachments)?.length) return fail('no_text');
  if (text && text.length > MAX_TEXT) return fail('msg_too_long');
  return undefined;
}

function postable(state: DoubleState, ref: unknown): ChannelRecord | MethodResult {
  const id = str(ref);
  if (!id) return fail('channel_not_found');
  const channel = state.findChannel(id);
  if (!channel) return fail('channel_not_found');
  if (!channel.members.includes(state.bot.userId)) return fail('not_in_channel');
  return channel;
}
const isResult = (v: unknown): v is MethodResult => typeof v === 'object' && v !== null && 'ok' in v;

/** A message as Slack returns it. */
export function publicMessage(m: SlackMessage): Record<string, unknown> {
  const { via: _via, channel: _channel, ...rest } = m;
  return rest;
}

/** A view as Slack returns it: without the sandbox's own bookkeeping. */
export function publicView(v: SandboxView): Record<string, unknown> {
  const { user: _user, closed: _closed, errors: _errors, ...rest } = v;
  return rest;
}

function conversation(state: DoubleState, c: ChannelRecord): Record<string, unknown> {
  if (c.isIm) {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      user: c.user,
      is_user_deleted: false,
    };
  }
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    created: c.created,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_private: false,
    is_archived: false,
    is_general: false,
    is_shared: c.shared,
    is_ext_shared: c.shared,
    is_pending_ext_shared: c.pendingShared ?? false,
    is_org_shared: false,
    is_member: c.members.includes(state.bot.userId),
    num_members: c.members.length,
    topic: { value: c.topic, creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    context_team_id: state.team.id,
  };
}

/** The trigger's person, or the error Slack gives for a trigger that is unknown, used, or older than 3 s. */
function exchangeTrigger(state: DoubleState, ref: unknown): string | MethodResult {
  const id = str(ref);
  const trigger = id ? state.triggers.get(id) : undefined;
  if (!trigger) return fail('invalid_trigger_id');
  if (trigger.used) return fail('exchanged_trigger_id');
  if (state.now() - trigger.createdAt > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
  trigger.used = true;
  return trigger.user;
}

function checkedView(params: Params, type: 'modal' | 'home'): Record<string, unknown> | MethodResult {
  const view = params.view;
  if (typeof view !== 'object' || view === null) return fail('invalid_arguments');
  const problems = viewProblems(view);
  if (problems.length > 0) return invalid('invalid_arguments', problems);
  if ((view as Params).type !== type)
    return invalid('invalid_arguments', [`[ERROR] must be ${type} [json-pointer:/view/type]`]);
  return view as Record<string, unknown>;
}

/**
 * One page of messages as conversations.history and conversations.replies give it: those between
 * `oldest` and `latest`, `limit` at a time with a cursor; metadata only when `include_all_metadata` is set.
 */
function messagePage(messages: SlackMessage[], params: Params, newestFirst: boolean): MethodResult {
  const oldest = Number(str(params.oldest) ?? 0);
  const latest = Number(str(params.latest) ?? Number.POSITIVE_INFINITY);
  const inclusive = bool(params.inclusive);
  const inRange = messages.filter((m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  });
  const ordered = newestFirst ? inRange.reverse() : inRange;
  const limit = Math.min(Math.max(Number(str(params.limit) ?? 100) || 100, 1), 999);
  const offset = Number(str(params.cursor) ? Buffer.from(String(params.cursor), 'base64url').toString() : 0);
  const page = ordered.slice(offset, offset + limit);
  const more = offset + limit < ordered.length;
  const withMetadata = bool(params.include_all_metadata);
  return {
    ok: true,
    messages: page.map((m) => {
      const { metadata, ...rest } = publicMessage(m);
      return withMetadata && metadata !== undefined ? { ...rest, metadata } : rest;
    }),
    has_more: more,
    response_metadata: { next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64url') : '' },
  };
}

function readable(state: DoubleState, ref: unknown): ChannelRecord | MethodResult {
  const channel = state.channels.get(str(ref) ?? '');
  if (!channel) return fail('channel_not_found');
  if (!channel.members.includes(state.bot.userId)) return fail('not_in_channel');
  return channel;
}

const chat: Record<string, WebApiMethod> = {
  'chat.postMessage': ({ state, params }) => {
    const channel = postable(state, params.channel);
    if (isResult(channel)) return channel;
    const problem = messageContentProblem(params);
    if (problem) return problem;
    const message = state.addBotMessage(
      channel.id,
      {
        text: str(params.text),
        blocks: list(params.blocks),
        attachments: list(params.attachments),
        thread_ts: str(params.thread_ts),
        metadata: params.metadata,
      },
      'api',
    );
    return { ok: true, channel: channel.id, ts: message.ts, message: publicMessage(message) };
  },

  'chat.update': ({ state, params }) => {
    const channel = state.findChannel(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const message = state.findMessage(channel.id, str(params.ts) ?? '');
    if (!message) return fail('message_not_found');
    if (message.user !== state.bot.userId) return fail('cant_update_message');
    const problem = messageContentProblem({
      text: params.text ?? message.text,
      blocks: params.blocks ?? message.blocks,
    });
    if (problem) return problem;
    state.updateMessage(message, {
      text: typeof params.text === 'string' ? params.text : undefined,
      blocks: list(params.blocks),
      attachments: list(params.attachments),
    });
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: publicMessage(message),
    };
  },

  'chat.postEphemeral': ({ state, params }) => {
    const channel = postable(state, params.channel);
    if (isResult(channel)) return channel;
    const user = str(params.user);
    if (!user || !state.users.has(user)) return fail('user_not_found');
    if (!channel.members.includes(user)) return fail('user_not_in_channel');
    const problem = messageContentProblem(params);
    if (problem) return problem;
    const ephemeral = state.addEphemeral({
      channel: channel.id,
      user,
      text: str(params.text) ?? '',
      blocks: list(params.blocks),
      attachments: list(params.attachments),
      thread_ts: str(params.thread_ts),
      via: 'api',
    });
    return { ok: true, message_ts: ephemeral.ts };
  },

  'chat.delete': ({ state, params }) => {
    const channel = state.findChannel(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const message = state.findMessage(channel.id, str(params.ts) ?? '');
    if (!message) return fail('message_not_found');
    if (message.user !== state.bot.userId) return fail('cant_delete_message');
    state.deleteMessage(message);
    return { ok: true, channel: channel.id, ts: message.ts };
  },

  'chat.getPermalink': ({ state, params }) => {
    const channel = state.findChannel(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const ts = str(params.message_ts) ?? '';
    if (!state.findMessage(channel.id, ts)) return fail('message_not_found');
    const permalink = `https://${state.team.domain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
    return { ok: true, channel: channel.id, permalink };
  },

  'reactions.add': ({ state, params }) => {
    const channel = state.findChannel(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    const message = state.findMessage(channel.id, str(params.timestamp) ?? '');
    if (!message) return fail('message_not_found');
    const name = str(params.name)?.replace(/^:|:$/g, '');
    if (!name || !/^[a-z0-9_+'-]+$/.test(name)) return fail('invalid_name');
    message.reactions ??= [];
    let reaction = message.reactions.find((r) => r.name === name);
    if (reaction?.users.includes(state.bot.userId)) return fail('already_reacted');
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      message.reactions.push(reaction);
    }
    reaction.users.push(state.bot.userId);
    reaction.count += 1;
    state.change({ kind: 'message', channel: channel.id, message });
    return { ok: true };
  },
};

const people: Record<string, WebApiMethod> = {
  'auth.test': ({ state }) => ({
    ok: true,
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.bot.name,
    team_id: state.team.id,
    user_id: state.bot.userId,
    bot_id: state.bot.botId,
    ...(state.enterprise && { enterprise_id: state.enterprise.id }),
    is_enterprise_install: false,
  }),

  'users.info': ({ state, params }) => {
    const id = str(params.user) ?? '';
    const user = state.users.get(id);
    if (!user && id !== state.bot.userId) return fail('user_not_found');
    const withLocale = params.include_locale === true || params.include_locale === 'true';
    return { ok: true, user: state.slackUser(user, id, withLocale) };
  },

  'users.lookupByEmail': ({ state, params }) => {
    const email = str(params.email)?.toLowerCase();
    const user = [...state.users.values()].find((u) => email && u.email?.toLowerCase() === email);
    if (!user) return fail('users_not_found');
    return { ok: true, user: state.slackUser(user, user.id) };
  },

  'usergroups.users.list': ({ state, params }) => {
    const users = state.usergroups.get(str(params.usergroup) ?? '');
    if (!users) return fail('no_such_subteam');
    return { ok: true, users };
  },

  'conversations.open': ({ state, params }) => {
    const existing = str(params.channel);
    if (existing) {
      const channel = state.channels.get(existing);
      if (!channel?.isIm) return fail('channel_not_found');
      return { ok: true, channel: { id: channel.id } };
    }
    const users = (str(params.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.length > 1) return fail('not_supported_in_sandbox', { detail: 'group DMs are not simulated' });
    const id = users[0]!;
    if (id === state.bot.userId) return fail('cannot_dm_bot');
    const user = state.users.get(id);
    if (!user) return fail('user_not_found');
    if (user.dmBlocked) return fail('invalid_user_combination');
    const alreadyOpen = state.channels.has(`D${id.slice(1)}`);
    const channel = state.imWith(id);
    const body = bool(params.return_im) ? conversation(state, channel) : { id: channel.id };
    return { ok: true, no_op: alreadyOpen, already_open: alreadyOpen, channel: body };
  },

  'conversations.info': ({ state, params }) => {
    const channel = state.channels.get(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    return { ok: true, channel: conversation(state, channel) };
  },

  'conversations.history': ({ state, params }) => {
    const channel = readable(state, params.channel);
    if (isResult(channel)) return channel;
    const top = state.messagesIn(channel.id).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    return messagePage(top, params, true);
  },

  'conversations.replies': ({ state, params }) => {
    const channel = readable(state, params.channel);
    if (isResult(channel)) return channel;
    const parent = state.findMessage(channel.id, str(params.ts) ?? '');
    if (!parent) return fail('thread_not_found');
    const replies = state.messagesIn(channel.id).filter((m) => m.thread_ts === parent.ts && m !== parent);
    return messagePage([parent, ...replies], params, false);
  },

  'conversations.members': ({ state, params }) => {
    const channel = state.channels.get(str(params.channel) ?? '');
    if (!channel) return fail('channel_not_found');
    return { ok: true, members: channel.members, response_metadata: { next_cursor: '' } };
  },

  /** The channels a person (the bot without `user`) is in; Slack leaves is_member and num_members out here. */
  'users.conversations': ({ state, params }) => {
    const user = str(params.user) ?? state.bot.userId;
    if (user !== state.bot.userId && !state.users.has(user)) return fail('user_not_found');
    const types = (str(params.types) ?? 'public_channel').split(',').map((t) => t.trim());
    const theirs = [...state.channels.values()].filter((c) =>
      c.isIm
        ? types.includes('im') && (user === state.bot.userId || c.user === user)
        : types.includes('public_channel') && c.members.includes(user),
    );
    const limit = Math.min(Math.max(Number(str(params.limit) ?? 100) || 100, 1), 999);
    const offset = Number(
      str(params.cursor) ? Buffer.from(String(params.cursor), 'base64url').toString() : 0,
    );
    const more = offset + limit < theirs.length;
    return {
      ok: true,
      channels: theirs.slice(offset, offset + limit).map((c) => {
        const { is_member: _m, num_members: _n, ...listed } = conversation(state, c);
        return listed;
      }),
      response_metadata: {
        next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64url') : '',
      },
    };
  },
};

const views: Record<string, WebApiMethod> = {
  'views.open': ({ state, params }) => {
    const view = checkedView(params, 'modal');
    if (isResult(view)) return view;
    const user = exchangeTrigger(state, params.trigger_id);
    if (isResult(user)) return user;
    state.closeAllViews(user);
    const opened = state.makeView(view, user);
    state.stackOf(user).push(opened.id);
    state.saveView(opened);
    return { ok: true, view: publicView(opened) };
  },

  'views.push': ({ state, params }) => {
    const view = checkedView(params, 'modal');
    if (isResult(view)) return view;
    const user = exchangeTrigger(state, params.trigger_id);
    if (isResult(user)) return user;
    const stack = state.stackOf(user);
    if (stack.length === 0) return fail('not_found');
    if (stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
    const below = state.viewsById.get(stack.at(-1)!)!;
    const pushed = state.makeView(view, user);
    pushed.root_view_id = below.root_view_id;
    pushed.previous_view_id = below.id;
    stack.push(pushed.id);
    state.saveView(pushed);
    return { ok: true, view: publicView(pushed) };
  },

  'views.update': ({ state, params }) => {
    const view = checkedView(params, 'modal');
    if (isResult(view)) return view;
    const id = str(params.view_id);
    const externalId = str(params.external_id);
    const current = id
      ? state.viewsById.get(id)
      : [...state.viewsById.values()].find((v) => externalId && v.external_id === externalId && !v.closed);
    if (!current || current.closed) return fail('not_found');
    const hash = str(params.hash);
    if (hash && hash !== current.hash) return fail('hash_conflict');
    const updated = state.makeView(view, current.user, current);
    state.saveView(updated);
    return { ok: true, view: publicView(updated) };
  },

  'views.publish': ({ state, params }) => {
    const view = checkedView(params, 'home');
    if (isResult(view)) return view;
    const user = str(params.user_id) ?? '';
    if (!state.users.has(user)) return fail('user_not_found');
    const history = state.homeHistory.get(user) ?? [];
    const current = history.at(-1);
    const hash = str(params.hash);
    if (hash && current && hash !== current.hash) return fail('hash_conflict');
    const published = state.makeView(view, user, current && { ...current, state: { values: {} } });
    history.push(published);
    state.homeHistory.set(user, history);
    state.saveView(published);
    return { ok: true, view: publicView(published) };
  },
};

const files: Record<string, WebApiMethod> = {
  'files.getUploadURLExternal': ({ state, params, base }) => {
    const name = str(params.filename);
    const length = Number(params.length);
    if (!name)
      return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing filename'] } });
    if (!Number.isInteger(length) || length < 1) return fail('invalid_length');
    const id = state.nextId('F');
    state.files.set(id, {
      id,
      name,
      title: name,
      size: length,
      alt_text: str(params.alt_text),
      shared: false,
    });
    return { ok: true, upload_url: `${base}/_upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal': ({ state, params }) => {
    const entries = list(params.files);
    if (!entries?.length) return fail('invalid_arguments');
    const found = [];
    for (const entry of entries as Params[]) {
      const file = state.files.get(str(entry.id) ?? '');
      if (!file?.content) return fail('file_not_found');
      if (str(entry.title)) file.title = str(entry.title)!;
      found.push(file);
    }
    const target = str(params.channel_id) ?? str(params.channels)?.split(',')[0];
    if (target) {
      const channel = postable(state, target);
      if (isResult(channel)) return channel;
      for (const file of found) file.shared = true;
      const message = state.addBotMessage(
        channel.id,
        { text: str(params.initial_comment) ?? '', thread_ts: str(params.thread_ts) },
        'api',
      );
      message.files = found.map(({ id, name, title, size }) => ({ id, name, title, size }));
      state.change({ kind: 'message', channel: channel.id, message });
    }
    return {
      ok: true,
      files: found.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.size, mimetype: '' })),
    };
  },
};

/** Every Web API method the double answers, by name. */
export const WEB_API_METHODS: Record<string, WebApiMethod> = { ...chat, ...people, ...views, ...files };

/** The channel a call is about, for per-channel rate limits. */
export function channelOf(params: Params): string | undefined {
  return str(params.channel) ?? str(params.channel_id);
}
