import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_ALERTS_CHANNEL,
  DEMO_CS_LEAD,
  DEMO_CSMS,
  DEMO_DIGEST_CHANNEL,
  DEMO_OWNERS,
  DEMO_WORKSPACE,
} from '../../demo/workspace.ts';
import { rows } from '../../src/db/client.ts';
import { t } from '../../src/i18n/index.ts';
import type { Pulse } from '../../src/pulse.ts';
import { NOT_A_READER } from '../../src/slack/access.ts';
import { ACTION } from '../../src/slack/constants.ts';
import { sandboxSettled, startSandbox } from '../helpers/sandbox.ts';

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
const INGEST_TOKEN = 'browser-tests-ingest-token';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});
afterAll(() => browser?.close());
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Shorter than the test's timeout, so a failure names the element that never came.
  page.setDefaultTimeout(15_000);
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

  beforeAll(async () => {
    pulse = await startSandbox({ LOG_LEVEL: 'error', INGEST_TOKEN });
  });
  afterAll(async () => {
    await pulse?.close();
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
  it('logs a customer’s message in the shared channel to Acme’s timeline from its "More actions" menu, posting nothing there', async () => {
    const shared = 'C0EXTACME';
    const said = pulse.sandbox!.double.postAsPerson(
      shared,
      'U0ACME01',
      'Our CFO asks about <pricing> & seats',
    );
    const posted = pulse.sandbox!.double.messages(shared).length;
    await openSandbox(pulse.url, DEMO_OWNERS.acme!, `#channel/${shared}`);
    const message = page.locator(`.message[data-ts="${said.ts}"]`);
    await message.hover();
    await message.locator('.more-actions').click();
    await message.locator('.more-actions-item', { hasText: 'Log to account' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Log to account');
    expect(await modal.locator('textarea').inputValue()).toBe('Our CFO asks about <pricing> & seats');
    await modal.locator('select.bk-select').selectOption('acme');
    await modal.locator('.modal-submit').click();
    await expect.poll(() => modal.textContent()).toContain('Logged to the timeline of Acme Corporation');
    await page.screenshot({ path: `${SHOTS}/sandbox-log-to-account.png` });
    // Closed, as the person would: a modal left open would still be on their screen in the next test.
    await modal.locator('.modal-x').click();
    await modal.waitFor({ state: 'detached' });
    const [note] = await rows<{ text: string; author: string; permalink: string }>(
      pulse.deps.db.orm,
      sql`select n.text, n.author, n.permalink from account_notes n join accounts a on a.id = n.account_id
          where a.key = 'acme' order by n.id desc limit 1`,
    );
    expect(note).toMatchObject({ text: 'Our CFO asks about <pricing> & seats', author: 'U0ACME01' });
    expect(note!.permalink).toContain(`/archives/${shared}/p`);
    expect(pulse.sandbox!.double.messages(shared)).toHaveLength(posted);
  });

  /**
   * The open alerts Pulse posted in #cs-alerts on first start. The demo's recomputations raise alerts and
   * resolve some of them again, all through the outbox, so the test waits until Pulse has settled.
   */
  async function openAlerts(minimum: number) {
    await sandboxSettled(pulse);
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

  /** The account a posted incident is about, from its headline (`🚨 Acme Corporation: Payment failed…`). */
  const incidentAccount = async (message: Locator) =>
    (await message.locator('.bk-section').first().textContent())!.match(/^🚨 (.+?): /)![1]!;

  it('shows one message per account at risk in #cs-alerts, its other causes listed, its next steps as buttons', async () => {
    await openSandbox(pulse.url, 'U0CSM01', `#channel/${DEMO_ALERTS_CHANNEL}`);
    const alerts = await openAlerts(3);
    const accounts = await Promise.all((await alerts.all()).map(incidentAccount));
    expect(new Set(accounts).size).toBe(accounts.length);
    // At least one incident carries more than its headline, and a next step Pulse can link to.
    const withCauses = alerts.filter({ hasText: 'Also' });
    expect(await withCauses.count()).toBeGreaterThan(0);
    const nextSteps = [
      'Open in Stripe',
      'Open in Zendesk',
      'Schedule review',
      'Log a milestone',
      /^Reply to /,
    ];
    const isNextStep = (text: string) =>
      nextSteps.some((step) => (typeof step === 'string' ? text === step : step.test(text)));
    // The incident to show on its own: the first with a next step, with other causes when there is one.
    let shown: Locator | undefined;
    let richest = false;
    for (const alert of await alerts.all()) {
      if (!(await alert.locator('.bk-button').allTextContents()).some(isNextStep)) continue;
      const withAlso = (await alert.textContent())!.includes('Also');
      if (!shown || (withAlso && !richest)) [shown, richest] = [alert, withAlso];
    }
    expect(shown).toBeDefined();
    // The pictures in docs/alerts.md; written there only when asked, so a test run leaves the tree clean.
    const shots = process.env.PULSE_DOCS_SCREENSHOTS ? 'docs' : SHOTS;
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.locator('.messages').evaluate((list) => {
      list.scrollTop = 0;
    });
    await page.screenshot({ path: `${shots}/alerts-channel.png` });
    await shown!.screenshot({ path: `${shots}/alerts-incident.png` });
  });

  it('assigns an incident from its "Assign to…" select: the message names the assignee, the thread mentions them once', async () => {
    const ana = DEMO_CSMS.ana;
    const priya = DEMO_CSMS.priya;
    await openSandbox(pulse.url, ana.id, `#channel/${DEMO_ALERTS_CHANNEL}`);
    const alerts = await openAlerts(1);
    // An incident Priya does not own yet (the select shows its owner: the account's, until someone picks).
    let incident: Locator | undefined;
    for (const candidate of await alerts.all()) {
      const select = candidate.locator(`select.bk-select[data-action-id="${ACTION.alertAssign}"]`);
      if ((await select.inputValue()) !== priya.id) {
        incident = candidate;
        break;
      }
    }
    expect(incident).toBeDefined();
    const ts = (await incident!.getAttribute('data-ts'))!;
    // Mentions of Priya in the incident's message and its thread, as Slack stores them.
    const mentionsOfPriya = () =>
      pulse
        .sandbox!.double.messages(DEMO_ALERTS_CHANNEL)
        .filter((m) => m.ts === ts || m.thread_ts === ts)
        .filter((m) => JSON.stringify([m.text, m.blocks ?? []]).includes(`<@${priya.id}>`)).length;
    expect(mentionsOfPriya()).toBe(0);

    await incident!
      .locator(`select.bk-select[data-action-id="${ACTION.alertAssign}"]`)
      .selectOption(priya.id);
    const message = page.locator(`.message[data-ts="${ts}"]`);
    const reply = message.locator('.thread .message', { hasText: 'assigned this incident to' });
    await reply.waitFor();
    expect(await reply.locator('.message-content').textContent()).toBe(
      '👤 @Ana Souza assigned this incident to @Priya Natarajan.',
    );
    await expect
      .poll(() => message.locator(`select.bk-select[data-action-id="${ACTION.alertAssign}"]`).inputValue())
      .toBe(priya.id);
    await expect
      .poll(() =>
        message
          .locator(`select.bk-select[data-action-id="${ACTION.alertAssign}"] option:checked`)
          .textContent(),
      )
      .toBe('Priya Natarajan');
    expect(mentionsOfPriya()).toBe(1);
    const click = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      user: { id: ana.id },
      actions: [{ action_id: ACTION.alertAssign, type: 'users_select', selected_user: priya.id }],
    });
    const recorded = await rows<{ user_id: string; detail: unknown }>(
      pulse.deps.db.orm,
      sql`select aa.user_id, aa.detail from alert_actions aa join alerts a on a.id = aa.alert_id
          join incidents i on i.id = a.incident_id join slack_outbox o on o.id = i.post_outbox_id
          where o.ts = ${ts} and aa.action = 'assigned'`,
    );
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((r) => r.user_id === ana.id)).toBe(true);
    expect(recorded.map((r) => r.detail)).toEqual(recorded.map(() => ({ to: priya.id })));
    await message.screenshot({ path: `${SHOTS}/sandbox-alert-assigned.png` });
  });

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
    // Snooze, and Assign to…
    expect(await acme.locator('.bk-select').count()).toBe(2);
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
    const refusal = page.locator('.message.ephemeral', { hasText: NOT_A_READER });
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

  const marcus = DEMO_CSMS.marcus;

  interface ReviewRow {
    id: number;
    status: string;
    startsAt: number;
    durationMinutes: number;
    timezone: string;
    attendees: string[];
    agenda: string | null;
    scheduledBy: string;
  }
  const acmeReviews = () =>
    rows<ReviewRow>(
      pulse.deps.db.orm,
      sql`select r.id::int as id, r.status, (extract(epoch from r.starts_at) * 1000)::float8 as "startsAt",
            r.duration_minutes as "durationMinutes", r.timezone, r.attendees, r.agenda,
            r.scheduled_by as "scheduledBy"
          from success_reviews r join accounts a on a.id = r.account_id
          where a.key = 'acme' order by r.id`,
    );
  /** A day some weeks ahead, as the modal's date field takes it, in the account's zone. */
  const daysAhead = (days: number, zone: string) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;

  it('reschedules Acme’s review in the real modal: a past time is refused on its field, a future one moves it', async () => {
    const [before] = (await acmeReviews()).filter((r) => r.status === 'scheduled');
    expect(before).toBeDefined();
    const zone = before!.timezone;
    await openSandbox(pulse.url, marcus.id, '#app/messages');
    await type('/cs rts acme');
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Reschedule review');
    expect(await modal.locator('.bk-label').allTextContents()).toEqual([
      'Date',
      `Time (${zone})`,
      'Duration',
      'Attendees (optional)',
      'Agenda (optional)',
    ]);
    await page.locator('.message.ephemeral', { hasText: 'the form moves it' }).waitFor();

    await modal.locator('input[type="date"]').fill('2020-01-06');
    await modal.locator('input[type="time"]').fill('09:30');
    await modal.locator('.modal-submit').click();
    const refused = modal.locator('.bk-input-block.has-error');
    await expect.poll(() => refused.locator('.bk-error').textContent()).toContain('is in the past');
    expect(await refused.locator('.bk-label').textContent()).toBe(`Time (${zone})`);
    await page.screenshot({ path: `${SHOTS}/sandbox-review-error.png` });

    const day = daysAhead(21, zone);
    await modal.locator('input[type="date"]').fill(day);
    await modal.locator('input[type="time"]').fill('15:45');
    await modal.locator('select').selectOption('90');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    const confirmation = page.locator('.message.ephemeral', { hasText: 'Moved.' });
    await confirmation.waitFor();
    expect(await confirmation.locator('.bk-section').first().textContent()).toMatch(
      /^📆 RTS \(quarterly success review\) with Acme Corporation: .*, 1 h 30 min\. Moved\.$/,
    );
    expect(await confirmation.locator('.bk-button').allTextContents()).toEqual(['Reschedule', 'Cancel']);
    const moved = (await acmeReviews()).find((r) => r.id === before!.id);
    expect(moved).toMatchObject({
      status: 'scheduled',
      startsAt: DateTime.fromISO(`${day}T15:45`, { zone }).toMillis(),
      durationMinutes: 90,
    });

    // The calendar file Pulse uploads shows in the conversation, and opens as the .ics it is.
    const file = page.locator('.message .file-card', { hasText: `acme-rts-${day}.ics` });
    await file.waitFor();
    const download = await page.request.get(new URL((await file.getAttribute('href'))!, pulse.url).href);
    expect(download.status()).toBe(200);
    const ics = await download.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(
      `DTSTART:${DateTime.fromISO(`${day}T15:45`, { zone }).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
    );
    await page.screenshot({ path: `${SHOTS}/sandbox-review-moved.png` });
  });

  it('cancels the review from its ephemeral confirmation, then schedules a new one with attendees', async () => {
    await openSandbox(pulse.url, marcus.id, '#app/messages');
    const moved = page.locator('.message.ephemeral', { hasText: 'Moved.' });
    await moved.locator('.bk-button', { hasText: 'Cancel' }).click();
    const dialog = page.locator('.modal.confirm');
    expect(await dialog.locator('.modal-title').textContent()).toBe('Cancel the review?');
    await dialog.locator('.bk-button', { hasText: 'Cancel it' }).click();
    const canceledNote = page.locator('.message.ephemeral', { hasText: 'was canceled by' });
    await canceledNote.waitFor();
    expect(await canceledNote.locator('.message-content').textContent()).toMatch(
      /^❌ The RTS \(quarterly success review\) with Acme Corporation on .+ was canceled by @Marcus Reed\.$/,
    );
    expect(await moved.count()).toBe(0);
    const canceled = await acmeReviews();
    expect(canceled.filter((r) => r.status === 'scheduled')).toEqual([]);

    await type('/cs rts acme');
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Schedule review');
    await modal.locator('.modal-submit').click();
    expect(await modal.locator('.bk-input-block.has-error .bk-label').allTextContents()).toEqual([
      'Date',
      expect.stringMatching(/^Time /),
    ]);

    const zone = canceled.at(-1)!.timezone;
    const day = daysAhead(35, zone);
    await modal.locator('input[type="date"]').fill(day);
    expect(await modal.locator('.bk-input-block.has-error .bk-label').allTextContents()).toEqual([
      expect.stringMatching(/^Time /),
    ]);
    await modal.locator('input[type="time"]').fill('11:00');
    const attendees = modal.locator('.bk-multi');
    await attendees.locator('.bk-multi-search').fill('wile');
    await attendees.locator('.bk-multi-option', { hasText: 'Wile Carter' }).click();
    await attendees.locator('.bk-multi-search').fill('Priya');
    await attendees.locator('.bk-multi-search').press('Enter');
    await attendees.locator('.bk-multi-search').fill('Head of Customer');
    await attendees.locator('.bk-multi-search').press('Enter');
    await attendees.locator('.bk-token-remove[aria-label="Remove Priya Natarajan"]').click();
    expect(await attendees.locator('.bk-token').allTextContents()).toEqual(['Wile Carter×', 'Helena Costa×']);
    await modal.locator('textarea').fill('Renewal plan and the board dashboard');
    await page.screenshot({ path: `${SHOTS}/sandbox-review-attendees.png` });
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });

    const confirmation = page.locator('.message.ephemeral', { hasText: 'Scheduled.' });
    await confirmation.waitFor();
    expect(await confirmation.locator('.bk-section').nth(1).textContent()).toBe(
      'Attendees @Wile Carter, @Helena Costa',
    );
    const submission = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'view_submission').at(-1)!;
    expect(JSON.stringify(submission.body)).toContain(
      JSON.stringify({ type: 'multi_users_select', selected_users: ['U0ACME01', DEMO_CS_LEAD.id] }),
    );
    const created = (await acmeReviews()).filter((r) => r.status === 'scheduled');
    expect(created).toEqual([
      expect.objectContaining({
        startsAt: DateTime.fromISO(`${day}T11:00`, { zone }).toMillis(),
        durationMinutes: 60,
        attendees: ['U0ACME01', DEMO_CS_LEAD.id],
        agenda: 'Renewal plan and the board dashboard',
        scheduledBy: marcus.id,
      }),
    ]);
    expect(created[0]!.id).toBeGreaterThan(canceled.at(-1)!.id);
  });

  interface SurveyRow {
    id: number;
    route: string | null;
    channel: string | null;
    status: string;
    score: number | null;
    comment: string | null;
    locale: string;
    recipient: string | null;
  }
  const latestSurvey = async (accountKey: string) =>
    (
      await rows<SurveyRow>(
        pulse.deps.db.orm,
        sql`select s.id::int as id, s.route, s.channel, s.status, s.score::int as score, s.comment, s.locale,
              s.recipient_slack_id as recipient
            from surveys s join accounts a on a.id = s.account_id
            where a.key = ${accountKey} order by s.id desc limit 1`,
      )
    )[0]!;
  const plainText = (mrkdwn: string) => mrkdwn.replace(/\*/g, '');

  it('sends an NPS survey by DM; the champion answers it there and tells why in the modal', async () => {
    await openSandbox(pulse.url, marcus.id, '#app/messages');
    await type('/cs survey acme nps');
    const answer = page.locator('.message.ephemeral', { hasText: 'NPS survey for Acme Corporation' });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Wile Carter (@Wile Carter): sent by DM');
    const survey = await latestSurvey('acme');
    expect(survey).toMatchObject({ route: 'dm', recipient: 'U0ACME01', status: 'sent' });

    const champion = page.locator('[data-testid="dm-U0ACME01"]');
    await expect.poll(() => champion.locator('.badge').textContent()).toBe('1');
    await champion.click();
    expect(await page.locator('#persona').inputValue()).toBe('U0ACME01');
    const question = page.locator('.message', { has: page.locator('.bk-button', { hasText: /^10$/ }) });
    expect(await question.locator('.bk-button').allTextContents()).toEqual(
      Array.from({ length: 11 }, (_, n) => String(n)),
    );
    const ts = (await question.getAttribute('data-ts'))!;
    await question.locator('.bk-button', { hasText: /^9$/ }).click();
    const message = page.locator(`.message[data-ts="${ts}"]`);
    const thanks = plainText(t(survey.locale, 'survey.thanks', { score: 9 }));
    await expect.poll(() => message.locator('.bk-section').first().textContent()).toBe(thanks);
    expect(await latestSurvey('acme')).toMatchObject({ status: 'answered', score: 9, comment: null });

    await message.locator('.bk-button', { hasText: t(survey.locale, 'survey.tellUsWhy') }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe(t(survey.locale, 'survey.modal.title'));
    await modal.locator('textarea').fill('The weekly report saves my team a day.');
    await modal.locator('.modal-submit').click();
    await modal.waitFor({ state: 'detached' });
    await expect
      .poll(() => message.locator('.bk-context').textContent())
      .toBe(t(survey.locale, 'survey.commentThanks'));
    expect(await message.locator('.bk-button').count()).toBe(0);
    expect(await latestSurvey('acme')).toMatchObject({
      status: 'answered',
      score: 9,
      comment: 'The weekly report saves my team a day.',
    });
    await page.screenshot({ path: `${SHOTS}/sandbox-survey-answered.png` });
  });

  it('falls back to the channel shared with the champion when their DM is refused: answered there, only they see it', async () => {
    const priya = DEMO_CSMS.priya;
    const champion = DEMO_WORKSPACE.users.find((u) => u.accountKey === 'umbrella' && u.role === 'champion')!;
    const shared = DEMO_WORKSPACE.channels.find((c) => c.accountKey === 'umbrella' && c.shared)!;
    // Nobody linked the account to that channel (`channel_id`): Pulse finds it among the champion's channels.
    // Slack refuses the app a DM with some Slack Connect users (`invalid_user_combination`): so does the double.
    const refusing = pulse.sandbox!.double.user(champion.id)!;
    refusing.dmBlocked = true;
    await openSandbox(pulse.url, priya.id, '#app/messages');
    await type('/cs survey umbrella csat');
    const answer = page.locator('.message.ephemeral', { hasText: 'CSAT survey for Umbrella Corporation' });
    await answer.waitFor();
    delete refusing.dmBlocked;
    expect(await answer.textContent()).toContain(
      `${champion.realName} (@${champion.realName}): sent in #${shared.name}, visible only to them (their DM was refused)`,
    );
    const survey = await latestSurvey('umbrella');
    expect(survey).toMatchObject({ route: 'channel_ephemeral', channel: shared.id, recipient: champion.id });

    await page.locator('#persona').selectOption(champion.id);
    await page.locator(`[data-testid="channel-${shared.name}"]`).click();
    const question = page.locator('.message.ephemeral', {
      has: page.locator('.bk-button', { hasText: /^5$/ }),
    });
    await question.waitFor();
    expect(await question.locator('.bk-button').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
    expect(await question.locator('.ephemeral-label').textContent()).toContain('Only visible to you');
    await question.locator('.bk-button', { hasText: /^4$/ }).click();
    const thanks = plainText(t(survey.locale, 'survey.thanks', { score: 4 }));
    await page.locator('.message.ephemeral', { hasText: thanks }).waitFor();
    expect(await question.count()).toBe(0);
    expect(await latestSurvey('umbrella')).toMatchObject({ status: 'answered', score: 4 });
    await page.screenshot({ path: `${SHOTS}/sandbox-survey-fallback.png` });

    // Nobody else in the channel sees it.
    await page.locator('#persona').selectOption(priya.id);
    await expect.poll(() => page.locator('.message.ephemeral', { hasText: thanks }).count()).toBe(0);
  });

  /** The account keys a Home lists, in order: each account is a section with its menu, its key in `code`. */
  const homeKeys = () =>
    page
      .locator('.home .bk-section', { has: page.locator('.bk-overflow') })
      .locator('code')
      .allTextContents();

  it('publishes a CSM’s own accounts on their Home tab, each with a menu that opens its health card', async () => {
    await openSandbox(pulse.url, marcus.id, '#app/home');
    const home = page.locator('.home');
    await home.locator('.bk-header', { hasText: 'Your book of business' }).waitFor();
    const owned = Object.entries(DEMO_OWNERS)
      .filter(([, owner]) => owner === marcus.id)
      .map(([key]) => key);
    expect((await homeKeys()).sort()).toEqual(owned.sort());
    expect(await home.locator('.bk-context').first().textContent()).toMatch(
      new RegExp(`^${owned.length} active accounts · `),
    );
    expect(pulse.sandbox!.double.homeViews(marcus.id).at(-1)!.blocks).toHaveLength(
      await home.locator('.block').count(),
    );

    const acme = home.locator('.bk-section', { hasText: 'Acme Corporation' }).first();
    await acme.locator('.overflow-trigger').click();
    expect(await acme.locator('.overflow-item').allTextContents()).toEqual([
      'Health card',
      'Log a milestone',
      'Schedule a review',
    ]);
    await page.screenshot({ path: `${SHOTS}/sandbox-home-menu.png` });
    await acme.locator('.overflow-item', { hasText: 'Health card' }).click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Health card');
    expect(await modal.locator('.bk-header').textContent()).toBe('Acme Corporation (acme)');
    const click = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      container: { type: 'view' },
      view: { type: 'home' },
      actions: [{ type: 'overflow', selected_option: { value: 'card:acme' } }],
    });
    await modal.locator('.bk-button', { hasText: 'Close' }).click();
    await modal.waitFor({ state: 'detached' });
  });

  it('publishes the whole portfolio on the CS lead’s Home tab', async () => {
    await openSandbox(pulse.url, DEMO_CS_LEAD.id, '#app/home');
    const home = page.locator('.home');
    await home.locator('.bk-header', { hasText: 'Portfolio health' }).waitFor();
    const summary = (await home.locator('.bk-context').first().textContent())!;
    const total = Number(summary.match(/^(\d+) active accounts/)![1]);
    const listed = await homeKeys();
    const page1 = await home
      .locator('.bk-context', { hasText: /^Accounts 1–\d+ of \d+\./ })
      .first()
      .textContent();
    expect(page1).toBe(`Accounts 1–${listed.length} of ${total}. /cs accounts red lists every red account.`);
    const owners = new Set(listed.map((key) => DEMO_OWNERS[key]));
    expect(owners.size).toBeGreaterThan(1);
    expect(await page.locator('.messages').evaluate((list) => list.scrollTop)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/sandbox-home-lead.png` });
    // "Next 25" publishes the next page.
    await home.locator('.bk-button', { hasText: /^Next \d+$/ }).click();
    await home.locator('.bk-context', { hasText: `Accounts ${listed.length + 1}–` }).waitFor();
    expect((await homeKeys()).filter((key) => listed.includes(key))).toEqual([]);
    await home.locator('.bk-button', { hasText: 'First 25' }).click();
    await home.locator('.bk-context', { hasText: /^Accounts 1–/ }).waitFor();
  });

  it('posts the digest with `/cs digest`; its "Health card…" menu answers with the card, to the chooser only', async () => {
    await openSandbox(pulse.url, marcus.id, `#channel/${DEMO_DIGEST_CHANNEL}`);
    const digests = page.locator('.message:not(.ephemeral)', {
      has: page.locator('.bk-header', { hasText: /^Weekly digest · week of / }),
    });
    const before = await digests.count();
    await type('/cs digest');
    await page
      .locator('.message.ephemeral', { hasText: 'The weekly digest is on its way to this channel.' })
      .waitFor();
    await expect.poll(() => digests.count(), { timeout: 15_000 }).toBe(before + 1);
    const digest = digests.last();
    expect(await digest.locator('.bk-text').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Portfolio health · \d+ active accounts/)]),
    );
    expect(await digest.textContent()).not.toMatch(/:[a-z_]+:/);
    const menus = digest.locator('select.bk-select');
    expect(await menus.count()).toBeGreaterThan(0);
    expect(await menus.first().locator('option').first().textContent()).toBe('Health card…');
    const menu = digest.locator('select.bk-select', { has: page.locator('option[value="acme"]') }).first();
    await menu.selectOption('acme');
    const card = page.locator('.message.ephemeral', {
      has: page.locator('.bk-header', { hasText: 'Acme Corporation (acme)' }),
    });
    await card.waitFor();
    const click = pulse.sandbox!.double.botRequests.filter((r) => r.kind === 'block_actions').at(-1)!;
    expect(click.body).toMatchObject({
      user: { id: marcus.id },
      actions: [{ type: 'static_select', selected_option: { value: 'acme' } }],
    });
    await page.screenshot({ path: `${SHOTS}/sandbox-digest.png` });

    await page.locator('#persona').selectOption(DEMO_CSMS.ana.id);
    await expect.poll(() => card.count()).toBe(0);
    expect(await digests.count()).toBe(before + 1);
  });
});
