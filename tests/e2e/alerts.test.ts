import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createAccess } from '../../src/slack/access.ts';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/constants.ts';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';
import {
  type SlackClientSimulator,
  type SlackDouble,
  type SlackMessage,
  TEST_BOT_TOKEN,
} from '../helpers/slack.ts';

/** In CS_TEAM; the outsider is in the alert channel but not in the team. */
const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
/** Someone the incident is assigned to. */
const LEAD = 'U0LEAD0001';
const CHANNEL = 'C0CSALERTS';
const GLOBEX_CHANNEL = 'C0GLOBEXIN';
const DAY = 86_400_000;

let app: PulseWithSlack;
let double: SlackDouble;
let slackUrl: string;
let sim: SlackClientSimulator;
let database: PulseWithSlack['database'];
const ingest = (route: string, body: unknown) => app.ingest(route, body);

const failedPayment = {
  account: 'acme',
  external_id: 'in_e2e_alert_1',
  type: 'payment_failed',
  occurred_at: new Date(Date.now() - 2 * DAY).toISOString(),
  amount: 1200,
  currency: 'USD',
  due_date: '2026-11-30',
};

const botMessages = (channel: string) => double.messages(channel).filter((m) => !m.thread_ts);
const alertsIn = (channel: string) => botMessages(channel).filter((m) => m.text.includes('Payment failed'));
const blocksOf = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const actionIds = (m: SlackMessage) =>
  (m.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>)
    .find((b) => b.type === 'actions')!
    .elements!.map((e) => e.action_id);
const auditRows = async () =>
  database
    ? rows<{ user_id: string; action: string }>(
        database.db.orm,
        sql`select user_id, action from alert_actions order by id`,
      )
    : undefined;

let alert: SlackMessage;
const current = () => double.message(CHANNEL, alert.ts)!;

beforeAll(async () => {
  app = await startPulseWithSlack({ CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM });
  ({ double, slackUrl, sim, database } = app);
  await ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      mrr: 4500,
      owner_slack_id: CSM,
      renewal_date: '2027-01-31',
    },
    { key: 'globex', name: 'Globex', tier: 'low_touch', channel_id: GLOBEX_CHANNEL },
  ]);
}, 90_000);

afterAll(() => app.close());

describe('billing red-flag alerts, end to end', () => {
  it('posts one message for a failed payment, the score it turned red a line of it, with four controls', async () => {
    await ingest('billing-events', failedPayment);
    // The payment is the account's only data: its score enters red because of it, in the same evaluation.
    alert = await double.waitFor(
      () => alertsIn(CHANNEL).find((m) => blocksOf(m).includes('Entered red')),
      15_000,
    );
    expect(alert.text).toBe('Acme Corp: Payment failed: $1,200.00, due Mon 30 Nov 2026 (and 1 more)');
    expect(botMessages(CHANNEL)).toHaveLength(1);
    // A consequence is a line of the message, not news: nothing is said in its thread.
    expect(double.messages(CHANNEL).filter((m) => m.thread_ts)).toHaveLength(0);
    expect(blocksOf(alert)).toContain('<@U0CSM00001>');
    expect(blocksOf(alert)).toContain('$4,500.00');
    expect(actionIds(alert)).toEqual([
      ACTION.alertAcknowledge,
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);
  });

  it('posts nothing more when the same event is sent again', async () => {
    await ingest('billing-events', failedPayment);
    // Another account's flag, sent after the duplicate: once its alert is out, the duplicate was processed.
    await ingest('billing-events', {
      account: 'globex',
      external_id: 'in_e2e_globex_1',
      type: 'invoice_overdue',
      occurred_at: new Date(Date.now() - DAY).toISOString(),
      amount: 300,
      currency: 'USD',
    });
    // Posted as soon as it is committed, Globex's alert may get its score's line by an update just after:
    // the next test counts updates, so this one waits for that line.
    await double.waitFor(() => blocksOf(botMessages(GLOBEX_CHANNEL)[0]).includes('Entered red'), 15_000);
    expect(alertsIn(CHANNEL)).toHaveLength(1);
    // The accounts' health alerts (red with a failed payment as their only data) post too: count billing ones.
    const billingPosts = double
      .callsTo('chat.postMessage')
      .filter((c) => /Payment failed|Invoice overdue/.test(String(c.params.text)));
    expect(billingPosts).toHaveLength(2);
  });

  it('refuses a click from someone outside CS_TEAM, ephemerally, and changes nothing', async () => {
    const before = blocksOf(current());
    // The score's line may have reached the message by an update, if the post went out before it joined.
    const updates = double.callsTo('chat.update').length;
    const click = await sim.click(current(), ACTION.alertAcknowledge, { user: OUTSIDER });
    expect(click.status).toBe(200);
    expect(click.durationMs).toBeLessThan(3_000);
    const [answer] = (await click.waitForResponses()) as Array<{ text: string; response_type: string }>;
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answer!.text).toBe(
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.',
    );
    expect(blocksOf(current())).toBe(before);
    expect(double.callsTo('chat.update')).toHaveLength(updates);
    expect(await auditRows()).toEqual(database ? [] : undefined);
  });

  it('Acknowledge by a CS team member updates the same message and is recorded', async () => {
    const click = await sim.click(current(), ACTION.alertAcknowledge, { user: CSM });
    expect(click.status).toBe(200);
    expect(click.durationMs).toBeLessThan(3_000);
    await double.waitFor(() => blocksOf(current()).includes('Acknowledged by <@U0CSM00001> at'));
    expect(alertsIn(CHANNEL)).toHaveLength(1);
    expect(actionIds(current())).toEqual([
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);
    // The click acts on the incident: each of its two causes records it.
    const acknowledged = { user_id: CSM, action: 'acknowledged' };
    expect(await auditRows()).toEqual(database ? [acknowledged, acknowledged] : undefined);
  });

  it('Snooze for 1 day says until when', async () => {
    const alertId = (current().blocks as Array<{ elements?: Array<{ value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value)!.value!;
    const click = await sim.click(current(), ACTION.alertSnooze, { user: CSM, value: `${alertId}:1` });
    expect(click.status).toBe(200);
    await double.waitFor(() => blocksOf(current()).includes('Snoozed by <@U0CSM00001> until'));
    expect(actionIds(current())[0]).toBe(ACTION.alertAcknowledge);
    expect((await auditRows())?.map((r) => r.action)).toEqual(
      database ? ['acknowledged', 'acknowledged', 'snoozed', 'snoozed'] : undefined,
    );
  });

  it('Assign to… hands the incident to someone else, says so once in its thread, and is recorded', async () => {
    const select = () =>
      (current().blocks as Array<{ elements?: Array<{ action_id: string; initial_user?: string }> }>)
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === ACTION.alertAssign)!;
    // Nobody assigned it yet: the account's owner owns it.
    expect(select().initial_user).toBe(CSM);
    await sim.click(current(), ACTION.alertAssign, { user: CSM, value: LEAD });
    const reply = await double.waitFor(() =>
      double.messages(CHANNEL).find((m) => m.thread_ts === alert.ts && m.text.includes('assigned')),
    );
    expect(reply.text).toBe(`:bust_in_silhouette: <@${CSM}> assigned this incident to <@${LEAD}>.`);
    await double.waitFor(() => select().initial_user === LEAD);
    // Choosing the same person again changes nothing and says nothing.
    const updates = double.callsTo('chat.update').length;
    const click = await sim.click(current(), ACTION.alertAssign, { user: CSM, value: LEAD });
    expect(click.status).toBe(200);
    await double.waitFor(() => double.callsTo('chat.update').length > updates);
    expect(double.messages(CHANNEL).filter((m) => m.text.includes('assigned this incident'))).toHaveLength(1);
    // The account's health card says who owns the open incident.
    const card = await sim.click(current(), ACTION.alertHealthCard, { user: CSM });
    const [answer] = (await card.waitForResponses()) as Array<{ blocks: unknown[] }>;
    expect(JSON.stringify(answer!.blocks)).toContain(
      'Payment failed: $1,200.00, due Mon 30 Nov 2026 (and 1 more) · owned by <@U0LEAD0001>',
    );
    expect((await auditRows())?.filter((r) => r.action === 'assigned')).toEqual(
      database
        ? [
            { user_id: CSM, action: 'assigned' },
            { user_id: CSM, action: 'assigned' },
          ]
        : undefined,
    );
  });

  it('Resolve asks for a note in a modal, refuses an empty one, then resolves', async () => {
    await sim.click(current(), ACTION.alertResolve, { user: CSM });
    const modal = await double.waitFor(() =>
      double.openViews(CSM).find((v) => v.callback_id === CALLBACK.alertResolveModal),
    );
    const empty = await sim.submit(modal, { [BLOCK.resolveNote]: '   ' });
    expect(empty.errors).toEqual({ [BLOCK.resolveNote]: 'Say in a few words what was done.' });
    expect(blocksOf(current())).toContain('Snoozed by');
    const done = await sim.submit(modal, { [BLOCK.resolveNote]: 'Card updated, invoice paid' });
    expect(done.status).toBe(200);
    expect(done.errors).toBeUndefined();
    await double.waitFor(() => blocksOf(current()).includes('Resolved by <@U0CSM00001> at'));
    expect(blocksOf(current())).toContain('Card updated, invoice paid');
    expect(actionIds(current())).toEqual([ACTION.alertHealthCard]);
    expect((await auditRows())?.map((r) => r.action)).toEqual(
      database
        ? [
            'acknowledged',
            'acknowledged',
            'snoozed',
            'snoozed',
            'assigned',
            'assigned',
            'resolved',
            'resolved',
          ]
        : undefined,
    );
  });

  it('Health card answers with the card, only to the CS team member who clicked', async () => {
    const click = await sim.click(current(), ACTION.alertHealthCard, { user: CSM });
    const [answer] = (await click.waitForResponses()) as Array<{ text: string; response_type: string }>;
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answer!.text).toMatch(/^Acme Corp: \d+\/100 (red|yellow|green)$/);
    expect(alertsIn(CHANNEL)).toHaveLength(1);
  });

  it('Health card refuses someone outside the CS team, even in the alert channel', async () => {
    const click = await sim.click(current(), ACTION.alertHealthCard, { user: OUTSIDER });
    const [answer] = (await click.waitForResponses()) as Array<{ text: string; response_type: string }>;
    expect(answer).toEqual({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.',
    });
  });
});

describe('CS_TEAM as a user group', () => {
  it('asks Slack for the members once a minute at most', async () => {
    let now = Date.now();
    const deps = { clock: () => new Date(now), logger: pino({ level: 'silent' }) };
    const team = createAccess({ team: { users: [], userGroup: 'S0CSTEAM01' } }, deps);
    const client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: slackUrl });
    const includes = async (user: string) => (await team.canWrite(client, user)).allowed;
    const calls = () => double.callsTo('usergroups.users.list').length;
    const before = calls();
    expect(await Promise.all([includes('U0CSM00002'), includes(OUTSIDER)])).toEqual([true, false]);
    expect(await includes('U0CSLEAD01')).toBe(true);
    expect(calls() - before).toBe(1);
    now += 61_000;
    expect(await includes('U0CSM00001')).toBe(true);
    expect(calls() - before).toBe(2);
    // CS_TEAM unset: every member of the workspace.
    expect((await createAccess({}, deps).canWrite(client, OUTSIDER)).allowed).toBe(true);
  });
});
