import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import type { Problem } from '../../src/domain/problems.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';

/**
 * Pulse's HTTP server with only the routes a test registers, real parts behind them (configuration
 * from `env`, the database, health recomputation), listening on a free port, logging to `logger`
 * (nowhere by default). Close it with `close()`.
 */
export async function serveRoutes(
  db: Database,
  env: Record<string, string>,
  clock: Clock,
  register: (app: FastifyInstance, deps: Deps) => void,
  logger: Logger = pino({ level: 'silent' }),
): Promise<{ url: string; deps: Deps; close(): Promise<void> }> {
  const config = loadConfig(env);
  const metrics = createMetrics();
  const health = createHealthRecomputer({ db, clock, logger, metrics, config });
  const deps: Deps = { config, db, clock, logger, metrics, health };
  const app = createHttpServer(logger, metrics);
  register(app, deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    deps,
    close: () => app.close(),
  };
}

/** A JSON body posted with the ingestion API's bearer token: its status and parsed answer. */
export async function postJson(
  url: string,
  token: string,
  body: unknown,
): Promise<{ status: number; body: { stored?: number; errors?: Problem[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
