import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketModeDouble } from '../../sandbox/socket-mode-double.ts';
import { rows } from '../../src/db/client.ts';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/constants.ts';
import { type PulseProcess, startPulseProcess } from '../helpers/pulse-process.ts';
import { type PulseUnderTest, startSurroundings } from '../helpers/pulse-with-slack.ts';
import {
  SlackClientSimulator,
  type SlackDouble,
  type SlackMessage,
  TEST_SIGNING_SECRET,
} from '../helpers/slack.ts';

const APP_TOKEN = 'xapp-1-A0PULSE01-1-socketdouble';
const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';
const DAY = 86_400_000;

let pulse: PulseProcess;
let app: PulseUnderTest;
let double: SlackDouble;
let socket: SocketModeDouble;
let sim: SlackClientSimulator;

const textOf = (ack: unknown) => JSON.stringify(ack ?? '');
const blocksOf = (m: SlackMessage | undefined) => JSON.stringify(m?.blocks ?? []);
let alert: SlackMessage;
const current = () => double.message(CHANNEL, alert.ts)!;
const updatesSaying = (words: string) =>
  double.callsTo('chat.update').filter((c) => JSON.stringify(c.params.blocks).includes(words));
/** The audit of the incident's first cause: a click records one row per cause, so twice is a double. */
const auditRows = async () =>
  app.database
    ? (
        await rows<{ action: string }>(
          app.database.db.orm,
          sql`select action from alert_actions where alert_id = (select min(id) from alerts) order by id`,
        )
      ).map((r) => r.action)
    : undefined;
/** What Pulse tells a person whose click or submission came too late: it must never say it here. */
const already = () => double.ephemerals(CSM).filter((e) => /already/i.test(e.text ?? ''));

beforeAll(async () => {
  const surroundings = await startSurroundings();
  double = surroundings.double;
  socket = new SocketModeDouble(double, { appToken: APP_TOKEN });
  await socket.listen();
  pulse = await startPulseProcess({
    ...surroundings.env,
    SLACK_APP_TOKEN: APP_TOKEN,
    CS_ALERT_CHANNEL: CHANNEL,
    CS_TEAM: CSM,
  }).catch(async (error) => {
    await socket.close();
    return surroundings.abandon(error);
  });
  app = surroundings.connect(pulse.url, async () => {
    await pulse.stop();
    await socket.close();
  });
  sim = new SlackClientSimulator({
    double,
    signingSecret: TEST_SIGNING_SECRET,
    eventsUrl: `${pulse.url}/slack/events`,
    transport: socket.transport,
  });
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', tier: 'high_touch', mrr: 4500, owner_slack_id: CSM },
  ]);
}, 90_000);

afterAll(() => app?.close());

describe('Socket Mode, through a WebSocket double of Slack', () => {
  it('opens its connection through SLACK_API_URL with the app token, and takes no Slack requests over HTTP', async () => {
    const opens = double.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]!.response).toMatchObject({ ok: true });
    expect(socket.connections).toHaveLength(1);
    expect(pulse.logs.some((l) => l.mode === 'socket')).toBe(true);
    const overHttp = await fetch(`${pulse.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(overHttp.status).toBe(503);
  });

  it('answers /cs health in its acknowledgement, within 3 seconds', async () => {
    const answer = await sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'health acme');
    expect(answer.durationMs).toBeLessThan(3_000);
    expect(answer.ack).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(answer.ack)).toMatch(/Acme Corp: (\d+\/100 (red|yellow|green)|no data)/);
    const sending = socket.sendings.at(-1)!;
    expect(sending).toMatchObject({ type: 'slash_commands', connection: 1 });
    expect(sending.ackedAt! - sending.sentAt).toBeLessThan(3_000);
  });

  it('acknowledges a slow command within 3 seconds and answers it through its response_url', async () => {
    // Whether this person may read accounts takes users.info 4 s to tell.
    double.failNext('users.info', { delayMs: 4_000 });
    const answer = await sim.command({ user: 'U0SALES001', channel: CHANNEL }, '/cs', 'health acme');
    const sending = socket.sendings.at(-1)!;
    expect(sending.ackedAt! - sending.sentAt).toBeLessThan(3_000);
    const [later] = (await answer.waitForResponses(1, 10_000)) as Array<{ text: string }>;
    expect(later!.text).toContain('CS team');
  });

  it('takes an alert button click as an interactive envelope', async () => {
    await app.ingest('billing-events', {
      account: 'acme',
      external_id: 'in_socket_1',
      type: 'payment_failed',
      occurred_at: new Date(Date.now() - 2 * DAY).toISOString(),
      amount: 1200,
      currency: 'USD',
    });
    alert = await double.waitFor(
      () => double.messages(CHANNEL).find((m) => m.text.includes('Payment failed')),
      15_000,
    );
    const click = await sim.click(current(), ACTION.alertAcknowledge, { user: CSM });
    expect(click.durationMs).toBeLessThan(3_000);
    await double.waitFor(() => blocksOf(current()).includes('Acknowledged by <@U0CSM00001> at'));
    expect(socket.sendings.at(-1)).toMatchObject({ type: 'interactive', connection: 1 });
  });

  it('reconnects after a `warning` disconnect, and a click sent meanwhile is done once', async () => {
    socket.disconnect('warning');
    const alertId = (current().blocks as Array<{ elements?: Array<{ value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value)!.value!;
    const click = await sim.click(current(), ACTION.alertSnooze, { user: CSM, value: `${alertId}:1` });
    await double.waitFor(() => blocksOf(current()).includes('Snoozed by <@U0CSM00001> until'));
    expect(socket.connections).toHaveLength(2);
    expect(double.callsTo('apps.connections.open')).toHaveLength(2);
    // Delivered on the new connection (perhaps after a sending lost on the closing one), acknowledged once.
    const sendings = socket.sendings.filter((s) => s.type === 'interactive').slice(-2);
    expect(sendings.at(-1)).toMatchObject({ connection: 2 });
    expect(sendings.at(-1)!.ackedAt).toBeDefined();
    expect(click.status).toBe(200);
    expect(updatesSaying('Snoozed by')).toHaveLength(1);
    expect(await auditRows()).toEqual(app.database ? ['acknowledged', 'snoozed'] : undefined);
  });

  it('runs a modal submission once when its acknowledgement is lost and Slack sends it again', async () => {
    await sim.click(current(), ACTION.alertResolve, { user: CSM });
    const modal = await double.waitFor(() =>
      double.openViews(CSM).find((v) => v.callback_id === CALLBACK.alertResolveModal && !v.closed),
    );
    socket.loseNextAck();
    const done = await sim.submit(modal, { [BLOCK.resolveNote]: 'Invoice paid' });
    expect(done.errors).toBeUndefined();
    const delivered = socket.sendings.at(-1)!;
    expect(socket.sendings.filter((s) => s.envelopeId === delivered.envelopeId)).toHaveLength(2);
    await double.waitFor(() => blocksOf(current()).includes('Resolved by <@U0CSM00001> at'));
    expect(socket.connections).toHaveLength(3);
    const [first, again] = socket.sendings.filter((s) => s.envelopeId === delivered.envelopeId);
    expect(first).toMatchObject({ connection: 2, lost: true });
    expect(again).toMatchObject({ connection: 3 });
    expect(again!.ackedAt! - again!.sentAt).toBeLessThan(3_000);
    // Once Pulse has answered something else on the new connection, a second run would have shown.
    await sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'health acme');
    expect(updatesSaying('Resolved by')).toHaveLength(1);
    expect(already()).toEqual([]);
    expect(await auditRows()).toEqual(app.database ? ['acknowledged', 'snoozed', 'resolved'] : undefined);
  });

  it('reconnects on `refresh_requested` and keeps taking commands and events', async () => {
    socket.disconnect('refresh_requested');
    await socket.waitForConnection(4);
    const answer = await sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'health acme');
    expect(textOf(answer.ack)).toContain('Acme Corp');
    expect(answer.durationMs).toBeLessThan(3_000);
    await sim.openHome(CSM);
    await double.waitFor(() => double.homeViews(CSM).length > 0, 10_000);
    expect(socket.sendings.at(-1)).toMatchObject({ type: 'events_api', connection: 4 });
  });

  it('closes its connection on SIGTERM and exits 0', async () => {
    expect(await pulse.stop()).toBe(0);
    expect(socket.openConnections()).toEqual([]);
  });
});
