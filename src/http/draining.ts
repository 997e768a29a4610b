import { Server } from 'node:net';
import { setImmediate as afterPendingIo, setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';

/** The longest a stop waits for requests in progress (an event stream of the sandbox never ends). */
const SETTLE_MAX_MS = 5_000;
/** The longest a stop waits for the connections left to close after their last answer. */
const CONNECTIONS_MAX_MS = 1_000;

export interface Drainable {
  /** Clients are told to close their connections: each answer from now on says `Connection: close`. */
  drain(): void;
  /**
   * Every new request is answered 503 (at once, touching nothing); resolves once the requests in
   * progress are answered.
   */
  refuse(): Promise<void>;
  /** Stops listening, lets the connections already accepted get their answer, then closes the server. */
  close(): Promise<void>;
}

/**
 * A graceful stop for an HTTP server behind keep-alive clients (Slack, a load balancer), where every
 * request is answered, or refused in a way the client can tell nothing was done (a 503, or a refused
 * connection), never cut. Node's and fastify's `close()` cut two kinds of connections: those the kernel
 * accepted that the event loop has not taken yet (they pile up while it is busy, e.g. with a health
 * recomputation on the embedded database), reset with the listening socket; and those without a
 * request in progress, which includes a connection just taken whose request is not read yet and a
 * keep-alive one a client is sending on. So the listening socket closes last, when nothing else is left
 * to do, right after the event loop has taken the waiting connections, and the server closes once those
 * have had their answer. Until then new requests are answered, then refused with 503, and every answer
 * says `Connection: close`, so clients leave no idle keep-alive connection behind.
 */
export function drainable(server: FastifyInstance): Drainable {
  let phase: 'serving' | 'draining' | 'refusing' = 'serving';
  let inProgress = 0;
  let settled: (() => void) | undefined;
  server.addHook('onRequest', async (_request, reply) => {
    if (phase !== 'serving') reply.header('connection', 'close');
    if (phase === 'refusing') {
      return reply
        .code(503)
        .send({ errors: [{ path: '', message: 'Pulse is stopping; try again in a moment' }] });
    }
    inProgress += 1;
    reply.raw.once('close', () => {
      inProgress -= 1;
      if (inProgress === 0) settled?.();
    });
  });
  return {
    drain() {
      phase = 'draining';
    },
    async refuse() {
      phase = 'refusing';
      if (inProgress === 0) return;
      const idle = new Promise<void>((resolve) => {
        settled = resolve;
      });
      await Promise.race([idle, sleep(SETTLE_MAX_MS)]);
    },
    async close() {
      // Right after the event loop's I/O phase, which has just taken every connection waiting.
      await afterPendingIo();
      // Only the listening socket: http.Server#close would also cut the connections without a request yet.
      Server.prototype.close.call(server.server);
      const connections = promisify(server.server.getConnections.bind(server.server));
      const deadline = Date.now() + CONNECTIONS_MAX_MS;
      while ((await connections()) > 0 && Date.now() < deadline) await sleep(10);
      await server.close();
    },
  };
}
