import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { importCsv } from '../api/csv.ts';
import { INGEST_KINDS, type IngestKind } from '../api/schemas.ts';
import { systemClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { createHealthRecomputer } from '../jobs/health-recompute.ts';
import { createMetrics } from '../metrics.ts';

const USAGE = `usage: npm run import -- <${INGEST_KINDS.join('|')}> <file.csv>`;

/**
 * `npm run import -- <kind> <file.csv>`: the CSV goes through the API's validation as one batch, all or
 * nothing; problems are printed with their line numbers and the exit code is 1.
 */
async function main(args: string[]): Promise<number> {
  const [kind, file, ...extra] = args;
  if (!INGEST_KINDS.includes(kind as IngestKind) || !file || extra.length) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }

  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const metrics = createMetrics();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const health = createHealthRecomputer({ db, clock: systemClock, logger, metrics, config });
    const result = await importCsv({ db, metrics, health, logger }, kind as IngestKind, text);
    // Health is recomputed in the background after the commit; let it finish before closing.
    await health.idle();
    if (!result.ok) {
      for (const error of result.errors) console.error(error);
      console.error(`nothing stored: ${result.errors.length} problem(s) in ${file}`);
      return 1;
    }
    const duplicates = result.duplicates ? ` (${result.duplicates} already stored)` : '';
    console.log(`stored ${result.stored} ${kind}${duplicates}`);
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
