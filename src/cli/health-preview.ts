import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseHealthModel } from '../domain/health-model.ts';
import { modelInEffect } from '../services/health.ts';
import { compareModels, type ModelComparison } from '../services/health-preview.ts';
import { runCli, withCliDeps } from './context.ts';

const USAGE = 'usage: npm run health:preview -- --model <new-model.yaml>';

const share = (s: number | null) => (s === null ? 'n/a' : `${(100 * s).toFixed(1)}%`);
const score = (x: { score: number | null; band: string | null }) =>
  x.score === null ? 'no data' : `${x.score} ${x.band}`;

function report(c: ModelComparison, names: { current: string; next: string }): string {
  const { preview, backtest } = c;
  const lines = [
    `${preview.bandChanges} of ${preview.accounts} accounts would change band (${names.current} → ${names.next}):`,
    ...Object.entries(preview.byChange)
      .sort((a, b) => b[1] - a[1])
      .map(([change, n]) => `  ${change}: ${n}`),
    '',
    `The ${preview.largest.length} largest moves:`,
    ...preview.largest.map((m) => `  ${m.key.padEnd(24)} ${score(m.current).padEnd(12)} → ${score(m.next)}`),
    '',
    `Back-test: of ${backtest.churned} accounts churned in the last 12 months, red or yellow 90 days before:`,
    `  current (${names.current}): ${share(backtest.current.share)} of ${backtest.current.scored} scored`,
    `  new (${names.next}): ${share(backtest.next.share)} of ${backtest.next.scored} scored`,
  ];
  return lines.join('\n');
}

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
      report(comparison, {
        current: `${current.name} ${current.version}`,
        next: `${next.name} ${next.version}`,
      }),
    );
    return 0;
  });
}

await runCli(() => main(process.argv.slice(2)));
