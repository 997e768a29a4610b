import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { ACCOUNT, MILESTONE, REVIEW } from '../../src/slack/constants.ts';
import { blocksText } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SandboxView, SlackClientSimulator, SlackDouble } from '../helpers/slack.ts';

/** The owner of the accounts, in CS_TEAM; the outsider is not. */
const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
const CHANNEL = 'C0CSALERTS';
const ACME_CHANNEL = 'C0ACMEINTL';
const REFUSAL = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';

/** Monday 17:00 in São Paulo (PULSE_TIMEZONE), already Tuesday 05:00 in Tokyo, Acme's own zone. */
const clock = new Date('2030-03-04T20:00:00Z');
/** A meeting as Pulse writes it: Slack's date token (the reader's zone), then the time in the meeting's zone. */
const meeting = (utc: string, local: string, abbreviation: string, zone: string) =>
  `<!date^${Date.parse(utc) / 1000}^{date_short_pretty} {time}|${local} ${abbreviation}> (${local.slice(11)} ${zone})`;

let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;
let sim: SlackClientSimulator;

const home = () => double.homeViews(CSM).at(-1)!;
const dm = (user = CSM) => double.messages(double.dmWith(user).id);
const celebrations = () => double.messages(ACME_CHANNEL).filter((m) => m.text.startsWith(':tada:'));
/** The modal this click opened: the newest one, opened with the click's own trigger_id. */
async function clickMenu(value: string, user = CSM): Promise<SandboxView> {
  const before = new Set(double.views.map((v) => v.id));
  // Every account's section has the same menu: the one offering this choice is clicked.
  const section = (
    home().blocks as Array<{ block_id: string; accessory?: { options?: Array<{ value: string }> } }>
  ).find((b) => b.accessory?.options?.some((o) => o.value === value))!;
  const click = await sim.click(home(), ACCOUNT.homeMenu, { user, value, blockId: section.block_id });
  expect(click.status).toBe(200);
  const view = await double.waitFor(() => double.openViews(user).find((v) => !before.has(v.id)));
  expect(double.callsTo('views.open').at(-1)!.params.trigger_id).toBe(click.triggerId);
  return view;
}
const milestoneRows = () =>
  rows<{ title: string; reached_at: number | null; recorded_by: string }>(
    pulse.deps.db.orm,
    sql`select m.title, (extract(epoch from m.reached_at) * 1000)::float8 as reached_at, m.recorded_by
        from milestones m join accounts a on a.id = m.account_id where a.key = 'acme' order by m.id`,
  );
const reviewRows = () =>
  rows<{ status: string; starts_at: number; duration_minutes: number; scheduled_by: string }>(
    pulse.deps.db.orm,
    sql`select r.status, (extract(epoch from r.starts_at) * 1000)::float8 as starts_at, r.duration_minutes,
          r.scheduled_by
        from success_reviews r join accounts a on a.id = r.account_id where a.key = 'globex' order by r.id`,
  );

/** The outcomes component of Acme's health: milestones reached against the plan. */
async function outcomesComponent() {
  const [health] = await rows<{ components: Array<{ component: string }> }>(
    pulse.deps.db.orm,
    sql`select h.components from account_health h join accounts a on a.id = h.account_id where a.key = 'acme'`,
  );
  return health?.components.find((c) => c.component === 'outcomes');
}

beforeAll(async () => {
  app = await startPulseInProcess({
    env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM, PULSE_TIMEZONE: 'America/Sao_Paulo' },
    clock: () => clock,
  });
  ({ pulse, double, sim } = app);
  await app.ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      owner_slack_id: CSM,
      channel_id: ACME_CHANNEL,
      timezone: 'Asia/Tokyo',
      contract_start: '2030-02-01',
    },
    { key: 'globex', name: 'Globex', tier: 'high_touch', owner_slack_id: CSM, timezone: 'America/New_York' },
  ]);
  await pulse.deps.health.idle();
  await sim.openHome(CSM);
  await double.waitFor(() => double.homeViews(CSM).at(-1));
}, 90_000);

afterAll(() => app?.close());

describe('Log a milestone, from the App Home', () => {
  let modal: SandboxView;

  it('opens the milestone modal, dated today in the account zone', async () => {
    modal = await clickMenu('milestone:acme');
    expect(modal).toMatchObject({ callback_id: MILESTONE.logModal, private_metadata: 'acme' });
    expect(modal.title).toMatchObject({ text: 'Log a milestone' });
    expect(blocksText(modal.blocks)).toContain('"initial_date":"2030-03-05"');
    expect(blocksText(modal.blocks)).toContain('Days are in *Asia/Tokyo*');
  });

  it('refuses a future day in the modal, logging nothing', async () => {
    const refused = await sim.submit(modal, {
      [MILESTONE.logTitleBlock]: 'Kick-off held',
      [MILESTONE.logDateBlock]: '2030-03-06',
    });
    expect(refused.ack).toEqual({
      response_action: 'errors',
      errors: {
        [MILESTONE.logDateBlock]: '2030-03-06 is in the future: log a milestone once it is reached.',
      },
    });
    expect(double.view(modal.id)!.closed).toBe(false);
    expect(await milestoneRows()).toEqual([]);
  });

  it('logs it reached, celebrates it once, recomputes health, and shows the answer in the modal', async () => {
    expect(await outcomesComponent()).toMatchObject({ score: null });
    const done = await sim.submit(modal, {
      [MILESTONE.logTitleBlock]: '  Kick-off held ',
      [MILESTONE.logDateBlock]: '2030-03-05',
    });
    expect(done.errors).toBeUndefined();
    expect(done.ack).toMatchObject({ response_action: 'update' });
    const result = blocksText(done.view?.blocks);
    expect(done.view?.title).toMatchObject({ text: 'Milestone logged' });
    expect(result).toContain(':tada: Logged *Kick-off held* for Acme Corp, reached Tue 5 Mar 2030.');
    expect(result).toContain('Its first milestone: time to first value *32 days*.');
    expect(result).toContain(`Celebrated in <#${ACME_CHANNEL}>.`);
    expect(await milestoneRows()).toEqual([{ title: 'Kick-off held', reached_at: +clock, recorded_by: CSM }]);

    const [celebration] = await double.waitFor(() => (celebrations().length ? celebrations() : undefined));
    expect(celebration!.text).toBe(':tada: Acme Corp reached a milestone: *Kick-off held* (Tue 5 Mar 2030).');
    await pulse.deps.health.idle();
    expect(await outcomesComponent()).toMatchObject({ score: 100, detail: { reached: 1, overdue: 0 } });
  });

  it('logs a day before today at the start of that day in the account zone; one already reached changes nothing', async () => {
    const earlier = await clickMenu('milestone:acme');
    const logged = await sim.submit(earlier, {
      [MILESTONE.logTitleBlock]: 'Data import done',
      [MILESTONE.logDateBlock]: '2030-03-01',
    });
    expect(blocksText(logged.view?.blocks)).toContain('reached Fri 1 Mar 2030');
    expect(blocksText(logged.view?.blocks)).toContain('time to first value *28 days*');

    const again = await clickMenu('milestone:acme');
    const already = await sim.submit(again, {
      [MILESTONE.logTitleBlock]: 'KICK-OFF HELD',
      [MILESTONE.logDateBlock]: '2030-03-02',
    });
    expect(already.errors).toEqual({
      [MILESTONE.logTitleBlock]: '"Kick-off held" was already reached on Tue 5 Mar 2030; nothing changed.',
    });
    expect(await milestoneRows()).toEqual([
      { title: 'Kick-off held', reached_at: +clock, recorded_by: CSM },
      // Midnight of 1 March in Tokyo.
      { title: 'Data import done', reached_at: Date.parse('2030-02-28T15:00:00Z'), recorded_by: CSM },
    ]);
  });

  it('posted exactly one celebration per milestone reached', async () => {
    await double.waitFor(() => (celebrations().length === 2 ? true : undefined));
    await pulse.deps.health.idle();
    expect(
      double.callsTo('chat.postMessage').filter((c) => String(c.params.text).startsWith(':tada:')),
    ).toHaveLength(2);
  });
});

describe('Schedule a review, from the App Home', () => {
  it('opens the success-review modal; its submission schedules it and confirms in the DM', async () => {
    const modal = await clickMenu('review:globex');
    expect(modal.callback_id).toBe(REVIEW.scheduleModal);
    expect(modal.title).toMatchObject({ text: 'Schedule review' });
    expect(blocksText(modal.blocks)).toContain('Times are in *America/New_York*');
    expect(JSON.parse(modal.private_metadata)).not.toHaveProperty('channelId');

    await sim.submit(modal, {
      [REVIEW.dateBlock]: '2030-03-12',
      [REVIEW.timeBlock]: '09:00',
      [REVIEW.durationBlock]: '30',
    });
    expect(double.view(modal.id)!.closed).toBe(true);
    expect(await reviewRows()).toEqual([
      {
        status: 'scheduled',
        starts_at: Date.parse('2030-03-12T13:00:00Z'),
        duration_minutes: 30,
        scheduled_by: CSM,
      },
    ]);
    const confirmation = await double.waitFor(() =>
      dm().find((m) =>
        m.text.includes(
          `Globex scheduled for ${meeting('2030-03-12T13:00:00Z', '2030-03-12 09:00', 'EDT', 'America/New_York')}, 30 min`,
        ),
      ),
    );
    expect(blocksText(confirmation.blocks)).toContain(REVIEW.rescheduleAction);
    const file = await double.waitFor(() =>
      double.files.find((f) => f.name === 'globex-rts-2030-03-12.ics' && f.shared),
    );
    expect(dm().some((m) => m.files?.[0]?.id === file.id)).toBe(true);
  });

  it('opens the scheduled review in its Reschedule mode, which moves it', async () => {
    const modal = await clickMenu('review:globex');
    expect(modal.title).toMatchObject({ text: 'Reschedule review' });
    expect(blocksText(modal.blocks)).toContain('"initial_date":"2030-03-12"');
    expect(blocksText(modal.blocks)).toContain('"initial_time":"09:00"');
    await sim.submit(modal, {
      [REVIEW.dateBlock]: '2030-03-14',
      [REVIEW.timeBlock]: '10:30',
      [REVIEW.durationBlock]: '60',
    });
    expect(double.view(modal.id)!.closed).toBe(true);
    expect(await reviewRows()).toEqual([
      {
        status: 'scheduled',
        starts_at: Date.parse('2030-03-14T14:30:00Z'),
        duration_minutes: 60,
        scheduled_by: CSM,
      },
    ]);
    await double.waitFor(() =>
      dm().find((m) =>
        m.text.includes(
          `rescheduled for ${meeting('2030-03-14T14:30:00Z', '2030-03-14 10:30', 'EDT', 'America/New_York')}`,
        ),
      ),
    );
  });
});

describe('the health card, from the App Home', () => {
  it('opens in a modal, whose "Add to success plan" stacks the plan modal on top of it', async () => {
    const card = await clickMenu('card:acme');
    expect(blocksText(card.blocks)).toContain('/100');
    const pushes = double.callsTo('views.push').length;
    const click = await sim.click(card, MILESTONE.addToPlanAction, { user: CSM });
    expect(click.status).toBe(200);
    const plan = await double.waitFor(() =>
      double.openViews(CSM).find((v) => v.callback_id === MILESTONE.planModal),
    );
    expect(double.callsTo('views.push')).toHaveLength(pushes + 1);
    expect(double.callsTo('views.push').at(-1)!.params.trigger_id).toBe(click.triggerId);
    expect(plan.private_metadata).toBe('acme');
  });
});

describe('someone outside CS_TEAM', () => {
  it('is told in a modal that only the CS team may use these, naming no account', async () => {
    const milestone = await clickMenu('milestone:acme', OUTSIDER);
    expect(milestone.callback_id).not.toBe(MILESTONE.logModal);
    expect(blocksText(milestone.blocks)).toContain(REFUSAL);
    expect(blocksText(milestone.blocks)).not.toMatch(/acme/i);
    const review = await clickMenu('review:globex', OUTSIDER);
    expect(review.callback_id).not.toBe(REVIEW.scheduleModal);
    expect(blocksText(review.blocks)).toContain(REFUSAL);
    expect(blocksText(review.blocks)).not.toMatch(/globex/i);
  });

  it('cannot submit the milestone modal either', async () => {
    const modal = await clickMenu('milestone:acme');
    const refused = await sim.submit(
      modal,
      { [MILESTONE.logTitleBlock]: 'Go-live', [MILESTONE.logDateBlock]: '2030-03-05' },
      OUTSIDER,
    );
    expect(refused.errors).toEqual({ [MILESTONE.logTitleBlock]: REFUSAL });
    expect((await milestoneRows()).map((m) => m.title)).toEqual(['Kick-off held', 'Data import done']);
  });

  it('cannot open the health card from the Home either', async () => {
    const card = await clickMenu('card:acme', OUTSIDER);
    expect(blocksText(card.blocks)).toContain(REFUSAL);
    expect(blocksText(card.blocks)).not.toMatch(/acme|\/100/i);
  });
});
