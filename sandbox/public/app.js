import { el, renderBlocks } from './blocks.js';
import { createInspector } from './inspector.js';
import { carryValues, renderModal, showErrors } from './modal.js';
import { plainEmoji, renderMrkdwn } from './mrkdwn.js';

/**
 * The sandbox page: a Slack look-alike over the Web API double. It keeps a copy of the workspace,
 * applies every change the server streams (server-sent events), and sends what the person does to the
 * sandbox server, which turns it into the signed requests Slack would send Pulse.
 */

const state = {
  team: null,
  bot: null,
  users: new Map(),
  channels: new Map(),
  messages: new Map(),
  ephemerals: new Map(),
  views: new Map(),
  homes: new Map(),
  /** Who the person at the keyboard is acting as. */
  me: null,
  route: { kind: 'channel', id: null },
  unread: new Map(),
  /** Problems Slack itself would show, per conversation (e.g. a command that failed). */
  notices: new Map(),
  /** People for whom the app answered app_home_opened without publishing a Home tab. */
  homeMissing: new Set(),
  /** The app's message shortcuts: each message's "More actions" menu. */
  shortcuts: [],
};
/** How long the page waits for views.publish after app_home_opened before saying there is no Home tab. */
const HOME_WAIT_MS = 3_000;

const $ = (id) => document.getElementById(id);
const ROLE_GROUPS = [
  ['CS team', ['cs_lead', 'csm']],
  ['Customers', ['champion', 'decision_maker']],
  ['Outside the CS team', ['outsider', undefined]],
];
const PALETTE = ['#e8912d', '#2bac76', '#1d9bd1', '#e01e5a', '#8f5ac5', '#4a154b', '#c4730a', '#0b7a75'];

async function call(path, body) {
  const response = await fetch(`/sandbox/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { httpStatus: response.status, ...data };
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────

const dmOf = (userId) => `D${userId.slice(1)}`;
const userName = (id) =>
  id === state.bot?.userId
    ? state.bot.realName
    : (state.users.get(id)?.realName ?? state.users.get(id)?.name ?? id);
const channelName = (id) => state.channels.get(id)?.name ?? id;
const tsDate = (ts) => new Date(Number(ts) * 1000);
const timeOf = (ts) => tsDate(ts).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(Date.now() - 86_400_000);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' });
}

function appIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 36 36');
  svg.setAttribute('class', 'app-icon');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ width: 36, height: 36, rx: 8, fill: '#0b7a75' }))
    rect.setAttribute(k, v);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', '5,19 12,19 15,11 20,26 23,16 25,19 31,19');
  for (const [k, v] of Object.entries({
    fill: 'none',
    stroke: '#fff',
    'stroke-width': 2.6,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  }))
    line.setAttribute(k, v);
  svg.append(rect, line);
  return svg;
}

function avatar(userId) {
  if (userId === state.bot?.userId) return el('div', 'avatar app', [appIcon()]);
  const name = userName(userId);
  const initials = name
    .split(/\s+/)
    .map((part) => part[0])
    .slice(0, 2)
    .join('')
    .toUpperCase();
  let hash = 0;
  for (const c of userId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const node = el('div', 'avatar', [initials]);
  node.style.background = PALETTE[hash % PALETTE.length];
  return node;
}

/** What Block Kit rendering needs from the page; `target` says where an interaction happened. */
function blockContext(target) {
  return {
    userName,
    channelName,
    openChannel: (id) => navigate({ kind: 'channel', id }),
    users: [...state.users.values()],
    channels: [...state.channels.values()],
    appIcon,
    confirm: askConfirmation,
    act: (element, blockId, value) => interact(target, element, blockId, value),
  };
}

function notice(conversation, text) {
  const list = state.notices.get(conversation) ?? [];
  list.push({ id: `n${Date.now()}${Math.random()}`, ts: String(Date.now() / 1000), text, user: state.me });
  state.notices.set(conversation, list);
  render();
}

/** Slack's own wording when an app fails to answer. */
function failureText(result, what) {
  if (result.httpStatus === 502)
    return `${what} failed: Pulse could not be reached (${result.error ?? 'dispatch_failed'}).`;
  if (result.timedOut) return `${what} failed with the error "operation_timeout".`;
  if (result.status !== undefined && result.status !== 200)
    return `${what} failed with the error "http_error_${result.status}".`;
  return undefined;
}

async function interact(target, element, blockId, value) {
  const result = await call('ui/action', {
    user: state.me,
    ...target,
    actionId: element.action_id,
    blockId,
    value,
  });
  const failure = failureText(result, 'That action');
  if (failure) notice(target.channel ?? currentConversation(), `:warning: ${failure}`);
}

function askConfirmation(confirm) {
  return new Promise((resolve) => {
    const root = $('dialog-root');
    const done = (answer) => {
      root.replaceChildren();
      resolve(answer);
    };
    const no = el('button', 'bk-button', [plainEmoji(confirm.deny?.text ?? 'Cancel')]);
    const yes = el('button', `bk-button ${confirm.style === 'danger' ? 'danger' : 'primary'}`, [
      plainEmoji(confirm.confirm?.text ?? 'Yes'),
    ]);
    no.addEventListener('click', () => done(false));
    yes.addEventListener('click', () => done(true));
    const dialog = el('div', 'modal confirm', [
      el('header', 'modal-header', [
        el('h2', 'modal-title', [plainEmoji(confirm.title?.text ?? 'Are you sure?')]),
      ]),
      el('div', 'modal-body', [
        el('div', 'bk-text', [renderMrkdwn(confirm.text?.text ?? '', blockContext({}))]),
      ]),
      el('footer', 'modal-footer', [no, yes]),
    ]);
    dialog.setAttribute('role', 'alertdialog');
    root.replaceChildren(el('div', 'modal-backdrop', [dialog]));
  });
}

// ── state updates ──────────────────────────────────────────────────────────────────────────────

function load(snapshot) {
  state.team = snapshot.team;
  state.bot = snapshot.bot;
  state.users = new Map(snapshot.users.map((u) => [u.id, u]));
  state.channels = new Map(snapshot.channels.map((c) => [c.id, c]));
  state.messages = new Map(Object.entries(snapshot.messages));
  state.ephemerals = new Map(snapshot.ephemerals.map((e) => [e.id, e]));
  state.views = new Map(snapshot.views.map((v) => [v.id, v]));
  state.homes = new Map(Object.entries(snapshot.homes));
  state.shortcuts = snapshot.shortcuts ?? [];
  inspector.reset();
  for (const entry of [
    ...snapshot.calls.map((c) => ['call', c]),
    ...snapshot.botRequests.map((r) => ['request', r]),
  ].sort((a, b) => a[1].at - b[1].at)) {
    inspector[entry[0]](entry[1]);
  }
}

function apply(change) {
  switch (change.kind) {
    case 'message': {
      const list = state.messages.get(change.channel) ?? [];
      const at = list.findIndex((m) => m.ts === change.message.ts);
      if (at >= 0) list[at] = change.message;
      else {
        list.push(change.message);
        if (change.channel !== currentConversation()) {
          state.unread.set(change.channel, (state.unread.get(change.channel) ?? 0) + 1);
        }
      }
      state.messages.set(change.channel, list);
      break;
    }
    case 'message_deleted':
      state.messages.set(
        change.channel,
        (state.messages.get(change.channel) ?? []).filter((m) => m.ts !== change.ts),
      );
      break;
    case 'ephemeral':
      state.ephemerals.set(change.ephemeral.id, change.ephemeral);
      break;
    case 'ephemeral_deleted':
      state.ephemerals.delete(change.id);
      break;
    case 'view':
      if (change.view.type === 'home') state.homes.set(change.view.user, change.view);
      else state.views.set(change.view.id, change.view);
      break;
    case 'channel':
      state.channels.set(change.channel.id, change.channel);
      break;
    case 'call':
      inspector.call(change.call);
      return;
    case 'bot_request':
      inspector.request(change.request);
      return;
  }
  render();
}

// ── navigation ─────────────────────────────────────────────────────────────────────────────────

function currentConversation() {
  return state.route.kind === 'channel' ? state.route.id : dmOf(state.me);
}

function navigate(route) {
  state.route = route;
  const hash = route.kind === 'channel' ? `#channel/${route.id}` : `#app/${route.tab}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
  state.unread.delete(currentConversation());
  if (route.kind === 'app') openApp(route.tab);
  render({ scrollToEnd: true });
}

/** Slack tells the app whenever a person opens its Home or Messages tab. */
function openApp(tab) {
  const key = state.me;
  call('ui/home', { user: key, tab }).then((result) => {
    const failure = failureText(result, `Opening the ${tab === 'home' ? 'Home' : 'Messages'} tab`);
    if (failure) notice(dmOf(key), `:warning: ${failure}`);
    if (tab !== 'home') return;
    setTimeout(() => {
      if (state.homes.has(key)) return;
      state.homeMissing.add(key);
      render();
    }, HOME_WAIT_MS);
  });
}

/** Switches who the person at the keyboard is; what they see (ephemerals, DMs, Home, modals) follows. */
function becomes(userId, route = state.route) {
  state.me = userId;
  localStorage.setItem('sandbox.as', userId);
  $('persona').value = userId;
  navigate(route);
}

// ── rendering ──────────────────────────────────────────────────────────────────────────────────

let pending;
function render(options = {}) {
  if (pending) {
    pending.scrollToEnd ||= options.scrollToEnd;
    return;
  }
  pending = { ...options };
  requestAnimationFrame(() => {
    const { scrollToEnd } = pending;
    pending = undefined;
    renderSidebar();
    renderPane(scrollToEnd);
    renderModalLayer();
  });
}

function sideItem({ label, icon, active, unread, dim, onClick, testId }) {
  const item = el(
    'button',
    `side-item ${active ? 'active' : ''} ${unread ? 'unread' : ''} ${dim ? 'dim' : ''}`,
    [el('span', 'side-icon', [icon]), el('span', 'side-label', [label])],
  );
  item.type = 'button';
  if (unread) item.append(el('span', 'badge', [String(unread)]));
  if (testId) item.dataset.testid = testId;
  item.addEventListener('click', onClick);
  return item;
}

function renderSidebar() {
  const channels = [...state.channels.values()].filter((c) => !c.isIm);
  const mine = (c) => c.members.includes(state.me);
  channels.sort((a, b) => Number(mine(b)) - Number(mine(a)) || a.name.localeCompare(b.name));
  const channelItems = channels.map((c) =>
    sideItem({
      label: c.name,
      icon: c.shared ? '⇋' : '#',
      active: state.route.kind === 'channel' && state.route.id === c.id,
      unread: state.unread.get(c.id),
      dim: !mine(c),
      testId: `channel-${c.name}`,
      onClick: () => navigate({ kind: 'channel', id: c.id }),
    }),
  );
  const app = sideItem({
    label: state.bot.realName,
    icon: appIcon(),
    active: state.route.kind === 'app',
    unread: state.unread.get(dmOf(state.me)),
    testId: 'app-pulse',
    onClick: () => navigate({ kind: 'app', tab: 'messages' }),
  });
  const customers = [...state.users.values()].filter(
    (u) => u.role === 'champion' || u.role === 'decision_maker',
  );
  const dmItems = customers.map((u) =>
    sideItem({
      label: `${u.realName}${u.accountKey ? ` · ${u.accountKey}` : ''}`,
      icon: avatar(u.id),
      active: state.route.kind === 'app' && state.me === u.id,
      unread: state.unread.get(dmOf(u.id)),
      testId: `dm-${u.id}`,
      onClick: () => becomes(u.id, { kind: 'app', tab: 'messages' }),
    }),
  );
  $('sidebar').replaceChildren(
    el('div', 'workspace', [
      el('div', 'workspace-name', [state.team.name, el('span', 'sandbox-badge', ['sandbox'])]),
      el('div', 'workspace-sub', [`acting as ${userName(state.me)}`]),
    ]),
    el('div', 'side-section', [el('div', 'side-heading', ['Channels']), ...channelItems]),
    el('div', 'side-section', [el('div', 'side-heading', ['Apps']), app]),
    el('div', 'side-section', [
      el('div', 'side-heading', ["Pulse's DMs with customers"]),
      el('div', 'side-note', ['Opening one makes you that person']),
      ...dmItems,
    ]),
  );
}

function renderHeader() {
  const header = $('pane-header');
  const tabs = $('pane-tabs');
  if (state.route.kind === 'channel') {
    const channel = state.channels.get(state.route.id);
    header.replaceChildren(
      el('div', 'pane-title', [
        el('span', 'pane-title-icon', [channel?.shared ? '⇋' : '#']),
        channel?.name ?? state.route.id,
        channel?.shared ? el('span', 'shared-badge', ['shared with a customer']) : null,
      ]),
      el('div', 'pane-topic', [channel?.topic ?? '']),
      el('div', 'pane-members', [`👥 ${channel?.members.length ?? 0}`]),
    );
    tabs.replaceChildren();
    tabs.hidden = true;
    return;
  }
  header.replaceChildren(
    el('div', 'pane-title', [
      el('span', 'pane-title-icon app', [appIcon()]),
      state.bot.realName,
      el('span', 'app-badge', ['APP']),
    ]),
  );
  tabs.hidden = false;
  tabs.replaceChildren(
    ...[
      ['home', 'Home'],
      ['messages', 'Messages'],
    ].map(([tab, label]) => {
      const button = el('button', `pane-tab ${state.route.tab === tab ? 'active' : ''}`, [label]);
      button.type = 'button';
      button.dataset.tab = tab;
      button.addEventListener('click', () => navigate({ kind: 'app', tab }));
      return button;
    }),
  );
}

const FILE_ICONS = { ics: '📆', csv: '📊', pdf: '📕', png: '🖼️', jpg: '🖼️', txt: '📝' };
const fileSize = (bytes) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

function messageNode(message, { compact, ephemeral, channel }) {
  const target = ephemeral ? { channel, ephemeralId: message.id } : { channel, ts: message.ts };
  const ctx = blockContext(target);
  const content = el('div', 'message-content');
  if (message.blocks?.length) content.append(renderBlocks(message.blocks, ctx));
  else if (message.text) content.append(el('div', 'bk-text', [renderMrkdwn(message.text, ctx)]));
  for (const attachment of message.attachments ?? []) {
    const bar = el('div', 'attachment', [
      attachment.pretext ? el('div', 'bk-text', [renderMrkdwn(attachment.pretext, ctx)]) : null,
      attachment.title ? el('div', 'attachment-title', [attachment.title]) : null,
      attachment.text ? el('div', 'bk-text', [renderMrkdwn(attachment.text, ctx)]) : null,
      attachment.blocks ? renderBlocks(attachment.blocks, ctx) : null,
    ]);
    bar.style.borderLeftColor = attachment.color
      ? `${attachment.color.startsWith('#') ? '' : '#'}${attachment.color}`
      : '#ddd';
    content.append(bar);
  }
  for (const file of message.files ?? []) {
    const card = el('a', 'file-card', [
      el('div', 'file-icon', [FILE_ICONS[file.name.split('.').pop()?.toLowerCase()] ?? '📄']),
      el('div', '', [
        el('div', 'file-name', [file.title || file.name]),
        el('div', 'file-meta', [`${file.name} · ${fileSize(file.size)}`]),
      ]),
    ]);
    card.href = `/sandbox/files/${encodeURIComponent(file.id)}`;
    card.download = file.name;
    content.append(card);
  }
  if (message.reactions?.length) {
    content.append(
      el(
        'div',
        'reactions',
        message.reactions.map((r) => el('span', 'reaction', [plainEmoji(`:${r.name}:`), ` ${r.count}`])),
      ),
    );
  }
  const body = el('div', 'message-body');
  if (!compact) {
    body.append(
      el('div', 'message-meta', [
        el('span', 'author', [userName(message.user)]),
        message.user === state.bot.userId ? el('span', 'app-badge', ['APP']) : null,
        el('span', 'time', [timeOf(message.ts)]),
      ]),
    );
  }
  if (ephemeral) {
    const dismiss = el('button', 'dismiss', ['Dismiss']);
    dismiss.type = 'button';
    dismiss.addEventListener('click', () => {
      if (message.local)
        state.notices.set(
          channel,
          (state.notices.get(channel) ?? []).filter((n) => n.id !== message.id),
        );
      else state.ephemerals.delete(message.id);
      render();
    });
    body.append(el('div', 'ephemeral-label', [el('span', 'eye', ['👁']), ' Only visible to you', dismiss]));
  }
  body.append(content);
  if (!ephemeral && state.shortcuts.length) body.append(moreActions(message, channel));
  const node = el('div', `message ${compact ? 'compact' : ''} ${ephemeral ? 'ephemeral' : ''}`, [
    compact ? el('div', 'gutter', [el('span', 'time', [timeOf(message.ts)])]) : avatar(message.user),
    body,
  ]);
  node.dataset.ts = message.ts;
  if (ephemeral) node.dataset.ephemeral = 'true';
  node.dataset.testid = 'message';
  return node;
}

/** A message's "More actions" button: the app's message shortcuts, as Slack lists them. */
function moreActions(message, channel) {
  const button = el('button', 'more-actions', ['⋮']);
  button.type = 'button';
  button.title = 'More actions';
  button.setAttribute('aria-label', 'More actions');
  const menu = el(
    'div',
    'more-actions-menu',
    state.shortcuts.map((shortcut) => {
      const item = el('button', 'more-actions-item', [
        shortcut.name,
        el('span', 'app-name', [state.bot.realName]),
      ]);
      item.type = 'button';
      item.addEventListener('click', async () => {
        menu.hidden = true;
        const result = await call('ui/shortcut', {
          user: state.me,
          channel,
          ts: message.ts,
          callbackId: shortcut.callbackId,
        });
        const failure = failureText(result, 'That shortcut');
        if (failure) notice(channel, `:warning: ${failure}`);
      });
      return item;
    }),
  );
  menu.hidden = true;
  menu.setAttribute('role', 'menu');
  button.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  return el('div', 'more-actions-wrap', [button, menu]);
}

function conversationItems(conversation) {
  const messages = state.messages.get(conversation) ?? [];
  const top = messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const ephemerals = [...state.ephemerals.values()].filter(
    (e) => e.user === state.me && e.channel === conversation,
  );
  const notices = (state.notices.get(conversation) ?? [])
    .filter((n) => n.user === state.me)
    .map((n) => ({ ...n, user: state.bot.userId, local: true }));
  return [
    ...top.map((m) => ({
      message: m,
      ephemeral: false,
      replies: messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts),
    })),
    ...ephemerals.map((e) => ({ message: { ...e, user: state.bot.userId }, ephemeral: true, replies: [] })),
    ...notices.map((n) => ({ message: n, ephemeral: true, replies: [] })),
  ].sort((a, b) => Number(a.message.ts) - Number(b.message.ts));
}

function renderMessages(conversation) {
  const items = conversationItems(conversation);
  const nodes = [];
  let previous;
  let previousDay;
  for (const item of items) {
    const day = dayLabel(tsDate(item.message.ts));
    if (day !== previousDay) {
      nodes.push(el('div', 'day-divider', [el('span', '', [day])]));
      previous = undefined;
      previousDay = day;
    }
    const compact =
      previous &&
      !item.ephemeral &&
      !previous.ephemeral &&
      previous.message.user === item.message.user &&
      Number(item.message.ts) - Number(previous.message.ts) < 300;
    const node = messageNode(item.message, { compact, ephemeral: item.ephemeral, channel: conversation });
    if (item.replies.length) {
      const thread = el('div', 'thread', [
        el('div', 'thread-count', [
          `${item.replies.length} ${item.replies.length === 1 ? 'reply' : 'replies'}`,
        ]),
        ...item.replies.map((r) =>
          messageNode(r, { compact: false, ephemeral: false, channel: conversation }),
        ),
      ]);
      node.querySelector('.message-body').append(thread);
    }
    nodes.push(node);
    previous = item;
  }
  if (nodes.length === 0) {
    const channel = state.channels.get(conversation);
    nodes.push(
      el('div', 'empty', [
        state.route.kind === 'app'
          ? `This is the very beginning of your direct message history with ${state.bot.realName}.`
          : `This is the very beginning of #${channel?.name ?? conversation}.`,
      ]),
    );
  }
  return nodes;
}

function renderHome() {
  const home = state.homes.get(state.me);
  if (!home) {
    const text = state.homeMissing.has(state.me)
      ? `${state.bot.realName} has not published a Home tab for you.`
      : 'Loading the Home tab…';
    return [el('div', 'empty', [text])];
  }
  return [el('div', 'home', [renderBlocks(home.blocks, blockContext({ viewId: home.id }))])];
}

function renderPane(scrollToEnd) {
  renderHeader();
  const list = $('messages');
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  const scrollTop = list.scrollTop;
  const home = state.route.kind === 'app' && state.route.tab === 'home';
  list.classList.toggle('home-pane', home);
  list.replaceChildren(...(home ? renderHome() : renderMessages(currentConversation())));
  $('composer').hidden = home;
  const channel = state.channels.get(currentConversation());
  $('composer-input').placeholder =
    state.route.kind === 'app' ? `Message ${state.bot.realName}` : `Message #${channel?.name ?? ''}`;
  // A Home tab reads from the top, a conversation from its latest message.
  if (home) list.scrollTop = scrollToEnd ? 0 : scrollTop;
  else if (scrollToEnd || atEnd) list.scrollTop = list.scrollHeight;
  else list.scrollTop = scrollTop;
}

let shownModal;
function topModal() {
  const open = [...state.views.values()].filter(
    (v) => v.user === state.me && !v.closed && v.type === 'modal',
  );
  return open.find((v) => !open.some((other) => other.previous_view_id === v.id));
}

function renderModalLayer() {
  const root = $('modal-root');
  const view = topModal();
  if (!view) {
    root.replaceChildren();
    shownModal = undefined;
    return;
  }
  if (shownModal && shownModal.id === view.id && shownModal.hash === view.hash) {
    // Only the app's new answer changes the errors shown; other changes leave the person's edits alone.
    if (shownModal.errors !== view.errors) showErrors(root, view.errors ?? {});
    shownModal.errors = view.errors;
    return;
  }
  const node = renderModal(view, blockContext({ viewId: view.id }), {
    close: () => call('ui/close', { user: state.me, viewId: view.id }),
    submit: async (values) => {
      const result = await call('ui/submit', { user: state.me, viewId: view.id, values });
      const failure = failureText(result, 'Submitting');
      return { errors: result.errors, failed: failure };
    },
  });
  const previous = root.querySelector('.modal');
  if (previous && shownModal?.id === view.id) carryValues(previous, node);
  root.replaceChildren(node);
  shownModal = { id: view.id, hash: view.hash, errors: view.errors };
  node.querySelector('input, select, textarea')?.focus();
}

// ── composer ───────────────────────────────────────────────────────────────────────────────────

function setupComposer() {
  const input = $('composer-input');
  const menu = $('slash-menu');
  const send = async () => {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    menu.hidden = true;
    const conversation = currentConversation();
    const result = await call('ui/command', { user: state.me, channel: conversation, text });
    const failure = failureText(result, text.split(/\s+/)[0]);
    if (failure) notice(conversation, `:warning: ${failure}`);
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  input.addEventListener('input', () => {
    menu.hidden = !input.value.startsWith('/') || input.value.includes(' ');
  });
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  for (const item of menu.querySelectorAll('[data-fill]')) {
    item.addEventListener('click', () => {
      input.value = item.dataset.fill;
      menu.hidden = true;
      input.focus();
    });
  }
}

function setupPersona() {
  const select = $('persona');
  const users = [...state.users.values()];
  select.replaceChildren(
    ...ROLE_GROUPS.map(([label, roles]) => {
      const group = el('optgroup');
      group.label = label;
      for (const user of users.filter((u) => roles.includes(u.role))) {
        const option = el('option', '', [
          `${user.realName} — ${user.title ?? user.role ?? ''}${user.accountKey ? ` (${user.accountKey})` : ''}${user.locale ? ` · ${user.locale}` : ''}`,
        ]);
        option.value = user.id;
        group.append(option);
      }
      return group;
    }).filter((g) => g.children.length > 0),
  );
  select.value = state.me;
  select.addEventListener('change', () => becomes(select.value));
}

function initialRoute() {
  const [kind, value] = location.hash.slice(1).split('/');
  if (kind === 'app' && (value === 'home' || value === 'messages')) return { kind: 'app', tab: value };
  if (kind === 'channel' && state.channels.has(value)) return { kind: 'channel', id: value };
  const alerts =
    [...state.channels.values()].find((c) => c.name === 'cs-alerts') ?? [...state.channels.values()][0];
  return { kind: 'channel', id: alerts?.id };
}

/** Changes streamed before the page has drawn itself; applied once it has. */
let pendingChanges = [];

/**
 * Opens the event stream, then reads the snapshot (resolved with it): a change made while the page loads
 * is in one or the other, never lost between them. After a broken connection, the snapshot is read again.
 */
function connect() {
  let broken = false;
  const events = new EventSource('/sandbox/events');
  events.addEventListener('message', (event) => {
    const change = JSON.parse(event.data);
    if (pendingChanges) pendingChanges.push(change);
    else apply(change);
  });
  events.addEventListener('error', () => {
    broken = true;
    document.body.classList.add('offline');
  });
  return new Promise((resolve) => {
    events.addEventListener('open', async () => {
      document.body.classList.remove('offline');
      if (pendingChanges) {
        resolve(await (await fetch('/sandbox/state')).json());
        return;
      }
      if (!broken) return;
      broken = false;
      load(await (await fetch('/sandbox/state')).json());
      render();
    });
  });
}

/** Applies what streamed in while the snapshot was read; the inspector already lists calls up to it. */
function applyPending(snapshot) {
  const shown = Math.max(0, ...snapshot.calls.map((c) => c.at), ...snapshot.botRequests.map((r) => r.at));
  const changes = pendingChanges;
  pendingChanges = undefined;
  for (const change of changes) {
    const at = change.call?.at ?? change.request?.at;
    if (at === undefined || at > shown) apply(change);
  }
}

const inspector = createInspector($('inspector'));

async function start() {
  const snapshot = await connect();
  load(snapshot);
  const params = new URLSearchParams(location.search);
  const wanted = params.get('as') ?? localStorage.getItem('sandbox.as');
  state.me = state.users.has(wanted)
    ? wanted
    : // A CSM who reads English first; the Portuguese-speaking one is a choice in "You are".
      (
        [...state.users.values()].find((u) => u.role === 'csm' && !u.locale) ??
        [...state.users.values()].find((u) => u.role === 'csm') ??
        [...state.users.values()][0]
      ).id;
  document.title = `${state.team.name} — Pulse sandbox`;
  $('search').placeholder = `Search ${state.team.name}`;
  setupPersona();
  setupComposer();
  $('toggle-inspector').addEventListener('click', () => {
    document.body.classList.toggle('inspector-open');
    $('toggle-inspector').classList.toggle('active');
  });
  applyPending(snapshot);
  navigate(initialRoute());
  document.body.classList.add('ready');
}

start();
