import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  type BotRequest,
  type ChannelRecord,
  DoubleState,
  type OriginalMessage,
  type RecordedCall,
  type ResponseUrlRecord,
  type SandboxView,
  type SlackDoubleChange,
  type SlackEphemeral,
  type SlackFile,
  type SlackMessage,
} from './double-state.ts';
import { type RateLimit, RateLimits } from './rate-limits.ts';
import { bearer, readParams, uploadedBytes } from './request-params.ts';
import { deliverResponse } from './response-delivery.ts';
import { channelOf, messageContentProblem, type Params, WEB_API_METHODS } from './web-api-methods.ts';
import { DEFAULT_WORKSPACE, type SandboxWorkspace, type WorkspaceUser } from './workspace.ts';

export type {
  BotRequest,
  ChannelRecord,
  RecordedCall,
  SandboxView,
  SlackDoubleChange,
  SlackEphemeral,
  SlackFile,
  SlackMessage,
} from './double-state.ts';
export type { RateLimit } from './rate-limits.ts';

/** A response_url takes 5 posts within 30 minutes. */
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** What the next call of a method answers instead of the real thing. */
export type ScriptedResponse =
  | { status: 500 | 502 | 503 | 504 }
  | { status: 429; retryAfter: number }
  | { error: string }
  | { delayMs: number };

export interface SlackDoubleOptions {
  botToken: string;
  workspace?: SandboxWorkspace;
  /** Epoch milliseconds; drives `ts`, trigger and response_url expiry, and rate limits. */
  now?: () => number;
}

/** The answer a view submission got from the app, as Slack's client applies it. */
export interface ViewSubmissionOutcome {
  /** `response_action: errors`, by block_id; the modal stays open. */
  errors?: Record<string, string>;
  /** The modal now on top for this person, if any. */
  view?: SandboxView;
}

/**
 * A Slack Web API double: an in-memory workspace served over HTTP the way Slack answers, with
 * inspection and fault injection for tests. One implementation for the sandbox, the end-to-end tests
 * and the benchmarks.
 */
export class SlackDouble {
  private readonly state: DoubleState;
  private readonly limits = new RateLimits();
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private readonly botToken: string;
  private socketMode?: { appToken: string; url: () => string };
  private app?: FastifyInstance;
  private prefix = '/sandbox/api';

  constructor(options: SlackDoubleOptions) {
    this.botToken = options.botToken;
    this.state = new DoubleState(options.workspace ?? DEFAULT_WORKSPACE, options.now ?? Date.now);
  }

  get team() {
    return this.state.team;
  }
  get bot() {
    return this.state.bot;
  }
  get now(): () => number {
    return this.state.now;
  }

  /** Serves the Web API at `<prefix>/<method>` on an existing server (GET or POST, form-encoded or JSON). */
  register(app: FastifyInstance, prefix = '/sandbox/api'): void {
    if (this.app) throw new Error('this SlackDouble is already registered on a server');
    this.app = app;
    this.prefix = prefix;
    app.register(
      async (scope) => {
        // Slack's bodies come form-encoded, as JSON or multipart: read them raw, whatever the parent server parses.
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
        scope.post('/_response/*', (request, reply) => this.handleResponseUrl(request, reply));
        scope.post<{ Params: { id: string } }>('/_upload/:id', (request, reply) =>
          this.handleUpload(request, reply),
        );
        scope.route<{ Params: { method: string } }>({
          method: ['GET', 'POST'],
          url: '/:method',
          handler: (request, reply) => this.handleMethod(request, reply),
        });
      },
      { prefix },
    );
  }

  /** Runs the double on its own server on 127.0.0.1; `url` ends in `/api/`, ready for `SLACK_API_URL`. */
  async listen(): Promise<{ url: string; close(): Promise<void> }> {
    const app = Fastify();
    this.register(app, '/api');
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { url: this.apiUrl, close: () => app.close() };
  }

  /** The absolute base of the Web API, ending in `/`, once the server it is registered on listens. */
  get apiUrl(): string {
    return `${this.origin()}${this.prefix}/`;
  }

  // ── the workspace ────────────────────────────────────────────────────────────────────────────

  users(): WorkspaceUser[] {
    return [...this.state.users.values()];
  }
  user(id: string): WorkspaceUser | undefined {
    return this.state.users.get(id);
  }
  /** Channels and the bot's DMs. */
  conversations(): ChannelRecord[] {
    return [...this.state.channels.values()];
  }
  channel(id: string): ChannelRecord | undefined {
    return this.state.channels.get(id);
  }
  channelByName(name: string): ChannelRecord | undefined {
    const channel = this.state.findChannel(name.startsWith('#') ? name : `#${name}`);
    return channel && !channel.isIm ? channel : undefined;
  }
  /**
   * Shares a channel with another organisation (Slack Connect), invites one (`pending`: conversations.info
   * says `is_pending_ext_shared`), or ends its sharing. Slack's `channel_shared` / `channel_unshared`
   * event is the simulator's to send (`SlackClientSimulator.shareChannel` does both).
   */
  setChannelSharing(channelId: string, sharing: 'internal' | 'pending' | 'shared'): ChannelRecord {
    const channel = this.state.channels.get(channelId);
    if (!channel || channel.isIm) throw new Error(`no channel ${channelId} in the workspace`);
    this.state.setSharing(channel, sharing);
    return channel;
  }
  /** The bot's DM with a person (opened if needed, as Slack does on first message). */
  dmWith(userId: string): ChannelRecord {
    return this.state.imWith(userId);
  }

  // ── inspection ───────────────────────────────────────────────────────────────────────────────

  /** Every request to the Web API, response_urls and uploads included, oldest first (a live array). */
  get calls(): RecordedCall[] {
    return this.state.callLog;
  }
  callsTo(method: string): RecordedCall[] {
    return this.state.callLog.filter((c) => c.method === method);
  }
  /** Every request sent to the bot through the simulator. */
  get botRequests(): BotRequest[] {
    return this.state.botRequestLog;
  }
  /** A channel's messages (thread replies included), oldest first. */
  messages(channelId: string): SlackMessage[] {
    return [...(this.state.history.get(channelId) ?? [])];
  }
  message(channelId: string, ts: string): SlackMessage | undefined {
    return this.state.findMessage(channelId, ts);
  }
  ephemerals(userId?: string): SlackEphemeral[] {
    return this.state.ephemeralList.filter((e) => userId === undefined || e.user === userId);
  }
  /** Every modal ever opened, oldest first; `closed` tells which are still on screen. */
  get views(): SandboxView[] {
    return [...this.state.viewsById.values()].filter((v) => v.type === 'modal');
  }
  /** A person's open modals, the root first and the visible one last. */
  openViews(userId: string): SandboxView[] {
    return this.state.stackOf(userId).map((id) => this.state.viewsById.get(id)!);
  }
  view(id: string): SandboxView | undefined {
    return this.state.viewsById.get(id);
  }
  /** Every Home tab published for a person, oldest first; the last one is on screen. */
  homeViews(userId: string): SandboxView[] {
    return [...(this.state.homeHistory.get(userId) ?? [])];
  }
  get files(): SlackFile[] {
    return [...this.state.files.values()];
  }
  /** The bodies posted to a response_url, in order. */
  responses(responseUrl: string): unknown[] {
    return this.responseRecord(responseUrl)?.bodies ?? [];
  }

  on(event: 'change', listener: (change: SlackDoubleChange) => void): this {
    this.state.on(event, listener);
    return this;
  }
  off(event: 'change', listener: (change: SlackDoubleChange) => void): this {
    this.state.off(event, listener);
    return this;
  }

  /** Resolves with the predicate's first truthy value, checked now and after every change. */
  waitFor<T>(predicate: (double: this) => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
    const first = predicate(this);
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        try {
          const value = predicate(this);
          if (value) {
            cleanup();
            resolve(value);
          }
        } catch (error) {
          cleanup();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls
          .slice(-5)
          .map((c) => `${c.method} → ${JSON.stringify(c.response).slice(0, 120)}`);
        reject(
          new Error(
            `waitFor timed out after ${timeoutMs} ms; last calls:\n  ${recent.join('\n  ') || '(none)'}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('change', check);
      };
      this.on('change', check);
    });
  }

  // ── fault injection ──────────────────────────────────────────────────────────────────────────

  /** The next calls of `method` answer these, in order, before it works again. */
  failNext(method: string, ...responses: ScriptedResponse[]): void {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...responses]);
  }
  /** Enforces a rate limit on a method (429 with Retry-After beyond it); null lifts it. */
  rateLimit(method: string, limit: RateLimit | null): void {
    this.limits.set(method, limit);
  }

  /**
   * Answers `apps.connections.open` for this app-level token with the WebSocket URL a Socket Mode double
   * listens on (a new one each time: Slack hands out one URL per connection).
   */
  acceptSocketMode(appToken: string, url: () => string): void {
    this.socketMode = { appToken, url };
  }

  // ── what Slack's client does (the simulator and the sandbox page use these) ─────────────────

  /** A trigger_id for this person's interaction: valid 3 s, once. */
  triggerId(userId: string): string {
    const now = this.state.now();
    const id = `${Math.floor(now / 1000)}.${Math.floor(Math.random() * 1e9)}.${this.state.randomHex(32)}`;
    this.state.triggers.set(id, { user: userId, createdAt: now, used: false });
    return id;
  }

  /**
   * A response_url for an interaction of `userId` in `channelId`. `original` is the message the
   * interaction came from (what `replace_original` and `delete_original` act on); a command has none, so
   * its first response becomes the one later posts replace.
   */
  responseUrl(channelId: string, userId: string, original?: OriginalMessage): string {
    const id = `${this.state.team.id}/${this.state.randomHex(24)}`;
    this.state.responseUrls.set(id, {
      id,
      channel: channelId,
      user: userId,
      createdAt: this.state.now(),
      posts: 0,
      original,
      bodies: [],
    });
    return `${this.origin()}${this.prefix}/_response/${id}`;
  }

  /** A command's acknowledgement with a body is shown like a response_url post (and does not use one up). */
  deliverAck(responseUrl: string, body: unknown): void {
    const record = this.responseRecord(responseUrl);
    if (!record || !body) return;
    const payload = typeof body === 'string' ? { text: body } : (body as Params);
    if (payload.text === undefined && payload.blocks === undefined) return;
    deliverResponse(this.state, record, payload, 'ack');
  }

  /** A message a person types in a channel. */
  postAsPerson(channelId: string, userId: string, text: string, threadTs?: string): SlackMessage {
    return this.state.addMessage({
      channel: channelId,
      user: userId,
      text,
      thread_ts: threadTs,
      via: 'person',
    });
  }

  /** Remembers what a person entered in a modal, as Slack's client sends it in `view.state`. */
  setViewState(viewId: string, values: SandboxView['state']['values']): void {
    const view = this.state.viewsById.get(viewId);
    if (view) view.state = { values };
  }

  /** Applies the app's answer to a view_submission: errors, update, push, clear, or close this modal. */
  applyViewSubmission(viewId: string, ack: unknown): ViewSubmissionOutcome {
    const view = this.state.viewsById.get(viewId);
    if (!view) return {};
    const answer = (typeof ack === 'object' && ack !== null ? ack : {}) as Params;
    const top = () => this.openViews(view.user).at(-1);
    switch (answer.response_action) {
      case 'errors': {
        view.errors = (answer.errors ?? {}) as Record<string, string>;
        this.state.change({ kind: 'view', view });
        return { errors: view.errors, view };
      }
      case 'update': {
        const updated = this.state.makeView(answer.view as Params, view.user, view);
        this.state.saveView(updated);
        return { view: updated };
      }
      case 'push': {
        const pushed = this.state.makeView(answer.view as Params, view.user);
        pushed.root_view_id = view.root_view_id;
        pushed.previous_view_id = view.id;
        this.state.stackOf(view.user).push(pushed.id);
        this.state.saveView(pushed);
        return { view: pushed };
      }
      case 'clear':
        this.state.closeAllViews(view.user);
        return {};
      default:
        view.errors = undefined;
        this.state.closeView(view);
        return { view: top() };
    }
  }

  /** Closes a modal as the person's "Cancel" or × does (the whole stack when `clear_on_close`). */
  closeView(viewId: string): void {
    const view = this.state.viewsById.get(viewId);
    if (!view || view.closed) return;
    if (view.clear_on_close) this.state.closeAllViews(view.user);
    else this.state.closeView(view);
  }

  recordBotRequest(request: BotRequest): void {
    this.state.botRequestLog.push(request);
    this.state.change({ kind: 'bot_request', request });
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────────────

  private origin(): string {
    const address = this.app?.server.address();
    if (!address || typeof address === 'string') {
      throw new Error(
        'the Slack double is not listening: call listen(), or start the server it is registered on',
      );
    }
    const wildcard = address.address === '::' || address.address === '0.0.0.0';
    const host = wildcard
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
    return `http://${host}:${address.port}`;
  }

  private responseRecord(responseUrl: string): ResponseUrlRecord | undefined {
    const marker = '/_response/';
    const at = responseUrl.indexOf(marker);
    return at < 0 ? undefined : this.state.responseUrls.get(responseUrl.slice(at + marker.length));
  }

  private record(method: string, params: Params, status: number, response: unknown): void {
    const call: RecordedCall = { method, params, response, status, at: this.state.now() };
    this.state.callLog.push(call);
    this.state.change({ kind: 'call', call });
  }

  private async handleMethod(request: FastifyRequest<{ Params: { method: string } }>, reply: FastifyReply) {
    const method = request.params.method;
    const params = readParams(request);
    if (params === undefined)
      return this.answer(reply, method, {}, 200, { ok: false, error: 'invalid_json' });
    const token =
      bearer(request.headers.authorization) ?? (typeof params.token === 'string' ? params.token : undefined);
    delete params.token;

    const scripted = this.scripted.get(method)?.shift();
    if (scripted && 'delayMs' in scripted) await sleep(scripted.delayMs);
    else if (scripted && 'status' in scripted) {
      if (scripted.status === 429) reply.header('retry-after', String(scripted.retryAfter));
      const error = scripted.status === 429 ? 'ratelimited' : 'internal_error';
      return this.answer(reply, method, params, scripted.status, { ok: false, error });
    } else if (scripted) return this.answer(reply, method, params, 200, { ok: false, error: scripted.error });

    if (!token) return this.answer(reply, method, params, 200, { ok: false, error: 'not_authed' });
    if (method === 'apps.connections.open') return this.openConnection(reply, params, token);
    if (token !== this.botToken)
      return this.answer(reply, method, params, 200, { ok: false, error: 'invalid_auth' });
    const retryAfter = this.limits.take(method, channelOf(params), this.state.now());
    if (retryAfter !== undefined) {
      reply.header('retry-after', String(retryAfter));
      return this.answer(reply, method, params, 429, { ok: false, error: 'ratelimited' });
    }
    const implementation = WEB_API_METHODS[method];
    const base = `${request.protocol}://${request.headers.host}${this.prefix}`;
    const result = implementation
      ? implementation({ state: this.state, params, base })
      : { ok: false, error: 'unknown_method', req_method: method };
    return this.answer(reply, method, params, 200, result);
  }

  /** Only an app-level token opens a connection; a bot token is the wrong kind, as on Slack. */
  private openConnection(reply: FastifyReply, params: Params, token: string) {
    const answer = !this.socketMode
      ? { ok: false, error: 'not_allowed_token_type' }
      : token === this.socketMode.appToken
        ? { ok: true, url: this.socketMode.url() }
        : { ok: false, error: token.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type' };
    return this.answer(reply, 'apps.connections.open', params, 200, answer);
  }

  private answer(reply: FastifyReply, method: string, params: Params, status: number, body: unknown) {
    this.record(method, params, status, body);
    return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }

  private async handleResponseUrl(request: FastifyRequest, reply: FastifyReply) {
    const record = this.responseRecord(request.url);
    const body = readParams(request);
    const refuse = (status: number, error: string) => {
      this.record('response_url', body ?? {}, status, error);
      return reply.code(status).type('text/plain').send(error);
    };
    if (!record) return refuse(404, 'invalid_url');
    if (this.state.now() - record.createdAt > RESPONSE_URL_LIFETIME_MS) return refuse(404, 'expired_url');
    if (record.posts >= RESPONSE_URL_MAX_POSTS) return refuse(404, 'used_url');
    if (body === undefined) return refuse(400, 'invalid_payload');
    if (!body.delete_original) {
      const problem = messageContentProblem(body);
      if (problem) return refuse(400, String(problem.error));
    }
    record.posts += 1;
    record.bodies.push(body);
    deliverResponse(this.state, record, body, 'response_url');
    this.record('response_url', body, 200, 'ok');
    return reply.code(200).type('text/plain').send('ok');
  }

  private async handleUpload(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
    const file = this.state.files.get(request.params.id);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!file) {
      this.record('file_upload', { file_id: request.params.id }, 404, 'file_not_found');
      return reply.code(404).type('text/plain').send('file_not_found');
    }
    file.content = await uploadedBytes(raw, String(request.headers['content-type'] ?? ''));
    this.record(
      'file_upload',
      { file_id: file.id, bytes: file.content.length },
      200,
      `OK - ${file.content.length}`,
    );
    return reply.code(200).type('text/plain').send(`OK - ${file.content.length}`);
  }
}
