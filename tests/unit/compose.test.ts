import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * `docker compose config` needs the Compose plugin, which the machines running the tests lack: the file
 * is parsed here and checked for what docs/deploy.md promises of it.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const text = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');

interface Service {
  image?: string;
  build?: string;
  env_file?: string | string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  stop_grace_period?: string;
}
const compose = parse(text) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { pulse, postgres, caddy } = compose.services as Record<string, Service>;

/** Compose's interpolation: `$$` is a literal dollar, `${NAME}`, `${NAME:?message}`, `${NAME:-default}`. */
function interpolations(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\$(\$|\{[^}]*\}|[A-Za-z_]\w*)?/g)) {
    if (match[1] === '$') continue;
    found.push(match[0]);
  }
  return found;
}

describe('compose.yaml', () => {
  it('uses only well-formed interpolations, of variables .env.example lists', () => {
    const variables = interpolations(text);
    expect(variables.length).toBeGreaterThan(0);
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const variable of variables) {
      const name = /^\$\{([A-Z_][A-Z0-9_]*)(:[?-][^}]*)?\}$/.exec(variable)?.[1];
      expect(name, variable).toBeDefined();
      expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
    }
  });

  it('runs PostgreSQL 16 on a named volume, with a health check', () => {
    expect(postgres?.image).toMatch(/^postgres:16(\.|$|-)/);
    const [volume, mount] = postgres!.volumes![0]!.split(':');
    expect(mount).toBe('/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty(volume!);
    expect(postgres!.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('runs two replicas of Pulse built from the Dockerfile, on that database once it is healthy', () => {
    expect(pulse?.build).toBe('.');
    expect(pulse!.deploy?.replicas).toBe(2);
    expect(pulse!.depends_on?.postgres?.condition).toBe('service_healthy');
    const url = new URL(pulse!.environment!.DATABASE_URL!.replace(/\$\{[^}]*\}/, 'secret'));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    expect(`${url.username}/${url.pathname.slice(1)}`).toBe(
      `${postgres!.environment!.POSTGRES_USER}/${postgres!.environment!.POSTGRES_DB}`,
    );
    expect(pulse!.environment!.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
    // No published port: with two replicas only the proxy reaches them.
    expect(pulse!.ports).toBeUndefined();
  });

  it('reads the Slack secrets from .env and checks /healthz with node', () => {
    expect(pulse!.env_file).toBe('.env');
    expect(pulse!.healthcheck!.test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(pulse!.healthcheck!.test[3]).toContain('/healthz');
    expect(pulse!.stop_grace_period).toBe('30s');
  });

  it('publishes only the proxy, which passes on only the public paths', () => {
    expect(caddy!.ports).toEqual(['80:80', '443:443']);
    expect(caddy!.depends_on?.pulse?.condition).toBe('service_healthy');
    const mount = caddy!.volumes!.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    const caddyfile = readFileSync(join(ROOT, mount.split(':')[0]!), 'utf8');
    const matcher = /@public path (.+)$/m.exec(caddyfile)?.[1]?.split(' ');
    expect(matcher).toEqual(['/slack/events', '/webhooks/stripe', '/webhooks/zendesk', '/api/v1/*', '/v1/*']);
    expect(caddyfile).toMatch(/handle \{\s*respond 404\s*\}/);
    expect(caddyfile).toMatch(/name pulse\s+port 3000/);
  });
});
