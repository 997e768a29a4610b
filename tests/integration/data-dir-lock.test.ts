import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DataDirError, LOCK_FILE, lockDataDir } from '../../src/db/data-dir-lock.ts';

const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-lock-'));
  folders.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line).msg) });
afterEach(() => {
  warnings.length = 0;
});

const holderOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));

/** Another process's lock: one taken here and released, written back with some fields changed, aged. */
function plant(dir: string, change: Record<string, unknown>, ageMs = 0) {
  const lock = lockDataDir(dir, { what: 'npm start' });
  const holder = { ...holderOf(dir), ...change };
  lock.release();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
  age(dir, ageMs);
  return holder as { pid: number };
}

/** Sets when the lock was last touched, `ms` ago. */
function age(dir: string, ms: number) {
  const touched = new Date(Date.now() - ms);
  utimesSync(join(dir, LOCK_FILE), touched, touched);
}

const hasProc = existsSync('/proc/self/stat');

describe('the embedded data folder lock', () => {
  it('refuses a second holder in the same process, and a release removes only its own lock', () => {
    const dir = folder();
    const first = lockDataDir(dir, { what: 'npm start' });
    expect(() => lockDataDir(dir, { what: 'npm run import' })).toThrow(DataDirError);
    expect(() => lockDataDir(dir, { what: 'npm run import' })).toThrow(
      new RegExp(
        `^PULSE_DATA_DIR ${dir} is in use by PID ${process.pid} \\(npm start, since [\\dT:-]+Z\\): `,
      ),
    );
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const second = lockDataDir(dir, { what: 'npm run import', logger });
    first.release();
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, what: 'npm run import' });
    second.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(warnings).toEqual([]);
  });

  it.skipIf(!hasProc)('takes over a PID that now belongs to another process', () => {
    const dir = folder();
    // This process is running, but it started long after the holder recorded here.
    const { pid } = plant(dir, { start: '1', what: 'npm run seed:demo' });
    lockDataDir(dir, { what: 'npm start', logger }).release();
    expect(warnings).toEqual([
      `took over ${join(dir, LOCK_FILE)} from PID ${pid} (npm run seed:demo): its PID now belongs to another process`,
    ]);
  });

  it.skipIf(!hasProc)('takes over a lock from before the machine restarted', () => {
    const dir = folder();
    const { pid } = plant(dir, { boot: '00000000-0000-0000-0000-000000000000' });
    lockDataDir(dir, { what: 'npm start', logger }).release();
    expect(warnings).toEqual([
      `took over ${join(dir, LOCK_FILE)} from PID ${pid} (npm start): the machine has restarted since`,
    ]);
  });

  it('trusts a lock from another host while it is refreshed, and takes it over after a minute of silence', () => {
    const dir = folder();
    const { pid } = plant(dir, { host: 'pulse-7f9c' }, 50_000);
    expect(() => lockDataDir(dir, { what: 'npm run import', logger })).toThrow(
      new RegExp(`^PULSE_DATA_DIR ${dir} is in use by PID ${pid} on host pulse-7f9c \\(npm start, since `),
    );
    age(dir, 61_000);
    lockDataDir(dir, { what: 'npm run import', logger }).release();
    expect(warnings).toEqual([
      `took over ${join(dir, LOCK_FILE)} from PID ${pid} (npm start): its lock, taken on host pulse-7f9c, was last refreshed 61 s ago`,
    ]);
  });

  it('takes over a lock file that cannot be read as one', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), '');
    lockDataDir(dir, { what: 'npm start', logger }).release();
    expect(warnings).toEqual([
      `took over ${join(dir, LOCK_FILE)} from an unknown process: the lock file was unreadable`,
    ]);
  });

  it('refreshes its lock every 10 s while it holds it', () => {
    const dir = folder();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const lock = lockDataDir(dir, { what: 'npm start' });
      age(dir, 50_000);
      vi.advanceTimersByTime(10_000);
      expect(statSync(join(dir, LOCK_FILE)).mtimeMs).toBeGreaterThan(Date.now() - 5_000);
      lock.release();
    } finally {
      vi.useRealTimers();
    }
  });
});
