import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOperationalRoutes } from '../../src/http/health-routes.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';
import { freshDatabase } from '../helpers/database.ts';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let server: ReturnType<typeof createHttpServer>;
let url: string;

beforeAll(async () => {
  database = await freshDatabase();
  const metrics = createMetrics();
  server = createHttpServer(pino({ level: 'silent' }), metrics);
  registerOperationalRoutes(server, database.db, metrics);
  server.post('/echo', async (request) => ({ received: request.rawBody?.length ?? 0 }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await server.close();
  await database.drop().catch(() => undefined);
});

describe('operational routes', () => {
  it('answers /healthz 200 while the database answers', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: database.db.kind });
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

  it('answers /healthz 503 with the reason once the database is gone', async () => {
    await database.db.close();
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/^database: /);
  });
});
