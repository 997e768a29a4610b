import { expect } from 'vitest';
import type { SlackDoubleOptions } from '../../sandbox/slack-double.ts';
import { freshDatabase } from './database.ts';
import { type PulseProcess, startPulseProcess } from './pulse-process.ts';
import {
  SlackClientSimulator,
  type SlackDouble,
  startSlackDouble,
  TEST_BOT_TOKEN,
  TEST_SIGNING_SECRET,
} from './slack.ts';

export const TEST_INGEST_TOKEN = 'e2e-ingest-token-0123456789';

/** What a test drives Pulse with, however Pulse was started. */
export interface PulseUnderTest {
  double: SlackDouble;
  sim: SlackClientSimulator;
  /** The test's own connection to Pulse's database, when it runs on the PostgreSQL server. */
  database?: Awaited<ReturnType<typeof freshDatabase>>;
  /** POST to the ingestion API; anything but 200 fails the test. */
  ingest(route: string, body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export interface PulseWithSlack extends PulseUnderTest {
  pulse: PulseProcess;
  slackUrl: string;
}

/**
 * Pulse started as `npm start` does, against a Web API double, with the ingestion API on and a
 * simulator that signs requests as Slack does (the double's workspace can be given, e.g. a person's locale). On the server (TEST_DATABASE_URL) it gets a database of
 * its own that the test can read too.
 */
export async function startPulseWithSlack(
  env: Record<string, string | undefined>,
  doubleOptions: Partial<SlackDoubleOptions> = {},
): Promise<PulseWithSlack> {
  const surroundings = await startSurroundings(doubleOptions);
  const pulse = await startPulseProcess({ ...surroundings.env, ...env }).catch(surroundings.abandon);
  const app: PulseWithSlack = {
    ...surroundings.connect(pulse.url, async () => {
      running.delete(app);
      await pulse.stop();
    }),
    pulse,
    slackUrl: surroundings.url,
  };
  running.add(app);
  return app;
}

/** The Pulses of this worker's current file, for explainFailure. */
const running = new Set<PulseWithSlack>();

/**
 * What each running Pulse logged at warn or above and the Web API calls of its last 10 seconds, with
 * their times: printed when a test fails (tests/explain-failures.ts), a timeout then says whether Pulse
 * stalled, failed or never tried.
 */
export function explainFailure(): string | undefined {
  if (!running.size) return undefined;
  const since = Date.now() - 10_000;
  const at = (ms: number) => new Date(ms).toISOString().slice(11, 23);
  return [...running]
    .map((app) => {
      const logs = app.pulse.logs
        .filter((entry) => Number(entry.level) >= 40)
        .map(
          (entry) =>
            `${at(Number(entry.time))} ${entry.msg} ${JSON.stringify(entry.err ?? entry.reason ?? '')}`,
        );
      const calls = app.double.calls
        .filter((call) => call.at >= since)
        .map(
          (call) =>
            `${at(call.at)} ${call.method} ${call.status} ${JSON.stringify(call.params).slice(0, 100)}`,
        );
      return `Pulse at ${app.pulse.url}: warnings and errors:\n  ${logs.join('\n  ') || '(none)'}\nits Web API calls of the last 10 s:\n  ${calls.join('\n  ') || '(none)'}`;
    })
    .join('\n');
}

/**
 * What Pulse runs against in a test: the Web API double and, on the server (TEST_DATABASE_URL), a fresh
 * database; `env` points Pulse at both. Once Pulse listens, `connect` gives the test its simulator and
 * ingestion client; if Pulse fails to start, `abandon` closes both and rethrows, since the test's
 * afterAll has nothing to close yet and an open double would keep vitest from exiting.
 */
export async function startSurroundings(doubleOptions: Partial<SlackDoubleOptions> = {}) {
  const slack = await startSlackDouble(doubleOptions);
  const database = process.env.TEST_DATABASE_URL ? await freshDatabase() : undefined;
  const release = async () => {
    await slack.close();
    await database?.drop();
  };
  return {
    url: slack.url,
    double: slack.double,
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      INGEST_TOKEN: TEST_INGEST_TOKEN,
      DATABASE_URL: database?.url,
    },
    connect(pulseUrl: string, stopPulse: () => Promise<unknown>): PulseUnderTest {
      return {
        double: slack.double,
        sim: new SlackClientSimulator({
          double: slack.double,
          signingSecret: TEST_SIGNING_SECRET,
          eventsUrl: `${pulseUrl}/slack/events`,
        }),
        database,
        ingest: ingestInto(pulseUrl),
        async close() {
          await stopPulse();
          await release();
        },
      };
    },
    async abandon(error: unknown): Promise<never> {
      await release();
      throw error;
    },
  };
}

/** POSTs to the ingestion API of the Pulse at `pulseUrl`; anything but 200 fails the test. */
function ingestInto(pulseUrl: string): (route: string, body: unknown) => Promise<unknown> {
  return async (route, body) => {
    const response = await fetch(`${pulseUrl}/api/v1/${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  };
}
