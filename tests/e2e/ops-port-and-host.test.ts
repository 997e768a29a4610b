import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ALERTS_CHANNEL, DEMO_CSMS } from '../../demo/workspace.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { startSandbox } from '../helpers/sandbox.ts';

const OPS_TOKEN = 'ops-token-for-e2e-0123456789';

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** Whether something listens on this interface and port: 'listening', or the connection error's code. */
const listening = (host: string, port: number | string) =>
  new Promise<string>((resolve) => {
    const socket = connect(Number(port), host, () => {
      socket.destroy();
      resolve('listening');
    });
    socket.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
  });

const statusOf = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;

describe('OPS_PORT and OPS_TOKEN', () => {
  let app: PulseInProcess;
  let opsPort: number;
  const ops = (route: string, host = '127.0.0.1') => `http://${host}:${opsPort}${route}`;
  const bearer = { headers: { authorization: `Bearer ${OPS_TOKEN}` } };

  beforeAll(async () => {
    opsPort = await freePort();
    app = await startPulseInProcess({
      env: { CS_ALERT_CHANNEL: 'C0CSALERTS', OPS_TOKEN, OPS_PORT: String(opsPort) },
    });
  }, 90_000);

  afterAll(() => app?.close());

  it('serves /metrics and /schedules on OPS_PORT only, to the token only', async () => {
    for (const route of ['/metrics', '/schedules']) {
      expect(await statusOf(`${app.pulse.url}${route}`, bearer), `PORT ${route}`).toBe(404);
      expect(await statusOf(ops(route)), `OPS_PORT ${route} without token`).toBe(401);
      expect(await statusOf(ops(route), bearer), `OPS_PORT ${route}`).toBe(200);
    }
    const metrics = await (await fetch(ops('/metrics'), bearer)).text();
    expect(metrics).toMatch(/pulse_http_requests_total\{method="GET",route="\/metrics",status="401"\} 1/);
  });

  it('listens for them on 127.0.0.1 only', async () => {
    expect(await listening('127.0.0.1', opsPort)).toBe('listening');
    expect(await listening('127.0.0.2', opsPort)).toBe('ECONNREFUSED');
  });

  it('keeps /healthz on PORT, saying only ok, the version and the migration', async () => {
    const health = await fetch(`${app.pulse.url}/healthz`);
    expect(health.status).toBe(200);
    expect(Object.keys(await health.json())).toEqual(['status', 'version', 'migration']);
    expect(await statusOf(ops('/healthz'), bearer)).toBe(404);
  });

  it('closes the ops server with Pulse', async () => {
    const closing = app;
    app = undefined as unknown as PulseInProcess;
    await closing.close();
    expect(await listening('127.0.0.1', opsPort)).toBe('ECONNREFUSED');
  });
});

describe('HOST', () => {
  const helpFrom = (url: string) =>
    fetch(`${url}/sandbox/ui/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: DEMO_CSMS.ana.id, channel: DEMO_ALERTS_CHANNEL, text: '/cs help' }),
    }).then((r) => r.json() as Promise<{ status: number; ack: { text: string } }>);

  it('is 127.0.0.1 for the sandbox unless set: whoever opens the sandbox acts as anyone', async () => {
    const pulse = await startSandbox();
    try {
      const port = new URL(pulse.url).port;
      expect(pulse.url).toBe(`http://127.0.0.1:${port}`);
      expect(await statusOf(`${pulse.url}/healthz`)).toBe(200);
      expect(await listening('127.0.0.2', port)).toBe('ECONNREFUSED');
    } finally {
      await pulse.close();
    }
  }, 90_000);

  it('is honoured, and the sandbox reaches itself on that interface', async () => {
    const pulse = await startSandbox({ HOST: '127.0.0.2' });
    try {
      const port = new URL(pulse.url).port;
      expect(pulse.url).toBe(`http://127.0.0.2:${port}`);
      expect(await listening('127.0.0.1', port)).toBe('ECONNREFUSED');
      // The sandbox signs the command and posts it to Pulse, which answers through the Web API double.
      // Ana reads Slack in Portuguese: the sandbox's Pulse answers her in it.
      expect(await helpFrom(pulse.url)).toMatchObject({ status: 200, ack: { text: 'O que o Pulse faz' } });
    } finally {
      await pulse.close();
    }
  }, 90_000);
});
