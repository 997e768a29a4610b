import { ConfigError } from './config.ts';
import { startPulse } from './pulse.ts';

try {
  const pulse = await startPulse();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    pulse.deps.logger.info({ signal }, 'shutting down');
    await pulse.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Pulse could not start: ${(error as Error).message}\n`);
  }
  process.exit(1);
}
