import { ConfigError } from './config.ts';
import { type Pulse, startPulse } from './pulse.ts';

let pulse: Pulse | undefined;
let closing = false;
// Listening for signals before start-up: one that arrives while Pulse starts (or just after its
// "listening" line) still exits through process.exit, which releases the data folder's lock.
const shutdown = async (signal: string) => {
  if (closing) return;
  closing = true;
  if (!pulse) process.exit(0);
  pulse.deps.logger.info({ signal }, 'shutting down');
  const started = performance.now();
  try {
    await pulse.close();
    pulse.deps.logger.info({ signal, ms: Math.round(performance.now() - started) }, 'stopped');
    process.exit(0);
  } catch (error) {
    // Still exit, and say why: a close that failed must not leave the process running half-stopped.
    pulse.deps.logger.error({ err: error }, 'shutting down failed');
    process.exit(1);
  }
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  pulse = await startPulse();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Pulse could not start: ${(error as Error).message}\n`);
  }
  process.exit(1);
}
