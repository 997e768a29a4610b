import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { MoveError, moveToServer } from '../db/move-to-server.ts';
import { runCli } from './context.ts';

const USAGE = 'usage: npm run move-to-server -- <postgres://user:password@host:5432/database>';

/**
 * `npm run move-to-server -- <url>`: the embedded database (PULSE_DATA_DIR, which it holds meanwhile, so
 * Pulse must be stopped) copied into an empty PostgreSQL database; then set DATABASE_URL to that URL.
 * The embedded database is left as it was, to go back to.
 */
async function main(args: string[]): Promise<number> {
  const [url, ...extra] = args;
  if (!url || extra.length || !/^postgres(ql)?:\/\/\S+$/.test(url)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  // The URL carries a password: only its host and database are ever printed.
  const where = (() => {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  })();
  const from = await openDatabase({ dataDir: config.dataDir, holder: 'npm run move-to-server' });
  try {
    const to = await openDatabase({ url, poolSize: 1 });
    try {
      const copied = await moveToServer(from, to).catch((error: Error) => {
        if (error instanceof MoveError) throw error;
        throw new MoveError(`could not move into ${where}: ${error.message}`);
      });
      for (const { table, rows } of copied) console.log(`${table}: ${rows} rows`);
      console.log(`moved ${config.dataDir} into ${where}; now start Pulse with DATABASE_URL set to that URL`);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
  return 0;
}

await runCli(() => main(process.argv.slice(2)));
