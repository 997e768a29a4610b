import { pino } from 'pino';
import { systemClock } from '../clock.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { DataDirError } from '../db/data-dir-lock.ts';
import { migrate, NewerDatabaseError } from '../db/migrate.ts';
import { MoveError } from '../db/move-to-server.ts';
import { BackupError } from '../db/pglite-backup.ts';
import type { Deps } from '../deps.ts';
import { createMetrics } from '../metrics.ts';
import { createHealthRecomputer } from '../services/health.ts';

export type CliDeps = Omit<Deps, 'config'> & { config: Config };

/**
 * What a command-line tool needs to write like the server does: the configured database (migrated),
 * logs on stderr so stdout stays the tool's answer, and health recomputation, awaited before closing.
 * `tool` is how the tool is run ("npm run import"), named to a process refused the embedded database.
 */
export async function withCliDeps<T>(tool: string, work: (deps: CliDeps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const metrics = createMetrics();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, holder: tool, logger });
  try {
    await migrate(db);
    const health = createHealthRecomputer({ db, clock: systemClock, logger, metrics, config });
    const result = await work({ config, db, clock: systemClock, logger, metrics, health });
    await health.idle();
    return result;
  } finally {
    await db.close();
  }
}

/**
 * Runs a tool's main: its number is the exit code; a bad configuration, an unusable data folder, a
 * database migrated by a newer Pulse, a refused backup or move prints its problem and exits 1. Ctrl-C and SIGTERM exit through process.exit, so the data folder's lock is
 * removed on the way out instead of being left for the next process to take over.
 */
export async function runCli(main: () => Promise<number | undefined>): Promise<void> {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    const told = [ConfigError, DataDirError, NewerDatabaseError, BackupError, MoveError].some(
      (kind) => error instanceof kind,
    );
    if (!told) throw error;
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
