import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { raiseRedFlag } from '../../src/services/red-flags.ts';
import { ACTION } from '../../src/slack/constants.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SlackClientSimulator, SlackDouble, SlackMessage } from '../helpers/slack.ts';

/**
 * A red flag raised by another capability, clicked as Slack does. Pulse runs in this process (its
 * database is the test's, on both engines) so the test can raise the flag as a survey answer would.
 */
const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';

let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;
let sim: SlackClientSimulator;
let alert: SlackMessage;

const current = () => double.message(CHANNEL, alert.ts)!;

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM } });
  ({ pulse, double, sim } = app);
}, 90_000);

afterAll(() => app?.close(), 30_000);

describe('a red-flag alert, end to end', () => {
  it('is posted with the four controls, once however often it is raised', async () => {
    const { db } = pulse.deps;
    const [acme] = await rows<{ id: number }>(
      db.orm,
      sql`insert into accounts (key, name, tier, owner_slack_id) values ('acme', 'Acme Corp', 'high_touch', ${CSM})
        returning id`,
    );
    const flag = {
      accountId: acme!.id,
      kind: 'detractor' as const,
      dedupeKey: 'detractor:survey:1',
      headline: 'NPS 3 from Ana Souza (champion)',
      facts: [{ label: 'Comment', value: 'Support takes days to answer' }],
    };
    for (let i = 0; i < 2; i++) await db.orm.transaction((tx) => raiseRedFlag(tx, pulse.deps, flag));
    alert = await double.waitFor(() => double.messages(CHANNEL)[0], 15_000);
    expect(alert.text).toBe('Acme Corp: NPS detractor: NPS 3 from Ana Souza (champion)');
    expect(blocksOf(alert)).toContain('*Comment*: Support takes days to answer');
    expect(blocksOf(alert)).toContain('<@U0CSM00001>');
    const controls = (alert.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>)
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => e.action_id);
    expect(controls).toEqual([
      ACTION.alertAcknowledge,
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);
    expect(double.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('Acknowledge by a CS team member updates the same message and is recorded', async () => {
    const click = await sim.click(current(), ACTION.alertAcknowledge, { user: CSM });
    expect(click.status).toBe(200);
    await double.waitFor(() => blocksOf(current()).includes('Acknowledged by <@U0CSM00001> at'));
    expect(blocksOf(current())).toContain('Support takes days to answer');
    expect(
      await rows<{ user_id: string; action: string }>(
        pulse.deps.db.orm,
        sql`select user_id, action from alert_actions order by id`,
      ),
    ).toEqual([{ user_id: CSM, action: 'acknowledged' }]);
    expect(double.messages(CHANNEL)).toHaveLength(1);
  });
});
