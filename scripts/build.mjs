// Compiles src/, sandbox/ and demo/ into dist/src/, dist/sandbox/ and dist/demo/ (tsc with
// tsconfig.build.json) and copies the sandbox's static files beside its code; the entry point is
// dist/src/main.js.
//
//   node scripts/build.mjs               type checks, then builds (`npm run build`)
//   node scripts/build.mjs --if-stale    builds only when dist/ is missing or was built from other sources,
//                                        without the type check, as tsx ran them (before npm start, import, seed:demo)
//   --out-dir <dir>                      another output directory; it must sit directly in the package root
//                                        like dist/, so that migrations/ (`../../../migrations` from
//                                        dist/src/db/) and node_modules resolve from it
//
// dist/.fingerprint holds a hash of what the build read (src/, sandbox/, demo/, the tsconfig files, this
// script and the TypeScript version); it is written last, so an interrupted build is redone. Builds into
// one directory take turns through a lock directory, and a waiting one skips its build if the other made
// the same.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const outFlag = args.indexOf('--out-dir');
const outDir = resolve(root, outFlag >= 0 ? args[outFlag + 1] : 'dist');
if (dirname(outDir) !== root)
  throw new Error(`--out-dir must be a directory directly in ${root}, not ${outDir}`);
const stamp = join(outDir, '.fingerprint');
/** The folders tsconfig.build.json compiles, each into its namesake under the output directory. */
const SOURCES = ['src', 'sandbox', 'demo'];
const ENTRY = 'src/main.js';
const LOCK_STALE_MS = 5 * 60_000;
/** A build that cannot be made: its message is all the user needs. */
class BuildError extends Error {}

const tsc = typescriptCompiler();
const wanted = { sources: sourceFingerprint(), typescript: tsc && typescriptVersion(tsc) };
try {
  if (!(ifStale && upToDate())) {
    if (!tsc) {
      if (!ifStale || !existsSync(join(outDir, ENTRY)))
        throw new BuildError(
          'TypeScript is not installed: run `npm install` (with dev dependencies), then `npm run build`.',
        );
      process.stderr.write(
        `warning: ${relative(root, outDir)}/ was built from other sources, and TypeScript is not installed ` +
          'to rebuild it (dev dependencies omitted?): running it as it is.\n',
      );
    } else {
      await build();
    }
  }
} catch (error) {
  if (!(error instanceof BuildError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

async function build() {
  const lock = `${outDir}.lock`;
  await acquire(lock);
  try {
    // Another build may have made this one while we waited.
    if (ifStale && upToDate()) return;
    if (ifStale) process.stderr.write(`building ${relative(root, outDir)}/ from ${SOURCES.join('/, ')}/…\n`);
    rmSync(outDir, { recursive: true, force: true });
    const compiled = spawnSync(
      process.execPath,
      [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, ...(ifStale ? ['--noCheck'] : [])],
      { stdio: 'inherit', cwd: root },
    );
    if (compiled.status !== 0)
      throw new BuildError(`tsc failed (exit ${compiled.status ?? compiled.signal})`);
    cpSync(join(root, 'sandbox/public'), join(outDir, 'sandbox/public'), { recursive: true });
    writeFileSync(stamp, `${JSON.stringify(wanted)}\n`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Built from these sources, and by this TypeScript when one is installed to compare with. */
function upToDate() {
  let made;
  try {
    made = JSON.parse(readFileSync(stamp, 'utf8'));
  } catch {
    return false;
  }
  return made.sources === wanted.sources && (!tsc || made.typescript === wanted.typescript);
}

function typescriptCompiler() {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

function sourceFingerprint() {
  const hash = createHash('sha256');
  const inputs = [
    ...SOURCES.flatMap((folder) =>
      readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name))),
    ),
    'tsconfig.json',
    'tsconfig.build.json',
    relative(root, fileURLToPath(import.meta.url)),
  ].sort();
  for (const file of inputs) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function typescriptVersion(compiler) {
  return JSON.parse(readFileSync(join(dirname(compiler), '../package.json'), 'utf8')).version;
}

async function acquire(path) {
  for (;;) {
    try {
      mkdirSync(path);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > LOCK_STALE_MS)
          rmSync(path, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }
}
