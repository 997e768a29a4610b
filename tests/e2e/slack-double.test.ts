import { App, isValidSlackRequest } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSandbox } from '../../sandbox/index.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';
import { SlackHttpReceiver } from '../../src/slack/receiver.ts';
import {
  SlackClientSimulator,
  type SlackDouble,
  signSlackRequest,
  startSlackDouble,
  TEST_BOT_TOKEN,
  TEST_SIGNING_SECRET,
} from '../helpers/slack.ts';

const START = Date.parse('2026-03-02T12:00:00Z');
const ALERTS = 'C0CSALERTS';
const CSM = 'U0CSM00001';
const CHAMPION = 'U0ACME0001';

let clock = START;
let double: SlackDouble;
let url: string;
let close: () => Promise<void>;
let slack: WebClient;

beforeAll(async () => {
  ({ double, url, close } = await startSlackDouble({ now: () => clock }));
});
afterAll(() => close());
beforeEach(() => {
  clock = START;
  slack = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: url, retryConfig: { retries: 0 } });
});

/** The Slack error code a call failed with. */
async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as { data?: { error: string } }).data?.error ?? String(error);
  }
  throw new Error('the call succeeded');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Web API double over HTTP', () => {
  it('answers auth.test with the bot identity and refuses a wrong token', async () => {
    const auth = await slack.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      user_id: 'U0PULSEBOT',
      bot_id: 'B0PULSEBOT',
      team_id: 'T0PULSE01',
    });
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: url, retryConfig: { retries: 0 } });
    expect(await errorOf(stranger.auth.test())).toBe('invalid_auth');
  });

  it('posts, updates and deletes a message, keeping its ts', async () => {
    const posted = await slack.chat.postMessage({
      channel: ALERTS,
      text: 'Acme is red',
      blocks: [section('*Acme*')],
    });
    expect(posted.ts).toBe('1772452800.000000');
    const updated = await slack.chat.update({
      channel: ALERTS,
      ts: posted.ts!,
      text: 'Acknowledged',
      blocks: [],
    });
    expect(updated.ts).toBe(posted.ts);
    const stored = double.message(ALERTS, posted.ts!);
    expect(stored).toMatchObject({ text: 'Acknowledged', blocks: [], user: 'U0PULSEBOT', via: 'api' });
    const reply = await slack.chat.postMessage({ channel: ALERTS, text: 'in thread', thread_ts: posted.ts! });
    expect(double.message(ALERTS, posted.ts!)?.reply_count).toBe(1);
    expect(double.message(ALERTS, reply.ts!)?.thread_ts).toBe(posted.ts);
    await slack.chat.delete({ channel: ALERTS, ts: posted.ts! });
    expect(double.message(ALERTS, posted.ts!)).toBeUndefined();
    expect(await errorOf(slack.chat.update({ channel: ALERTS, ts: posted.ts!, text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('opens a DM by user ID, and refuses unknown channels and channels without the bot', async () => {
    const open = await slack.conversations.open({ users: CHAMPION });
    expect(open.channel?.id).toBe('D0ACME0001');
    const dm = await slack.chat.postMessage({
      channel: CHAMPION,
      text: 'How likely are you to recommend us?',
    });
    expect(dm.channel).toBe('D0ACME0001');
    expect(double.messages('D0ACME0001').map((m) => m.text)).toEqual(['How likely are you to recommend us?']);
    const info = await slack.conversations.info({ channel: 'D0ACME0001' });
    expect(info.channel).toMatchObject({ is_im: true, user: CHAMPION });
    expect(await errorOf(slack.conversations.open({ users: 'U0INITECH1' }))).toBe('invalid_user_combination');
    expect(await errorOf(slack.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    const members = await slack.conversations.members({ channel: 'C0CSDIGEST' });
    expect(members.members).toEqual(['U0CSLEAD01', 'U0CSM00001', 'U0CSM00002', 'U0PULSEBOT']);
  });

  it('refuses to post where the bot is not a member', async () => {
    const other = await startSlackDouble({
      workspace: {
        users: [{ id: 'U0ONE', name: 'one', realName: 'One' }],
        channels: [{ id: 'C0PRIVATE', name: 'private', members: ['U0ONE'] }],
      },
    });
    try {
      const client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: other.url, retryConfig: { retries: 0 } });
      expect(await errorOf(client.chat.postMessage({ channel: 'C0PRIVATE', text: 'x' }))).toBe(
        'not_in_channel',
      );
      expect(await errorOf(client.chat.postMessage({ channel: '#private', text: 'x' }))).toBe(
        'not_in_channel',
      );
      expect(other.double.messages('C0PRIVATE')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('looks people up by email and ID, and lists a user group', async () => {
    const found = await slack.users.lookupByEmail({ email: 'Ana.Souza@acme.example' });
    expect(found.user?.id).toBe(CHAMPION);
    expect(await errorOf(slack.users.lookupByEmail({ email: 'nobody@acme.example' }))).toBe(
      'users_not_found',
    );
    expect(await errorOf(slack.users.info({ user: 'U0MISSING' }))).toBe('user_not_found');
    const group = await slack.usergroups.users.list({ usergroup: 'S0CSTEAM01' });
    expect(group.users).toEqual(['U0CSLEAD01', 'U0CSM00001', 'U0CSM00002']);
  });

  it('posts ephemeral messages only to members of the channel', async () => {
    const sent = await slack.chat.postEphemeral({ channel: ALERTS, user: CSM, text: 'only you' });
    expect(sent.message_ts).toBeDefined();
    expect(double.ephemerals(CSM).at(-1)).toMatchObject({ channel: ALERTS, text: 'only you' });
    expect(await errorOf(slack.chat.postEphemeral({ channel: ALERTS, user: CHAMPION, text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('answers a scripted 500, then a 429 with Retry-After, then works; WebClient retries through both', async () => {
    double.failNext('chat.postMessage', { status: 500 }, { status: 429, retryAfter: 1 });
    const patient = new WebClient(TEST_BOT_TOKEN, {
      slackApiUrl: url,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 },
    });
    const before = double.calls.length;
    const started = performance.now();
    const posted = await patient.chat.postMessage({ channel: ALERTS, text: 'after the outage' });
    expect(posted.ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(double.calls.slice(before).map((c) => c.status)).toEqual([500, 429, 200]);

    double.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const strict = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: url, rejectRateLimitedCalls: true });
    const error = await strict.chat.postMessage({ channel: ALERTS, text: 'x' }).catch((e) => e);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    double.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await errorOf(slack.chat.postMessage({ channel: ALERTS, text: 'x' }))).toBe('channel_not_found');
  });

  it('enforces about one message per second per channel, with a short burst', async () => {
    double.rateLimit('chat.postMessage', { perChannelPerSecond: 1, burst: 2 });
    const strict = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: url, rejectRateLimitedCalls: true });
    try {
      await strict.chat.postMessage({ channel: ALERTS, text: '1' });
      await strict.chat.postMessage({ channel: ALERTS, text: '2' });
      const third = await strict.chat.postMessage({ channel: ALERTS, text: '3' }).catch((e) => e);
      expect(third).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
      expect((await strict.chat.postMessage({ channel: 'C0CSDIGEST', text: 'other channel' })).ok).toBe(true);
      clock += 1_000;
      expect((await strict.chat.postMessage({ channel: ALERTS, text: '3 again' })).ok).toBe(true);
    } finally {
      double.rateLimit('chat.postMessage', null);
    }
  });

  it('enforces a Tier limit per method, and can answer late', async () => {
    double.rateLimit('users.info', { perMinute: 2 });
    const strict = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: url, rejectRateLimitedCalls: true });
    try {
      await strict.users.info({ user: CSM });
      await strict.users.info({ user: CHAMPION });
      expect(await strict.users.info({ user: CSM }).catch((e) => e)).toMatchObject({ retryAfter: 30 });
    } finally {
      double.rateLimit('users.info', null);
    }
    double.failNext('auth.test', { delayMs: 300 });
    const started = performance.now();
    expect((await slack.auth.test()).ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('refuses Block Kit beyond its limits, naming each problem like Slack', async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const failure = await slack.chat
      .postMessage({ channel: ALERTS, text: 'x', blocks: tooMany })
      .catch((e) => e);
    expect(failure.data).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    const longSection = [section('x'.repeat(3001))];
    const longButton = [
      {
        type: 'actions',
        block_id: 'b'.repeat(256),
        elements: [
          { type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'y'.repeat(76) } },
        ],
      },
    ];
    const messagesOf = async (blocks: unknown[]) =>
      (await slack.chat.postMessage({ channel: ALERTS, text: 'x', blocks: blocks as [] }).catch((e) => e))
        .data.response_metadata.messages;
    expect(await messagesOf(longSection)).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(await messagesOf(longButton)).toEqual([
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]',
      '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    expect(await messagesOf([{ type: 'carousel' }])).toEqual([
      '[ERROR] unsupported type "carousel" on a message [json-pointer:/blocks/0/type]',
    ]);

    const modal = (count: number) => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Review' },
      blocks: Array.from({ length: count }, () => ({ type: 'divider' as const })),
    });
    expect((await slack.views.open({ trigger_id: double.triggerId(CSM), view: modal(100) })).ok).toBe(true);
    const big = await slack.views
      .open({ trigger_id: double.triggerId(CSM), view: modal(101) })
      .catch((e) => e);
    expect(big.data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'] },
    });
  });

  it('expires trigger ids after 3 seconds and accepts each once', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Schedule' },
      blocks: [],
    };
    const trigger = double.triggerId(CSM);
    const opened = await slack.views.open({ trigger_id: trigger, view });
    expect(double.openViews(CSM).map((v) => v.id)).toEqual([opened.view?.id]);
    expect(await errorOf(slack.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
    const late = double.triggerId(CSM);
    clock += 3_001;
    expect(await errorOf(slack.views.open({ trigger_id: late, view }))).toBe('expired_trigger_id');
    expect(await errorOf(slack.views.open({ trigger_id: 'made.up.trigger', view }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('pushes, updates with a hash, and publishes the Home tab', async () => {
    const view = (title: string) => ({
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: title },
      blocks: [],
    });
    const root = await slack.views.open({ trigger_id: double.triggerId(CSM), view: view('One') });
    const pushed = await slack.views.push({ trigger_id: double.triggerId(CSM), view: view('Two') });
    expect(pushed.view).toMatchObject({ previous_view_id: root.view?.id, root_view_id: root.view?.id });
    expect(
      await errorOf(slack.views.update({ view_id: pushed.view!.id!, hash: 'stale', view: view('Three') })),
    ).toBe('hash_conflict');
    await slack.views.update({ view_id: pushed.view!.id!, hash: pushed.view!.hash!, view: view('Three') });
    expect(double.openViews(CSM).map((v) => (v.title as { text: string }).text)).toEqual(['One', 'Three']);

    await slack.views.publish({ user_id: CSM, view: { type: 'home', blocks: [section('Your portfolio')] } });
    await slack.views.publish({ user_id: CSM, view: { type: 'home', blocks: [section('Updated')] } });
    const homes = double.homeViews(CSM);
    expect(homes.map((h) => (h.blocks[0] as { text: { text: string } }).text.text)).toEqual([
      'Your portfolio',
      'Updated',
    ]);
    expect(homes[0]!.id).toBe(homes[1]!.id);
  });

  it('runs the file upload v2 flow: upload URL, upload to the double, complete into a channel', async () => {
    const result = await slack.filesUploadV2({
      channel_id: ALERTS,
      content: 'account,score\nacme,42\n',
      filename: 'portfolio.csv',
      title: 'Portfolio',
      initial_comment: 'This week',
    });
    expect(result.ok).toBe(true);
    const file = double.files.at(-1)!;
    expect(file).toMatchObject({ name: 'portfolio.csv', title: 'Portfolio', size: 22, shared: true });
    expect(file.content?.toString()).toBe('account,score\nacme,42\n');
    const message = double.messages(ALERTS).at(-1)!;
    expect(message).toMatchObject({ text: 'This week', files: [{ id: file.id, name: 'portfolio.csv' }] });
    expect(double.calls.slice(-3).map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'file_upload',
      'files.completeUploadExternal',
    ]);
    const pending = await slack.files.getUploadURLExternal({ filename: 'never.csv', length: 3 });
    expect(
      await errorOf(
        slack.files.completeUploadExternal({ files: [{ id: pending.file_id! }], channel_id: ALERTS }),
      ),
    ).toBe('file_not_found');
  });
});

describe('response_url', () => {
  const post = (target: string, body: unknown) =>
    fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('shows ephemeral answers by default, in_channel ones to everyone, and takes 5 posts', async () => {
    const target = double.responseUrl(ALERTS, CSM);
    expect(target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/_response\/T0PULSE01\/[0-9a-f]{24}$/);
    const before = double.messages(ALERTS).length;
    expect((await post(target, { text: 'Working on it…' })).status).toBe(200);
    expect(double.ephemerals(CSM).at(-1)).toMatchObject({ text: 'Working on it…', via: 'response_url' });
    await post(target, { replace_original: true, text: 'Done' });
    expect(double.ephemerals(CSM).at(-1)?.text).toBe('Done');
    await post(target, { response_type: 'in_channel', text: 'Digest posted' });
    expect(double.messages(ALERTS).length).toBe(before + 1);
    await post(target, { text: 'four' });
    await post(target, { text: 'five' });
    const sixth = await post(target, { text: 'six' });
    expect([sixth.status, await sixth.text()]).toEqual([404, 'used_url']);
    expect(double.responses(target)).toHaveLength(5);
  });

  it('replaces or deletes the message it came from, and expires after 30 minutes', async () => {
    const posted = await slack.chat.postMessage({ channel: ALERTS, text: 'Acme is red' });
    const target = double.responseUrl(ALERTS, CSM, { kind: 'message', channel: ALERTS, ts: posted.ts! });
    await post(target, { replace_original: true, text: 'Acknowledged by <@U0CSM00001>' });
    expect(double.message(ALERTS, posted.ts!)?.text).toBe('Acknowledged by <@U0CSM00001>');
    const bad = await post(target, {
      replace_original: true,
      blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })),
    });
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid_blocks']);
    await post(target, { delete_original: true });
    expect(double.message(ALERTS, posted.ts!)).toBeUndefined();

    const old = double.responseUrl(ALERTS, CSM);
    clock += 30 * 60_000 + 1;
    const late = await post(old, { text: 'too late' });
    expect([late.status, await late.text()]).toEqual([404, 'expired_url']);
  });
});

describe('signed requests', () => {
  const body = 'token=x&team_id=T0PULSE01&command=%2Fcs&text=health+acme';

  it('produces a signature Bolt accepts, and Bolt refuses it when stale or signed with another secret', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    const check = (headers: ReturnType<typeof signSlackRequest>, secret = TEST_SIGNING_SECRET) =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: now,
      });
    const fresh = signSlackRequest(TEST_SIGNING_SECRET, body, now / 1000);
    expect(fresh['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(check(fresh)).toBe(true);
    expect(check(signSlackRequest(TEST_SIGNING_SECRET, body, now / 1000 - 6 * 60))).toBe(false);
    expect(check(fresh, 'another-secret-entirely')).toBe(false);
  });
});

describe('the sandbox server', () => {
  it('serves the page, its assets, the state and a live event stream, and still closes promptly', async () => {
    const logger = pino({ level: 'silent' });
    const server = createHttpServer(logger, createMetrics());
    const sandbox = registerSandbox(server, {
      botToken: TEST_BOT_TOKEN,
      signingSecret: TEST_SIGNING_SECRET,
      eventsUrl: () => 'http://127.0.0.1:9/slack/events',
      logger,
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    try {
      const page = await fetch(`${base}/sandbox`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<script type="module" src="/sandbox/assets/app.js"></script>');
      expect((await fetch(`${base}/sandbox/assets/blocks.js`)).headers.get('content-type')).toBe(
        'text/javascript; charset=utf-8',
      );
      expect((await fetch(`${base}/sandbox/assets/..%2Findex.ts`)).status).toBe(404);
      const state = await (await fetch(`${base}/sandbox/state`)).json();
      expect(state.channels.map((c: { name: string }) => c.name)).toContain('cs-alerts');

      const stream = await fetch(`${base}/sandbox/events`);
      const reader = stream.body!.getReader();
      const client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: `${base}/sandbox/api/` });
      await client.chat.postMessage({ channel: ALERTS, text: 'live' });
      let received = '';
      while (!received.includes('"kind":"message"'))
        received += new TextDecoder().decode((await reader.read()).value);
      expect(received).toContain('"text":"live"');
      expect(sandbox.double.messages(ALERTS).map((m) => m.text)).toEqual(['live']);

      const unreachable = await fetch(`${base}/sandbox/ui/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: CSM, channel: ALERTS, text: '/cs health acme' }),
      });
      expect(unreachable.status).toBe(502);
    } finally {
      const started = performance.now();
      await server.close();
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

describe('the client simulator against a real Bolt app', () => {
  let server: FastifyInstance;
  let sim: SlackClientSimulator;
  const submissions: unknown[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'silent' });
    // Pulse remembers signatures in its database; this app without one keeps them in memory.
    const seen = new Set<string>();
    const replays = {
      firstTime: async (kind: string, id: string) =>
        !seen.has(`${kind}:${id}`) && !!seen.add(`${kind}:${id}`),
    };
    const receiver = new SlackHttpReceiver({
      signingSecret: TEST_SIGNING_SECRET,
      logger,
      replays,
      now: () => clock,
    });
    const bolt = new App({
      token: TEST_BOT_TOKEN,
      receiver,
      clientOptions: { slackApiUrl: url },
      deferInitialization: true,
    });
    await bolt.init();
    bolt.command('/echo', async ({ ack, respond, command }) => {
      await ack({ text: `You said ${command.text}` });
      await respond({ response_type: 'in_channel', text: `Echo: ${command.text}` });
    });
    bolt.command('/card', async ({ ack, client, command }) => {
      await ack();
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'Acme alert',
        blocks: [
          section('*Acme* is red'),
          {
            type: 'actions',
            block_id: 'alert',
            elements: [
              {
                type: 'button',
                action_id: 'ack',
                value: 'alert-7',
                text: { type: 'plain_text', text: 'Acknowledge' },
              },
            ],
          },
        ],
      });
    });
    bolt.action('ack', async ({ ack, respond, body, action }) => {
      await ack();
      const value = (action as { value: string }).value;
      await respond({ replace_original: true, text: `${value} acknowledged by <@${body.user.id}>` });
    });
    bolt.command('/review', async ({ ack, client, body }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'review',
          title: { type: 'plain_text', text: 'Success review' },
          submit: { type: 'plain_text', text: 'Schedule' },
          blocks: [
            {
              type: 'input',
              block_id: 'date',
              label: { type: 'plain_text', text: 'Date' },
              element: { type: 'datepicker', action_id: 'picked' },
            },
          ],
        },
      });
    });
    bolt.view('review', async ({ ack, view }) => {
      const date = view.state.values.date?.picked?.selected_date;
      submissions.push(view.state.values);
      if (!date || date < '2026-03-02')
        await ack({ response_action: 'errors', errors: { date: 'Pick a future date' } });
      else await ack();
    });
    server = createHttpServer(logger, createMetrics());
    server.post('/slack/events', (request, reply) => receiver.handle(request, reply));
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address() as { port: number };
    sim = new SlackClientSimulator({
      double,
      signingSecret: TEST_SIGNING_SECRET,
      eventsUrl: `http://127.0.0.1:${address.port}/slack/events`,
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    submissions.length = 0;
  });

  it('sends a slash command: the ack shows as an ephemeral, the response_url post in the channel', async () => {
    const result = await sim.command({ user: CSM, channel: ALERTS }, '/echo', 'hello');
    expect(result.status).toBe(200);
    expect(result.ack).toEqual({ text: 'You said hello' });
    expect(await result.waitForResponses(1)).toEqual([{ response_type: 'in_channel', text: 'Echo: hello' }]);
    expect(double.ephemerals(CSM).at(-1)).toMatchObject({ text: 'You said hello', via: 'ack' });
    expect(double.messages(ALERTS).at(-1)).toMatchObject({ text: 'Echo: hello', via: 'response_url' });
    expect(double.botRequests.at(-1)).toMatchObject({
      kind: 'slash_command',
      status: 200,
      body: { command: '/echo', text: 'hello', user_id: CSM, channel_id: ALERTS, channel_name: 'cs-alerts' },
    });
  });

  it('clicks a button: Bolt gets the block_actions and the message is replaced in place', async () => {
    await sim.command({ user: CSM, channel: ALERTS }, '/card', '');
    const card = await double.waitFor(() => double.messages(ALERTS).find((m) => m.text === 'Acme alert'));
    const click = await sim.click(card, 'ack', { user: CSM });
    expect(click.status).toBe(200);
    await click.waitForResponses(1);
    expect(double.message(ALERTS, card.ts)?.text).toBe('alert-7 acknowledged by <@U0CSM00001>');
    const payload = double.botRequests.at(-1)?.body as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: card.ts, channel_id: ALERTS, is_ephemeral: false },
      actions: [{ type: 'button', action_id: 'ack', block_id: 'alert', value: 'alert-7' }],
      user: { id: CSM, username: 'marina.costa' },
    });
  });

  it('opens a modal from a command, shows errors on its fields, then closes it on a valid submission', async () => {
    await sim.command({ user: CSM, channel: ALERTS }, '/review', 'acme');
    const modal = await double.waitFor(() => double.openViews(CSM).find((v) => v.callback_id === 'review'));
    const rejected = await sim.submit(modal, { date: '2026-01-10' });
    expect(rejected.errors).toEqual({ date: 'Pick a future date' });
    expect(double.view(modal.id)?.closed).toBe(false);
    const accepted = await sim.submit(modal, { date: '2026-03-20' });
    expect(accepted.status).toBe(200);
    expect(double.view(modal.id)?.closed).toBe(true);
    expect(submissions.at(-1)).toEqual({
      date: { picked: { type: 'datepicker', selected_date: '2026-03-20' } },
    });
  });
});
