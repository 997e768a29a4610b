import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { migratedTemplate } from './helpers/database.ts';

/**
 * Once per run, before any test file: the migrated database every `freshDatabase()` copies, and dist/
 * as `npm start` builds it (when it is missing or was built from other sources), for the tests that run
 * the compiled JavaScript. Both at once. In watch mode dist/ is brought up to date before each rerun too.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.onTestsRerun(build);
  await Promise.all([migratedTemplate(), build()]);
}

function build(): Promise<void> {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`node scripts/build.mjs --if-stale exited with ${code}\n${stderr}`)),
    );
  });
}
