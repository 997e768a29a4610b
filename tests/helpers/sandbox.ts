import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { type Pulse, startPulse } from '../../src/pulse.ts';
import { freshDatabase } from './database.ts';

/**
 * The sandbox (no Slack settings) started in this process on a copy of the migrated template: on the
 * server a database of its own, which Pulse connects to itself; else an in-memory PGlite handed in,
 * instead of one created and migrated from nothing at start (seconds of CPU; the npm-start test checks
 * that path). It listens where the sandbox does (HOST, else 127.0.0.1); `close()` stops Pulse and drops
 * its database.
 */
export async function startSandbox(env: Record<string, string | undefined> = {}): Promise<Pulse> {
  const fresh = await freshDatabase();
  if (fresh.url) await fresh.db.close();
  const pulse = await startPulse({
    env: {
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...(fresh.url ? { DATABASE_URL: fresh.url } : { PULSE_DATA_DIR: 'memory://' }),
      ...env,
    },
    database: fresh.url ? undefined : fresh.db,
  }).catch(async (error) => {
    await fresh.drop();
    throw error;
  });
  return { ...pulse, close: () => pulse.close().finally(() => fresh.drop()) };
}

/** The sandbox has settled: the demo's recomputations done and every post it started delivered. */
export async function sandboxSettled(pulse: Pulse): Promise<void> {
  await expect
    .poll(
      async () => {
        await pulse.deps.health.idle();
        const [outbox] = await rows<{ pending: number }>(
          pulse.deps.db.orm,
          sql`select count(*)::int as pending from slack_outbox where status in ('pending', 'sending')`,
        );
        return outbox!.pending;
      },
      { timeout: 30_000 },
    )
    .toBe(0);
}
