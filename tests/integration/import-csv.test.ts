import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, parseCsv } from '../../src/api/csv.ts';
import { loadConfig } from '../../src/config.ts';
import { type Database, openDatabase, rows } from '../../src/db/client.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import type { IngestDeps } from '../../src/services/ingestion.ts';
import { freshDatabase, seedDataDir } from '../helpers/database.ts';

let db: Database;
let url: string | undefined;
let drop: () => Promise<void>;
let deps: IngestDeps;

beforeAll(async () => {
  ({ db, url, drop } = await freshDatabase());
  const config = loadConfig({});
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const health = createHealthRecomputer({ db, clock: () => new Date(), logger, metrics, config });
  deps = { db, logger, metrics, health, clock: () => new Date() };
});

afterAll(async () => {
  await deps?.health.idle();
  await drop?.();
});

const count = async (table: string) =>
  (await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe('importCsv', () => {
  it('stores a good file; empty cells leave fields out and quoted cells may span lines', async () => {
    const csv = [
      'key,name,tier,seats,mrr,renewal_date',
      'acme,"Acme, Inc.",high_touch,10,1200.5,2025-01-31',
      'globex,"Globex',
      'International",,25,,',
      '',
      'initech,"Ini""tech",exclusive,,99,2024-12-01T10:00:00-03:00',
    ].join('\n');
    expect(await importCsv(deps, 'accounts', csv)).toEqual({ ok: true, stored: 3 });
    expect(
      await rows(
        db.orm,
        sql`select key, name, tier, seats, mrr::text as mrr, to_char(renewal_date, 'YYYY-MM-DD') as renewal_date
            from accounts order by key`,
      ),
    ).toEqual([
      {
        key: 'acme',
        name: 'Acme, Inc.',
        tier: 'high_touch',
        seats: 10,
        mrr: '1200.50',
        renewal_date: '2025-01-31',
      },
      {
        key: 'globex',
        name: 'Globex\nInternational',
        tier: 'mid_touch',
        seats: 25,
        mrr: null,
        renewal_date: null,
      },
      {
        key: 'initech',
        name: 'Ini"tech',
        tier: 'exclusive',
        seats: null,
        mrr: '99.00',
        renewal_date: '2024-12-01',
      },
    ]);

    const metrics =
      'account,metric,value,at\r\nacme,active_users,7,2024-05-01T00:00:00Z\r\nglobex,logins,-2.5,2024-05-01T00:00:00Z\r\n';
    expect(await importCsv(deps, 'metrics', metrics)).toEqual({ ok: true, stored: 2 });
    expect(await count('metric_points')).toBe(2);
  });

  it('reports every problem with its exact line, after a multi-line cell, and stores nothing', async () => {
    const csv = [
      'key,name,tier,seats,mrr', // 1
      'hooli,"Hooli', // 2
      'XYZ',
      'Holdings",high_touch,10,100', // 4
      'umbrella,Umbrella,gold,5,12.345', // 5
      '', // 6
      'vehement,"Vehement ""Capital""",,x,', // 7
      'Bad Key,Bad,,,', // 8
      'acme,Acme renamed,,,', // 9: valid, must not be applied
    ].join('\n');
    expect(await importCsv(deps, 'accounts', csv)).toEqual({
      ok: false,
      errors: [
        'line 5, tier: must be one of: tech_touch, low_touch, mid_touch, high_touch, exclusive',
        'line 5, mrr: must have at most 2 decimals',
        'line 7, seats: expected a number',
        'line 8, key: must be a lower-case slug: letters a-z and digits, words joined by "-" or "_" (e.g. "acme-corp")',
      ],
      problems: 4,
    });
    expect(await count('accounts')).toBe(3);
    expect((await rows(db.orm, sql`select name from accounts where key = 'acme'`))[0]).toEqual({
      name: 'Acme, Inc.',
    });
  });

  it('names unknown accounts with their lines, along with the other problems', async () => {
    const csv = [
      'account,metric,value,at',
      'acme,active_users,abc,2024-05-02T00:00:00Z',
      'acme,active_users,8,2024-05-02T00:00:00Z',
      'nobody,logins,3,2024-05-01T00:00:00Z',
      'acme,logins,4,2024-05-01',
    ].join('\r\n');
    expect(await importCsv(deps, 'metrics', csv)).toEqual({
      ok: false,
      errors: [
        'line 2, value: expected a number',
        'line 4, account: unknown account "nobody"',
        'line 5, at: must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
      ],
      problems: 3,
    });
    expect(await count('metric_points')).toBe(2);
  });

  it('refuses an unknown column, naming the ones it takes', async () => {
    const csv = 'account,metric,vaule,at\nacme,logins,3,2024-05-01T00:00:00Z\n';
    expect(await importCsv(deps, 'metrics', csv)).toEqual({
      ok: false,
      errors: ['line 1: unknown column "vaule"; the columns of metrics are: account, metric, value, at'],
      problems: 1,
    });
    expect(await count('metric_points')).toBe(2);
  });

  it('reports rows whose cells do not match the header, with the other rows checked too', async () => {
    const csv = [
      'account,email,name,role',
      'acme,ana@acme.com,Ana,champion,extra',
      'acme,bob@acme.com,Bob,boss',
      'acme,"carla@acme.com"',
    ].join('\n');
    expect(await importCsv(deps, 'contacts', csv)).toEqual({
      ok: false,
      errors: [
        'line 2: 5 cells, but the header names 4 columns',
        'line 3, role: must be one of: champion, decision_maker, user',
        'line 4: 2 cells, but the header names 4 columns',
      ],
      problems: 3,
    });
    expect(await count('contacts')).toBe(0);
  });

  it('is idempotent on billing events and reports the duplicates', async () => {
    const csv = [
      'account,external_id,type,occurred_at,amount,currency,due_date',
      'acme,in_001,invoice_overdue,2024-05-01T12:00:00Z,1200.50,USD,2024-04-30',
      'globex,in_002,payment_succeeded,2024-05-02T12:00:00Z,300,USD,',
    ].join('\n');
    expect(await importCsv(deps, 'billing-events', csv)).toEqual({ ok: true, stored: 2, duplicates: 0 });
    expect(await importCsv(deps, 'billing-events', csv)).toEqual({ ok: true, stored: 0, duplicates: 2 });
    expect(await count('billing_events')).toBe(2);
  });

  it('names a NUL character with its line and column, and stores nothing', async () => {
    const before = await count('contacts');
    const csv = [
      'account,email,name,role',
      'acme,ana@acme.com,Ana,champion',
      'acme,bob@acme.com,"Bo\u0000b",user',
      'acme,carla@acme.com,Carla\u0000,user',
    ].join('\n');
    expect(await importCsv(deps, 'contacts', csv)).toEqual({
      ok: false,
      errors: [
        'line 3, name: contains a NUL character (\\u0000); remove it',
        'line 4, name: contains a NUL character (\\u0000); remove it',
      ],
      problems: 2,
    });
    expect(await count('contacts')).toBe(before);
  });

  it('lists the first 100 problems by line, then how many more', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? 'acme,x,Y' : `acme,${i},Oops`));
    const result = await importCsv(deps, 'metrics', ['account,value,metric', ...lines].join('\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Each row lacks `at`, has a bad metric name; the rows with "x" also a value that is not a number.
    expect(result.problems).toBe(500 * 2 + 10);
    expect(result.errors).toHaveLength(101);
    expect(result.errors.slice(0, 2)).toEqual([
      'line 2, metric: must start with a letter a-z, then lower-case letters, digits, "_" or "." (e.g. active_users)',
      'line 2, at: is required',
    ]);
    expect(result.errors.at(-1)).toBe(`…and ${500 * 2 + 10 - 100} more`);
  });

  it('explains an empty file and a broken quote', async () => {
    expect(await importCsv(deps, 'accounts', '\n\n')).toEqual({
      ok: false,
      errors: ['line 1: the file is empty; its first line must name the columns'],
      problems: 1,
    });
    const broken = await importCsv(deps, 'accounts', 'key,name\nacme,"Acme\n');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.errors).toEqual([
      'line 2: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    ]);
  });
});

describe('parseCsv', () => {
  it('keeps the line each row starts on, converts numeric columns and leaves the rest as text', () => {
    const csv =
      '\uFEFFaccount,metric,value,at\r\n\r\nacme,"a\r\nb",1e3,x\r\nacme,logins, 0.5 ,\r\nacme,logins,1,0x10\r\n';
    expect(parseCsv('metrics', csv)).toEqual({
      rows: [
        { account: 'acme', metric: 'a\r\nb', value: 1000, at: 'x' },
        { account: 'acme', metric: 'logins', value: 0.5 },
        { account: 'acme', metric: 'logins', value: 1, at: '0x10' },
      ],
      lines: [3, 5, 6],
      problems: [],
    });
    expect(parseCsv('metrics', 'account,value\nacme,0x10\nacme,12.5.1\n').rows).toEqual([
      { account: 'acme', value: '0x10' },
      { account: 'acme', value: '12.5.1' },
    ]);
  });
});

describe('npm run import', () => {
  const cli = async (args: string[], env: Record<string, string>) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        // What `npm run import` runs; the global setup built it from src/.
        [fileURLToPath(new URL('../../dist/src/cli/import-csv.js', import.meta.url)), ...args],
        { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('prints what it stored, or every problem with its line and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-import-'));
    // Its own database: PGlite in a directory (a copy of the migrated template), or a server database
    // when the tests run on one.
    const env: Record<string, string> = url ? { DATABASE_URL: url } : { PULSE_DATA_DIR: join(dir, 'data') };
    try {
      if (!url) await seedDataDir(join(dir, 'data'));
      await writeFile(join(dir, 'accounts.csv'), 'key,name\nsoylent,Soylent\nwonka,"Wonka\nIndustries"\n');
      await writeFile(
        join(dir, 'metrics.csv'),
        'account,metric,value,at\nsoylent,logins,x,2024-05-01T00:00:00Z\nnobody,logins,1,2024-05-01T00:00:00Z\n',
      );
      expect(await cli(['accounts', join(dir, 'accounts.csv')], env)).toEqual({
        code: 0,
        stdout: 'stored 2 accounts\n',
        stderr: '',
      });
      expect(await cli(['metrics', join(dir, 'metrics.csv')], env)).toEqual({
        code: 1,
        stdout: '',
        stderr: `line 2, value: expected a number\nline 3, account: unknown account "nobody"\nnothing stored: 2 problem(s) in ${join(dir, 'metrics.csv')}\n`,
      });
      expect(await cli(['milestone', 'x.csv'], env)).toMatchObject({ code: 2 });

      const check = url ? db : await openDatabase({ dataDir: join(dir, 'data') });
      try {
        expect(
          await rows(
            check.orm,
            sql`select key, name from accounts where key in ('soylent', 'wonka') order by key`,
          ),
        ).toEqual([
          { key: 'soylent', name: 'Soylent' },
          { key: 'wonka', name: 'Wonka\nIndustries' },
        ]);
        expect(
          await rows(
            check.orm,
            sql`select count(*)::int as n from metric_points m join accounts a on a.id = m.account_id where a.key = 'soylent'`,
          ),
        ).toEqual([{ n: 0 }]);
      } finally {
        if (check !== db) await check.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
