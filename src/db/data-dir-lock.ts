import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';

/** The embedded data folder cannot be used; the message is the one line printed at start. */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export interface DataDirLock {
  release(): void;
}

/** Inside the folder, so every spelling of its path (relative, symlinked) meets the same lock. */
export const LOCK_FILE = 'pulse.lock';
/**
 * A process in another container (another host name, another PID namespace) cannot be checked by its PID:
 * its holder touches the lock every HEARTBEAT_MS, and a lock from another host left untouched for
 * ABANDONED_MS is taken over. Generous, because PGlite runs queries on the event loop.
 */
const HEARTBEAT_MS = 10_000;
const ABANDONED_MS = 60_000;

const holderSchema = z.object({
  id: z.string(),
  pid: z.number().int().positive(),
  what: z.string(),
  since: z.string(),
  host: z.string(),
  /** Linux's boot id: a lock from before a restart is abandoned whatever its PID. */
  boot: z.string().optional(),
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat): tells a reused PID apart. */
  start: z.string().optional(),
});
type Holder = z.infer<typeof holderSchema>;

/** Locks this process holds, removed on a normal exit even when close() was never reached. */
const held = new Map<string, string>();

/**
 * Makes `dir` (created if missing) this process's alone: one PGlite writer per folder, since two corrupt
 * each other's data silently. A lock whose holder is gone (crashed, killed, machine restarted) is taken
 * over with a warning; a live holder gets a DataDirError naming it. `what` says what this process is
 * ("npm start", "npm run import"), for the message another process will print.
 */
export function lockDataDir(
  dir: string,
  options: { what: string; logger?: Pick<Logger, 'warn'> },
): DataDirLock {
  const folder = resolve(dir);
  prepareFolder(folder);
  const path = join(folder, LOCK_FILE);
  const me: Holder = {
    id: randomBytes(8).toString('hex'),
    pid: process.pid,
    what: options.what,
    since: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    host: hostname(),
    boot: bootId(),
    start: processStart(process.pid),
  };
  // A few rounds: the lock may change hands between the failed create and the read.
  for (let round = 0; round < 3; round++) {
    if (create(folder, path, me)) return hold(path, me);
    const found = readLock(path);
    if (!found) continue;
    const reason = abandonment(found.holder, found.touchedAt);
    if (!reason) throw new DataDirError(inUse(folder, found.holder!));
    // Two processes taking over the same abandoned lock in the same instant could both win; a plain
    // file cannot close that window, and it needs a crash and two starts at once to open it.
    removeLock(path);
    const previous = found.holder ? `PID ${found.holder.pid} (${found.holder.what})` : 'an unknown process';
    options.logger?.warn(
      { dataDir: folder, previous: found.holder },
      `took over ${path} from ${previous}: ${reason}`,
    );
  }
  throw new DataDirError(`PULSE_DATA_DIR ${folder} is being claimed by other processes right now; try again`);
}

/**
 * The one line for a folder PGlite could not open. Its own errors say little ("Aborted()"); the usual
 * cause is a database created by another user (Pulse once run with sudo), so the first file or folder
 * inside that this process cannot write is named when there is one.
 */
export function openFailure(dir: string, error: Error): DataDirError {
  const folder = resolve(dir);
  let denied: string | undefined;
  try {
    denied = readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .map((name) => join(folder, name))
      .find((path) => !writable(path));
  } catch (unreadable) {
    denied = (unreadable as NodeJS.ErrnoException).path;
  }
  return new DataDirError(
    denied
      ? `PULSE_DATA_DIR ${folder} is not writable (permission denied on ${denied})`
      : `PULSE_DATA_DIR ${folder}: the embedded database could not be opened (${error.message || error.name})`,
  );
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function prepareFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') {
      throw new DataDirError(`PULSE_DATA_DIR ${folder} cannot be created (${problem(error)})`);
    }
    const file = fileInTheWay(folder);
    throw new DataDirError(
      file === folder
        ? `PULSE_DATA_DIR ${folder} is a file, not a folder`
        : `PULSE_DATA_DIR ${folder} cannot be created: ${file} is a file, not a folder`,
    );
  }
}

/** The path itself or the nearest ancestor that exists and is not a folder. */
function fileInTheWay(folder: string): string {
  for (let path = folder; dirname(path) !== path; path = dirname(path)) {
    try {
      if (!statSync(path).isDirectory()) return path;
    } catch {
      // missing, or under a file: look one level up
    }
  }
  return folder;
}

/** Creates the lock atomically (`wx`); false when another process's lock is there. */
function create(folder: string, path: string, me: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DataDirError(`PULSE_DATA_DIR ${folder} is not writable (${problem(error)})`);
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } catch (error) {
    removeLock(path);
    throw new DataDirError(`PULSE_DATA_DIR ${folder} is not writable (${problem(error)})`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function hold(path: string, me: Holder): DataDirLock {
  if (!held.size) process.once('exit', releaseAllOnExit);
  held.set(path, me.id);
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // the folder was removed under us: nothing left to keep alive
    }
  }, HEARTBEAT_MS).unref();
  return {
    release() {
      if (held.get(path) !== me.id) return;
      clearInterval(heartbeat);
      held.delete(path);
      if (!held.size) process.off('exit', releaseAllOnExit);
      if (readLock(path)?.holder?.id === me.id) removeLock(path);
    },
  };
}

function releaseAllOnExit(): void {
  for (const [path, id] of held) if (readLock(path)?.holder?.id === id) removeLock(path);
}

/** The lock's holder (undefined when the file cannot be read as one) and when it was last touched; none if no lock. */
function readLock(path: string): { holder?: Holder; touchedAt: number } | undefined {
  try {
    const touchedAt = statSync(path).mtimeMs;
    const parsed = holderSchema.safeParse(safeJson(readFileSync(path, 'utf8')));
    return { holder: parsed.success ? parsed.data : undefined, touchedAt };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function removeLock(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Why the lock's holder is gone, or undefined while it may still be running. */
function abandonment(holder: Holder | undefined, touchedAt: number): string | undefined {
  if (!holder) return 'the lock file was unreadable';
  if (holder.host !== hostname()) {
    const silence = Date.now() - touchedAt;
    return silence > ABANDONED_MS
      ? `its lock, taken on host ${holder.host}, was last refreshed ${Math.round(silence / 1000)} s ago`
      : undefined;
  }
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return 'the machine has restarted since';
  if (!isRunning(holder.pid)) return 'it is no longer running';
  const start = processStart(holder.pid);
  if (holder.start && start && holder.start !== start) return 'its PID now belongs to another process';
  return undefined;
}

function inUse(folder: string, holder: Holder): string {
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  return (
    `PULSE_DATA_DIR ${folder} is in use by PID ${holder.pid}${where} (${holder.what}, since ${holder.since}): ` +
    'the embedded database takes one process at a time; stop that one first, ' +
    'or set DATABASE_URL to a PostgreSQL server to run several'
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat, counted after the command name, which may itself hold spaces and parentheses. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function problem(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return e.message;
  }
}
