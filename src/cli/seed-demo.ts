import { pino } from 'pino';
import { systemClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { loadDemoData } from '../demo/load.ts';
import { createHealthRecomputer } from '../jobs/health-recompute.ts';
import { createMetrics } from '../metrics.ts';
import { listPortfolio } from '../store/health.ts';

/**
 * `npm run seed:demo`: loads the demo portfolio as of today into the configured database (DATABASE_URL,
 * else the embedded one in PULSE_DATA_DIR) through the ingestion API's validation. Running it again
 * refreshes the demo: upserts, no duplicates.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const metrics = createMetrics();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const health = createHealthRecomputer({ db, clock: systemClock, logger, metrics, config });
    const { counts } = await loadDemoData({ db, clock: systemClock, logger, metrics, health });
    console.log(
      `demo portfolio loaded into ${db.kind === 'pglite' ? config.dataDir : 'PostgreSQL'}: ` +
        `${counts.accounts} accounts, ${counts.contacts} contacts, ${counts.metricPoints} metric points, ` +
        `${counts.billingEvents} new billing events`,
    );
    const { counts: bands } = await listPortfolio(db.orm, { limit: 0, now: systemClock() });
    const noData = bands.no_data ? ` · ${bands.no_data} no data` : '';
    console.log(
      `health of active accounts: ${bands.red} red · ${bands.yellow} yellow · ${bands.green} green${noData}`,
    );
  } finally {
    await db.close();
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
