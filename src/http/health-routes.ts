import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { latestMigration } from '../db/migrate.ts';
import { PULSE_VERSION } from '../version.ts';

const DATABASE_TIMEOUT_MS = 2_000;

/**
 * GET /healthz: `{"status":"ok"}` while the database answers, with this build's version and the latest
 * migration the database holds (which tells, during a rolling update, whether the new release's
 * migrations have run); else 503 with a reason that names what is down, not how: the database's own
 * error goes to the log, since it can name hosts, users and queries.
 */
export function registerHealthRoute(app: FastifyInstance, db: Database, logger: Logger): void {
  app.get('/healthz', async (_request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const migration = await Promise.race([
        latestMigration(db.orm),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
            DATABASE_TIMEOUT_MS,
          );
        }),
      ]);
      return { status: 'ok', version: PULSE_VERSION, migration: migration ?? null };
    } catch (error) {
      logger.error({ err: error, database: db.kind }, 'health check: the database did not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'the database does not answer' });
    } finally {
      clearTimeout(timer);
    }
  });
}
