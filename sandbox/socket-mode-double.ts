import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SlackDouble } from './slack-double.ts';
import type { SlackDelivery, SlackDeliveryAnswer, SlackTransport } from './slack-simulator.ts';

/** Slack waits this long for an envelope's acknowledgement. */
export const SOCKET_ACK_TIMEOUT_MS = 3_000;
/** How long a delivery waits for the app to be connected before it fails the test. */
const CONNECTION_WAIT_MS = 20_000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** One sending of an envelope on one connection, and what became of it. */
export interface EnvelopeSending {
  envelopeId: string;
  type: EnvelopeType;
  connection: number;
  sentAt: number;
  /** The acknowledgement's payload, when it arrived on this connection (and was not thrown away). */
  ack?: Record<string, unknown>;
  ackedAt?: number;
  /** The connection went away before an acknowledgement arrived (or the double threw it away). */
  lost?: boolean;
}

export interface DeliveryOptions {
  /**
   * The acknowledgement of the first sending never reaches Slack: the double drops the connection
   * the moment it arrives, as a network break would, and sends the envelope again on the next one.
   */
  loseFirstAck?: boolean;
}

export interface DeliveryResult {
  envelopeId: string;
  /** The acknowledgement's payload; undefined when it was empty or never came. */
  ack: Record<string, unknown> | undefined;
  acked: boolean;
  /** How many connections it was sent on. */
  sendings: number;
}

interface Connection {
  number: number;
  socket: WebSocket;
  ticket: string;
  openedAt: number;
  closedAt?: number;
}

type Waiter = (envelopeId: string, payload: Record<string, unknown>, connection: Connection) => void;

/**
 * Slack's side of Socket Mode: `apps.connections.open` on the Web API double hands out single-use
 * WebSocket URLs to this server, which greets each connection with `hello`, sends envelopes
 * (`slash_commands`, `interactive`, `events_api`), takes their acknowledgements (`{envelope_id, payload}`)
 * within 3 s, asks for reconnection with `disconnect` messages, and sends an envelope again on the next
 * connection when its connection went away unacknowledged. `transport` lets a `SlackClientSimulator`
 * reach the app this way instead of over HTTP.
 */
export class SocketModeDouble {
  private server?: WebSocketServer;
  private readonly tickets = new Set<string>();
  private readonly connectionList: Connection[] = [];
  private readonly ackWaiters = new Set<Waiter>();
  private readonly connectWaiters = new Set<() => void>();
  /** Every sending of every envelope, oldest first. */
  readonly sendings: EnvelopeSending[] = [];
  private ackToLose = false;

  constructor(
    private readonly double: SlackDouble,
    private readonly options: { appToken: string; ackTimeoutMs?: number },
  ) {}

  /** Listens on 127.0.0.1 and makes the Web API double answer `apps.connections.open` with its URLs. */
  async listen(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (socket, request) => this.accept(socket, request.url ?? ''));
    this.double.acceptSocketMode(this.options.appToken, () => this.issueUrl());
  }

  async close(): Promise<void> {
    for (const connection of this.connectionList) connection.socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every connection the app made, oldest first. */
  get connections(): ReadonlyArray<Readonly<Connection>> {
    return this.connectionList;
  }

  /** The connections open now (greeted with `hello` and not closed). */
  openConnections(): Connection[] {
    return this.connectionList.filter(
      (c) => c.closedAt === undefined && c.socket.readyState === c.socket.OPEN,
    );
  }

  /** Resolves once `count` connections were opened in all, the last of them still open. */
  async waitForConnection(count = 1, timeoutMs = CONNECTION_WAIT_MS): Promise<Connection> {
    const ready = () => {
      const latest = this.connectionList.at(-1);
      return this.connectionList.length >= count && latest && latest.closedAt === undefined
        ? latest
        : undefined;
    };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const connection = ready();
      if (connection) return connection;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no Socket Mode connection #${count} within ${timeoutMs} ms (${this.connectionList.length} so far)`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.connectWaiters.add(done);
      });
    }
  }

  /** Asks every open connection to reconnect, as Slack does before it recycles the server behind it. */
  disconnect(reason: DisconnectReason): void {
    for (const connection of this.openConnections()) {
      connection.socket.send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-double' } }),
      );
    }
  }

  /** The next envelope delivered loses its first acknowledgement (see `DeliveryOptions.loseFirstAck`). */
  loseNextAck(): void {
    this.ackToLose = true;
  }

  /** Breaks every open connection without a word, as a network failure does. */
  dropConnections(): void {
    for (const connection of this.openConnections()) this.close1006(connection);
  }

  /**
   * Sends an envelope and waits for its acknowledgement: on the connection open now (or the next one,
   * while the app reconnects), and again on the next connection whenever its connection goes away
   * unacknowledged. Resolves unacknowledged when the app keeps it past the 3 s deadline.
   */
  async deliver(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: DeliveryOptions & { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<DeliveryResult> {
    const envelopeId = randomUUID();
    const loseFirstAck = options.loseFirstAck ?? this.ackToLose;
    this.ackToLose = false;
    const acceptsResponse =
      type === 'slash_commands' || (type === 'interactive' && payload.type === 'view_submission');
    let sendings = 0;
    let retryAttempt = options.retryAttempt ?? 0;
    for (;;) {
      const connection = await this.waitForConnection(
        this.openConnections().length ? this.connectionList.length : this.connectionList.length + 1,
      );
      const envelope: SocketEnvelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: acceptsResponse,
        ...(type === 'events_api' && {
          retry_attempt: retryAttempt,
          retry_reason: options.retryReason ?? '',
        }),
      };
      const sending: EnvelopeSending = {
        envelopeId,
        type,
        connection: connection.number,
        sentAt: Date.now(),
      };
      this.sendings.push(sending);
      sendings += 1;
      const loseThisAck = loseFirstAck && sendings === 1;
      const outcome = await this.awaitAck(connection, envelopeId, () =>
        connection.socket.send(JSON.stringify(envelope)),
      );
      if (outcome.kind === 'acked' && !loseThisAck) {
        sending.ack = outcome.payload;
        sending.ackedAt = Date.now();
        const empty = Object.keys(outcome.payload).length === 0;
        return { envelopeId, ack: empty ? undefined : outcome.payload, acked: true, sendings };
      }
      if (outcome.kind === 'timeout') return { envelopeId, ack: undefined, acked: false, sendings };
      sending.lost = true;
      if (loseThisAck) this.close1006(connection);
      retryAttempt += 1;
    }
  }

  /** A `SlackTransport` for `SlackClientSimulator`: each request goes as the envelope Slack would send. */
  get transport(): SlackTransport {
    return async (delivery: SlackDelivery): Promise<SlackDeliveryAnswer> => {
      const { type, payload } = envelopeOf(delivery);
      const retry = Number(delivery.headers['x-slack-retry-num']);
      const result = await this.deliver(type, payload, {
        ...(Number.isFinite(retry) && { retryAttempt: retry }),
        retryReason: delivery.headers['x-slack-retry-reason'],
      });
      return { status: 200, ack: result.ack, url: this.urlBase() };
    };
  }

  private issueUrl(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${this.urlBase()}link/?ticket=${ticket}&app_id=${this.double.bot.appId}`;
  }

  private urlBase(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/`;
  }

  /** A ticket opens one connection; anything else is refused, as Slack refuses a stale URL. */
  private accept(socket: WebSocket, url: string): void {
    const ticket = new URL(url, 'ws://localhost').searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.close(4001, 'invalid ticket');
      return;
    }
    const connection: Connection = {
      number: this.connectionList.length + 1,
      socket,
      ticket,
      openedAt: Date.now(),
    };
    this.connectionList.push(connection);
    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
      if (typeof envelopeId !== 'string') return;
      const body =
        typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
      for (const waiter of [...this.ackWaiters]) waiter(envelopeId, body, connection);
    });
    socket.on('close', () => {
      connection.closedAt = Date.now();
      this.notifyConnectWaiters();
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections().length,
        debug_info: { host: 'applink-double', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.double.bot.appId },
      }),
    );
    this.notifyConnectWaiters();
  }

  private notifyConnectWaiters(): void {
    for (const waiter of [...this.connectWaiters]) {
      this.connectWaiters.delete(waiter);
      waiter();
    }
  }

  private close1006(connection: Connection): void {
    connection.closedAt ??= Date.now();
    connection.socket.terminate();
  }

  private awaitAck(
    connection: Connection,
    envelopeId: string,
    send: () => void,
  ): Promise<{ kind: 'acked'; payload: Record<string, unknown> } | { kind: 'lost' } | { kind: 'timeout' }> {
    return new Promise((resolve) => {
      const finish = (outcome: Parameters<typeof resolve>[0]) => {
        clearTimeout(timer);
        this.ackWaiters.delete(waiter);
        connection.socket.off('close', onClose);
        resolve(outcome);
      };
      const waiter: Waiter = (id, payload, on) => {
        if (id === envelopeId && on === connection) finish({ kind: 'acked', payload });
      };
      const onClose = () => finish({ kind: 'lost' });
      const timer = setTimeout(
        () => finish({ kind: 'timeout' }),
        this.options.ackTimeoutMs ?? SOCKET_ACK_TIMEOUT_MS,
      );
      this.ackWaiters.add(waiter);
      connection.socket.on('close', onClose);
      send();
    });
  }
}

/** A request as Slack sends it over HTTP, as the envelope it sends in Socket Mode instead. */
function envelopeOf(delivery: SlackDelivery): { type: EnvelopeType; payload: Record<string, unknown> } {
  switch (delivery.kind) {
    case 'slash_command':
      return { type: 'slash_commands', payload: Object.fromEntries(new URLSearchParams(delivery.rawBody)) };
    case 'block_actions':
    case 'view_submission':
    case 'view_closed': {
      const form = new URLSearchParams(delivery.rawBody);
      return { type: 'interactive', payload: JSON.parse(form.get('payload') ?? '{}') };
    }
    case 'event_callback':
      return { type: 'events_api', payload: JSON.parse(delivery.rawBody) };
    default:
      throw new Error(`Socket Mode has no envelope for a ${delivery.kind} request`);
  }
}
