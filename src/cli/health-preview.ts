import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseHealthModel } from '../domain/health-model.ts';
import { previewReport } from '../domain/health-preview.ts';
import { modelInEffect } from '../services/health.ts';
import { compareModels } from '../services/health-preview.ts';
import { runCli, withCliDeps } from './context.ts';

const USAGE = 'usage: npm run health:preview -- --model <new-model.yaml>';

/**
 * `npm run health:preview -- --model new.yaml`: how the scores would move under a new model, without
 * writing anything, and the churn back-test of both models side by side.
 */
async function main(args: string[]): Promise<number> {
  let path: string | undefined;
  try {
    path = parseArgs({ args, options: { model: { type: 'string' } } }).values.model;
  } catch {
    path = undefined;
  }
  if (!path) {
    console.error(USAGE);
    return 2;
  }
  const parsed = parseHealthModel(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) {
    console.error(
      parsed.problems.map((p) => `${path}${p.path ? ` at ${p.path}` : ''}: ${p.message}`).join('\n'),
    );
    return 1;
  }
  const next = parsed.model;
  return withCliDeps('npm run health:preview', async (deps) => {
    const current = modelInEffect(deps.config.health);
    const comparison = await compareModels(deps.db, {
      current,
      next,
      now: deps.clock(),
      timezone: deps.config.timezone,
    });
    console.log(
      previewReport(comparison, {
        current: `${current.name} ${current.version}`,
        next: `${next.name} ${next.version}`,
      }),
    );
    return 0;
  });
}

await runCli(() => main(process.argv.slice(2)));
