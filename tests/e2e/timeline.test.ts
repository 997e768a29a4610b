import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { NOTE } from '../../src/slack/constants.ts';
import { blocksText } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SandboxView, SlackClientSimulator, SlackDouble, SlackMessage } from '../helpers/slack.ts';
import { waitUntil } from '../helpers/wait.ts';

/** In CS_TEAM; the outsider is a member of the workspace but not of the team. */
const CSM = 'U0CSM00001';
const CSM2 = 'U0CSM00002';
const OUTSIDER = 'U0SALES001';
/** Acme's champion, from the customer's own workspace (Slack Connect). */
const CHAMPION = 'U0ACME0001';
const ALERTS = 'C0CSALERTS';
/** Acme's channel, shared with the customer. */
const ACME_SHARED = 'C0ACMESHRD';
const REFUSAL = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';

let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;
let sim: SlackClientSimulator;

const cs = (text: string, user = CSM) => sim.command({ user, channel: ALERTS }, '/cs', text);
const ackText = (answer: { ack: unknown }) => {
  const a = answer.ack as { text?: string; blocks?: unknown };
  return `${a.text}\n${blocksText(a.blocks)}`;
};
const notes = () =>
  rows<{
    key: string;
    text: string;
    author: string;
    logged_by: string;
    source: string;
    permalink: string | null;
  }>(
    pulse.deps.db.orm,
    sql`select a.key, n.text, n.author, n.logged_by, n.source, n.permalink
        from account_notes n join accounts a on a.id = n.account_id order by n.id`,
  );

/** Runs the shortcut on a message and returns the modal it opened for that person. */
async function shortcut(message: SlackMessage, user = CSM): Promise<SandboxView> {
  const before = new Set(double.views.map((v) => v.id));
  const run = await sim.shortcut(message, NOTE.shortcut, { user });
  expect(run.status).toBe(200);
  expect(run.durationMs).toBeLessThan(3_000);
  const view = await double.waitFor(() => double.openViews(user).find((v) => !before.has(v.id)));
  expect(double.callsTo('views.open').at(-1)!.params.trigger_id).toBe(run.triggerId);
  return view;
}

/** Everything Pulse sent into a channel: messages and ephemerals alike. */
const postedTo = (channel: string) =>
  ['chat.postMessage', 'chat.postEphemeral', 'chat.update'].flatMap((m) =>
    double.callsTo(m).filter((c) => c.params.channel === channel),
  );

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: ALERTS, CS_TEAM: `${CSM},${CSM2}` } });
  ({ pulse, double, sim } = app);
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', tier: 'high_touch', owner_slack_id: CSM, channel_id: ACME_SHARED },
    { key: 'globex', name: 'Globex', tier: 'low_touch', owner_slack_id: CSM2 },
  ]);
}, 90_000);

afterAll(() => app?.close());

describe('the "Log to account" message shortcut', () => {
  let said: SlackMessage;

  it("opens a modal with the channel's account picked and the message's text, and logs it with its author and permalink", async () => {
    said = double.postAsPerson(ACME_SHARED, CHAMPION, 'We are looking at <Rival> & renewal is *not* certain');
    const modal = await shortcut(said);
    expect(modal.callback_id).toBe(NOTE.modal);
    const account = (modal.blocks as Array<{ block_id: string; element: Record<string, unknown> }>).find(
      (b) => b.block_id === NOTE.accountBlock,
    )!.element;
    expect(account.type).toBe('static_select');
    expect(account.initial_option).toMatchObject({ value: 'acme' });
    expect((account.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['acme', 'globex']);
    expect(blocksText(modal.blocks)).toContain('We are looking at <Rival> & renewal is *not* certain');

    // What the modal shows, submitted as it is (Slack reports the initial values as entered).
    const asShown = { [NOTE.accountBlock]: 'acme', [NOTE.textBlock]: said.text };
    const submitted = await sim.submit(modal, asShown, CSM);
    expect(submitted.errors).toBeUndefined();
    expect(blocksText(submitted.view?.blocks)).toContain('Logged to the timeline of *Acme Corp*');
    expect(await notes()).toEqual([
      {
        key: 'acme',
        text: 'We are looking at <Rival> & renewal is *not* certain',
        author: CHAMPION,
        logged_by: CSM,
        source: 'shortcut',
        permalink: `https://${double.team.domain}.slack.com/archives/${ACME_SHARED}/p${said.ts.replace('.', '')}`,
      },
    ]);
  });

  it('posts nothing into the channel, shared with the customer, nor anywhere else', () => {
    expect(postedTo(ACME_SHARED)).toEqual([]);
    expect(double.messages(ACME_SHARED).map((m) => m.user)).toEqual([CHAMPION]);
    expect(double.ephemerals(CSM)).toEqual([]);
  });

  it('logs a message once per account', async () => {
    const submitted = await sim.submit(
      await shortcut(said),
      { [NOTE.accountBlock]: 'acme', [NOTE.textBlock]: said.text },
      CSM,
    );
    expect(blocksText(submitted.view?.blocks)).toContain('already on the timeline of *Acme Corp*');
    expect(await notes()).toHaveLength(1);
  });

  it("asks for the account where the channel is no account's, and keeps the text as the CSM trimmed it", async () => {
    const message = double.postAsPerson(ALERTS, CSM2, 'Globex asked for a roadmap call next week');
    const modal = await shortcut(message, CSM2);
    const account = (modal.blocks as Array<{ block_id: string; element: Record<string, unknown> }>).find(
      (b) => b.block_id === NOTE.accountBlock,
    )!.element;
    expect(account.initial_option).toBeUndefined();
    expect((account.options as Array<{ value: string }>)[0]!.value).toBe('globex');
    const missing = await sim.submit(modal, {}, CSM2);
    expect(missing.errors).toEqual({ [NOTE.accountBlock]: expect.any(String) });
    const submitted = await sim.submit(
      modal,
      { [NOTE.accountBlock]: 'globex', [NOTE.textBlock]: 'Roadmap call requested' },
      CSM2,
    );
    expect(submitted.errors).toBeUndefined();
    expect((await notes()).at(-1)).toMatchObject({
      key: 'globex',
      text: 'Roadmap call requested',
      author: CSM2,
    });
  });

  it('refuses someone outside the CS team in a modal that names no account, and logs nothing', async () => {
    const message = double.postAsPerson(ALERTS, OUTSIDER, 'Acme is unhappy');
    const modal = await shortcut(message, OUTSIDER);
    expect(modal.callback_id).not.toBe(NOTE.modal);
    expect(blocksText(modal.blocks)).toContain(REFUSAL);
    expect(blocksText(modal.blocks)).not.toMatch(/acme|globex/i);
    expect(await notes()).toHaveLength(2);
  });
});

describe('/cs note and /cs timeline', () => {
  it('adds a note typed in the command, kept as typed', async () => {
    const answer = await cs('note acme Call with "Ana": renewal   likely <if> SSO ships');
    expect(ackText(answer)).toContain(':memo: Noted on the timeline of Acme Corp.');
    expect((await notes()).at(-1)).toMatchObject({
      key: 'acme',
      text: 'Call with "Ana": renewal   likely <if> SSO ships',
      author: CSM,
      source: 'command',
      permalink: null,
    });
    expect(ackText(await cs('note acme'))).toContain('Name the account, then write the note.');
    expect(ackText(await cs('note acmee hello'))).toContain('No account matches `acmee`');
  });

  it('refuses a note, and the timeline, to someone outside the CS team', async () => {
    expect((await cs('note acme hello', OUTSIDER)).ack).toEqual({
      response_type: 'ephemeral',
      text: REFUSAL,
    });
    expect((await cs('timeline acme', OUTSIDER)).ack).toEqual({ response_type: 'ephemeral', text: REFUSAL });
    expect(await notes()).toHaveLength(3);
  });

  it('shows the last events oldest first, one line each, escaped, with Slack date tokens', async () => {
    await app.ingest('accounts', [{ key: 'acme', name: 'Acme Corp', owner_slack_id: CSM2 }]);
    await app.ingest('billing-events', [
      {
        account: 'acme',
        external_id: 'in_timeline_1',
        type: 'payment_failed',
        occurred_at: new Date().toISOString(),
        amount: 1200,
        currency: 'USD',
      },
    ]);
    await cs('milestone acme Kick-off held');
    // The failed payment raises an alert once the health recomputation has run.
    const text = await waitUntil(
      'the alert on the timeline',
      async () => {
        const t = ackText(await cs('timeline acme'));
        return t.includes('Alert raised') ? t : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const lines = [
      `Owner set to <@${CSM}>`,
      `Note by <@${CHAMPION}>: “We are looking at &lt;Rival&gt; &amp; renewal is \u2217not\u2217 certain”`,
      `Note by <@${CSM}>: “Call with \\"Ana\\": renewal likely &lt;if&gt; SSO ships”`,
      `Owner changed from <@${CSM}> to <@${CSM2}>`,
    ];
    let from = 0;
    for (const line of lines) {
      const at = text.indexOf(line, from);
      expect(at, line).toBeGreaterThan(-1);
      from = at;
    }
    expect(text).toContain('Payment failed, $1,200.00');
    expect(text).toContain('Milestone reached: *Kick-off held*');
    expect(text).toContain('Alert raised: Payment failed');
    expect(text).toMatch(
      /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC> · :memo:/,
    );
    expect(text).toContain(`<https://${double.team.domain}.slack.com/archives/${ACME_SHARED}/p`);
  });

  it('counts the same flags in /cs accounts as the App Home: unresolved alerts', async () => {
    const portfolio = ackText(await cs('accounts'));
    // The failed payment, and the fall into red when the recomputation saw the score before it: each an
    // unresolved alert, counted as the App Home counts them.
    expect(portfolio).toMatch(
      /\*Acme Corp\* `acme` [^\n]* · :rotating_light: [12] open flags? · <@U0CSM00002>/,
    );
  });

  it('says when an account has nothing on its timeline yet', async () => {
    await app.ingest('accounts', [{ key: 'initech', name: 'Initech' }]);
    expect(ackText(await cs('timeline initech'))).toContain('Nothing on it yet.');
  });

  it('shows the last touch on the health card', async () => {
    const card = ackText(await cs('health acme'));
    expect(card).toMatch(new RegExp(`Last note \\d+ (seconds?|minutes?) ago by <@${CSM}>\\.`));
    expect(ackText(await cs('health initech'))).toContain('No notes yet.');
  });
});
