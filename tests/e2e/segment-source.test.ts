import { Analytics } from '@segment/analytics-node';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSegmentRoutes } from '../../src/connectors/segment/routes.ts';
import { rows } from '../../src/db/client.ts';
import { freshDatabase } from '../helpers/database.ts';
import { serveRoutes } from '../helpers/http.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { waitUntil } from '../helpers/wait.ts';

const WRITE_KEY = 'segment-write-key-0123456789';
const OPS_TOKEN = 'ops-token-0123456789abcdef';
const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
const DAY = 86_400_000;
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

let app: PulseInProcess;
/** The request bodies the Segment client sent, to send again as a retrying client would. */
const sent: string[] = [];

/** Noon UTC `days` days from today (negative: before), so a day's events share one UTC (and SP) day. */
const noon = (days: number) => {
  const at = new Date(Date.now() + days * DAY);
  at.setUTCHours(12, 0, 0, 0);
  return at;
};
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

async function send(calls: (client: Analytics) => void): Promise<void> {
  const client = new Analytics({ writeKey: WRITE_KEY, host: app.pulse.url, flushAt: 500, maxRetries: 0 });
  const failures: unknown[] = [];
  client.on('error', (error) => failures.push(error));
  client.on('http_request', (request) => sent.push(request.body));
  calls(client);
  await client.closeAndFlush();
  expect(failures).toEqual([]);
}

const post = (path: string, body: unknown, key = WRITE_KEY) =>
  fetch(`${app.pulse.url}${path}`, {
    method: 'POST',
    headers: { authorization: basic(key), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Metric points of an account as `metric day → value`. */
async function points(account: string): Promise<Record<string, number>> {
  const found = await rows<{ metric: string; at: string; value: number }>(
    app.pulse.deps.db.orm,
    sql`select m.metric, to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as at, m.value
        from metric_points m join accounts a on a.id = m.account_id where a.key = ${account}
        order by m.metric, m.at`,
  );
  return Object.fromEntries(found.map((p) => [`${p.metric} ${p.at}`, p.value]));
}

beforeAll(async () => {
  app = await startPulseInProcess({
    env: {
      CS_ALERT_CHANNEL: 'C0CSALERTS',
      CS_TEAM: CSM,
      OPS_TOKEN,
      SEGMENT_WRITE_KEY: WRITE_KEY,
      SEGMENT_METRIC_EVENTS: 'Order Completed, Report Exported',
    },
  });
  // An account in São Paulo: its days start at 03:00 UTC.
  await app.ingest('accounts', { key: 'initech', name: 'Initech', timezone: 'America/Sao_Paulo' });
  await send((client) => {
    client.group({
      userId: 'u1',
      groupId: 'acme',
      traits: { name: 'Acme', tier: 'high_touch', seats: 10, mrr: 1200.5 },
    });
    client.group({ userId: 'u2', groupId: 'acme', traits: {} });
    client.group({ userId: 'u3', groupId: 'acme', traits: {} });
    client.group({ userId: 'u9', groupId: 'initech', traits: {} });
    client.identify({ userId: 'u1', traits: { email: 'Ana@Acme.com', name: 'Ana Lima', role: 'champion' } });
    client.identify({ userId: 'u2', traits: { email: 'bo@acme.com', firstName: 'Bo', lastName: 'Chen' } });
    // Identified before any group call: the contact is made when the group call comes.
    client.identify({ userId: 'u4', traits: { email: 'cy@acme.com', name: 'Cy' } });
    client.group({ userId: 'u4', groupId: 'acme', traits: {} });
    const today = noon(0);
    client.track({ userId: 'u1', event: 'Signed In', timestamp: today });
    client.track({ userId: 'u1', event: 'Order Completed', timestamp: today });
    client.track({ userId: 'u1', event: 'Order Completed', timestamp: today });
    client.track({ userId: 'u2', event: 'Viewed Report', timestamp: today });
    client.page({ userId: 'u3', name: 'Dashboard', timestamp: today });
    // Late, within 7 days: lands on its day; u1 counts once in the week and the month.
    client.track({ userId: 'u1', event: 'Logged In', timestamp: noon(-3) });
    // Too late: refused alone, the rest of the batch is stored.
    client.track({ userId: 'u2', event: 'Signed In', timestamp: noon(-10) });
    // 02:00 UTC is still the day before in São Paulo.
    client.track({ userId: 'u9', event: 'Signed In', timestamp: new Date(`${dayOf(noon(-1))}T02:00:00Z`) });
  });
}, 90_000);

afterAll(() => app?.close());

describe('the Segment-compatible source, driven by @segment/analytics-node', () => {
  it('makes accounts from group calls and contacts from identify calls', async () => {
    const [acme] = await rows<Record<string, unknown>>(
      app.pulse.deps.db.orm,
      sql`select name, tier, seats, mrr::text as mrr from accounts where key = 'acme'`,
    );
    expect(acme).toEqual({ name: 'Acme', tier: 'high_touch', seats: 10, mrr: '1200.50' });
    const contacts = await rows<Record<string, unknown>>(
      app.pulse.deps.db.orm,
      sql`select c.email, c.name, c.role from contacts c join accounts a on a.id = c.account_id
          where a.key = 'acme' order by c.email`,
    );
    expect(contacts).toEqual([
      { email: 'ana@acme.com', name: 'Ana Lima', role: 'champion' },
      { email: 'bo@acme.com', name: 'Bo Chen', role: 'user' },
      { email: 'cy@acme.com', name: 'Cy', role: 'user' },
    ]);
  });

  it('counts distinct users per day and over 7 and 30 days, logins and the listed events', async () => {
    const today = dayOf(noon(0));
    const threeDaysAgo = dayOf(noon(-3));
    const twoDaysAgo = dayOf(noon(-2));
    const acme = await points('acme');
    expect(acme).toMatchObject({
      [`active_users ${today}T00:00`]: 3,
      [`wau ${today}T00:00`]: 3,
      [`mau ${today}T00:00`]: 3,
      [`logins ${today}T00:00`]: 1,
      [`order_completed ${today}T00:00`]: 2,
      [`active_users ${threeDaysAgo}T00:00`]: 1,
      [`logins ${threeDaysAgo}T00:00`]: 1,
      [`wau ${threeDaysAgo}T00:00`]: 1,
      // The late event's user is in the rolling windows of the days after it.
      [`wau ${twoDaysAgo}T00:00`]: 1,
      [`mau ${twoDaysAgo}T00:00`]: 1,
    });
    // Events not listed are not counted as metrics; a day without activity has no active_users point.
    expect(Object.keys(acme).filter((k) => k.startsWith('viewed_report'))).toEqual([]);
    expect(acme[`active_users ${twoDaysAgo}T00:00`]).toBeUndefined();
    // The event ten days old was refused: no point on its day.
    expect(Object.keys(acme).some((k) => k.includes(dayOf(noon(-10))))).toBe(false);
  });

  it("puts an event on its day in the account's zone", async () => {
    const yesterday = dayOf(noon(-1));
    const dayBefore = dayOf(noon(-2));
    expect(await points('initech')).toMatchObject({
      [`active_users ${dayBefore}T03:00`]: 1,
      [`logins ${dayBefore}T03:00`]: 1,
    });
    expect((await points('initech'))[`active_users ${yesterday}T03:00`]).toBeUndefined();
  });

  it('recomputes the health of the accounts it fed', async () => {
    await waitUntil('the health of acme', async () => {
      const [row] = await rows<{ n: number }>(
        app.pulse.deps.db.orm,
        sql`select count(*)::int as n from account_health h join accounts a on a.id = h.account_id
            where a.key = 'acme'`,
      );
      return row!.n > 0;
    });
  });

  it('changes nothing when a batch is sent again (deduplicated on messageId)', async () => {
    const before = { acme: await points('acme'), initech: await points('initech') };
    let duplicates = 0;
    for (const body of sent) {
      const response = await post('/v1/batch', body);
      expect(response.status).toBe(200);
      duplicates += (await response.json()).duplicates;
    }
    // Every event counted the first time (all but the one ten days old) is a duplicate now.
    expect(duplicates).toBe(7);
    expect({ acme: await points('acme'), initech: await points('initech') }).toEqual(before);
  });

  it('refuses an event too old, or of a user with no account, alone and with its reason', async () => {
    const response = await post('/v1/batch', {
      batch: [
        { type: 'track', messageId: 'old-1', userId: 'u1', event: 'Signed In', timestamp: noon(-8) },
        { type: 'track', messageId: 'stranger-1', userId: 'nobody', event: 'Signed In' },
        { type: 'track', messageId: 'ok-1', userId: 'u3', event: 'Report Exported' },
      ],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      success: true,
      stored: 1,
      duplicates: 0,
      refused: [
        { index: 0, messageId: 'old-1', reason: 'timestamp is more than 7 days old: its day is closed' },
        {
          index: 1,
          messageId: 'stranger-1',
          reason: 'user "nobody" belongs to no account yet: send a group call for them first',
        },
      ],
    });
    expect((await points('acme'))[`report_exported ${dayOf(new Date())}T00:00`]).toBe(1);
  });

  it('counts every user when batches for the same account and day arrive at once', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const groups = users.map((userId) => ({
      type: 'group',
      userId,
      groupId: 'umbrella',
      traits: { name: 'Umbrella' },
    }));
    expect((await post('/v1/batch', { batch: groups })).status).toBe(200);
    // Eight batches of five new users each, all at once (an event not counted: no count row serialises them).
    const batches = Array.from({ length: 8 }, (_, b) => ({
      batch: users.slice(b * 5, b * 5 + 5).map((userId) => ({
        type: 'track',
        userId,
        event: 'Viewed Page',
        messageId: `concurrent-${userId}`,
      })),
    }));
    const answers = await Promise.all(batches.map((body) => post('/v1/batch', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const today = dayOf(new Date());
    expect(await points('umbrella')).toMatchObject({
      [`active_users ${today}T00:00`]: 40,
      [`wau ${today}T00:00`]: 40,
      [`mau ${today}T00:00`]: 40,
    });
  });

  it('takes the single calls, and a group whose traits fail validation is refused with the field', async () => {
    const bad = await post('/v1/group', { userId: 'u5', groupId: 'Not A Slug', traits: { name: 'X' } });
    expect(bad.status).toBe(200);
    const refused = (await bad.json()).refused;
    expect(refused[0].reason).toMatch(/^account key must be a lower-case slug/);
    const tier = await post('/v1/group', { userId: 'u5', groupId: 'acme', traits: { tier: 'gold' } });
    expect((await tier.json()).refused[0].reason).toMatch(/^traits\.tier must be one of: tech_touch/);
    const track = await post('/v1/track', { userId: 'u1', event: 'Order Completed', messageId: 'single-1' });
    expect(await track.json()).toEqual({ success: true, stored: 1, duplicates: 0 });
  });

  it('refuses a wrong write key, and a body over Segment’s limits with 400', async () => {
    expect((await post('/v1/batch', { batch: [] }, 'wrong-key-0123456789')).status).toBe(401);
    const event = (i: number) => ({
      type: 'track',
      userId: 'u1',
      event: 'Big',
      messageId: `big-${i}`,
      properties: { pad: 'x'.repeat(1000) },
    });
    const big = await post('/v1/batch', { batch: Array.from({ length: 520 }, (_, i) => event(i)) });
    expect(big.status).toBe(400);
    expect((await big.json()).errors[0].message).toMatch(/larger than 500 KB/);
    const call = await post('/v1/track', { ...event(0), properties: { pad: 'x'.repeat(33 * 1024) } });
    expect(call.status).toBe(400);
    expect((await call.json()).errors[0].message).toMatch(/larger than 32 KB/);
  });

  it('prunes day sets older than 31 days', async () => {
    const db = app.pulse.deps.db.orm;
    // A fresh source prunes on its first request of the day.
    const server = await serveRoutes(
      app.pulse.deps.db,
      { SEGMENT_WRITE_KEY: WRITE_KEY },
      () => new Date(),
      registerSegmentRoutes,
    );
    try {
      await db.execute(sql`insert into segment_active_users (account_id, day, user_hash)
        select id, current_date - 40, 1 from accounts where key = 'acme'`);
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: basic(WRITE_KEY), 'content-type': 'application/json' },
        body: JSON.stringify({ batch: [] }),
      });
      expect(response.status).toBe(200);
      await waitUntil('the old day set pruned', async () => {
        const [row] = await rows<{ n: number }>(
          db,
          sql`select count(*)::int as n from segment_active_users where day < current_date - 31`,
        );
        return row!.n === 0;
      });
    } finally {
      await server.close();
    }
  });
});

describe('its state', () => {
  it('is in GET /connectors, behind the ops token, with what it refused and why', async () => {
    const url = `${app.pulse.url}/connectors`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
    expect(response.status).toBe(200);
    const { connectors } = await response.json();
    expect(connectors.map((c: { name: string }) => c.name)).toEqual(['segment', 'hubspot', 'zendesk']);
    const segment = connectors[0];
    expect(segment).toMatchObject({ enabled: true, last_error: null, next_run_at: null });
    expect(segment.stored).toBeGreaterThan(20);
    expect(segment.skipped).toBeGreaterThanOrEqual(5);
    expect(segment.last_skipped).toContainEqual({
      record: 'stranger-1',
      reason: 'user "nobody" belongs to no account yet: send a group call for them first',
      at: expect.any(String),
    });
    expect(connectors[1]).toMatchObject({ name: 'hubspot', enabled: false, last_run_at: null, stored: 0 });
  });

  it('is in /cs connectors for the CS team, and refused to others', async () => {
    const answer = await app.sim.command({ user: CSM, channel: 'C0CSALERTS' }, '/cs', 'connectors');
    const text = JSON.stringify(answer.ack);
    expect(text).toContain('Segment events');
    expect(text).toContain(':large_green_circle: on');
    expect(text).toContain('skipped `stranger-1`: user \\"nobody\\" belongs to no account yet');
    expect(text).toContain('HubSpot CRM* — off');
    const refused = await app.sim.command({ user: OUTSIDER, channel: 'C0CSALERTS' }, '/cs', 'connectors');
    expect(JSON.stringify(refused.ack)).not.toContain('Segment');
    const usage = await app.sim.command({ user: CSM, channel: 'C0CSALERTS' }, '/cs', 'connectors now');
    expect(JSON.stringify(usage.ack)).toContain('/cs connectors');
  });
});

describe('without SEGMENT_WRITE_KEY', () => {
  it('answers 404 on every route', async () => {
    const database = await freshDatabase();
    const server = await serveRoutes(database.db, {}, () => new Date(), registerSegmentRoutes);
    try {
      for (const path of ['/v1/batch', '/v1/track', '/v1/identify', '/v1/group', '/v1/page']) {
        const response = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(response.status).toBe(404);
      }
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
