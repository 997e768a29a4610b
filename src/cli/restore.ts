import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BackupError, restoreDataDir } from '../db/pglite-backup.ts';
import { runCli } from './context.ts';

const USAGE = 'usage: npm run restore -- <file.tar.gz> [--force]';

/**
 * `npm run restore -- <file>`: a backup made by `npm run backup` into PULSE_DATA_DIR, which must be
 * empty unless `--force` replaces its database; refused while Pulse holds the folder. Pulse applies the
 * migrations a newer version brings when it next starts.
 */
async function main(args: string[]): Promise<number> {
  let parsed: { file?: string; force: boolean };
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { force: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    parsed = { file: positionals.length === 1 ? positionals[0] : undefined, force: values.force };
  } catch {
    parsed = { force: false };
  }
  if (!parsed.file) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    throw new BackupError(
      'DATABASE_URL is set: restore the PostgreSQL server with pg_restore (docs/deploy.md#backups); ' +
        'npm run restore is for the embedded database',
    );
  }
  await restoreDataDir(parsed.file, config.dataDir, { force: parsed.force, what: 'npm run restore' });
  console.log(`restored ${parsed.file} into ${config.dataDir}`);
  return 0;
}

await runCli(() => main(process.argv.slice(2)));
