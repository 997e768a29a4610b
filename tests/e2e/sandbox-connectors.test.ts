import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDemoSegmentEvents } from '../../scripts/demo-segment.ts';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { connectorStatus } from '../../src/services/connectors.ts';
import { startSandbox } from '../helpers/sandbox.ts';

/**
 * The sandbox is a connected workspace: it starts a local HubSpot and Zendesk holding the demo's
 * customers, points the connectors at them and syncs them on start; the Segment demo script's events,
 * sent with the real Segment client, arrive as the accounts' usage.
 */
describe('the sandbox with its connectors', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    pulse = await startSandbox();
  }, 90_000);
  afterAll(async () => {
    await pulse?.close();
  }, 30_000);

  it('wires the three connectors to the local sources and stores what they hold on start', async () => {
    const { deps, sources } = pulse;
    expect(deps.config.hubspot?.apiUrl).toBe(sources?.hubspot?.url);
    expect(deps.config.zendesk?.apiUrl).toBe(sources?.zendesk?.url);
    const status = await connectorStatus(deps);
    expect(status.map((c) => [c.name, c.enabled])).toEqual([
      ['segment', true],
      ['hubspot', true],
      ['zendesk', true],
    ]);
    const hubspot = status.find((c) => c.name === 'hubspot')!;
    // Three companies and four contacts; Planet Express's MRR is not a number.
    expect(hubspot).toMatchObject({ stored: 7, skipped: 1, lastError: null });
    expect(hubspot.lastSkipped[0]).toMatchObject({
      record: 'company 9004',
      reason: expect.stringMatching(/mrr/),
    });
    expect(hubspot.nextRunAt).not.toBeNull();
    expect(status.find((c) => c.name === 'zendesk')).toMatchObject({ skipped: 0, lastError: null });

    expect(
      await rows(
        deps.db.orm,
        sql`select key, name, tier, owner_slack_id from accounts where key in ('gringotts', 'duff', 'krusty') order by key`,
      ),
    ).toEqual([
      { key: 'duff', name: 'Duff Brewing', tier: 'mid_touch', owner_slack_id: 'U0CSM04' },
      { key: 'gringotts', name: 'Gringotts Bank', tier: 'high_touch', owner_slack_id: 'U0CSM03' },
      { key: 'krusty', name: 'Krusty Burger', tier: 'low_touch', owner_slack_id: 'U0CSM04' },
    ]);
    expect(
      await rows(
        deps.db.orm,
        sql`select t.id::int as id, t.status, a.key from zendesk_tickets t join accounts a on a.id = t.account_id order by t.id`,
      ),
    ).toEqual([
      { id: 5001, status: 'open', key: 'gringotts' },
      { id: 5002, status: 'open', key: 'gringotts' },
      { id: 5003, status: 'solved', key: 'gringotts' },
      { id: 5004, status: 'solved', key: 'duff' },
      { id: 5005, status: 'open', key: 'krusty' },
    ]);
    // The urgent ticket open two days on a high-touch account is a red flag.
    expect(
      await rows(
        deps.db.orm,
        sql`select a.key from alerts al join accounts a on a.id = al.account_id where al.kind = 'urgent_ticket'`,
      ),
    ).toEqual([{ key: 'gringotts' }]);
  });

  it("counts the Segment demo script's events as the accounts' usage", async () => {
    const run = await sendDemoSegmentEvents({
      url: pulse.url,
      writeKey: pulse.deps.config.segment!.writeKey,
      now: pulse.deps.clock(),
    });
    expect(run.users).toBe(6);
    const today = async (metric: string) =>
      (
        await rows<{ value: number }>(
          pulse.deps.db.orm,
          sql`select m.value from metric_points m join accounts a on a.id = m.account_id
              where a.key = 'gringotts' and m.metric = ${metric} order by m.at desc limit 1`,
        )
      )[0]?.value;
    // Pulse answers the client once the batch is stored. All three of Gringotts' users were active today.
    expect(await today('active_users')).toBe(3);
    expect(await today('wau')).toBe(3);
    expect(await today('report_exported')).toBe(3);
    expect((await connectorStatus(pulse.deps)).find((c) => c.name === 'segment')!.stored).toBeGreaterThan(0);
  });
});
