import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '@slack/bolt';
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketModeDouble } from '../../sandbox/socket-mode-double.ts';
import type { Database } from '../../src/db/client.ts';
import { FALLBACK_ERROR } from '../../src/slack/receiver.ts';
import { createReplayGuard } from '../../src/slack/replay-guard.ts';
import { SlackSocketReceiver } from '../../src/slack/socket-receiver.ts';
import { freshDatabase } from '../helpers/database.ts';
import { SlackClientSimulator, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const APP_TOKEN = 'xapp-1-A0RECEIVER-1-double';
const USER = 'U0CSM00001';

let db: Database;
let drop: () => Promise<void>;
let slack: Awaited<ReturnType<typeof startSlackDouble>>;
let socket: SocketModeDouble;
let app: App;
let sim: SlackClientSimulator;
let channel: string;
const runs: string[] = [];

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  slack = await startSlackDouble();
  socket = new SocketModeDouble(slack.double, { appToken: APP_TOKEN });
  await socket.listen();
  // The listener's failure and the broken connection are expected here: Bolt's lines would only be noise.
  const quiet = () => {};
  const slackLogger: SlackLogger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    setLevel: quiet,
    getLevel: () => LogLevel.ERROR,
    setName: quiet,
  };
  const receiver = new SlackSocketReceiver({
    appToken: APP_TOKEN,
    apiUrl: slack.url,
    logger: pino({ level: 'silent' }),
    slackLogger,
    replays: createReplayGuard({ db, clock: () => new Date() }),
  });
  app = new App({
    token: TEST_BOT_TOKEN,
    receiver,
    logger: slackLogger,
    clientOptions: { slackApiUrl: slack.url },
  });
  app.command('/slow', async ({ ack }) => {
    runs.push('slow');
    await sleep(4_000);
    await ack('too late');
  });
  app.command('/broken', async () => {
    runs.push('broken');
    throw new Error('the listener failed');
  });
  app.command('/quick', async ({ ack, command }) => {
    runs.push(`quick ${command.text}`);
    await ack(`done: ${command.text}`);
  });
  await app.start();
  sim = new SlackClientSimulator({
    double: slack.double,
    signingSecret: 'unused in Socket Mode',
    eventsUrl: 'unused in Socket Mode',
    transport: socket.transport,
  });
  channel = slack.double.conversations().find((c) => !c.isIm)!.id;
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await socket?.close();
  await slack?.close();
  await drop?.();
});

describe('the Socket Mode receiver', () => {
  it('acknowledges an envelope its listener keeps past the deadline empty, within 3 s', async () => {
    const answer = await sim.command({ user: USER, channel }, '/slow', '');
    const sending = socket.sendings.at(-1)!;
    expect(sending.ackedAt! - sending.sentAt).toBeGreaterThanOrEqual(2_000);
    expect(sending.ackedAt! - sending.sentAt).toBeLessThan(3_000);
    expect(sending.ack).toEqual({});
    expect(answer.ack).toBeUndefined();
  });

  it("answers a failed command's person instead of leaving it unanswered", async () => {
    const answer = await sim.command({ user: USER, channel }, '/broken', '');
    expect(answer.ack).toEqual(FALLBACK_ERROR);
  });

  it('runs an envelope sent again after its acknowledgement was lost only once, and acknowledges both', async () => {
    socket.loseNextAck();
    const answer = await sim.command({ user: USER, channel }, '/quick', 'once');
    const [first, again] = socket.sendings.filter((s) => s.envelopeId === socket.sendings.at(-1)!.envelopeId);
    expect(first!.lost).toBe(true);
    expect(first!.ack).toBeUndefined();
    expect(again!.connection).toBe(first!.connection + 1);
    expect(again!.ack).toEqual({});
    expect(answer.ack).toBeUndefined();
    expect(runs.filter((r) => r === 'quick once')).toHaveLength(1);
    expect((await sim.command({ user: USER, channel }, '/quick', 'twice')).ack).toEqual({
      text: 'done: twice',
    });
  });
});
