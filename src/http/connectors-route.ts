import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { connectorStatus } from '../services/connectors.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * GET /connectors: each connector, on or off, with its cursor, last run, records stored and skipped
 * (the latest skipped with their reasons), its last error and its next run.
 */
export function registerConnectorsRoute(app: FastifyInstance, deps: Deps): void {
  app.get('/connectors', async () => ({
    connectors: (await connectorStatus(deps)).map((c) => ({
      name: c.name,
      enabled: c.enabled,
      cursor: c.cursor,
      last_run_at: iso(c.lastRunAt),
      last_success_at: iso(c.lastSuccessAt),
      next_run_at: iso(c.nextRunAt),
      stored: c.stored,
      skipped: c.skipped,
      last_error: c.lastError,
      last_skipped: c.lastSkipped,
    })),
  }));
}
