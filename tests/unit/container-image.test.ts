import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No container runtime answers on the machines that run the tests, so the Dockerfile is checked as
 * text, and what its final stage relies on (only `dependencies` installed) against the code's imports.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** Instructions with their continuation lines joined, comments dropped, grouped by stage. */
function stages(text: string): Array<Array<{ op: string; args: string }>> {
  const joined = text.replace(/\\\n\s*/g, ' ');
  const result: Array<Array<{ op: string; args: string }>> = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, op, args] = match as unknown as [string, string, string];
    if (op === 'FROM') result.push([]);
    result.at(-1)?.push({ op, args });
  }
  return result;
}

const all = stages(dockerfile);
const final = all.at(-1)!;
const args = (op: string) => final.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds every stage on an official Node 22 slim image', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:22(\.\d+)*-[a-z]+-slim$/);
    for (const stage of all) expect(stage[0]!.args).toMatch(/^\$\{NODE_IMAGE\}/);
    expect(all).toHaveLength(3);
  });

  it('installs with npm ci and builds dist/ in the first stage only', () => {
    const runs = all[0]!.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs).toContain('npm ci --no-audit --no-fund');
    expect(runs).toContain('npm run build');
    expect(args('RUN').join('\n')).not.toMatch(/npm (ci|install|run)/);
  });

  it('carries production dependencies only, dist/ and the migrations beside it', () => {
    const dependencies = all[1]!.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(dependencies.join('\n')).toMatch(/npm ci --omit=dev/);
    const copies = args('COPY');
    expect(copies).toContain('--from=dependencies /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies).toContain('migrations ./migrations');
    expect(copies).toContain('package.json ./');
  });

  it('runs as the unprivileged node user, with PULSE_DATA_DIR a volume it owns', () => {
    expect(args('USER')).toEqual(['node']);
    const dataDir = /PULSE_DATA_DIR=(\S+)/.exec(args('ENV').join(' '))?.[1];
    expect(dataDir).toBe('/data');
    expect(args('VOLUME')).toEqual(['["/data"]']);
    expect(args('RUN').join('\n')).toContain('chown node:node /data');
  });

  it('checks /healthz with node (no curl in slim images) and stops on SIGTERM with node as PID 1', () => {
    const check = args('HEALTHCHECK');
    expect(check).toHaveLength(1);
    const command = JSON.parse(check[0]!.replace(/^.*?CMD\s+/, '')) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/healthz');
    expect(args('STOPSIGNAL')).toEqual(['SIGTERM']);
    // The exec form: a shell or npm in between would not pass SIGTERM on to Pulse.
    expect(JSON.parse(args('CMD')[0]!)).toEqual(['node', 'dist/src/main.js']);
  });

  it('leaves out of the build context what must not be in an image, but not what the build copies', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.env', '.git']));
    const copied = all
      .flat()
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const path of copied) expect(ignored).not.toContain(path);
  });
});

describe('the code the image runs', () => {
  /** Every package a compiled module imports at run time (type-only imports vanish in the build). */
  function importedPackages(dir: string): Set<string> {
    const found = new Set<string>();
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!entry.endsWith('.ts')) continue;
      const text = readFileSync(join(ROOT, dir, entry), 'utf8');
      for (const match of text.matchAll(/^\s*(import|export)(?!\s+type\s)[^'"]*?from\s+'([^']+)'/gm)) {
        found.add(match[2]!);
      }
      for (const match of text.matchAll(/import\('([^']+)'\)/g)) found.add(match[1]!);
    }
    const packages = [...found]
      .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
      .map((s) =>
        s
          .split('/')
          .slice(0, s.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    return new Set(packages);
  }

  it('imports only packages listed in dependencies, the only ones the final stage installs', () => {
    const imported = new Set([
      ...importedPackages('src'),
      ...importedPackages('sandbox'),
      ...importedPackages('demo'),
    ]);
    expect(imported.size).toBeGreaterThan(5);
    const missing = [...imported].filter((name) => !(name in pkg.dependencies));
    expect(missing).toEqual([]);
  });
});
