import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/client.ts';
import type { Metrics } from '../metrics.ts';

const DATABASE_TIMEOUT_MS = 2_000;

/** GET /healthz answers 503 with the reason when the database does not answer; GET /metrics for Prometheus. */
export function registerOperationalRoutes(app: FastifyInstance, db: Database, metrics: Metrics): void {
  app.get('/healthz', async (_request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        db.orm.execute(sql`select 1`),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
            DATABASE_TIMEOUT_MS,
          );
        }),
      ]);
      return { status: 'ok', database: db.kind };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', reason: `database: ${(error as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
