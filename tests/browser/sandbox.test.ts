import { mkdirSync } from 'node:fs';
import { App } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { DEMO_ALERTS_CHANNEL } from '../../src/demo/workspace.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createMetrics } from '../../src/metrics.ts';
import { type Pulse, startPulse } from '../../src/pulse.ts';
import { registerSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { REFUSAL } from '../../src/slack/actions/alert-actions.ts';
import { SlackHttpReceiver } from '../../src/slack/receiver.ts';
import { freshDatabase } from '../helpers/database.ts';
import { DEFAULT_WORKSPACE, TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/slack.ts';

/**
 * The sandbox page in real headless Chromium (Debian's `chromium`, driven by playwright-core; no browser
 * download). Screenshots go to test-results/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = 'test-results';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
afterAll(() => browser?.close());
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => {
    throw error;
  });
});
afterEach(() => page.close());

async function openSandbox(base: string, as: string, hash = '') {
  await page.goto(`${base}/sandbox?as=${as}${hash}`);
  await page.locator('body.ready').waitFor();
}

async function type(text: string) {
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
}

describe('the sandbox in front of Pulse', () => {
  let pulse: Pulse;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const server = process.env.TEST_DATABASE_URL ? await freshDatabase() : undefined;
    if (server) await server.db.close();
    drop = server && (() => server.drop());
    pulse = await startPulse({
      env: {
        PORT: '0',
        LOG_LEVEL: 'warn',
        ...(server?.url ? { DATABASE_URL: server.url } : { PULSE_DATA_DIR: 'memory://' }),
      },
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await pulse?.close();
    await drop?.();
  });

  it('answers `/cs health acme` with the health card, only visible to the person who asked', async () => {
    await openSandbox(pulse.url, 'U0CSM02');
    await expect.poll(() => page.locator('.pane-title').textContent()).toContain('cs-alerts');
    await type('/cs health acme');
    const card = page.locator('.message.ephemeral', { has: page.locator('.bk-header') }).last();
    await card.waitFor();
    expect(await card.locator('.bk-header').textContent()).toBe('Acme Corporation (acme)');
    expect(await card.locator('.ephemeral-label').textContent()).toContain('Only visible to you');
    expect(await card.textContent()).toMatch(/\d{1,3}\/100 (red|yellow|green)/);
    expect(await card.locator('.mention').first().textContent()).toBe('@Marcus Reed');
    const request = pulse.sandbox!.double.botRequests.at(-1)!;
    expect(request).toMatchObject({
      kind: 'slash_command',
      status: 200,
      body: { command: '/cs', text: 'health acme', user_id: 'U0CSM02' },
    });
    await page.locator('#toggle-inspector').click();
    await page.locator('.inspector-entry.bot', { hasText: '/cs health acme' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/sandbox-health-card.png` });

    await page.locator('#persona').selectOption('U0CSM03');
    await expect.poll(() => page.locator('.message.ephemeral').count()).toBe(0);
  });
  /**
   * The open alerts Pulse posted in #cs-alerts on first start. The demo's recomputations raise alerts and
   * resolve some of them again, all through the outbox, so the test waits until Pulse has settled.
   */
  async function openAlerts(minimum: number) {
    await expect
      .poll(
        async () => {
          await pulse.deps.health.idle();
          const [outbox] = await rows<{ pending: number }>(
            pulse.deps.db.orm,
            sql`select count(*)::int as pending from slack_outbox where status in ('pending', 'sending')`,
          );
          return outbox!.pending;
        },
        { timeout: 30_000 },
      )
      .toBe(0);
    const alerts = page.locator(`.message:not(.ephemeral)`, {
      has: page.locator('.bk-button', { hasText: 'Acknowledge' }),
    });
    await expect.poll(() => alerts.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(minimum);
    return alerts;
  }

  const alertStatus = async (id: number) =>
    (
      await rows<{ status: string; status_by: string | null; resolution_note: string | null }>(
        pulse.deps.db.orm,
        sql`select status, status_by, resolution_note from alerts where id = ${id}`,
      )
    )[0];

  const allStatuses = () =>
    rows<{ id: number; status: string }>(pulse.deps.db.orm, sql`select id, status from alerts order by id`);

  it('acknowledges a real alert from #cs-alerts in place, naming the CS team member who clicked', async () => {
    await openSandbox(pulse.url, 'U0CSM01', `#channel/${DEMO_ALERTS_CHANNEL}`);
    const alerts = await openAlerts(3);
    const acme = alerts.filter({ hasText: 'Acme Corporation' }).first();
    expect(await acme.locator('.bk-section').first().textContent()).toMatch(/^🚨 Acme Corporation: /);
    expect(await acme.locator('.bk-button').allTextContents()).toEqual([
      'Acknowledge',
      'Resolve',
      'Health card',
    ]);
    expect(await acme.locator('.bk-select').count()).toBe(1);
    const ts = (await acme.getAttribute('data-ts'))!;
    const before = await page.locator('.message').count();

    await acme.locator('.bk-button', { hasText: 'Acknowledge' }).click();
    const updated = page.locator(`.message[data-ts="${ts}"]`);
    await expect.poll(() => updated.textContent()).toMatch(/👀 Acknowledged by @Ana Souza at \d\d:\d\d/);
    expect(await updated.locator('.bk-button').allTextContents()).toEqual(['Resolve', 'Health card']);
    expect(await page.locator('.message').count()).toBe(before);
    const click = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      user: { id: 'U0CSM01' },
      actions: [{ action_id: 'alert_acknowledge' }],
    });
    const alertId = Number((click.body as { actions: { value: string }[] }).actions[0]!.value);
    expect(await alertStatus(alertId)).toEqual({
      status: 'acknowledged',
      status_by: 'U0CSM01',
      resolution_note: null,
    });
    await page.screenshot({ path: `${SHOTS}/sandbox-alert-acknowledged.png` });
  });

  it('refuses a click from outside the CS team with an ephemeral note and leaves the alert unchanged', async () => {
    await openSandbox(pulse.url, 'U0SALES01', `#channel/${DEMO_ALERTS_CHANNEL}`);
    const alert = (await openAlerts(2)).filter({ hasNotText: 'Acknowledged by' }).first();
    const ts = (await alert.getAttribute('data-ts'))!;
    const message = page.locator(`.message[data-ts="${ts}"]`);
    const html = await message.innerHTML();
    const statuses = await allStatuses();

    await alert.locator('.bk-button', { hasText: 'Acknowledge' }).click();
    const refusal = page.locator('.message.ephemeral', { hasText: REFUSAL });
    await refusal.waitFor();
    expect(await refusal.locator('.ephemeral-label').textContent()).toContain('Only visible to you');
    expect(await message.innerHTML()).toBe(html);
    const click = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      user: { id: 'U0SALES01' },
      actions: [{ action_id: 'alert_acknowledge' }],
    });
    expect(await allStatuses()).toEqual(statuses);
    await page.screenshot({ path: `${SHOTS}/sandbox-alert-refused.png` });

    await page.locator('#persona').selectOption('U0CSM03');
    await expect.poll(() => page.locator('.message.ephemeral').count()).toBe(0);
  });

  it('resolves an alert through the modal: the note is required, then shown in the message', async () => {
    await openSandbox(pulse.url, 'U0CSM03', `#channel/${DEMO_ALERTS_CHANNEL}`);
    // The alert Ana acknowledged above: still open to a decision, whatever Pulse's recomputations did.
    await openAlerts(1);
    const alert = page.locator('.message', { hasText: 'Acknowledged by @Ana Souza' });
    const ts = (await alert.getAttribute('data-ts'))!;
    await alert.locator('.bk-button', { hasText: 'Resolve' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Resolve alert');
    await modal.locator('.modal-submit').click();
    expect(await modal.locator('.bk-input-block.has-error .bk-error').allTextContents()).toEqual([
      'Please complete this required field.',
    ]);
    await modal.locator('textarea').fill('   ');
    await modal.locator('.modal-submit').click();
    await expect
      .poll(() => modal.locator('.bk-input-block.has-error .bk-error').textContent())
      .toBe('Say in a few words what was done.');

    await modal.locator('textarea').fill('Card updated by the customer; invoice paid.');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const resolved = page.locator(`.message[data-ts="${ts}"]`);
    await expect
      .poll(() => resolved.textContent())
      .toMatch(/✅ Resolved by @Priya Natarajan at \d\d:\d\d: Card updated by the customer; invoice paid\./);
    expect(await resolved.locator('.bk-button').allTextContents()).toEqual(['Health card']);
    expect(await resolved.locator('.bk-select').count()).toBe(0);
    const submission = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'view_submission').at(-1)!;
    const context = JSON.parse(
      (submission.body as { view: { private_metadata: string } }).view.private_metadata,
    );
    expect(context).toMatchObject({ channel: DEMO_ALERTS_CHANNEL, ts });
    expect(await alertStatus(context.alertId)).toEqual({
      status: 'resolved',
      status_by: 'U0CSM03',
      resolution_note: 'Card updated by the customer; invoice paid.',
    });
    await page.screenshot({ path: `${SHOTS}/sandbox-alert-resolved.png` });
  });
});

/** A stand-in Slack app on the same wiring as Pulse (Bolt, Pulse's receiver, the sandbox's API). */
async function startStandIn(): Promise<{ url: string; sandbox: Sandbox; close(): Promise<void> }> {
  const logger = pino({ level: 'silent' });
  const server: FastifyInstance = createHttpServer(logger, createMetrics());
  let port = 0;
  const sandbox = registerSandbox(server, {
    botToken: TEST_BOT_TOKEN,
    signingSecret: TEST_SIGNING_SECRET,
    eventsUrl: () => `http://127.0.0.1:${port}/slack/events`,
    logger,
    workspace: DEFAULT_WORKSPACE,
  });
  const receiver = new SlackHttpReceiver({ signingSecret: TEST_SIGNING_SECRET, logger });
  server.post('/slack/events', (request, reply) => receiver.handle(request, reply));
  await server.listen({ host: '127.0.0.1', port: 0 });
  port = (server.server.address() as { port: number }).port;
  const bolt = new App({
    token: TEST_BOT_TOKEN,
    receiver,
    clientOptions: { slackApiUrl: `http://127.0.0.1:${port}/sandbox/api/` },
    deferInitialization: true,
  });
  await bolt.init();

  bolt.command('/demo', async ({ ack, client, command, respond }) => {
    await ack();
    if (command.text === 'review') {
      await client.views.open({ trigger_id: command.trigger_id, view: reviewModal(command.channel_id) });
    } else if (command.text === 'survey') {
      await client.chat.postMessage({
        channel: 'U0ACME0001',
        text: 'How likely are you to recommend us?',
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: 'Hi Ana :wave: How likely are you to recommend *Pulse Inc.*?' },
          },
          {
            type: 'actions',
            block_id: 'nps',
            elements: Array.from({ length: 11 }, (_, score) => ({
              type: 'button',
              action_id: `nps_${score}`,
              value: String(score),
              text: { type: 'plain_text', text: String(score) },
            })),
          },
        ],
      });
    } else if (command.text === 'later') {
      await respond({ text: 'Posting in a moment…' });
      setTimeout(
        () => void client.chat.postMessage({ channel: command.channel_id, text: 'Weekly digest :tada:' }),
        300,
      );
    }
  });
  bolt.action(/^nps_/, async ({ ack, body, action, respond }) => {
    await ack();
    if (body.user.id !== 'U0ACME0001') {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'This survey is not yours.',
      });
      return;
    }
    await respond({
      replace_original: true,
      text: `Thanks! You answered ${(action as { value: string }).value}.`,
    });
  });
  bolt.view('review', async ({ ack, view, body, client }) => {
    const values = view.state.values;
    const date = values.date?.date_value?.selected_date;
    if (!date || date < '2026-01-01') {
      await ack({ response_action: 'errors', errors: { date: 'Pick a date in the future' } });
      return;
    }
    await ack();
    const time = values.time?.time_value?.selected_time;
    const format = values.format?.format_value?.selected_option?.value;
    await client.chat.postMessage({
      channel: view.private_metadata,
      text: `Success review with Acme on ${date} at ${time} (${format}), scheduled by <@${body.user.id}>`,
    });
  });
  bolt.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Your portfolio' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `Hello <@${event.user}>, *3* accounts need you today.` },
          },
        ],
      },
    });
  });
  return { url: `http://127.0.0.1:${port}`, sandbox, close: () => server.close() };
}

function reviewModal(channel: string) {
  const option = (text: string, value = text.toLowerCase()) => ({
    text: { type: 'plain_text' as const, text },
    value,
  });
  return {
    type: 'modal' as const,
    callback_id: 'review',
    private_metadata: channel,
    title: { type: 'plain_text' as const, text: 'Success review' },
    submit: { type: 'plain_text' as const, text: 'Schedule' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: 'Schedule the *success review* with Acme.' } },
      {
        type: 'input',
        block_id: 'date',
        label: { type: 'plain_text', text: 'Date' },
        element: { type: 'datepicker', action_id: 'date_value' },
      },
      {
        type: 'input',
        block_id: 'time',
        label: { type: 'plain_text', text: 'Time' },
        element: { type: 'timepicker', action_id: 'time_value', initial_time: '10:00' },
      },
      {
        type: 'input',
        block_id: 'format',
        label: { type: 'plain_text', text: 'Format' },
        element: {
          type: 'static_select',
          action_id: 'format_value',
          options: [option('Video call', 'video'), option('On site', 'onsite')],
        },
      },
      {
        type: 'input',
        block_id: 'kind',
        label: { type: 'plain_text', text: 'Kind' },
        element: {
          type: 'radio_buttons',
          action_id: 'kind_value',
          options: [option('RTS'), option('RMS')],
          initial_option: option('RTS'),
        },
      },
      {
        type: 'input',
        block_id: 'invite',
        optional: true,
        label: { type: 'plain_text', text: 'Also invite' },
        element: {
          type: 'checkboxes',
          action_id: 'invite_value',
          options: [option('Decision maker', 'dm'), option('CS lead', 'lead')],
        },
      },
      {
        type: 'input',
        block_id: 'notes',
        optional: true,
        label: { type: 'plain_text', text: 'Agenda' },
        hint: { type: 'plain_text', text: 'Shared with the customer.' },
        element: { type: 'plain_text_input', action_id: 'notes_value', multiline: true },
      },
    ],
  };
}

describe('the sandbox page with a stand-in app', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('opens a modal, shows the app’s validation error on the field, then schedules with the date picked', async () => {
    await openSandbox(standIn.url, 'U0CSM00001', '#channel/C0ACMESHRD');
    await type('/demo review');
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Success review');
    await modal.locator('.modal-submit').click();
    expect(await modal.locator('.bk-input-block.has-error .bk-error').allTextContents()).toEqual([
      'Please complete this required field.',
      'Please complete this required field.',
    ]);
    expect(standIn.sandbox.double.botRequests.filter((r) => r.kind === 'view_submission')).toHaveLength(0);

    await modal.locator('input[type="date"]').fill('2025-12-01');
    await modal.locator('select').first().selectOption('video');
    await modal.locator('.modal-submit').click();
    await expect
      .poll(() => modal.locator('.bk-input-block.has-error .bk-error').textContent())
      .toBe('Pick a date in the future');
    await page.screenshot({ path: `${SHOTS}/sandbox-modal-error.png` });

    await modal.locator('input[type="date"]').fill('2026-06-15');
    await modal.locator('input[type="time"]').fill('14:30');
    await modal.locator('label', { hasText: 'CS lead' }).click();
    await modal.locator('textarea').fill('Goals for Q3');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const confirmation = page.locator('.message', { hasText: 'Success review with Acme' }).last();
    await confirmation.waitFor();
    expect(await confirmation.locator('.message-content').textContent()).toBe(
      'Success review with Acme on 2026-06-15 at 14:30 (video), scheduled by @Marina Costa',
    );
    const submission = standIn.sandbox.double.botRequests.filter((r) => r.kind === 'view_submission').at(-1)!;
    expect((submission.body as { view: { state: unknown } }).view.state).toEqual({
      values: {
        date: { date_value: { type: 'datepicker', selected_date: '2026-06-15' } },
        time: { time_value: { type: 'timepicker', selected_time: '14:30' } },
        format: {
          format_value: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: 'Video call' }, value: 'video' },
          },
        },
        kind: {
          kind_value: {
            type: 'radio_buttons',
            selected_option: { text: { type: 'plain_text', text: 'RTS' }, value: 'rts' },
          },
        },
        invite: {
          invite_value: {
            type: 'checkboxes',
            selected_options: [{ text: { type: 'plain_text', text: 'CS lead' }, value: 'lead' }],
          },
        },
        notes: { notes_value: { type: 'plain_text_input', value: 'Goals for Q3' } },
      },
    });
  });

  it('answers a survey as the champion, from the DM listed in the sidebar', async () => {
    await openSandbox(standIn.url, 'U0CSM00001', '#channel/C0ACMESHRD');
    await type('/demo survey');
    await expect.poll(() => page.locator('[data-testid="dm-U0ACME0001"] .badge').textContent()).toBe('1');
    await page.locator('[data-testid="dm-U0ACME0001"]').click();
    expect(await page.locator('#persona').inputValue()).toBe('U0ACME0001');
    const survey = page.locator('.message', { hasText: 'How likely are you to recommend' });
    await survey.locator('.bk-button', { hasText: /^9$/ }).click();
    await page.locator('.message', { hasText: 'Thanks! You answered 9.' }).waitFor();
    expect(await page.locator('.message .bk-button').count()).toBe(0);
    const click = standIn.sandbox.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      user: { id: 'U0ACME0001', username: 'ana.souza' },
      container: { type: 'message', channel_id: 'D0ACME0001' },
      actions: [{ action_id: 'nps_9', value: '9' }],
    });
    const opened = standIn.sandbox.double.botRequests.filter((r) => r.kind === 'event_callback').at(-1)!;
    expect(opened.body).toMatchObject({
      event: { type: 'app_home_opened', user: 'U0ACME0001', tab: 'messages' },
    });
  });

  it('shows a message the app posts by itself without reloading, and the Home tab it publishes', async () => {
    await openSandbox(standIn.url, 'U0CSLEAD01', '#channel/C0CSDIGEST');
    await type('/demo later');
    await page.locator('.message', { hasText: 'Weekly digest 🎉' }).waitFor();
    expect(await page.locator('.message.ephemeral', { hasText: 'Posting in a moment…' }).count()).toBe(1);

    await page.locator('[data-testid="app-pulse"]').click();
    await page.locator('.pane-tab[data-tab="home"]').click();
    await page.locator('.home .bk-header', { hasText: 'Your portfolio' }).waitFor();
    expect(await page.locator('.home .bk-text').textContent()).toBe(
      'Hello @Beatriz Alves, 3 accounts need you today.',
    );
    expect(standIn.sandbox.double.homeViews('U0CSLEAD01')).toHaveLength(1);
  });
});
