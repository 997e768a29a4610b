import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pino from 'pino';
import { systemClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createOutboxClient, startOutboxWorker } from '../../src/jobs/outbox-worker.ts';

export interface OutboxWorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit signal or code. */
  exited: Promise<NodeJS.Signals | number | null>;
}

/**
 * Runs an outbox worker in a child process (this file under `node --import tsx`), so a test can kill
 * it with SIGKILL mid-delivery. `database` is a PostgreSQL URL or a PGlite directory. If it is not ready
 * within 30 s, or exits first, the child is killed before the error is thrown.
 */
export async function startOutboxWorkerProcess(options: {
  database: string;
  slackApiUrl: string;
  token: string;
  batchSize: number;
}): Promise<OutboxWorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OUTBOX_DATABASE: options.database,
      SLACK_API_URL: options.slackApiUrl,
      SLACK_BOT_TOKEN: options.token,
      OUTBOX_BATCH_SIZE: String(options.batchSize),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`outbox worker did not start in 30 s\n${stderr}`)),
        30_000,
      );
      child.stdout!.on('data', (chunk) => {
        if (String(chunk).includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`outbox worker exited with ${code}\n${stderr}`));
      });
    });
  } catch (error) {
    // Not left running: a worker that starts late would still deliver, behind the test's back.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return { child, exited };
}

async function main() {
  const database = process.env.OUTBOX_DATABASE!;
  const db = await openDatabase(
    database.startsWith('postgres') ? { url: database, poolSize: 2 } : { dataDir: database },
  );
  startOutboxWorker({
    db,
    client: createOutboxClient(process.env.SLACK_BOT_TOKEN!, { slackApiUrl: process.env.SLACK_API_URL }),
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    pollMs: 20,
    batchSize: Number(process.env.OUTBOX_BATCH_SIZE),
  });
  process.stdout.write('ready\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
