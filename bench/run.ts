/**
 * `npm run bench [name…]`: runs the benchmarks one after another (they would compete for the 2 cores if
 * run together) and prints their figures; each also writes JSON under bench/results/. Options
 * (`npm run bench alerts -- --accounts 1000`) go to the benchmarks, which read the ones they know.
 */
const BENCHMARKS = {
  health: () => import('./health.ts'),
  ingest: () => import('./ingest.ts'),
  'ingest-stages': () => import('./ingest-stages.ts'),
  ack: () => import('./ack.ts'),
  digest: () => import('./digest.ts'),
  alerts: () => import('./alerts.ts'),
  surveys: () => import('./surveys.ts'),
  segment: () => import('./segment.ts'),
  retention: () => import('./retention.ts'),
} as const;
type Name = keyof typeof BENCHMARKS;

const args = process.argv.slice(2);
// `--name value` or `--name=value`: what follows an option without `=` is its value, not a benchmark.
const asked = args.filter(
  (arg, i) => !arg.startsWith('-') && !(args[i - 1]?.startsWith('--') && !args[i - 1]!.includes('=')),
);
const unknown = asked.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`,
  );
  process.exit(2);
}
for (const name of (asked.length ? asked : Object.keys(BENCHMARKS)) as Name[]) {
  console.log(`\n# bench/${name}`);
  await (await BENCHMARKS[name]()).main();
}
