import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { MILESTONE } from '../../src/slack/constants.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';
import type { SlackClientSimulator, SlackDouble, SlackEphemeral } from '../helpers/slack.ts';

/** In CS_TEAM; the outsider is in the channel but not in the team. */
const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
const CHANNEL = 'C0CSALERTS';
const ACME_CHANNEL = 'C0ACMEINTL';
const DAY = 86_400_000;

let app: PulseWithSlack;
let double: SlackDouble;
let sim: SlackClientSimulator;

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const contractStart = day(-20);
const cs = (text: string, user = CSM) => app.sim.command({ user, channel: CHANNEL }, '/cs', text);
const textOf = (ack: unknown) => {
  const a = ack as { text?: string; blocks?: unknown[] };
  return [a.text, JSON.stringify(a.blocks ?? [])].join('\n');
};
const celebrations = () => double.messages(ACME_CHANNEL).filter((m) => m.text.startsWith(':tada:'));
/** The newest ephemeral the person got with the "Add to success plan" button. */
/** What someone outside CS_TEAM (user IDs only) is told, whatever they asked about. */
const REFUSAL = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';
const withPlanButton = (user: string): SlackEphemeral =>
  double
    .ephemerals(user)
    .filter((e) => blocksOf(e).includes(MILESTONE.addToPlanAction))
    .at(-1)!;

beforeAll(async () => {
  app = await startPulseWithSlack({ CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM });
  ({ double, sim } = app);
  await app.ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      stage: 'onboarding',
      owner_slack_id: CSM,
      channel_id: ACME_CHANNEL,
      contract_start: contractStart,
    },
    { key: 'globex', name: 'Globex', tier: 'low_touch' },
  ]);
}, 90_000);

afterAll(() => app.close());

describe('/cs milestone', () => {
  it('refuses someone outside CS_TEAM and logs nothing', async () => {
    const answer = await cs('milestone acme Kick-off', OUTSIDER);
    expect(answer.status).toBe(200);
    expect(answer.ack).toEqual({ response_type: 'ephemeral', text: REFUSAL });
    expect(textOf((await cs('milestones acme')).ack)).toContain('0 planned, 0 reached');
  });

  it('logs a milestone reached today, with TTFV for the first, and celebrates it once in the channel', async () => {
    const answer = await cs('milestone acme Kick-off held');
    expect(answer.status).toBe(200);
    expect(answer.durationMs).toBeLessThan(3_000);
    const ack = answer.ack as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toContain(':tada: Logged *Kick-off held* for Acme Corp, reached');
    expect(ack.text).toContain('Its first milestone: time to first value *20 days*.');
    expect(ack.text).toContain(`Celebrated in <#${ACME_CHANNEL}>.`);
    const [celebration] = await double.waitFor(
      () => (celebrations().length ? celebrations() : undefined),
      15_000,
    );
    expect(celebration!.text).toMatch(/^:tada: Acme Corp reached a milestone: \*Kick-off held\* \(/);
  });

  it('says a milestone logged again was already reached, and changes nothing', async () => {
    const answer = await cs('milestone acme KICK-OFF HELD --date 2020-01-01');
    expect(textOf(answer.ack)).toMatch(
      /\*Kick-off held\* was already reached on \w{3} \d+ \w{3} \d{4} for Acme Corp; nothing changed\./,
    );
  });

  it('logs one reached earlier, which becomes the first value; refuses a future day and a day that does not exist', async () => {
    const earlier = await cs(`milestone acme Data import done ${day(-5)}`);
    expect(textOf(earlier.ack)).toContain('Its first milestone: time to first value *15 days*.');
    expect(textOf((await cs(`milestone acme Go-live --date ${day(2)}`)).ack)).toContain(
      `${day(2)} is in the future: log a milestone once it is reached.`,
    );
    expect(textOf((await cs('milestone acme Go-live 2030-02-30')).ack)).toContain(
      '2030-02-30 is not a day of the calendar.',
    );
  });

  it('posted exactly one celebration per milestone reached', async () => {
    await double.waitFor(() => (celebrations().length === 2 ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(celebrations().map((m) => m.text.split('*')[1])).toEqual(['Kick-off held', 'Data import done']);
    expect(
      double.callsTo('chat.postMessage').filter((c) => String(c.params.text).startsWith(':tada:')),
    ).toHaveLength(2);
  });

  it('celebrates nothing for an account without a channel of its own', async () => {
    const answer = await cs('milestone globex Kick-off');
    expect(textOf(answer.ack)).toContain('Logged *Kick-off* for Globex');
    expect(textOf(answer.ack)).not.toContain('Celebrated in');
    if (app.database) {
      const keys = await rows<{ dedupe_key: string }>(
        app.database.db.orm,
        sql`select dedupe_key from slack_outbox where dedupe_key like 'milestone:%' order by id`,
      );
      expect(keys).toHaveLength(2);
    }
  });
});

describe('/cs milestones and the success plan', () => {
  it('lists reached milestones with dates, the counts and TTFV, and offers to add to the plan', async () => {
    const answer = await cs('milestones acme');
    const text = textOf(answer.ack);
    expect((answer.ack as { text: string }).text).toBe('Acme Corp: 0 planned, 2 reached');
    expect(text).toContain('*Time to first value* 15 days');
    expect(text).toContain(':white_check_mark: *Data import done* reached');
    expect(text).toContain(MILESTONE.addToPlanAction);
  });

  it('refuses the plan and its button to someone outside CS_TEAM', async () => {
    expect((await cs('milestones acme', OUTSIDER)).ack).toEqual({
      response_type: 'ephemeral',
      text: REFUSAL,
    });
    // The team member's own answer, clicked by someone else (forwarded, or a forged payload).
    const click = await sim.click(withPlanButton(CSM), MILESTONE.addToPlanAction, { user: OUTSIDER });
    const [answer] = (await click.waitForResponses()) as Array<{ text: string }>;
    expect(answer!.text).toBe(REFUSAL);
    expect(double.openViews(OUTSIDER)).toHaveLength(0);
  });

  it('adds a planned milestone from the modal, showing what to fix in the modal first', async () => {
    await cs('milestones acme');
    await sim.click(withPlanButton(CSM), MILESTONE.addToPlanAction, { user: CSM });
    const modal = await double.waitFor(() =>
      double.openViews(CSM).find((v) => v.callback_id === MILESTONE.planModal),
    );
    const empty = await sim.submit(modal, { [MILESTONE.titleBlock]: '  ', [MILESTONE.dateBlock]: day(10) });
    expect(empty.errors).toEqual({ [MILESTONE.titleBlock]: 'Name the milestone.' });
    const past = await sim.submit(modal, {
      [MILESTONE.titleBlock]: 'Go-live',
      [MILESTONE.dateBlock]: day(-3),
    });
    expect(past.errors).toEqual({
      [MILESTONE.dateBlock]: 'The target date is in the past: pick today or a later day.',
    });
    const reachedAlready = await sim.submit(modal, {
      [MILESTONE.titleBlock]: 'kick-off held',
      [MILESTONE.dateBlock]: day(10),
    });
    expect(reachedAlready.errors?.[MILESTONE.titleBlock]).toMatch(/^"Kick-off held" was already reached on /);
    const outsider = await sim.submit(
      modal,
      { [MILESTONE.titleBlock]: 'Go-live', [MILESTONE.dateBlock]: day(10) },
      OUTSIDER,
    );
    expect(outsider.errors).toEqual({ [MILESTONE.titleBlock]: REFUSAL });
    const done = await sim.submit(modal, {
      [MILESTONE.titleBlock]: 'Go-live',
      [MILESTONE.dateBlock]: day(10),
    });
    expect(done.status).toBe(200);
    expect(done.errors).toBeUndefined();
    expect(JSON.stringify(done.view?.blocks)).toContain('*Go-live* added to the success plan, due');

    const plan = await cs('milestones acme');
    expect((plan.ack as { text: string }).text).toBe('Acme Corp: 1 planned, 2 reached');
    expect(textOf(plan.ack)).toContain(':spiral_calendar_pad: *Go-live* due');
  });

  it('marks the planned milestone reached when it is logged', async () => {
    const answer = await cs('milestone acme go-live');
    expect(textOf(answer.ack)).toMatch(/Logged \*Go-live\* for Acme Corp, reached .+ \(planned for .+\)\./);
    expect(textOf(answer.ack)).not.toContain('Its first milestone');
    expect((await cs('milestones acme')).ack).toMatchObject({ text: 'Acme Corp: 1 planned, 3 reached' });
  });

  it('shows the same button on the health card, opening the same modal', async () => {
    const card = await cs('health acme');
    expect(textOf(card.ack)).toContain(MILESTONE.addToPlanAction);
    const before = new Set(double.views.map((v) => v.id));
    await sim.click(withPlanButton(CSM), MILESTONE.addToPlanAction, { user: CSM });
    const modal = await double.waitFor(() => double.openViews(CSM).find((v) => !before.has(v.id)));
    expect(modal).toMatchObject({ callback_id: MILESTONE.planModal, private_metadata: 'acme' });
  });
});

describe('/cs milestone next to a planned milestone worded differently', () => {
  const question = (user = CSM) =>
    double
      .ephemerals(user)
      .filter((e) => blocksOf(e).includes(MILESTONE.samePlannedAction))
      .at(-1)!;

  it('asks whether it is the planned one instead of adding a near-duplicate; "Yes" marks the planned one reached', async () => {
    await app.ingest('milestones', [
      { account: 'globex', title: 'Kick-off held', planned_for: day(5) },
      { account: 'globex', title: 'Data migration finished', planned_for: day(20) },
    ]);
    const asked = await cs('milestone globex Kickoff done');
    expect(textOf(asked.ack)).toContain('Globex has *Kick-off held* planned for');
    expect(textOf(asked.ack)).toContain('Is *Kickoff done* that milestone?');
    expect((await cs('milestones globex')).ack).toMatchObject({ text: 'Globex: 2 planned, 1 reached' });

    const click = await sim.click(question(), MILESTONE.samePlannedAction, { user: CSM });
    const [reply] = (await click.waitForResponses()) as Array<{ text: string }>;
    expect(reply!.text).toMatch(/Logged \*Kick-off held\* for Globex, reached .+ \(planned for .+\)\./);
    expect((await cs('milestones globex')).ack).toMatchObject({ text: 'Globex: 2 planned, 2 reached' });
  });

  it('"No, a new one" logs the title as typed, once, and someone outside CS_TEAM changes nothing', async () => {
    await cs('milestone globex Data migration started');
    const refused = await sim.click(question(), MILESTONE.newMilestoneAction, { user: OUTSIDER });
    expect(((await refused.waitForResponses()) as Array<{ text: string }>)[0]!.text).toBe(REFUSAL);
    const click = await sim.click(question(), MILESTONE.newMilestoneAction, { user: CSM });
    const [reply] = (await click.waitForResponses()) as Array<{ text: string }>;
    expect(reply!.text).toContain('Logged *Data migration started* for Globex');
    const plan = textOf((await cs('milestones globex')).ack);
    expect(plan).toContain('Globex: 2 planned, 3 reached');
    expect(plan).toContain('Data migration finished');
  });

  it('does not ask when the title is exactly a planned one, or far from every planned one', async () => {
    expect(textOf((await cs('milestone globex data migration finished')).ack)).toContain(
      'Logged *Data migration finished* for Globex',
    );
    expect(textOf((await cs('milestone globex Security review passed')).ack)).toContain(
      'Logged *Security review passed* for Globex',
    );
  });
});
