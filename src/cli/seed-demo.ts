import { loadDemoData } from '../../demo/load.ts';
import { listPortfolio } from '../store/health.ts';
import { runCli, withCliDeps } from './context.ts';

/**
 * `npm run seed:demo`: loads the demo portfolio as of today into the configured database (DATABASE_URL,
 * else the embedded one in PULSE_DATA_DIR) through the ingestion API's validation. Running it again
 * refreshes the demo: upserts, no duplicates.
 */
async function main(): Promise<number> {
  await withCliDeps('npm run seed:demo', async (deps) => {
    const { counts } = await loadDemoData(deps);
    const where = deps.db.kind === 'pglite' ? deps.config.dataDir : 'PostgreSQL';
    console.log(
      `demo portfolio loaded into ${where}: ${counts.accounts} accounts, ${counts.contacts} contacts, ` +
        `${counts.metricPoints} metric points, ${counts.billingEvents} new billing events`,
    );
    const { counts: bands } = await listPortfolio(deps.db.orm, { limit: 0, now: deps.clock() });
    const noData = bands.no_data ? ` · ${bands.no_data} no data` : '';
    console.log(
      `health of active accounts: ${bands.red} red · ${bands.yellow} yellow · ${bands.green} green${noData}`,
    );
  });
  return 0;
}

await runCli(main);
