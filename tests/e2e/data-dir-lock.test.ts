import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/db/data-dir-lock.ts';
import { seedDataDir } from '../helpers/database.ts';
import { type PulseProcess, startPulseProcess } from '../helpers/pulse-process.ts';

/** What another process prints when the folder is taken; the holder's start time varies. */
const inUse = (dir: string, pid: number, what: string) =>
  new RegExp(
    `^PULSE_DATA_DIR ${dir} is in use by PID ${pid} \\(${what}, since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\): ` +
      'the embedded database takes one process at a time; stop that one first, ' +
      'or set DATABASE_URL to a PostgreSQL server to run several\\n$',
  );

/** The JavaScript the global setup compiled for an entry point: what `npm start` and `npm run …` run. */
const compiled = (entry: string) => `dist/${entry.replace(/\.ts$/, '.js')}`;

/**
 * Runs one of Pulse's entry points as `npm start` / `npm run …` do, with only the given environment. One
 * that hangs is killed after 30 s, and its code is then -1.
 */
function run(
  entry: string,
  args: string[],
  env: Record<string, string>,
  as?: { uid: number; gid: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [compiled(entry), ...args],
      { env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env }, timeout: 30_000, ...as },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('one process per embedded data folder', () => {
  // Open to all, so that a process run as another user reaches the folders inside.
  const work = mkdtempSync(join(tmpdir(), 'pulse-lock-'));
  chmodSync(work, 0o755);
  const dir = join(work, 'data');
  const lock = join(dir, LOCK_FILE);
  const csv = join(work, 'accounts.csv');
  const root = process.getuid?.() === 0;
  const nobody = { uid: 65534, gid: 65534 };
  let holder: PulseProcess;

  beforeAll(async () => {
    writeFileSync(csv, 'key,name\nsoylent,Soylent\n');
    // A copy of the migrated template: what is tested is the lock, not creating a database from nothing
    // (the npm-start test's), which costs the child initdb and every migration.
    await seedDataDir(dir);
    holder = await startPulseProcess({ PULSE_DATA_DIR: dir });
  });

  afterAll(async () => {
    if (holder?.child.exitCode === null && holder.child.signalCode === null) await holder.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a second Pulse, npm run import and npm run seed:demo stop at start with one line naming the holder', async () => {
    const [second, imported, seeded] = await Promise.all([
      run('src/main.ts', [], { PULSE_DATA_DIR: dir }),
      run('src/cli/import-csv.ts', ['accounts', csv], { PULSE_DATA_DIR: dir }),
      run('src/cli/seed-demo.ts', [], { PULSE_DATA_DIR: dir }),
    ]);
    expect(second).toMatchObject({ code: 1, stdout: '' });
    expect(second.stderr.replace(/^Pulse could not start: /, '')).toMatch(
      inUse(dir, holder.child.pid!, 'npm start'),
    );
    for (const refused of [imported, seeded]) {
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(inUse(dir, holder.child.pid!, 'npm start'));
    }
    expect((await fetch(`${holder.url}/healthz`)).status).toBe(200);
  });

  it('the lock of a killed process is taken over with a warning, and released when the taker exits', async () => {
    const pid = holder.child.pid!;
    const exited = new Promise((resolve) => holder.child.once('exit', resolve));
    holder.child.kill('SIGKILL');
    await exited;
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid, what: 'npm start' });

    const imported = await run('src/cli/import-csv.ts', ['accounts', csv], { PULSE_DATA_DIR: dir });
    expect(imported).toMatchObject({ code: 0, stdout: 'stored 1 accounts\n' });
    const warnings = imported.stderr.trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      level: 40,
      msg: `took over ${lock} from PID ${pid} (npm start): it is no longer running`,
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('Pulse releases the folder when it stops on SIGTERM', async () => {
    holder = await startPulseProcess({ PULSE_DATA_DIR: dir });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({
      pid: holder.child.pid,
      what: 'npm start',
    });
    expect(await holder.stop()).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('npm run seed:demo interrupted with Ctrl-C releases the folder', async () => {
    const seed = spawn(process.execPath, [compiled('src/cli/seed-demo.ts')], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PULSE_DATA_DIR: dir },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => seed.once('exit', resolve));
    // Interrupted as soon as it holds the folder, while the embedded database is still opening.
    while (!existsSync(lock) && seed.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 20));
    seed.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(existsSync(lock)).toBe(false);
  });

  it.concurrent('a Pulse that fails after taking the folder (its port is in use) leaves it free', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const failed = await run('src/main.ts', [], { PULSE_DATA_DIR: dir, PORT: String(port) });
    taken.close();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^Pulse could not start: .*EADDRINUSE.*\n$/);
    expect(existsSync(lock)).toBe(false);
  });

  it.concurrent('a folder that is a file, lies under a file, or cannot be written fails at start with one line', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'not a folder');
    const readOnly = join(work, 'read-only');
    mkdirSync(readOnly, { mode: 0o555 });
    // Root writes anywhere: when the tests run as root, the read-only folder is tried as nobody.
    const [isFile, underFile, unwritable] = await Promise.all([
      run('src/main.ts', [], { PULSE_DATA_DIR: file }),
      run('src/cli/import-csv.ts', ['accounts', csv], { PULSE_DATA_DIR: join(file, 'data') }),
      run('src/main.ts', [], { PULSE_DATA_DIR: readOnly }, root ? nobody : undefined),
    ]);
    expect(isFile).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `Pulse could not start: PULSE_DATA_DIR ${file} is a file, not a folder\n`,
    });
    expect(underFile).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `PULSE_DATA_DIR ${join(file, 'data')} cannot be created: ${file} is a file, not a folder\n`,
    });
    expect(unwritable).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `Pulse could not start: PULSE_DATA_DIR ${readOnly} is not writable (permission denied)\n`,
    });
  });

  it.skipIf(!root)(
    'a database created by another user fails at start with one line naming what it cannot write',
    async () => {
      // The folder itself is open to all: only the database's files and folders, root's, are out of reach.
      chmodSync(dir, 0o777);
      const refused = await run('src/main.ts', [], { PULSE_DATA_DIR: dir }, nobody);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(
        new RegExp(
          `^Pulse could not start: PULSE_DATA_DIR ${dir} is not writable \\(permission denied on ${dir}/[^)]+\\)\\n$`,
        ),
      );
      expect(existsSync(lock)).toBe(false);
    },
  );
});
