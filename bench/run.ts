/**
 * `npm run bench [name…]`: runs the benchmarks one after another (they would compete for the 2 cores if
 * run together) and prints their figures; each also writes JSON under bench/results/.
 */
const BENCHMARKS = {
  health: () => import('./health.ts'),
  ingest: () => import('./ingest.ts'),
  ack: () => import('./ack.ts'),
} as const;
type Name = keyof typeof BENCHMARKS;

const asked = process.argv.slice(2);
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
