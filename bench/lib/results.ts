import { mkdirSync, writeFileSync } from 'node:fs';
import { machine } from './timing.ts';

/**
 * Writes a benchmark's figures to bench/results/<name>.json with when and on what they were measured
 * (`machine`: taken now, unless the benchmark read it earlier, e.g. the load before it began).
 */
export function writeResults(name: string, figures: Record<string, unknown>, on = machine()): void {
  const out = new URL('../results/', import.meta.url);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    new URL(`${name}.json`, out),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: on, ...figures }, null, 2)}\n`,
  );
}
