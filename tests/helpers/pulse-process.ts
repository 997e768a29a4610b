import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDataDir } from './database.ts';

/** What `npm start` runs: the global setup has built it (`scripts/build.mjs --if-stale`). */
const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
/**
 * A sandbox Pulse loads the demo before it listens: seconds of CPU, many more on a loaded machine (over
 * 30 s seen at load 20).
 */
const START_TIMEOUT_MS = 60_000;

export interface PulseProcess {
  url: string;
  /** Every JSON log line the process wrote. */
  logs: Array<Record<string, unknown>>;
  child: ChildProcess;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts Pulse as `npm start` does (`node dist/src/main.js`) in a child process on a free port, with only
 * the given environment (plus PATH/HOME), and waits until it listens. Without DATABASE_URL or
 * PULSE_DATA_DIR it gets a PGlite directory of its own, a copy of the migrated template. If it does not listen within 60 s, or
 * exits first, the child is killed and its directory removed before the error is thrown.
 */
export async function startPulseProcess(env: Record<string, string | undefined>): Promise<PulseProcess> {
  const dataDir =
    env.DATABASE_URL || env.PULSE_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'pulse-e2e-'));
  const removeDataDir = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
  try {
    if (dataDir) await seedDataDir(dataDir);
  } catch (error) {
    removeDataDir();
    throw error;
  }
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...(dataDir && { PULSE_DATA_DIR: dataDir }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const code = await exited;
    removeDataDir();
    return code;
  };
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`Pulse did not start within ${START_TIMEOUT_MS / 1000} s\n${stderr}`)),
        START_TIMEOUT_MS,
      );
      child.stdout!.on('data', (chunk) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          try {
            const entry = JSON.parse(line);
            logs.push(entry);
            if (typeof entry.port === 'number') {
              clearTimeout(timer);
              resolve(`http://127.0.0.1:${entry.port}`);
            }
          } catch {
            // not a log line
          }
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`Pulse exited with ${code} before listening\n${stderr}`));
      });
    });
    return { url, logs, child, stop: () => stop('SIGTERM') };
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
}
