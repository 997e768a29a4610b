import { randomBytes } from 'node:crypto';
import type { BotRequest } from './double-state.ts';
import type {
  SandboxView,
  SlackDouble,
  SlackEphemeral,
  SlackMessage,
  ViewSubmissionOutcome,
} from './slack-double.ts';
import {
  appHomeOpenedEvent,
  type BlockAction,
  type BlockActionsSource,
  blockActionsPayload,
  elementValue,
  eventCallbackBody,
  interactivityBody,
  messageShortcutPayload,
  type SlackUserRef,
  signSlackRequest,
  slashCommandBody,
  viewClosedPayload,
  viewSubmissionPayload,
} from './slack-requests.ts';
import { publicMessage, publicView } from './web-api-methods.ts';

/** Slack gives up on an acknowledgement after 3 seconds and shows the person an error instead. */
export const ACK_TIMEOUT_MS = 3_000;

/** What the simulator hands a transport: one request, as Slack would POST it to the Request URL. */
export interface SlackDelivery {
  kind: RequestKind;
  rawBody: string;
  contentType: string;
  headers: Record<string, string>;
}

/** The app's answer, however it travelled: an HTTP status and the acknowledgement's body. */
export interface SlackDeliveryAnswer {
  status: number;
  ack: unknown;
  /** Where the request went, for the inspector. */
  url: string;
}

/**
 * Carries requests to the app another way than signed HTTP POSTs: a Socket Mode double sends each one as
 * an envelope over the app's WebSocket and answers with its acknowledgement.
 */
export type SlackTransport = (delivery: SlackDelivery) => Promise<SlackDeliveryAnswer>;

/** The kinds of request the double records the app receiving: one list, kept there. */
type RequestKind = BotRequest['kind'];

export interface SimulatorOptions {
  double: SlackDouble;
  signingSecret: string;
  /** The app's Request URL, e.g. `http://127.0.0.1:3000/slack/events`; unused with a `transport`. */
  eventsUrl: string | (() => string);
  /** Another way to the app than `eventsUrl` (Socket Mode). */
  transport?: SlackTransport;
  /** Epoch milliseconds for the signature timestamp; the double's clock by default. */
  now?: () => number;
}

export interface BotAnswer {
  status: number;
  /** The acknowledgement's body: parsed JSON, text, or undefined when empty. */
  ack: unknown;
  durationMs: number;
  /** Slack would have shown "operation_timeout" (over 3 s) and ignored the body. */
  timedOut: boolean;
}

export interface InteractionResult extends BotAnswer {
  responseUrl?: string;
  triggerId: string;
  /** The bodies posted to the response_url so far. */
  responses(): unknown[];
  /** Resolves once at least `count` bodies reached the response_url. */
  waitForResponses(count?: number, timeoutMs?: number): Promise<unknown[]>;
}

export interface SubmitResult extends BotAnswer, ViewSubmissionOutcome {}

export interface ClickOptions {
  user: string;
  /** A button's value (its own by default), or the chosen option's value, date, time or user ID. */
  value?: string | string[];
  /** When the same action_id appears in several blocks. */
  blockId?: string;
}

/** What the person entered in a modal, by block_id (or action_id): text, option value(s), date, time, user ID. */
export type SubmissionValues = Record<string, string | string[] | null | undefined>;

type Clickable = SlackMessage | SlackEphemeral | SandboxView;
type Block = Record<string, unknown>;

/**
 * Plays Slack's client: turns a person's actions (a command typed, a button clicked, a modal submitted,
 * the Home tab opened) into the signed requests Slack sends the app, and applies the answers to the
 * double the way Slack's client shows them.
 */
export class SlackClientSimulator {
  private readonly double: SlackDouble;
  private readonly now: () => number;
  private eventSequence = 0;
  /** Apps remember event ids (Pulse for an hour): each simulator's are its own, across restarts too. */
  private readonly eventPrefix = randomBytes(4).toString('hex').toUpperCase();

  constructor(private readonly options: SimulatorOptions) {
    this.double = options.double;
    this.now = options.now ?? options.double.now;
  }

  /** `sim.command({ user, channel }, '/cs', 'health acme')`; the ack body is shown as Slack shows it. */
  async command(
    where: { user: string; channel: string },
    command: string,
    text: string,
  ): Promise<InteractionResult> {
    const user = this.userRef(where.user);
    const channel =
      this.double.channel(where.channel) ??
      (this.double.user(where.channel) ? this.double.dmWith(where.channel) : undefined);
    if (!channel) throw new Error(`no channel ${where.channel} in the workspace`);
    const responseUrl = this.double.responseUrl(channel.id, user.id);
    const triggerId = this.double.triggerId(user.id);
    const body = slashCommandBody({
      team: this.double.team,
      apiAppId: this.double.bot.appId,
      channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
      user,
      command,
      text,
      responseUrl,
      triggerId,
    });
    const answer = await this.send('slash_command', body, 'application/x-www-form-urlencoded');
    if (answer.status === 200 && !answer.timedOut) this.double.deliverAck(responseUrl, answer.ack);
    return this.interaction(answer, triggerId, responseUrl);
  }

  /** A click on (or a choice in) the element with `actionId` in a message, an ephemeral message, or a view. */
  async click(target: Clickable, actionId: string, options: ClickOptions): Promise<InteractionResult> {
    const user = this.userRef(options.user);
    const blocks = (target.blocks ?? []) as Block[];
    const found = findElement(blocks, actionId, options.blockId);
    if (!found) {
      const available = allElements(blocks).map((e) => e.element.action_id);
      throw new Error(
        `no element with action_id "${actionId}" (there are: ${available.join(', ') || 'none'})`,
      );
    }
    const action: BlockAction = {
      action_id: actionId,
      block_id: found.blockId,
      ...elementValue(found.element, options.value),
      ...(found.element.text !== undefined && { text: found.element.text }),
      ...(found.element.style !== undefined && { style: found.element.style }),
      action_ts: (this.now() / 1000).toFixed(6),
    };
    const triggerId = this.double.triggerId(user.id);
    const { source, responseUrl } = this.actionSource(target, user.id);
    const payload = blockActionsPayload({
      team: this.double.team,
      apiAppId: this.double.bot.appId,
      user,
      triggerId,
      source,
      actions: [action],
    });
    const answer = await this.send(
      'block_actions',
      interactivityBody(payload),
      'application/x-www-form-urlencoded',
    );
    return this.interaction(answer, triggerId, responseUrl);
  }

  /** The person runs the app's message shortcut `callbackId` on a message ("More actions" → the shortcut). */
  async shortcut(
    message: SlackMessage,
    callbackId: string,
    options: { user: string },
  ): Promise<InteractionResult> {
    const user = this.userRef(options.user);
    const channel = this.double.channel(message.channel);
    if (!channel) throw new Error(`no channel ${message.channel} in the workspace`);
    const responseUrl = this.double.responseUrl(channel.id, user.id);
    const triggerId = this.double.triggerId(user.id);
    const payload = messageShortcutPayload({
      team: this.double.team,
      user,
      channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
      callbackId,
      message: publicMessage(message) as Record<string, unknown> & { ts: string },
      triggerId,
      responseUrl,
      actionTs: (this.now() / 1000).toFixed(6),
    });
    const answer = await this.send(
      'message_action',
      interactivityBody(payload),
      'application/x-www-form-urlencoded',
    );
    return this.interaction(answer, triggerId, responseUrl);
  }

  /** Submits a modal with these values; the app's answer (errors, update, push, clear) is applied. */
  async submit(view: SandboxView | string, values: SubmissionValues, user?: string): Promise<SubmitResult> {
    const current = typeof view === 'string' ? this.double.view(view) : this.double.view(view.id);
    if (!current || current.closed)
      throw new Error(`view ${typeof view === 'string' ? view : view.id} is not open`);
    this.double.setViewState(current.id, stateValues(current.blocks as Block[], values));
    const payload = viewSubmissionPayload({
      team: this.double.team,
      apiAppId: this.double.bot.appId,
      user: this.userRef(user ?? current.user),
      view: publicView(current),
      triggerId: this.double.triggerId(user ?? current.user),
    });
    const answer = await this.send(
      'view_submission',
      interactivityBody(payload),
      'application/x-www-form-urlencoded',
    );
    if (answer.status !== 200 || answer.timedOut) return answer;
    return { ...answer, ...this.double.applyViewSubmission(current.id, answer.ack) };
  }

  /** Cancels a modal; the app hears of it only when the view asked for `notify_on_close`. */
  async close(view: SandboxView | string, user?: string): Promise<BotAnswer | undefined> {
    const current = this.double.view(typeof view === 'string' ? view : view.id);
    if (!current || current.closed) return undefined;
    this.double.closeView(current.id);
    if (!current.notify_on_close) return undefined;
    const payload = viewClosedPayload({
      team: this.double.team,
      apiAppId: this.double.bot.appId,
      user: this.userRef(user ?? current.user),
      view: publicView(current),
      isCleared: current.clear_on_close,
    });
    return this.send('view_closed', interactivityBody(payload), 'application/x-www-form-urlencoded');
  }

  /** Delivers an Events API event in its `event_callback` envelope. */
  async event(
    event: Record<string, unknown> & { type: string },
    options: { retryNum?: number; retryReason?: string; eventId?: string } = {},
  ): Promise<BotAnswer> {
    this.eventSequence += 1;
    const body = eventCallbackBody({
      teamId: this.double.team.id,
      apiAppId: this.double.bot.appId,
      botUserId: this.double.bot.userId,
      event,
      eventId: options.eventId ?? `Ev${this.eventPrefix}${String(this.eventSequence).padStart(6, '0')}`,
      eventTimeSeconds: Math.floor(this.now() / 1000),
    });
    const headers: Record<string, string> = {};
    if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum);
    if (options.retryReason) headers['x-slack-retry-reason'] = options.retryReason;
    return this.send('event_callback', JSON.stringify(body), 'application/json', { headers });
  }

  /**
   * A channel is shared with another organisation through Slack Connect (their invitation accepted), or
   * stops being shared: the double's channel changes, then Slack tells the app with `channel_shared` or
   * `channel_unshared`.
   */
  shareChannel(channelId: string, shared: boolean): Promise<BotAnswer> {
    this.double.setChannelSharing(channelId, shared ? 'shared' : 'internal');
    const eventTs = (this.now() / 1000).toFixed(6);
    const otherTeam = 'T0CUSTOMER';
    return this.event(
      shared
        ? { type: 'channel_shared', connected_team_id: otherTeam, channel: channelId, event_ts: eventTs }
        : {
            type: 'channel_unshared',
            previously_connected_team_id: otherTeam,
            channel: channelId,
            is_ext_shared: false,
            event_ts: eventTs,
          },
    );
  }

  /** The person opens the app's Home (or Messages) tab: `app_home_opened`, with the Home view on screen if any. */
  openHome(userId: string, tab: 'home' | 'messages' = 'home'): Promise<BotAnswer> {
    const home = this.double.homeViews(userId).at(-1);
    return this.event(
      appHomeOpenedEvent({
        user: userId,
        channel: this.double.dmWith(userId).id,
        tab,
        eventTs: (this.now() / 1000).toFixed(6),
        view: home && publicView(home),
      }),
    );
  }

  /** Any body, signed (or signed wrongly, or with an old timestamp) and posted to the app. */
  async send(
    kind: RequestKind,
    rawBody: string,
    contentType: string,
    options: { headers?: Record<string, string>; timestampSeconds?: number; signingSecret?: string } = {},
  ): Promise<BotAnswer> {
    const started = performance.now();
    const { status, ack, url } = this.options.transport
      ? await this.options.transport({ kind, rawBody, contentType, headers: options.headers ?? {} })
      : await this.post(rawBody, contentType, options);
    const durationMs = Math.round(performance.now() - started);
    this.double.recordBotRequest({
      kind,
      url,
      body: readableBody(rawBody, contentType),
      status,
      ack,
      at: this.now(),
      durationMs,
    });
    return { status, ack, durationMs, timedOut: durationMs > ACK_TIMEOUT_MS };
  }

  private async post(
    rawBody: string,
    contentType: string,
    options: { headers?: Record<string, string>; timestampSeconds?: number; signingSecret?: string },
  ): Promise<SlackDeliveryAnswer> {
    const url =
      typeof this.options.eventsUrl === 'string' ? this.options.eventsUrl : this.options.eventsUrl();
    const timestamp = options.timestampSeconds ?? Math.floor(this.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...signSlackRequest(options.signingSecret ?? this.options.signingSecret, rawBody, timestamp),
        ...options.headers,
      },
      body: rawBody,
    });
    const ack = parseAck(await response.text(), response.headers.get('content-type') ?? '');
    return { status: response.status, ack, url };
  }

  private userRef(id: string): SlackUserRef {
    const user = this.double.user(id);
    if (!user) throw new Error(`no user ${id} in the workspace`);
    return { id, name: user.name, ...(user.external && { teamId: `T0EXT${id.slice(-4)}` }) };
  }

  private actionSource(
    target: Clickable,
    userId: string,
  ): { source: BlockActionsSource; responseUrl?: string } {
    if ('callback_id' in target)
      return { source: { kind: 'view', view: publicView(target) as SandboxViewJson } };
    const channel = this.double.channel(target.channel)!;
    const channelRef = { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name };
    if ('via' in target && 'id' in target) {
      const responseUrl = this.double.responseUrl(channel.id, userId, { kind: 'ephemeral', id: target.id });
      return {
        source: {
          kind: 'message',
          channel: channelRef,
          messageTs: target.ts,
          isEphemeral: true,
          responseUrl,
        },
        responseUrl,
      };
    }
    const message = target as SlackMessage;
    const responseUrl = this.double.responseUrl(channel.id, userId, {
      kind: 'message',
      channel: channel.id,
      ts: message.ts,
    });
    return {
      source: {
        kind: 'message',
        channel: channelRef,
        message: publicMessage(message),
        messageTs: message.ts,
        isEphemeral: false,
        responseUrl,
      },
      responseUrl,
    };
  }

  private interaction(answer: BotAnswer, triggerId: string, responseUrl?: string): InteractionResult {
    const double = this.double;
    return {
      ...answer,
      triggerId,
      responseUrl,
      responses: () => (responseUrl ? double.responses(responseUrl) : []),
      waitForResponses: (count = 1, timeoutMs = 5_000) =>
        double.waitFor(() => {
          const bodies = responseUrl ? double.responses(responseUrl) : [];
          return bodies.length >= count ? bodies : undefined;
        }, timeoutMs),
    };
  }
}

type SandboxViewJson = Record<string, unknown> & { id: string };

function allElements(blocks: Block[]): Array<{ element: Block; blockId: string }> {
  const out: Array<{ element: Block; blockId: string }> = [];
  for (const block of blocks) {
    const blockId = String(block.block_id ?? '');
    const candidates = [
      block.accessory,
      block.element,
      ...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []),
    ];
    for (const element of candidates) {
      if (element && typeof element === 'object' && (element as Block).action_id !== undefined) {
        out.push({ element: element as Block, blockId });
      }
    }
  }
  return out;
}

function findElement(blocks: Block[], actionId: string, blockId?: string) {
  return allElements(blocks).find(
    (e) => e.element.action_id === actionId && (blockId === undefined || e.blockId === blockId),
  );
}

/** `view.state.values` as Slack builds it: every input block, with null for what was left empty. */
function stateValues(blocks: Block[], values: SubmissionValues): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== 'input' || typeof block.element !== 'object' || block.element === null) continue;
    const element = block.element as Block;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id);
    const choice = values[blockId] !== undefined ? values[blockId] : values[actionId];
    state[blockId] = { [actionId]: elementValue(element, choice) };
  }
  return state;
}

function parseAck(text: string, contentType: string): unknown {
  if (text === '') return undefined;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** For the inspector: a form body as an object, a `payload` as its JSON, JSON as itself. */
export function readableBody(raw: string, contentType: string): unknown {
  try {
    if (contentType.includes('json')) return JSON.parse(raw);
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  } catch {
    return raw;
  }
}
