import { type Clock, systemClock } from '../../src/clock.ts';
import { type Pulse, startPulse } from '../../src/pulse.ts';
import { freshDatabase } from './database.ts';
import { type PulseUnderTest, startSurroundings } from './pulse-with-slack.ts';

export interface PulseInProcess extends PulseUnderTest {
  pulse: Pulse;
}

/**
 * Pulse started in this process, for tests that move its clock or call its jobs and stores through
 * `pulse.deps`; `startPulseWithSlack` is the one that starts it as `npm start` does. The Web API double
 * (and so the simulator) reads the same clock, so timestamps, signatures and trigger_ids agree with
 * Pulse's however far the test moves it. Without TEST_DATABASE_URL Pulse gets an in-memory PGlite, a
 * copy of the migrated template. `env` adds to or overrides the Slack and ingestion settings.
 */
export async function startPulseInProcess(options: {
  env: Record<string, string | undefined>;
  clock?: Clock;
}): Promise<PulseInProcess> {
  const clock = options.clock ?? systemClock;
  const surroundings = await startSurroundings({ now: () => +clock() });
  const env = {
    ...surroundings.env,
    PULSE_DATA_DIR: 'memory://',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const embedded =
    !env.DATABASE_URL && env.PULSE_DATA_DIR === 'memory://' ? await freshDatabase() : undefined;
  const pulse = await startPulse({
    env,
    clock,
    host: '127.0.0.1',
    database: embedded?.db,
  }).catch(async (error) => {
    await embedded?.drop();
    return surroundings.abandon(error);
  });
  const surrounded = surroundings.connect(pulse.url, async () => {
    await pulse.close();
    await embedded?.drop();
  });
  return { ...surrounded, pulse };
}
