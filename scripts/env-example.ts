// Writes .env.example from the settings schema in src/config.ts: every setting with its one-line
// meaning and its default, then the two values compose.yaml needs. `npm run env:example`; a unit test
// fails when the file and the schema drift apart.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SETTINGS } from '../src/config.ts';

export const ENV_EXAMPLE = fileURLToPath(new URL('../.env.example', import.meta.url));

/** Read by compose.yaml, not by Pulse: required there, so written uncommented, to be filled in. */
const COMPOSE = [
  [
    'POSTGRES_PASSWORD',
    'Password of the PostgreSQL server compose.yaml runs (letters and digits: it goes into a URL)',
  ],
  [
    'PULSE_DOMAIN',
    'The public host name Caddy gets a TLS certificate for and Slack calls, e.g. pulse.example.com',
  ],
] as const;

/** What the meta of a setting in src/config.ts holds besides its description. */
const metaSchema = z.object({
  description: z.string().min(1),
  default: z.string().optional(),
  unset: z.string().optional(),
});

export function renderEnvExample(): string {
  const lines = [
    '# Pulse settings: copy to .env, then fill in what you need. Generated from src/config.ts by',
    '# `npm run env:example`; docs/configuration.md has every setting in full.',
    '# A line left commented keeps the default; an empty value counts as unset.',
  ];
  for (const [name, setting] of Object.entries(SETTINGS.shape)) {
    const meta = metaSchema.parse(z.globalRegistry.get(setting));
    const own = setting.safeParse(undefined);
    const value = own.success && own.data !== undefined ? String(own.data) : meta.default;
    lines.push(
      '',
      `# ${meta.description}.`,
      value !== undefined
        ? `# Default: ${value}.`
        : !meta.unset
          ? '# No default.'
          : meta.unset.startsWith('required')
            ? `# No default; ${meta.unset}.`
            : `# When unset: ${meta.unset}.`,
      `# ${name}=${value ?? ''}`,
    );
  }
  lines.push('', '# ── For compose.yaml (docker compose up) ──');
  for (const [name, description] of COMPOSE) lines.push('', `# ${description}.`, `${name}=`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ENV_EXAMPLE, renderEnvExample());
  console.log(`wrote ${ENV_EXAMPLE}`);
}
