import { expect } from 'vitest';
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

export interface PulseWithSlack {
  pulse: PulseProcess;
  double: SlackDouble;
  slackUrl: string;
  sim: SlackClientSimulator;
  /** The test's own connection to Pulse's database, when it runs on the PostgreSQL server. */
  database?: Awaited<ReturnType<typeof freshDatabase>>;
  /** POST to the ingestion API; anything but 200 fails the test. */
  ingest(route: string, body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Pulse started as `npm start` does, against a Web API double, with the ingestion API on and a
 * simulator that signs requests as Slack does. On the server (TEST_DATABASE_URL) it gets a database of
 * its own that the test can read too.
 */
export async function startPulseWithSlack(env: Record<string, string | undefined>): Promise<PulseWithSlack> {
  const slack = await startSlackDouble();
  const database = process.env.TEST_DATABASE_URL ? await freshDatabase() : undefined;
  const pulse = await startPulseProcess({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    INGEST_TOKEN: TEST_INGEST_TOKEN,
    DATABASE_URL: database?.url,
    ...env,
  });
  const sim = new SlackClientSimulator({
    double: slack.double,
    signingSecret: TEST_SIGNING_SECRET,
    eventsUrl: `${pulse.url}/slack/events`,
  });
  return {
    pulse,
    double: slack.double,
    slackUrl: slack.url,
    sim,
    database,
    async ingest(route, body) {
      const response = await fetch(`${pulse.url}/api/v1/${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return response.json();
    },
    async close() {
      await pulse.stop();
      await slack.close();
      await database?.drop();
    },
  };
}
