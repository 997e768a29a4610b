import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The package's package.json: one level up from this module in the sources (src/), two in the build. */
const CANDIDATES = ['../package.json', '../../package.json'];

/** This build's version, from package.json (kept with CHANGELOG.md). */
export const PULSE_VERSION: string = (() => {
  const paths = CANDIDATES.map((path) => fileURLToPath(new URL(path, import.meta.url)));
  const found = paths.find((path) => existsSync(path));
  if (!found) throw new Error(`no package.json found at ${paths.join(' or ')}`);
  return z.object({ version: z.string().min(1) }).parse(JSON.parse(readFileSync(found, 'utf8'))).version;
})();
