import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { ACCOUNT, ACTION, MILESTONE, REVIEW } from '../../src/slack/constants.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { startSandbox } from '../helpers/sandbox.ts';
import type { SandboxView, SlackEphemeral, SlackMessage } from '../helpers/slack.ts';

/**
 * Who may see what, over signed HTTP against the Web API double: customers (Slack Connect) and guests
 * see no account data on any surface, whatever CS_TEAM says; CS_VIEWERS read but do not change.
 */
const TEAM = 'S0CSTEAM01';
const CSM = 'U0CSM00001';
const CSM2 = 'U0CSM00002';
const LEAD = 'U0CSLEAD01';
/** Works here, in no list when CS_TEAM is set; named in CS_VIEWERS. */
const SALES = 'U0SALES001';
/** Acme's champion, in through Slack Connect (another team_id). */
const EXTERNAL = 'U0ACME0001';
/** A single-channel guest in #cs-alerts. */
const GUEST = 'U0GUEST001';
const CHANNEL = 'C0CSALERTS';
const DAY = 86_400_000;

const REFUSAL = `Pulse shows customer data to the CS team only; ask a CS lead to add you to <!subteam^${TEAM}>.`;
const READ_ONLY = `You can read account data but not change it; ask a CS lead to add you to <!subteam^${TEAM}>.`;

/** Every text a person sees in a body (an answer, a message, a view): Block Kit's `text` fields. */
function visibleText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  if (Array.isArray(value)) return value.map(visibleText).join('\n');
  return Object.entries(value)
    .map(([key, v]) => (key === 'text' && typeof v === 'string' ? v : visibleText(v)))
    .join('\n');
}

/** A refusal names no account and no figure: nothing of Acme, and no digit but the user group's ID. */
function expectNothingShown(body: unknown) {
  const seen = visibleText(body).replaceAll(`<!subteam^${TEAM}>`, '');
  expect(seen).not.toMatch(/acme/i);
  expect(seen).not.toMatch(/\d/);
}

async function seed(app: PulseInProcess) {
  const now = Date.now();
  await app.ingest('accounts', {
    key: 'acme',
    name: 'Acme Corp',
    tier: 'high_touch',
    seats: 40,
    mrr: 4500,
    owner_slack_id: CSM,
    renewal_date: '2035-01-31',
  });
  await app.ingest('contacts', {
    account: 'acme',
    email: 'ana.souza@acme.example',
    role: 'champion',
    slack_user_id: EXTERNAL,
  });
  await app.ingest(
    'metrics',
    Array.from({ length: 14 }, (_, k) => ({
      account: 'acme',
      metric: 'active_users',
      value: k < 7 ? 14 : 20,
      at: new Date(now - k * DAY - 3_600_000).toISOString(),
    })),
  );
  await app.ingest('billing-events', {
    account: 'acme',
    external_id: 'in_access_1',
    type: 'payment_failed',
    occurred_at: new Date(now - DAY).toISOString(),
    amount: 1200,
    currency: 'USD',
  });
  await app.pulse.deps.health.idle();
}

describe('CS_TEAM as a user group (naming a customer and a guest by mistake) and CS_VIEWERS', () => {
  let app: PulseInProcess;
  let alert: SlackMessage;
  const cs = (text: string, user: string) => app.sim.command({ user, channel: CHANNEL }, '/cs', text);
  const count = async (table: string) =>
    (
      await rows<{ n: number }>(app.pulse.deps.db.orm, sql`select count(*)::int as n from ${sql.raw(table)}`)
    )[0]!.n;
  const currentAlert = () => app.double.message(CHANNEL, alert.ts)!;
  const alertId = () =>
    (alert.blocks as Array<{ elements?: Array<{ action_id: string; value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.alertAcknowledge)!.value!;
  /** Clicks this as `user`, and returns what Pulse answered them through the response_url. */
  const answerTo = async (
    target: SlackMessage | SlackEphemeral,
    actionId: string,
    user: string,
    value?: string,
  ) => {
    const click = await app.sim.click(target, actionId, { user, value });
    expect(click.status).toBe(200);
    expect(click.durationMs).toBeLessThan(3_000);
    return (await click.waitForResponses())[0] as { text: string; response_type: string };
  };

  beforeAll(async () => {
    app = await startPulseInProcess({
      env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: `${TEAM},${EXTERNAL},${GUEST}`, CS_VIEWERS: SALES },
    });
    await seed(app);
    alert = await app.double.waitFor(
      () => app.double.messages(CHANNEL).find((m) => m.text.includes('Payment failed')),
      15_000,
    );
  }, 90_000);
  afterAll(() => app?.close(), 30_000);

  describe.each([
    ['an external person', EXTERNAL],
    ['a guest', GUEST],
  ])('%s', (_who, user) => {
    it('is refused every /cs subcommand but help, naming no account, not even whether one exists', async () => {
      const commands = [
        'health acme',
        'health no-such-account',
        'accounts',
        'accounts red',
        'milestones acme',
        'milestone acme Kick-off',
        'rts acme',
        'rts acme brief',
        'rts acme 2035-03-20 10:00',
        'survey acme nps',
        'digest',
      ];
      for (const text of commands) {
        const answer = await cs(text, user);
        expect(answer.status).toBe(200);
        expect(answer.ack, text).toEqual({ response_type: 'ephemeral', text: REFUSAL });
        expectNothingShown(answer.ack);
      }
      expect(visibleText((await cs('help', user)).ack)).toContain('/cs health <account>');
      // Nothing was done on their behalf.
      expect(app.double.openViews(user)).toEqual([]);
      expect(await count('milestones')).toBe(0);
      expect(await count('success_reviews')).toBe(0);
      expect(await count('surveys')).toBe(0);
      expect(await count('digests')).toBe(0);
    });

    it("is refused every control of an alert, and the alert's message stays as it was", async () => {
      const before = JSON.stringify(currentAlert().blocks);
      const updates = app.double.callsTo('chat.update').length;
      const answers = [
        await answerTo(currentAlert(), ACTION.alertHealthCard, user),
        await answerTo(currentAlert(), ACTION.alertAcknowledge, user),
        await answerTo(currentAlert(), ACTION.alertSnooze, user, `${alertId()}:1`),
        await answerTo(currentAlert(), ACTION.alertResolve, user),
      ];
      for (const answer of answers) {
        expect(answer).toMatchObject({ response_type: 'ephemeral', text: REFUSAL });
        expectNothingShown(answer);
      }
      expect(JSON.stringify(currentAlert().blocks)).toBe(before);
      expect(app.double.callsTo('chat.update')).toHaveLength(updates);
      expect(app.double.openViews(user)).toEqual([]);
    });

    it('sees only why on their App Home', async () => {
      expect((await app.sim.openHome(user)).status).toBe(200);
      const home = await app.double.waitFor(() => app.double.homeViews(user).at(-1), 10_000);
      expect(visibleText(home.blocks)).toContain(REFUSAL);
      expectNothingShown(home.blocks);
    });
  });

  describe('the account menus and buttons a CS team member was shown, clicked by someone outside', () => {
    it("refuses the digest's health card menu", async () => {
      await cs('digest', CSM);
      const digest = await app.double.waitFor(
        () => app.double.messages(CHANNEL).find((m) => m.text.startsWith('Weekly digest')),
        15_000,
      );
      for (const user of [EXTERNAL, GUEST]) {
        const answer = await answerTo(digest, ACCOUNT.healthCard, user, 'acme');
        expect(answer).toMatchObject({ response_type: 'ephemeral', text: REFUSAL });
        expectNothingShown(answer);
      }
    });

    it("refuses the App Home's menu, in a modal naming no account", async () => {
      await app.sim.openHome(CSM);
      const home = await app.double.waitFor(() => app.double.homeViews(CSM).at(-1), 10_000);
      const menu = (home.blocks as Array<{ block_id: string; accessory?: { action_id?: string } }>).find(
        (b) => b.accessory?.action_id === ACCOUNT.homeMenu,
      )!;
      for (const value of ['card:acme', 'milestone:acme', 'review:acme']) {
        const opened = app.double.views.length;
        await app.sim.click(home, ACCOUNT.homeMenu, { user: EXTERNAL, value, blockId: menu.block_id });
        const modal: SandboxView = await app.double.waitFor(() => app.double.views[opened]);
        expect(modal.user).toBe(EXTERNAL);
        expect(modal.callback_id).toBe('');
        expect(visibleText(modal.blocks)).toContain(REFUSAL);
        expectNothingShown(modal.blocks);
      }
    });

    it('refuses "Add to success plan" and the review buttons', async () => {
      await cs('milestones acme', CSM);
      const plan = app.double
        .ephemerals(CSM)
        .findLast((e) => JSON.stringify(e.blocks ?? []).includes(MILESTONE.addToPlanAction))!;
      expect((await answerTo(plan, MILESTONE.addToPlanAction, GUEST)).text).toBe(REFUSAL);

      expect(visibleText((await cs('rts acme 2035-03-20 10:00', CSM)).ack)).toContain('Acme Corp');
      const confirmation = app.double
        .ephemerals(CSM)
        .findLast((e) => JSON.stringify(e.blocks ?? []).includes(REVIEW.cancelAction))!;
      expect((await answerTo(confirmation, REVIEW.cancelAction, EXTERNAL)).text).toBe(REFUSAL);
      expect(await rows(app.pulse.deps.db.orm, sql`select status from success_reviews`)).toEqual([
        { status: 'scheduled' },
      ]);
      expect(app.double.openViews(GUEST)).toEqual([]);
    });
  });

  describe('a CS_VIEWERS member', () => {
    it('reads /cs health and /cs accounts', async () => {
      expect((await cs('health acme', SALES)).ack).toMatchObject({
        text: expect.stringMatching(/^Acme Corp: \d+\/100 (red|yellow|green)$/),
      });
      expect(visibleText((await cs('accounts', SALES)).ack)).toContain('Acme Corp');
    });

    it("opens an alert's health card but cannot Acknowledge it", async () => {
      expect((await answerTo(currentAlert(), ACTION.alertHealthCard, SALES)).text).toMatch(
        /^Acme Corp: \d+\/100/,
      );
      const before = JSON.stringify(currentAlert().blocks);
      const answer = await answerTo(currentAlert(), ACTION.alertAcknowledge, SALES);
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: READ_ONLY });
      expect(JSON.stringify(currentAlert().blocks)).toBe(before);
      expect(
        await rows(app.pulse.deps.db.orm, sql`select action from alert_actions where user_id = ${SALES}`),
      ).toEqual([]);
    });

    it('is told that reading is all they may do when they log a milestone', async () => {
      expect((await cs('milestone acme Kick-off', SALES)).ack).toEqual({
        response_type: 'ephemeral',
        text: READ_ONLY,
      });
      expect(await count('milestones')).toBe(0);
    });
  });

  describe("Slack's answers", () => {
    it('are asked once: repeated commands do not call users.info or auth.test again', async () => {
      const lookups = () => app.double.callsTo('users.info').filter((c) => c.params.user === CSM2).length;
      const authTests = app.double.callsTo('auth.test').length;
      expect(lookups()).toBe(0);
      await Promise.all([cs('accounts', CSM2), cs('accounts green', CSM2)]);
      for (const text of ['health acme', 'accounts', 'milestones acme']) {
        expect((await cs(text, CSM2)).ack).not.toMatchObject({ text: REFUSAL });
      }
      expect(lookups()).toBe(1);
      expect(app.double.callsTo('auth.test')).toHaveLength(authTests);
    });

    it('refuse when Slack cannot say who someone is, and ask again next time', async () => {
      app.double.failNext('users.info', { error: 'fatal_error' });
      const refused = await cs('health acme', LEAD);
      expect(refused.ack).toEqual({
        response_type: 'ephemeral',
        text: 'Pulse could not check with Slack who you are, so it shows no customer data; try again in a minute.',
      });
      expectNothingShown(refused.ack);
      expect((await cs('health acme', LEAD)).ack).toMatchObject({
        text: expect.stringMatching(/^Acme Corp: /),
      });
    });
  });
});

describe('CS_TEAM unset', () => {
  let app: PulseInProcess;
  const cs = (text: string, user: string) => app.sim.command({ user, channel: CHANNEL }, '/cs', text);
  const refusal = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';

  beforeAll(async () => {
    app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL } });
    await seed(app);
  }, 90_000);
  afterAll(() => app?.close(), 30_000);

  it('lets any member of the workspace read and write', async () => {
    expect((await cs('health acme', SALES)).ack).toMatchObject({
      text: expect.stringMatching(/^Acme Corp: /),
    });
    expect(visibleText((await cs('milestone acme Kick-off held', SALES)).ack)).toContain(
      ':tada: Logged *Kick-off held* for Acme Corp',
    );
  });

  it('still refuses external people and guests, on commands and on the App Home', async () => {
    for (const user of [EXTERNAL, GUEST]) {
      for (const text of ['health acme', 'accounts', 'milestone acme Go-live']) {
        expect((await cs(text, user)).ack).toEqual({ response_type: 'ephemeral', text: refusal });
      }
      await app.sim.openHome(user);
      const home = await app.double.waitFor(() => app.double.homeViews(user).at(-1), 10_000);
      expect(visibleText(home.blocks)).toContain(refusal);
      expect(visibleText(home.blocks)).not.toMatch(/acme|\d/i);
    }
    expect(await rows(app.pulse.deps.db.orm, sql`select title from milestones order by id`)).toEqual([
      { title: 'Kick-off held' },
    ]);
  });
});

describe('the sandbox', () => {
  let pulse: Pulse;

  beforeAll(async () => {
    // The demo's Slack Connect champion and guest champion named in CS_TEAM: still refused.
    pulse = await startSandbox({ CS_TEAM: 'S0CSTEAM1,U0ACME01,U0WONKA01' });
  }, 90_000);
  afterAll(async () => {
    await pulse?.close();
  }, 30_000);

  it("refuses the demo's customers acting in their own channels, and shows its CSMs the card", async () => {
    const { simulator, double } = pulse.sandbox!;
    const sandboxRefusal =
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to <!subteam^S0CSTEAM1>.';
    for (const [user, channel] of [
      ['U0ACME01', 'C0EXTACME'],
      ['U0WONKA01', 'C0EXTWONKA'],
    ] as const) {
      const answer = await simulator.command({ user, channel }, '/cs', 'health acme');
      expect(answer.ack).toEqual({ response_type: 'ephemeral', text: sandboxRefusal });
    }
    const champion = double.callsTo('users.info').find((c) => c.params.user === 'U0ACME01')!.response as {
      user: { team_id: string };
    };
    expect(champion.user.team_id).not.toBe(double.team.id);
    const guest = double.callsTo('users.info').find((c) => c.params.user === 'U0WONKA01')!.response as {
      user: { team_id: string; is_restricted: boolean };
    };
    expect(guest.user).toMatchObject({ team_id: double.team.id, is_restricted: true });
    const card = await simulator.command({ user: 'U0CSM02', channel: 'C0ALERTS' }, '/cs', 'health acme');
    expect(card.ack).toMatchObject({ text: expect.stringMatching(/^Acme Corporation: \d+\/100/) });
  });
});
