// Sends a few days of product events to a running sandbox with the real Segment client
// (@segment/analytics-node), as an app instrumented for Segment would once its host points at Pulse:
// `npm start` in one terminal, `npm run demo:segment` in another, then `/cs connectors` and
// `/cs health gringotts` in the sandbox. PULSE_URL (default http://127.0.0.1:$PORT, port 3000) and
// SEGMENT_WRITE_KEY (default the sandbox's) say where to.
import { fileURLToPath } from 'node:url';
import { Analytics } from '@segment/analytics-node';
import { SANDBOX_SEGMENT_WRITE_KEY } from '../sandbox/connectors.ts';

const DAY = 86_400_000;

/** The demo's product users: the people of the sandbox's HubSpot customers, and how active each is. */
const USERS = [
  {
    id: 'gringotts-griphook',
    account: 'gringotts',
    email: 'griphook@gringotts.example',
    name: 'Griphook Goblin',
    activeDays: 5,
  },
  {
    id: 'gringotts-ragnok',
    account: 'gringotts',
    email: 'ragnok@gringotts.example',
    name: 'Ragnok Goblin',
    activeDays: 2,
  },
  {
    id: 'gringotts-bogrod',
    account: 'gringotts',
    email: 'bogrod@gringotts.example',
    name: 'Bogrod Goblin',
    activeDays: 4,
  },
  { id: 'duff-duffman', account: 'duff', email: 'duffman@duff.example', name: 'Duff Man', activeDays: 5 },
  { id: 'duff-barney', account: 'duff', email: 'barney@duff.example', name: 'Barney Gumble', activeDays: 1 },
  {
    id: 'krusty-herschel',
    account: 'krusty',
    email: 'krusty@krusty.example',
    name: 'Herschel Krustofski',
    activeDays: 3,
  },
];

export interface DemoSegmentRun {
  users: number;
  events: number;
}

/**
 * Each user's `group` (their account) and `identify`, then, for each of their active days up to today, a
 * `Signed In` and a `Report Exported` (every other day) dated that day.
 */
export async function sendDemoSegmentEvents(options: {
  url: string;
  writeKey: string;
  now?: Date;
}): Promise<DemoSegmentRun> {
  const now = options.now ?? new Date();
  const analytics = new Analytics({
    writeKey: options.writeKey,
    host: options.url,
    flushAt: 100,
    maxRetries: 2,
  });
  const failures: unknown[] = [];
  analytics.on('error', (error) => failures.push(error));
  let events = 0;
  for (const user of USERS) {
    analytics.group({ userId: user.id, groupId: user.account });
    analytics.identify({ userId: user.id, traits: { email: user.email, name: user.name } });
    events += 2;
    for (let daysAgo = user.activeDays - 1; daysAgo >= 0; daysAgo--) {
      const timestamp = new Date(+now - daysAgo * DAY);
      analytics.track({ userId: user.id, event: 'Signed In', timestamp });
      events++;
      if (daysAgo % 2 === 0) {
        analytics.track({ userId: user.id, event: 'Report Exported', timestamp });
        events++;
      }
    }
  }
  await analytics.closeAndFlush({ timeout: 30_000 });
  if (failures.length) throw new Error(`Pulse refused the events: ${JSON.stringify(failures[0])}`);
  return { users: USERS.length, events };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.PULSE_URL ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
  const run = await sendDemoSegmentEvents({
    url,
    writeKey: process.env.SEGMENT_WRITE_KEY ?? SANDBOX_SEGMENT_WRITE_KEY,
  });
  console.log(
    `sent ${run.events} Segment calls for ${run.users} users to ${url}: try /cs connectors and /cs health gringotts in the sandbox`,
  );
}
