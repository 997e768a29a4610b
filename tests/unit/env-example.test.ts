import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_EXAMPLE, renderEnvExample } from '../../scripts/env-example.ts';
import { loadConfig, SETTINGS } from '../../src/config.ts';

const written = readFileSync(ENV_EXAMPLE, 'utf8');

/** `# NAME=value` lines: each setting and the default the file shows. */
const shown = new Map([...written.matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));

describe('.env.example', () => {
  it('is what `npm run env:example` writes from the settings schema (run it after changing a setting)', () => {
    expect(written).toBe(renderEnvExample());
  });

  it('lists every setting once, with its meaning', () => {
    const names = Object.keys(SETTINGS.shape);
    expect([...shown.keys()]).toEqual(names);
    for (const name of names) expect(written).toMatch(new RegExp(`\\.\\n# [^\\n]+\\.\\n# ${name}=`));
  });

  it('shows the defaults Pulse really applies: each one set explicitly changes nothing', () => {
    const defaults = [...shown].filter(([, value]) => value !== '');
    expect(defaults.length).toBeGreaterThanOrEqual(15);
    const unset = loadConfig({});
    for (const [name, value] of defaults) expect(loadConfig({ [name]: value }), name).toEqual(unset);
  });

  it('every setting is in docs/configuration.md', () => {
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    for (const name of shown.keys()) expect(docs).toContain(`| \`${name}\` |`);
  });
});
