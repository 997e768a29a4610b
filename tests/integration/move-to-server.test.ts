import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { inDependencyOrder, MoveError, moveToServer } from '../../src/db/move-to-server.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { DEFAULT_REVIEW_CADENCE } from '../../src/domain/reviews.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { freshDatabase, seedDataDir } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

/**
 * The embedded database of a folder, with the demo portfolio, moved into an empty database: on the
 * PostgreSQL server with TEST_DATABASE_URL (also through `npm run move-to-server`), else into a second,
 * in-memory PGlite through the same function.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-03-10T12:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'pulse-move-'));
const dataDir = join(work, 'data');

let source: Database;
let target: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  await seedDataDir(dataDir);
  source = await openDatabase({ dataDir, holder: 'the move test' });
  const logger = pino({ level: 'silent' });
  const health = createHealthRecomputer({
    db: source,
    clock: () => NOW,
    logger,
    metrics: createMetrics(),
    config: {
      health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS },
      reviews: { cadence: DEFAULT_REVIEW_CADENCE, briefDaysBefore: 3 },
    },
  });
  await loadDemoData({ db: source, clock: () => NOW, logger, metrics: createMetrics(), health });
  await health.idle();
  target = await freshDatabase({ migrated: false });
}, 120_000);

afterAll(async () => {
  await source?.close();
  await target?.drop();
  rmSync(work, { recursive: true, force: true });
});

/** Every table's rows as JSON text, in a fixed order and time zone, so two databases compare exactly. */
async function contents(db: Database): Promise<Record<string, string>> {
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`set local time zone 'UTC'`);
    const tables = await rows<{ table_name: string }>(
      tx,
      sql`select table_name from information_schema.tables
        where table_schema = 'public' and table_name <> 'pulse_migrations' order by table_name`,
    );
    const result: Record<string, string> = {};
    for (const { table_name } of tables) {
      const [dump] = await rows<{ rows: string }>(
        tx,
        sql`select coalesce(json_agg(t order by t::text), '[]')::text as rows from ${sql.identifier(table_name)} t`,
      );
      result[table_name] = dump!.rows;
    }
    return result;
  });
}

describe('moving the embedded database to a server', () => {
  it('orders tables parents first, copies a nullable reference of a cycle afterwards, and refuses a cycle of required ones', () => {
    const fk = (child: string, parent: string, nullable = false) => ({
      child,
      parent,
      column: `${parent}_id`,
      nullable,
    });
    expect(
      inDependencyOrder(
        ['alerts', 'accounts', 'slack_outbox', 'alert_actions'],
        [
          fk('alerts', 'accounts'),
          fk('alerts', 'slack_outbox', true),
          fk('alert_actions', 'alerts'),
          fk('accounts', 'accounts'),
        ],
      ),
    ).toEqual({ order: ['accounts', 'slack_outbox', 'alerts', 'alert_actions'], deferred: [] });
    // An incident points at its post, the post at its incident.
    expect(
      inDependencyOrder(
        ['incidents', 'slack_outbox', 'accounts'],
        [
          fk('incidents', 'accounts'),
          fk('incidents', 'slack_outbox', true),
          fk('slack_outbox', 'incidents', true),
        ],
      ),
    ).toEqual({
      order: ['accounts', 'incidents', 'slack_outbox'],
      deferred: [
        { child: 'incidents', column: 'slack_outbox_id' },
        { child: 'slack_outbox', column: 'incidents_id' },
      ],
    });
    expect(() => inDependencyOrder(['a', 'b'], [fk('a', 'b'), fk('b', 'a')])).toThrow(MoveError);
  });

  it('copies every table, row for row, into the empty target, and its sequences carry on after the copied ids', async () => {
    const copied = await moveToServer(source, target.db);

    const before = await contents(source);
    expect(await contents(target.db)).toEqual(before);
    const counted = Object.fromEntries(copied.map((c) => [c.table, c.rows]));
    expect(Object.keys(counted).sort()).toEqual(Object.keys(before).sort());
    expect(counted.accounts).toBeGreaterThanOrEqual(30);
    expect(counted.metric_points).toBeGreaterThan(2_000);
    expect(Object.values(counted).filter((n) => n > 0).length).toBeGreaterThanOrEqual(6);
    // Parents first: an account before anything that refers to it.
    const order = copied.map((c) => c.table);
    expect(order.indexOf('accounts')).toBeLessThan(order.indexOf('metric_points'));

    const [highest] = await rows<{ id: number }>(target.db.orm, sql`select max(id)::int as id from accounts`);
    const ids = await seedAccounts(target.db, [{ key: 'after-the-move', name: 'After the move' }]);
    expect(ids['after-the-move']).toBeGreaterThan(highest!.id);
  });

  it('refuses a target that holds rows, changing nothing', async () => {
    const before = await contents(target.db);
    await expect(moveToServer(source, target.db)).rejects.toThrow(
      /^the target database is not empty \(\w+ has rows\): move into a new, empty database$/,
    );
    expect(await contents(target.db)).toEqual(before);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    'npm run move-to-server: refuses while Pulse holds the folder and a non-empty server, in one line each, then moves into an empty one',
    async () => {
      const run = (env: Record<string, string>, url = target.url!) =>
        promisify(execFile)(process.execPath, ['dist/src/cli/move-to-server.js', url], {
          cwd: ROOT,
          env: { PATH: process.env.PATH!, PULSE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
        }).then(
          ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
      // This test process holds the folder, as a running Pulse would.
      const held = await run({});
      expect(held.code).toBe(1);
      expect(held.stderr).toMatch(/^PULSE_DATA_DIR .* is in use by PID \d+ \(the move test, [^\n]*\n$/);

      await source.close();
      const refused = await run({});
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^the target database is not empty \(\w+ has rows\)[^\n]*\n$/);
      expect(refused.stderr).not.toContain(target.url!);

      const empty = await freshDatabase({ migrated: false });
      try {
        const moved = await run({}, empty.url);
        expect(moved).toMatchObject({ code: 0, stderr: '' });
        const server = new URL(empty.url!);
        expect(moved.stdout).toMatch(/^accounts: \d+ rows\n/);
        expect(moved.stdout.trimEnd().split('\n').at(-1)).toBe(
          `moved ${dataDir} into ${server.host}${server.pathname}; now start Pulse with DATABASE_URL set to that URL`,
        );
        source = await openDatabase({ dataDir, holder: 'the move test' });
        expect(await contents(empty.db)).toEqual(await contents(source));
      } finally {
        await empty.drop();
      }
    },
    // Three runs of the compiled tool, one copying the whole demo: seconds of CPU, many more under load.
    90_000,
  );
});
