import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

/**
 * `npm start` as a user types it, in sandbox mode on an empty PGlite directory: the compiled JavaScript
 * (which the global setup built, so `prestart` finds dist/ up to date) must find the migrations and the
 * sandbox's static files from dist/.
 */
describe('npm start', () => {
  it('runs node dist/src/main.js, which migrates an empty database, serves the sandbox and answers /healthz', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-npm-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        LOG_LEVEL: 'info',
        PULSE_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npm, the shell and node are stopped together.
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    cleanups.push(() => {
      if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
    });
    let output = '';
    npm.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const listening = await new Promise<{ port: number; pid: number; database: string; mode: string }>(
      (resolve, reject) => {
        let buffered = '';
        npm.stdout.on('data', (chunk) => {
          output += chunk;
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            const entry = line.startsWith('{') ? JSON.parse(line) : {};
            if (typeof entry.port === 'number' && entry.mode) resolve(entry);
          }
        });
        void exited.then((code) => reject(new Error(`npm start exited with ${code}\n${output}`)));
      },
    );
    expect(listening).toMatchObject({ database: 'pglite', mode: 'sandbox' });
    // The process that listens is node running the compiled entry point, not tsx.
    const command = readFileSync(`/proc/${listening.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(command.slice(1)).toEqual(['dist/src/main.js']);

    const base = `http://127.0.0.1:${listening.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      migration: expect.stringMatching(/^\d{4}_/),
    });
    const page = await fetch(`${base}/sandbox`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const script = await fetch(`${base}/sandbox/assets/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(readFileSync(join(ROOT, 'sandbox/public/app.js'), 'utf8'));

    // Pulse shuts down on SIGTERM and exits 0, and so npm start does.
    process.kill(listening.pid, 'SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
