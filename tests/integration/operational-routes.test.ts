import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerHealthRoute } from '../../src/http/health-routes.ts';
import { registerOpsRoutes } from '../../src/http/ops-routes.ts';
import { createLogger } from '../../src/logger.ts';
import { freshDatabase } from '../helpers/database.ts';
import { serveRoutes } from '../helpers/http.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const latestTag = JSON.parse(
  readFileSync(new URL('../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
).entries.at(-1).tag;

const OPS_TOKEN = 'ops-token-0123456789abcdef';
const INGESTED = 'ana.souza@acme.example';

let database: Awaited<ReturnType<typeof freshDatabase>>;
const servers: Array<() => Promise<void>> = [];
/** Every line Pulse's own logger wrote, as JSON text. */
const logLines: string[] = [];
const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });

async function serve(env: Record<string, string>): Promise<string> {
  const server = await serveRoutes(
    database.db,
    env,
    () => new Date(),
    (app, deps) => {
      registerHealthRoute(app, deps.db, deps.logger);
      registerOpsRoutes(app, deps);
      app.post('/echo', async (request) => ({ received: request.rawBody?.length ?? 0 }));
      // A failure that carries ingested data: a query parameter and a failed query's parameter.
      app.get('/fail', async () => {
        await deps.db.orm.execute(sql`select 1 / 0 where ${INGESTED}::text is not null`);
      });
    },
    logger,
  );
  servers.push(server.close);
  return server.url;
}

let url: string;
let guarded: string;

beforeAll(async () => {
  database = await freshDatabase();
  url = await serve({});
  guarded = await serve({ OPS_TOKEN });
});

afterAll(async () => {
  for (const close of servers) await close();
  await database.drop().catch(() => undefined);
});

describe('operational routes', () => {
  it('answers /healthz 200 while the database answers', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    // The version from package.json, and the latest migration of the journal, which the database holds.
    expect(await response.json()).toEqual({ status: 'ok', version: pkg.version, migration: latestTag });
  });

  it('serves Prometheus text with the request counter of the route just called', async () => {
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toMatch(
      /pulse_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/,
    );
  });

  it('refuses a body over 1 MiB with 413 on any route', async () => {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ path: '', message: 'the body is larger than 1 MiB; send smaller batches' }],
    });
  });

  it('answers an unknown route with 404 in the same error shape', async () => {
    const response = await fetch(`${url}/nowhere?x=1`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: [{ path: '', message: 'no route GET /nowhere' }] });
  });
});

describe('with OPS_TOKEN', () => {
  const get = (route: string, authorization?: string) =>
    fetch(`${guarded}${route}`, { headers: authorization ? { authorization } : {} });

  it('answers /metrics and /schedules only to its bearer token', async () => {
    for (const route of ['/metrics', '/schedules']) {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${OPS_TOKEN}`]) {
        const refused = await get(route, authorization);
        expect(refused.status, `${route} ${authorization}`).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer');
        expect(await refused.json()).toEqual({
          errors: [{ path: '', message: 'missing or wrong token; send "Authorization: Bearer <OPS_TOKEN>"' }],
        });
      }
      expect((await get(route, `Bearer ${OPS_TOKEN}`)).status).toBe(200);
    }
    expect(await (await get('/metrics', `Bearer ${OPS_TOKEN}`)).text()).toContain(
      'pulse_http_requests_total',
    );
    expect(await (await get('/schedules', `Bearer ${OPS_TOKEN}`)).json()).toMatchObject({
      schedules: expect.arrayContaining([expect.objectContaining({ name: 'weekly-digest' })]),
    });
  });

  it('leaves /healthz and the other routes open', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await fetch(`${guarded}/echo`, { method: 'POST' })).status).toBe(200);
  });
});

describe('logs', () => {
  it('name the route that failed without its query, and a failed query without its parameters', async () => {
    logLines.length = 0;
    const response = await fetch(`${url}/fail?email=${encodeURIComponent(INGESTED)}`);
    expect(response.status).toBe(500);
    const [line, ...more] = logLines;
    expect(more).toEqual([]);
    const entry = JSON.parse(line!);
    expect(entry.msg).toBe('request failed');
    expect(entry.url).toBe('/fail?[redacted]');
    expect(entry.err.message).toContain(
      'Failed query: select 1 / 0 where $1::text is not null (parameters left out)',
    );
    expect(entry.err.message).toContain('division by zero');
    expect(line).not.toContain('ana.souza');
  });
});

// Last: it closes the database.
describe('/healthz without a database', () => {
  it('answers 503 unavailable with what is down, without the database error, which goes to the log', async () => {
    logLines.length = 0;
    await database.db.close();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'the database does not answer' });
    const entry = JSON.parse(logLines.at(-1)!);
    expect(entry.msg).toBe('health check: the database did not answer');
    expect(entry.err.message).toBeTruthy();
  });
});
