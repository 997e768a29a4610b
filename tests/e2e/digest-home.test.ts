import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewProblems } from '../../sandbox/block-kit-limits.ts';
import { ACCOUNT, ACTION, BLOCK } from '../../src/slack/constants.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';
import type { SlackMessage } from '../helpers/slack.ts';

const LEAD = 'U0CSLEAD01';
const CSM = 'U0CSM00001';
const OTHER_CSM = 'U0CSM00002';
const OUTSIDER = 'U0SALES001';
const ALERTS = 'C0CSALERTS';
const DIGEST_CHANNEL = 'C0CSDIGEST';
const DAY = 86_400_000;
const REFUSAL = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';

let app: PulseWithSlack;
const digestsIn = (channel: string) =>
  app.double.messages(channel).filter((m) => m.text.startsWith('Weekly digest'));

beforeAll(async () => {
  app = await startPulseWithSlack({
    CS_ALERT_CHANNEL: ALERTS,
    CS_TEAM: `${CSM},${OTHER_CSM},${LEAD}`,
    CS_LEADS: LEAD,
  });
  const now = Date.now();
  await app.ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      mrr: 4500,
      owner_slack_id: CSM,
      contract_start: new Date(now - 40 * DAY).toISOString().slice(0, 10),
      renewal_date: new Date(now + 20 * DAY).toISOString().slice(0, 10),
    },
    { key: 'globex', name: 'Globex', tier: 'low_touch', owner_slack_id: OTHER_CSM },
  ]);
  await app.ingest('milestones', [
    { account: 'acme', title: 'Go-live', reached_at: new Date(now - 2 * DAY).toISOString() },
    {
      account: 'acme',
      title: 'Admin training',
      planned_for: new Date(now - 5 * DAY).toISOString().slice(0, 10),
    },
  ]);
  await app.ingest('billing-events', {
    account: 'acme',
    external_id: 'in_digest_1',
    type: 'payment_failed',
    occurred_at: new Date(now - DAY).toISOString(),
    amount: 1200,
    currency: 'USD',
  });
  // The billing flag's alert is posted once the recomputation after the event has run.
  await app.double.waitFor(
    () => app.double.messages(ALERTS).find((m) => m.text.includes('Payment failed')),
    15_000,
  );
}, 90_000);

afterAll(() => app?.close());

describe('/cs digest', () => {
  let digest: SlackMessage;

  it('posts the weekly digest to the channel it was typed in, and answers the person ephemerally', async () => {
    const answer = await app.sim.command({ user: CSM, channel: DIGEST_CHANNEL }, '/cs', 'digest');
    expect(answer.ack).toMatchObject({
      response_type: 'ephemeral',
      text: 'The weekly digest is on its way to this channel. If it does not appear, Pulse is not a member here: invite it with `/invite @pulse`.',
    });
    digest = await app.double.waitFor(() => digestsIn(DIGEST_CHANNEL)[0], 15_000);
    const blocks = blocksOf(digest);
    expect(blocks).toContain('Weekly digest · week of');
    expect(blocks).toContain('Payment failed: $1,200.00');
    expect(blocks).toContain('*Renewals ahead* · 1 in 30 days, 1 in 60 days');
    expect(blocks).toContain(':trophy: *Acme Corp* Go-live');
    expect(blocks).toContain(
      '*Time to first value* · 1 account reached first value this week, median 38 days',
    );
    expect((digest.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    expect(digestsIn(ALERTS)).toEqual([]);
  });

  it("opens an account's health card from the digest's menu", async () => {
    const result = await app.sim.click(digest, ACCOUNT.healthCard, { user: OTHER_CSM, value: 'acme' });
    const card = await app.double.waitFor(
      () =>
        app.double
          .ephemerals(OTHER_CSM)
          .find((e) => e.channel === DIGEST_CHANNEL && blocksOf(e).includes('/100')),
      10_000,
    );
    expect(result.status).toBe(200);
    expect(blocksOf(card)).toContain('Acme Corp');
  });

  it("refuses the digest's menu to someone outside the CS team", async () => {
    const click = await app.sim.click(digest, ACCOUNT.healthCard, { user: OUTSIDER, value: 'acme' });
    const [answer] = (await click.waitForResponses()) as Array<{ text: string; blocks?: unknown }>;
    expect(answer).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: REFUSAL,
    });
  });

  it('refuses someone outside the CS team, and posts nothing', async () => {
    const answer = await app.sim.command({ user: OUTSIDER, channel: DIGEST_CHANNEL }, '/cs', 'digest');
    expect((answer.ack as { text: string }).text).toBe(REFUSAL);
    expect(digestsIn(DIGEST_CHANNEL)).toHaveLength(1);
  });

  it('lists the weekly digest among the schedules with its next run', async () => {
    const response = await fetch(`${app.pulse.url}/schedules`);
    const body = (await response.json()) as {
      schedules: Array<{ name: string; cron: string; next_run_at: string }>;
    };
    const weekly = body.schedules.find((s) => s.name === 'weekly-digest')!;
    expect(weekly.cron).toBe('0 9 * * 1');
    const next = new Date(weekly.next_run_at);
    expect(next.getUTCDay()).toBe(1);
    expect(next.getUTCHours()).toBe(9);
    expect(+next - Date.now()).toBeLessThanOrEqual(7 * DAY);
  });
});

describe('App Home', () => {
  it("publishes a CSM's own accounts, open alerts and overdue milestones when they open the Home", async () => {
    const answer = await app.sim.openHome(CSM);
    expect(answer.status).toBe(200);
    const home = await app.double.waitFor(() => app.double.homeViews(CSM).at(-1), 10_000);
    const blocks = blocksOf(home);
    expect(blocks).toContain('Your book of business');
    expect(blocks).toContain('*Acme Corp* `acme`');
    expect(blocks).not.toContain('Globex');
    expect(blocks).toContain('Payment failed: $1,200.00');
    expect(blocks).toContain('Admin training');
    expect((home.blocks as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it('opens the health card in a modal from the Home menu', async () => {
    const home = app.double.homeViews(CSM).at(-1)!;
    await app.sim.click(home, ACCOUNT.homeMenu, { user: CSM, value: 'card:acme' });
    const modal = await app.double.waitFor(
      () => app.double.openViews(CSM).find((v) => blocksOf(v).includes('/100')),
      10_000,
    );
    expect(blocksOf(modal)).toContain('Acme Corp');
  });

  it('shows a CS lead the whole portfolio', async () => {
    await app.sim.openHome(LEAD);
    const home = await app.double.waitFor(() => app.double.homeViews(LEAD).at(-1), 10_000);
    const blocks = blocksOf(home);
    expect(blocks).toContain('Portfolio health');
    expect(blocks).toContain('Acme Corp');
    expect(blocks).toContain('Globex');
  });

  it("acts on the CSM's open incident from the Home as on its message: Acknowledge, then Assign to someone else", async () => {
    const before = app.double.homeViews(CSM).length;
    await app.sim.openHome(CSM);
    // The Home published for this visit (not the one of the test above).
    const home = await app.double.waitFor(() => app.double.homeViews(CSM).slice(before).at(-1), 10_000);
    expect(blocksOf(home)).toContain('*Your open incidents* · 1');
    // One line per incident: its headline (then how many other causes it has, here the fall it caused).
    expect(blocksOf(home)).toContain('*Acme Corp* Payment failed: $1,200.00');
    expect(blocksOf(home)).toContain(`· owned by <@${CSM}>`);
    const controls = (view: { blocks?: unknown[] }) =>
      (view.blocks as Array<{ type: string; block_id?: string; elements?: Array<{ action_id: string }> }>)
        .filter((b) => b.block_id?.startsWith(BLOCK.homeIncidentPrefix))
        .map((b) => b.elements!.map((e) => e.action_id));
    expect(controls(home)).toEqual([
      [ACTION.alertAcknowledge, ACTION.alertSnooze, ACTION.alertResolve, ACTION.alertAssign],
    ]);
    expect(viewProblems(home)).toEqual([]);
    const message = () =>
      app.double.messages(ALERTS).find((m) => !m.thread_ts && m.text.includes('Payment failed'))!;

    const ack = await app.sim.click(home, ACTION.alertAcknowledge, { user: CSM });
    expect(ack.status).toBe(200);
    // The channel's message shows the click, and the Home is published again with the new state.
    await app.double.waitFor(() => blocksOf(message()).includes(`Acknowledged by <@${CSM}>`), 10_000);
    const acknowledged = await app.double.waitFor(
      () =>
        app.double
          .homeViews(CSM)
          .slice(before)
          .find((v) => blocksOf(v).includes('_(acknowledged)_')),
      10_000,
    );
    expect(controls(acknowledged)).toEqual([[ACTION.alertSnooze, ACTION.alertResolve, ACTION.alertAssign]]);

    const published = app.double.homeViews(CSM).length;
    await app.sim.click(acknowledged, ACTION.alertAssign, { user: CSM, value: OTHER_CSM });
    await app.double.waitFor(
      () =>
        app.double
          .messages(ALERTS)
          .find(
            (m) =>
              m.thread_ts === message().ts && m.text.includes(`assigned this incident to <@${OTHER_CSM}>`),
          ),
      10_000,
    );
    // No longer the CSM's to handle: their Home lists none; the new owner's lists it as theirs.
    const after = await app.double.waitFor(() => app.double.homeViews(CSM).slice(published).at(-1), 10_000);
    expect(blocksOf(after)).toContain('*Your open incidents* · 0\\nNone open.');
    await app.sim.openHome(OTHER_CSM);
    const theirs = await app.double.waitFor(() => app.double.homeViews(OTHER_CSM).at(-1), 10_000);
    expect(blocksOf(theirs)).toContain(`Payment failed: $1,200.00`);
    expect(blocksOf(theirs)).toContain(`_(acknowledged)_ · owned by <@${OTHER_CSM}>`);

    // Resolve from the Home: the same modal; once submitted, the message is resolved and the Home empty.
    const shown = app.double.homeViews(OTHER_CSM).length;
    await app.sim.click(theirs, ACTION.alertResolve, { user: OTHER_CSM });
    const modal = await app.double.waitFor(
      () => app.double.openViews(OTHER_CSM).find((v) => blocksOf(v).includes('What was done?')),
      10_000,
    );
    expect((await app.sim.submit(modal, { [BLOCK.resolveNote]: 'Card updated' })).errors).toBeUndefined();
    await app.double.waitFor(() => blocksOf(message()).includes('Card updated'), 10_000);
    await app.double.waitFor(
      () =>
        app.double
          .homeViews(OTHER_CSM)
          .slice(shown)
          .find((v) => blocksOf(v).includes('*Your open incidents* · 0')),
      10_000,
    );
  });
});
