import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { t } from '../../src/i18n/index.ts';
import type { Pulse } from '../../src/pulse.ts';
import { sharedSinceText } from '../../src/slack/actions/alert-actions.ts';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/constants.ts';
import { outstandingMessages } from '../../src/store/outbox.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { type SlackDouble, type SlackMessage, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const SHARED_CHANNEL_REFUSAL = t('en', 'dc.shared');
const SHARING_UNKNOWN_REFUSAL = t('en', 'dc.unknown');

/** In CS_TEAM, and in every channel below. */
const CSM = 'U0CSM00001';
/** Initech's champion, in Initech's shared channel; Pulse cannot DM him. */
const PETER = 'U0INITECH1';
const ALERTS = 'C0CSALERTS';
const DIGEST = 'C0CSDIGEST';
/** Shared with the customer through Slack Connect. */
const ACME_SHARED = 'C0ACMESHRD';
const GLOBEX_SHARED = 'C0GLOBEXSH';
const INITECH_SHARED = 'C0INITECHS';
/** Internal channels: Acme's is shared with the customer halfway through. */
const ACME_INTERNAL = 'C0ACMEINTL';
const HOOLI_INTERNAL = 'C0GLOBEXIN';
const DAY = 86_400_000;

let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;

const cs = (text: string, channel: string) => app.sim.command({ user: CSM, channel }, '/cs', text);
const ackOf = (answer: { ack: unknown }) =>
  answer.ack as { text: string; blocks?: unknown[]; response_type: string };
const botMessages = (channel: string) => double.messages(channel).filter((m) => m.user === double.bot.userId);
const alertIn = (channel: string, prefix: string) => () =>
  botMessages(channel).find((m) => !m.thread_ts && m.text.startsWith(prefix));
/** What Pulse sent into a channel (posts, updates, ephemerals, files), from the `since`-th call on. */
const sentInto = (channel: string, since = 0) =>
  double.calls
    .slice(since)
    .filter(
      (c) =>
        /^(chat|files)\./.test(c.method) && (c.params.channel === channel || c.params.channel_id === channel),
    );
const event = (account: string, id: string, type: string, agoMs: number) =>
  app.ingest('billing-events', {
    account,
    external_id: id,
    type,
    occurred_at: new Date(Date.now() - agoMs).toISOString(),
    amount: 900,
    currency: 'USD',
  });
/** Waits until the recomputations are done and the outbox has sent (or refused) everything. */
async function settled() {
  for (let i = 0; i < 300; i++) {
    await pulse.deps.health.idle();
    if ((await outstandingMessages(pulse.deps.db.orm)).count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the outbox did not settle');
}
const outboxRows = (where: ReturnType<typeof sql>) =>
  rows<{ dedupe_key: string; status: string; channel: string | null; last_error: string | null }>(
    pulse.deps.db.orm,
    sql`select dedupe_key, status, channel, last_error from slack_outbox where ${where} order by id`,
  );

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: ALERTS, CS_TEAM: CSM } });
  ({ pulse, double } = app);
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', tier: 'high_touch', owner_slack_id: CSM, channel_id: ACME_INTERNAL },
    { key: 'globex', name: 'Globex', tier: 'low_touch', owner_slack_id: CSM, channel_id: GLOBEX_SHARED },
    { key: 'initech', name: 'Initech', tier: 'mid_touch', owner_slack_id: CSM, channel_id: INITECH_SHARED },
    { key: 'hooli', name: 'Hooli', tier: 'mid_touch', owner_slack_id: CSM, channel_id: HOOLI_INTERNAL },
  ]);
  await app.ingest('contacts', {
    account: 'initech',
    email: 'peter@initech.example',
    name: 'Peter Gibbons',
    slack_user_id: PETER,
    role: 'champion',
  });
  await settled();
}, 90_000);

afterAll(() => app?.close());

describe('/cs digest', () => {
  it('in a shared channel answers that Pulse will not post customer data there, and posts nothing', async () => {
    const answer = await cs('digest', ACME_SHARED);
    expect(answer.status).toBe(200);
    expect(ackOf(answer)).toMatchObject({ response_type: 'ephemeral', text: SHARED_CHANNEL_REFUSAL });
    expect(SHARED_CHANNEL_REFUSAL).toContain('will not post customer data where customers read it');
    await settled();
    expect(sentInto(ACME_SHARED)).toEqual([]);
    expect(botMessages(ACME_SHARED)).toEqual([]);
    expect(await outboxRows(sql`dedupe_key like 'digest:%'`)).toEqual([]);
  });

  it('when Slack cannot say whether the channel is shared, posts nothing either; once it can, posts', async () => {
    double.failNext('conversations.info', { status: 503 });
    expect(ackOf(await cs('digest', DIGEST)).text).toBe(SHARING_UNKNOWN_REFUSAL);
    await settled();
    expect(sentInto(DIGEST)).toEqual([]);
    expect(ackOf(await cs('digest', DIGEST)).text).toContain('The weekly digest is on its way');
    await double.waitFor(() => botMessages(DIGEST).find((m) => m.text.startsWith('Weekly digest')), 15_000);
  });
});

describe('an account whose channel is shared with the customer', () => {
  let alert: SlackMessage;

  it('gets its alerts in CS_ALERT_CHANNEL, and nothing in its channel', async () => {
    await event('globex', 'in_shared_globex_1', 'payment_failed', 2 * DAY);
    alert = await double.waitFor(alertIn(ALERTS, 'Globex: Payment failed'), 15_000);
    await settled();
    expect(sentInto(GLOBEX_SHARED)).toEqual([]);
    expect(botMessages(GLOBEX_SHARED)).toEqual([]);
  });

  it('has a note on its health card saying why', async () => {
    const card = blocksOf((await cs('health globex', ALERTS)).ack as { blocks: unknown[] });
    expect(card).toContain(
      `:lock: <#${GLOBEX_SHARED}> is shared with the customer, so this account's alerts go to <#${ALERTS}>.`,
    );
  });

  it('follows up in the alert’s thread where it was posted', async () => {
    await event('globex', 'in_shared_globex_2', 'payment_succeeded', DAY);
    // The payment clears the flag, and the score's alerts it caused: one reply each, naming the flag's.
    const reply = await double.waitFor(
      () =>
        botMessages(ALERTS).find(
          (m) => m.thread_ts === alert.ts && m.text.includes('A later payment cleared this flag'),
        ),
      15_000,
    );
    expect(reply.text).toContain('resolved');
    // The update and the reply are two messages: the update may land a moment after the reply.
    await double.waitFor(() => blocksOf(double.message(ALERTS, alert.ts)!).includes('Resolved'));
    await settled();
    expect(sentInto(GLOBEX_SHARED)).toEqual([]);
  });
});

describe('a channel that becomes shared', () => {
  let alert: SlackMessage;
  let sharedAt: number;

  it('receives internal alerts while it is internal', async () => {
    await event('acme', 'in_shared_acme_1', 'payment_failed', 2 * DAY);
    alert = await double.waitFor(alertIn(ACME_INTERNAL, 'Acme Corp: Payment failed'), 15_000);
    await settled();
    const card = blocksOf((await cs('health acme', ALERTS)).ack as { blocks: unknown[] });
    expect(card).not.toContain('is shared with the customer');
  });

  it('receives nothing internal from the moment Slack says it is shared (channel_shared)', async () => {
    const checks = double.callsTo('conversations.info').length;
    sharedAt = double.calls.length;
    expect((await app.sim.shareChannel(ACME_INTERNAL, true)).status).toBe(200);

    // A click on the alert already there: recorded, the message left as it was, the person told why.
    await app.sim.click(double.message(ACME_INTERNAL, alert.ts)!, ACTION.alertAcknowledge, { user: CSM });
    await double.waitFor(() => double.ephemerals(CSM).find((e) => e.text === sharedSinceText('en')));
    const [audit] = await rows<{ action: string }>(
      pulse.deps.db.orm,
      sql`select action from alert_actions order by id desc limit 1`,
    );
    expect(audit).toEqual({ action: 'acknowledged' });

    // A new alert goes to the alert channel; the payment that clears the first one updates nothing there.
    await event('acme', 'in_shared_acme_2', 'dispute_opened', DAY);
    await double.waitFor(alertIn(ALERTS, 'Acme Corp: Dispute opened'), 15_000);
    await event('acme', 'in_shared_acme_3', 'payment_succeeded', DAY / 2);
    await settled();
    expect(sentInto(ACME_INTERNAL, sharedAt).filter((c) => c.method !== 'chat.postEphemeral')).toEqual([]);
    // The resolved alert's update and thread reply (and those of its health alert, if the payment cleared it).
    const cleared = await outboxRows(
      sql`dedupe_key like ${'alert:%:cleared:%'} and payload->>'channel' = ${ACME_INTERNAL}`,
    );
    expect(cleared.length).toBeGreaterThanOrEqual(2);
    for (const row of cleared)
      expect(row).toMatchObject({
        status: 'failed',
        channel: null,
        last_error: `refused: ${ACME_INTERNAL} is shared outside the workspace`,
      });
    // The event, not a new question to Slack, said so: the channel's answer was still fresh.
    expect(double.callsTo('conversations.info')).toHaveLength(checks);
  });

  it('receives them again once unshared (channel_unshared), after asking Slack', async () => {
    expect((await app.sim.shareChannel(ACME_INTERNAL, false)).status).toBe(200);
    // The incident moved to the alert channel is resolved: what comes next opens a new one.
    const dispute = await double.waitFor(alertIn(ALERTS, 'Acme Corp: Dispute opened'));
    await app.sim.click(dispute, ACTION.alertResolve, { user: CSM });
    const modal = await double.waitFor(() =>
      double.openViews(CSM).find((v) => v.callback_id === CALLBACK.alertResolveModal),
    );
    await app.sim.submit(modal, { [BLOCK.resolveNote]: 'Dispute withdrawn' });
    await double.waitFor(() =>
      JSON.stringify(double.message(ALERTS, dispute.ts)?.blocks).includes('Resolved by'),
    );
    await event('acme', 'in_shared_acme_4', 'subscription_downgraded', DAY / 4);
    await double.waitFor(alertIn(ACME_INTERNAL, 'Acme Corp: Subscription downgraded'), 15_000);
    expect(double.callsTo('conversations.info').at(-1)!.params.channel).toBe(ACME_INTERNAL);
  });
});

describe('a survey, the one message meant for the customer', () => {
  it('still reaches a champion in the account’s shared channel', async () => {
    const answer = ackOf(await cs('survey initech nps', ALERTS));
    expect(`${answer.text}${blocksOf(answer)}`).toContain(`in <#${INITECH_SHARED}>, visible only to them`);
    const survey = await double.waitFor(
      () => double.ephemerals(PETER).find((e) => e.channel === INITECH_SHARED),
      15_000,
    );
    expect(blocksOf(survey)).toContain('How likely are you to recommend');
    expect(
      await rows<{ audience: string }>(
        pulse.deps.db.orm,
        sql`select audience from slack_outbox where dedupe_key like 'survey:%:post'`,
      ),
    ).toEqual([{ audience: 'customer' }]);
  });
});

describe('the review calendar file', () => {
  it('goes to the DM of whoever scheduled the review, not to the shared channel /cs rts was typed in', async () => {
    const day = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const answer = ackOf(await cs(`rts acme ${day} 15:00`, ACME_SHARED));
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.text).toContain('scheduled for');
    const file = await double.waitFor(() =>
      double.files.find((f) => f.name === `acme-rts-${day}.ics` && f.shared),
    );
    const dm = double.dmWith(CSM).id;
    expect(double.callsTo('files.completeUploadExternal').map((c) => c.params.channel_id)).toEqual([dm]);
    expect(double.messages(dm).some((m) => m.files?.[0]?.id === file.id)).toBe(true);
    expect(sentInto(ACME_SHARED).filter((c) => c.method !== 'chat.postEphemeral')).toEqual([]);
  });
});

describe('when Slack cannot say whether an account’s channel is shared', () => {
  it('posts nothing internal there: its alerts go to the alert channel', async () => {
    await settled();
    double.failNext('conversations.info', { error: 'missing_scope' }, { error: 'missing_scope' });
    await event('hooli', 'in_shared_hooli_1', 'payment_failed', 2 * DAY);
    await double.waitFor(alertIn(ALERTS, 'Hooli: Payment failed'), 15_000);
    await settled();
    expect(sentInto(HOOLI_INTERNAL)).toEqual([]);
    const asked = double.callsTo('conversations.info').filter((c) => c.params.channel === HOOLI_INTERNAL);
    expect(asked.map((c) => (c.response as { error?: string }).error)).toContain('missing_scope');
    const posts = await outboxRows(sql`payload->>'channel' = ${HOOLI_INTERNAL}`);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    for (const row of posts) expect(row).toMatchObject({ status: 'sent', channel: ALERTS });
    // The failures the outbox did not need are used up here, so nothing after this test meets them.
    const slack = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: double.apiUrl, retryConfig: { retries: 0 } });
    for (let i = 0; i < 2; i++) await slack.conversations.info({ channel: ALERTS }).catch(() => undefined);
  });
});
