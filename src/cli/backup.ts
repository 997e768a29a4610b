import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BackupError, backupDataDir } from '../db/pglite-backup.ts';
import { runCli } from './context.ts';

const USAGE = 'usage: npm run backup -- --out <file.tar.gz>';

/**
 * `npm run backup -- --out <file>`: the embedded database (PULSE_DATA_DIR) into one file, while Pulse is
 * stopped (it refuses, naming the process, while Pulse holds the folder). A PostgreSQL server is backed
 * up with pg_dump instead (docs/deploy.md#backups).
 */
async function main(args: string[]): Promise<number> {
  let out: string | undefined;
  try {
    ({ out } = parseArgs({ args, options: { out: { type: 'string' } } }).values);
  } catch {
    out = undefined;
  }
  if (!out) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new BackupError(
      'DATABASE_URL is set: back up the PostgreSQL server with pg_dump (docs/deploy.md#backups); ' +
        'npm run backup is for the embedded database',
    );
  }
  const bytes = await backupDataDir(config.dataDir, out, 'npm run backup');
  console.log(`backed up ${config.dataDir} to ${out} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
  return 0;
}

await runCli(() => main(process.argv.slice(2)));
