import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { lockDataDir } from '../../src/db/data-dir-lock.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { DEFAULT_REVIEW_CADENCE } from '../../src/domain/reviews.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { listPortfolio } from '../../src/store/health.ts';
import { loadHealthView } from '../../src/store/health-card.ts';
import { seedDataDir } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

/**
 * `npm run backup` and `npm run restore` as a person runs them (the compiled tools), on an embedded
 * database in a folder of its own, whichever database the rest of the suite uses.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-03-10T12:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'pulse-backup-'));
const dataDir = join(work, 'data');
const backup = join(work, 'pulse.tar.gz');

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function tool(
  name: 'backup' | 'restore',
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile)(process.execPath, [`dist/src/cli/${name}.js`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH!, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
  });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** What the health cards and the portfolio show, and every table's row count. */
async function whatPulseShows(db: Database) {
  const ids = await rows<{ id: number }>(db.orm, sql`select id from accounts order by id`);
  const cards = await Promise.all(ids.map(({ id }) => loadHealthView(db.orm, id, NOW)));
  const portfolio = await listPortfolio(db.orm, { limit: 100, now: NOW });
  const tables = await rows<{ table_name: string }>(
    db.orm,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    counts[table_name] = (
      await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from ${sql.identifier(table_name)}`)
    )[0]!.n;
  }
  return { cards, portfolio, counts };
}

async function open(): Promise<Database> {
  return openDatabase({ dataDir, holder: 'the backup test' });
}

let before: Awaited<ReturnType<typeof whatPulseShows>>;

beforeAll(async () => {
  await seedDataDir(dataDir);
  const db = await open();
  try {
    const logger = pino({ level: 'silent' });
    const health = createHealthRecomputer({
      db,
      clock: () => NOW,
      logger,
      metrics: createMetrics(),
      config: {
        health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS },
        reviews: { cadence: DEFAULT_REVIEW_CADENCE, briefDaysBefore: 3 },
      },
    });
    await loadDemoData({ db, clock: () => NOW, logger, metrics: createMetrics(), health });
    await health.idle();
    before = await whatPulseShows(db);
  } finally {
    await db.close();
  }
}, 120_000);

// Each tool is a process that opens, packs or unpacks the whole database: seconds of CPU, many more on a
// loaded machine (the round trip took over 30 s at load 20).
describe('npm run backup and npm run restore', { timeout: 90_000 }, () => {
  it('round trip: backup, wipe, restore, and every health card, the portfolio and each table are identical', async () => {
    expect(before.cards.filter(Boolean).length).toBeGreaterThanOrEqual(30);
    expect(before.counts.metric_points).toBeGreaterThan(1000);

    const saved = await tool('backup', ['--out', backup]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/^backed up .* to .*pulse\.tar\.gz \(\d+\.\d MiB\)\n$/);
    rmSync(dataDir, { recursive: true });

    const restored = await tool('restore', [backup]);
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    // The lock of the process that made the backup is not restored with it.
    expect(existsSync(join(dataDir, 'pulse.lock'))).toBe(false);
    const db = await open();
    try {
      expect(await whatPulseShows(db)).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('refuse, with one line, while Pulse holds the data folder', async () => {
    const lock = lockDataDir(dataDir, { what: 'npm start' });
    try {
      for (const refused of [
        await tool('backup', ['--out', join(work, 'while-running.tar.gz')]),
        await tool('restore', [backup, '--force']),
      ]) {
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(
          new RegExp(`^PULSE_DATA_DIR .* is in use by PID ${process.pid} \\(npm start, since [^\\n]*\\n$`),
        );
      }
      expect(existsSync(join(work, 'while-running.tar.gz'))).toBe(false);
    } finally {
      lock.release();
    }
  });

  it('restore refuses a folder that holds a database unless --force, which replaces it', async () => {
    const db = await open();
    await seedAccounts(db, [{ key: 'after-the-backup', name: 'After the backup' }]);
    await db.close();

    const refused = await tool('restore', [backup]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `PULSE_DATA_DIR ${dataDir} is not empty: restore into an empty folder, or add --force to replace its database\n`,
    );

    expect((await tool('restore', [backup, '--force'])).code).toBe(0);
    const replaced = await open();
    try {
      expect(await whatPulseShows(replaced)).toEqual(before);
    } finally {
      await replaced.close();
    }
  });

  it('point to pg_dump and pg_restore when DATABASE_URL names a server', async () => {
    const refused = await tool('backup', ['--out', join(work, 'server.tar.gz')], {
      DATABASE_URL: 'postgres://pulse@127.0.0.1:5432/pulse',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('DATABASE_URL is set: back up the PostgreSQL server with pg_dump');
  });
});
