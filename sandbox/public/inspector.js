import { el } from './blocks.js';

/** Slack shows an error when the app takes longer than this to acknowledge. */
const ACK_TIMEOUT_MS = 3_000;
const time = (ms) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function callSummary(call) {
  const response = call.response;
  const ok =
    typeof response === 'object' && response !== null
      ? response.ok
      : response === 'ok' || String(response).startsWith('OK');
  const outcome =
    call.status !== 200 ? `HTTP ${call.status}` : ok ? 'ok' : (response?.error ?? String(response));
  const where =
    call.params?.channel ?? call.params?.channel_id ?? call.params?.user_id ?? call.params?.user ?? '';
  return {
    tone: call.status === 429 ? 'warn' : call.status !== 200 || !ok ? 'error' : 'ok',
    title: call.method,
    detail: [where, outcome].filter(Boolean).join(' · '),
    json: { params: call.params, response: call.response },
  };
}

function requestSummary(request) {
  const body = request.body ?? {};
  const what =
    request.kind === 'slash_command'
      ? `${body.command} ${body.text}`
      : request.kind === 'block_actions'
        ? (body.actions ?? []).map((a) => a.action_id).join(', ')
        : request.kind === 'event_callback'
          ? body.event?.type
          : request.kind === 'message_action'
            ? body.callback_id
            : body.view?.callback_id;
  return {
    tone: request.status === 200 && request.durationMs <= ACK_TIMEOUT_MS ? 'ok' : 'error',
    title: `→ Pulse: ${request.kind}`,
    detail: `${what ?? ''} · ${request.status} · ${request.durationMs} ms`,
    json: { body: request.body, ack: request.ack },
  };
}

/** The inspector panel: every Web API call and every request sent to Pulse, newest first, with their JSON. */
export function createInspector(root) {
  const list = el('div', 'inspector-list');
  const counts = { api: 0, bot: 0 };
  const tabs = [
    ['all', 'All'],
    ['api', 'Web API calls'],
    ['bot', 'Requests to Pulse'],
  ].map(([key, label]) => {
    const tab = el('button', `inspector-tab ${key === 'all' ? 'active' : ''}`, [label]);
    tab.type = 'button';
    tab.dataset.tab = key;
    tab.addEventListener('click', () => {
      for (const t of tabs) t.classList.toggle('active', t === tab);
      list.dataset.filter = key;
    });
    return tab;
  });
  list.dataset.filter = 'all';
  const clear = el('button', 'inspector-clear', ['Clear']);
  clear.type = 'button';
  clear.addEventListener('click', () => list.replaceChildren());
  root.replaceChildren(
    el('div', 'inspector-head', [el('h3', '', ['Inspector']), clear]),
    el('div', 'inspector-tabs', tabs),
    list,
  );

  function add(kind, summary, at) {
    counts[kind] += 1;
    const copy = el('button', 'inspector-copy', ['Copy JSON']);
    copy.type = 'button';
    const json = JSON.stringify(summary.json, null, 2);
    copy.addEventListener('click', () => navigator.clipboard?.writeText(json));
    const entry = el('details', `inspector-entry ${kind} ${summary.tone}`, [
      el('summary', '', [
        el('span', 'inspector-time', [time(at)]),
        el('span', 'inspector-title', [summary.title]),
        el('span', 'inspector-detail', [summary.detail]),
      ]),
      copy,
      el('pre', 'inspector-json', [json]),
    ]);
    list.prepend(entry);
  }

  return {
    call: (call) => add('api', callSummary(call), call.at),
    request: (request) => add('bot', requestSummary(request), request.at),
    reset() {
      list.replaceChildren();
    },
  };
}
