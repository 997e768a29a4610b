import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';

const DATABASE_TIMEOUT_MS = 2_000;

/**
 * GET /healthz: `{"status":"ok"}` while the database answers, else 503 with a reason that names what is
 * down, not how: the database's own error goes to the log, since it can name hosts, users and queries.
 */
export function registerHealthRoute(app: FastifyInstance, db: Database, logger: Logger): void {
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
      return { status: 'ok' };
    } catch (error) {
      logger.error({ err: error, database: db.kind }, 'health check: the database did not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'the database does not answer' });
    } finally {
      clearTimeout(timer);
    }
  });
}
