import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pulse } from '../../src/pulse.ts';
import { runReviewSchedule } from '../../src/services/reviews.ts';
import { ACTION, REVIEW } from '../../src/slack/constants.ts';
import { blocksText } from '../helpers/blocks.ts';
import { englishIn } from '../helpers/english-sentences.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type {
  SandboxView,
  SlackClientSimulator,
  SlackDouble,
  SlackEphemeral,
  SlackMessage,
} from '../helpers/slack.ts';

/** The owner of the accounts, in CS_TEAM; the outsider is not. */
const CSM = 'U0CSM00001';
/** A CSM whose Slack locale is pt-BR (PULSE_LOCALE stays en): what only she reads is in Portuguese. */
const LUANA = 'U0CSM00003';
const OUTSIDER = 'U0SALES001';
const CHANNEL = 'C0CSALERTS';
const DAY = 86_400_000;

/** Pulse's one clock, shared with the double so signatures and trigger_ids agree: moved by the tests. */
/** A meeting as Pulse writes it: Slack's date token (the reader's zone), then the time in the meeting's zone. */
const meeting = (utc: string, local: string, abbreviation: string, zone: string) =>
  `<!date^${Date.parse(utc) / 1000}^{date_short_pretty} {time}|${local} ${abbreviation}> (${local.slice(11)} ${zone})`;

let clock = new Date('2030-03-04T13:00:00Z'); // Monday 10:00 in São Paulo (PULSE_TIMEZONE)
let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;
let sim: SlackClientSimulator;

const cs = (text: string, user = CSM) => sim.command({ user, channel: CHANNEL }, '/cs', text);
const ackOf = (answer: { ack: unknown }) =>
  answer.ack as { text: string; blocks?: KnownBlock[]; response_type: string };
const dm = () => double.messages(double.dmWith(CSM).id);
const lastEphemeral = (): SlackEphemeral => double.ephemerals(CSM).at(-1)!;
const buttonValue = (blocks: unknown, actionId: string) =>
  (blocks as Array<{ elements?: Array<{ action_id: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)?.value;
const openModal = (callbackId: string) =>
  double.waitFor(() => double.openViews(CSM).find((v: SandboxView) => v.callback_id === callbackId));

/** Runs the success-review schedule as its tick would, at the test's clock. */
const runScheduleAt = (at: string) => {
  clock = new Date(at);
  return runReviewSchedule(pulse.deps);
};

beforeAll(async () => {
  app = await startPulseInProcess({
    env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: `${CSM},${LUANA}`, PULSE_TIMEZONE: 'America/Sao_Paulo' },
    clock: () => clock,
  });
  ({ pulse, double, sim } = app);
  await app.ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      seats: 40,
      owner_slack_id: CSM,
      renewal_date: '2030-05-31',
    },
    { key: 'globex', name: 'Globex', tier: 'high_touch', owner_slack_id: CSM, timezone: 'America/New_York' },
    { key: 'initech', name: 'Initech', tier: 'exclusive', owner_slack_id: CSM, contract_start: '2030-01-15' },
  ]);
  // Usage fell from 20 to 14 active users a day between the start of the quarter and now.
  const points = (from: string, value: number) =>
    Array.from({ length: 5 }, (_, k) => ({
      account: 'acme',
      metric: 'active_users',
      value,
      at: new Date(Date.parse(from) + k * DAY).toISOString(),
    }));
  await app.ingest('metrics', [...points('2029-12-02T15:00:00Z', 20), ...points('2030-03-01T15:00:00Z', 14)]);
}, 90_000);

afterAll(() => app?.close());

describe('/cs rts with a date', () => {
  it('schedules in PULSE_TIMEZONE, confirms with Reschedule and Cancel, and uploads the .ics to the scheduler’s DM', async () => {
    const answer = await cs('rts acme 2030-03-11 14:00');
    expect(answer.status).toBe(200);
    expect(answer.durationMs).toBeLessThan(3_000);
    const ack = ackOf(answer);
    expect(ack.response_type).toBe('ephemeral');
    expect(ack.text).toBe(
      `RTS (quarterly success review) with Acme Corp scheduled for ${meeting('2030-03-11T17:00:00Z', '2030-03-11 14:00', 'GMT-3', 'America/Sao_Paulo')}, 1 h.`,
    );
    expect(buttonValue(ack.blocks, REVIEW.rescheduleAction)).toMatch(/^\d+$/);
    expect(buttonValue(ack.blocks, REVIEW.cancelAction)).toMatch(/^\d+$/);

    const file = await double.waitFor(() =>
      double.files.find((f) => f.name === 'acme-rts-2030-03-11.ics' && f.shared),
    );
    const ics = file.content!.toString('utf8');
    expect(ics).toContain('BEGIN:VEVENT');
    expect(ics).toContain('DTSTART:20300311T170000Z');
    expect(ics).toContain('DURATION:PT60M');
    expect(ics).toContain('SUMMARY:RTS: Acme Corp');
    expect(double.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    // To the person who scheduled it, not into the channel the command was typed in.
    expect(double.callsTo('files.completeUploadExternal')[0]!.params.channel_id).toBe(double.dmWith(CSM).id);
    expect(dm().some((m: SlackMessage) => m.files?.[0]?.id === file.id)).toBe(true);
    expect(double.messages(CHANNEL).some((m: SlackMessage) => m.files?.length)).toBe(false);
  });

  it('shows the scheduled review on the health card', async () => {
    const card = ackOf(await cs('health acme'));
    expect(blocksText(card.blocks)).toContain(
      `Next success review: ${meeting('2030-03-11T17:00:00Z', '2030-03-11 14:00', 'GMT-3', 'America/Sao_Paulo')}`,
    );
  });

  it('offers to reschedule rather than book a second review, prefilled with the new time', async () => {
    const ack = ackOf(await cs('rts acme 2030-03-13 15:00'));
    expect(ack.text).toBe('Acme Corp already has a review scheduled; nothing new was scheduled.');
    expect(blocksText(ack.blocks)).toContain(
      meeting('2030-03-11T17:00:00Z', '2030-03-11 14:00', 'GMT-3', 'America/Sao_Paulo'),
    );
    const offer = lastEphemeral();
    await sim.click(offer, REVIEW.rescheduleAction, { user: CSM });
    const modal = await openModal(REVIEW.scheduleModal);
    expect(modal.title).toMatchObject({ text: 'Reschedule review' });
    expect(blocksText(modal.blocks)).toContain('"initial_date":"2030-03-13"');
    expect(blocksText(modal.blocks)).toContain('"initial_time":"15:00"');
    const submitted = await sim.submit(modal, {
      [REVIEW.dateBlock]: '2030-03-13',
      [REVIEW.timeBlock]: '15:00',
      [REVIEW.durationBlock]: '60',
      [REVIEW.agendaBlock]: 'Q1 results; Q2 goals',
    });
    expect(submitted.status).toBe(200);
    expect(double.view(modal.id)!.closed).toBe(true);
    const confirmation = await double.waitFor(() =>
      double
        .ephemerals(CSM)
        .find((e) =>
          e.text.includes(
            `rescheduled for ${meeting('2030-03-13T18:00:00Z', '2030-03-13 15:00', 'GMT-3', 'America/Sao_Paulo')}`,
          ),
        ),
    );
    expect(blocksText(confirmation.blocks)).toContain('Q1 results; Q2 goals');
    const file = await double.waitFor(() =>
      double.files.find((f) => f.name === 'acme-rts-2030-03-13.ics' && f.shared),
    );
    expect(file.content!.toString('utf8')).toContain('DTSTART:20300313T180000Z');
  });

  it('refuses impossible, past, malformed and skipped times, scheduling nothing', async () => {
    const before = double.files.length;
    const cases: Array<[string, string]> = [
      ['rts globex 2030-02-30 10:00', '2030-02-30 does not exist on the calendar. Nothing was scheduled.'],
      ['rts globex 2030-03-01 10:00', '2030-03-01 10:00 (America/New_York) is in the past.'],
      ['rts globex 2030-03-12 25:00', '`25:00` is not a time of day'],
      ['rts globex 2030-03-10 02:30', '2030-03-10 02:30 does not exist in America/New_York'],
      ['rts globex 2030-3-12 10:00', 'Give the date and time as YYYY-MM-DD HH:MM'],
    ];
    for (const [text, expected] of cases) expect(ackOf(await cs(text)).text).toContain(expected);
    expect(ackOf(await cs('rts globex 2030-03-20 10:00', OUTSIDER)).text).toBe(
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.',
    );
    expect(double.files).toHaveLength(before);
    expect(blocksText(ackOf(await cs('health globex')).blocks)).toContain('No success review scheduled.');
  });

  it('says a date it cannot read is not understood, not that the account is unknown, and offers the form', async () => {
    for (const text of ['rts globex next tuesday', 'rts Globex next tuesday at 10']) {
      const opened = double.callsTo('views.open').length;
      const answer = await cs(text);
      expect(ackOf(answer).text).toMatch(
        /^`next tuesday( at 10)?` is not a date Pulse can read\. Pick the day and time in the form, or write them as `\/cs rts globex YYYY-MM-DD HH:MM`\.$/,
      );
      expect(double.callsTo('views.open')).toHaveLength(opened + 1);
      expect(double.callsTo('views.open').at(-1)!.params.trigger_id).toBe(answer.triggerId);
      await sim.close(await openModal(REVIEW.scheduleModal));
    }
    expect(ackOf(await cs('rts globx next tuesday')).text).toContain(
      'No account matches `globx next tuesday`',
    );
  });
});

describe('/cs rts without a date', () => {
  it('opens the modal; a signed submission schedules in the account zone', async () => {
    const answer = await cs('rts globex');
    expect(ackOf(answer).text).toBe('Fill in the form to schedule the review with Globex.');
    expect(double.callsTo('views.open').at(-1)!.params.trigger_id).toBe(answer.triggerId);
    const modal = await openModal(REVIEW.scheduleModal);
    expect(modal.title).toMatchObject({ text: 'Schedule review' });
    expect(blocksText(modal.blocks)).toContain('Times are in *America/New_York*');

    const values = {
      [REVIEW.dateBlock]: '2030-03-10',
      [REVIEW.timeBlock]: '02:30',
      [REVIEW.durationBlock]: '30',
      [REVIEW.attendeesBlock]: [CSM, 'U0CSLEAD01'],
      [REVIEW.agendaBlock]: 'Adoption plan',
    };
    const refused = await sim.submit(modal, values);
    expect(refused.ack).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(refused.ack)).toContain('does not exist in America/New_York');
    expect(double.view(modal.id)!.closed).toBe(false);

    await sim.submit(modal, { ...values, [REVIEW.dateBlock]: '2030-03-12', [REVIEW.timeBlock]: '09:00' });
    expect(double.view(modal.id)!.closed).toBe(true);
    const confirmation = await double.waitFor(() =>
      double
        .ephemerals(CSM)
        .find((e) =>
          e.text.includes(
            `Globex scheduled for ${meeting('2030-03-12T13:00:00Z', '2030-03-12 09:00', 'EDT', 'America/New_York')}, 30 min`,
          ),
        ),
    );
    expect(blocksText(confirmation.blocks)).toContain('<@U0CSLEAD01>');
    const file = await double.waitFor(() =>
      double.files.find((f) => f.name === 'globex-rts-2030-03-12.ics' && f.shared),
    );
    // 09:00 EDT: New York moved its clocks two days before.
    expect(file.content!.toString('utf8')).toContain('DTSTART:20300312T130000Z');
  });

  it('Cancel (after its confirm dialog) cancels the review and says who did', async () => {
    const confirmation = double.ephemerals(CSM).find((e) => e.text.includes('Globex scheduled'))!;
    const click = await sim.click(confirmation, REVIEW.cancelAction, { user: CSM });
    const [reply] = (await click.waitForResponses()) as Array<{ text: string; replace_original: boolean }>;
    expect(reply!.replace_original).toBe(true);
    expect(reply!.text).toContain(
      `with *Globex* on ${meeting('2030-03-12T13:00:00Z', '2030-03-12 09:00', 'EDT', 'America/New_York')} was canceled by <@U0CSM00001>`,
    );
    expect(blocksText(ackOf(await cs('health globex')).blocks)).toContain('No success review scheduled.');
  });
});

/** The top-level message of an incident whose message shows this text. */
const incidentShowing = (text: string) =>
  double.messages(CHANNEL).find((m) => !m.thread_ts && blocksText(m.blocks).includes(text));

describe('around the meeting, on schedule', () => {
  it('flags the exclusive account whose monthly review is overdue, once', async () => {
    // Initech turned red when its data arrived: its incident is posted before the schedule runs.
    await double.waitFor(() => incidentShowing('Initech'), 15_000);
    await runScheduleAt('2030-03-07T12:00:00Z');
    // Initech's incident is open already: the overdue review is added to its message, and said in its thread.
    // The update waits its turn behind the channel's other posts (one a second): give it time.
    const alert = await double.waitFor(() => incidentShowing('RMS was due by'), 15_000);
    expect(alert.text).toContain('Initech');
    expect(blocksText(alert.blocks)).toContain('Fri 15 Feb 2030');
    expect((await runScheduleAt('2030-03-07T12:15:00Z')).overdue).toEqual({ raised: 0, resolved: 0 });
    await double.waitFor(
      () => double.messages(CHANNEL).find((m) => m.thread_ts === alert.ts && m.text.includes('Added')),
      15_000,
    );
    const showing = double
      .messages(CHANNEL)
      .filter((m) => !m.thread_ts && blocksText(m.blocks).includes('RMS was due by'));
    expect(showing).toHaveLength(1);
    expect(blocksText(ackOf(await cs('health initech')).blocks)).toContain(
      'due by Fri 15 Feb 2030 (overdue)',
    );
  });

  it('offers "Schedule review" on the incident, which opens the review modal for its account', async () => {
    const incident = incidentShowing('RMS was due by')!;
    const opened = double.openViews(CSM).length;
    await sim.click(incident, ACTION.alertScheduleReview, { user: CSM });
    const modal = await double.waitFor(
      () =>
        double.openViews(CSM).length > opened &&
        double.openViews(CSM).find((v: SandboxView) => v.callback_id === REVIEW.scheduleModal),
    );
    expect(JSON.stringify(modal)).toContain('Initech');
  });

  it('resolves that flag once a review is scheduled, in place and in its thread', async () => {
    const alert = incidentShowing('RMS was due by')!;
    expect(ackOf(await cs('rts initech 2030-03-21 10:00')).text).toContain('scheduled');
    await runScheduleAt('2030-03-07T12:30:00Z');
    const reply = await double.waitFor(() =>
      double
        .messages(CHANNEL)
        .find((m) => m.thread_ts === alert.ts && m.text.includes('review was scheduled')),
    );
    expect(reply.text).toContain('Pulse resolved the alert');
    // The update and the reply are two messages: the update may land a moment after the reply.
    await double.waitFor(() =>
      /RMS was due by[^•]*resolved/.test(blocksText(double.message(CHANNEL, alert.ts)?.blocks)),
    );
    await runScheduleAt('2030-03-07T12:45:00Z');
    const replies = () => double.messages(CHANNEL).filter((m) => m.thread_ts === alert.ts);
    expect(replies().filter((m) => m.text.includes('review was scheduled'))).toHaveLength(1);
  });

  it('DMs the owner the brief 3 working days before the meeting, at 09:00, once', async () => {
    // The meeting is Wednesday 13 March: the brief is due Friday 8 March, 09:00 São Paulo (12:00Z).
    await runScheduleAt('2030-03-08T11:59:00Z');
    await pulse.deps.health.idle();
    expect(dm().some((m) => m.text.startsWith('Review brief'))).toBe(false);
    await runScheduleAt('2030-03-08T12:00:00Z');
    const brief = await double.waitFor(() => dm().find((m) => m.text === 'Review brief: Acme Corp'));
    const text = blocksText(brief.blocks);
    expect(text).toContain('Usage fell 30% over the period (20 → 14 active users a day)');
    expect(text).toContain('Renewal on Fri 31 May 2030, in 84 days');
    expect(text).toContain(
      `meeting ${meeting('2030-03-13T18:00:00Z', '2030-03-13 15:00', 'GMT-3', 'America/Sao_Paulo')}`,
    );
    expect((await runScheduleAt('2030-03-08T12:15:00Z')).briefs).toBe(0);
    expect(dm().filter((m) => m.text.startsWith('Review brief'))).toHaveLength(1);
  });

  it('shows the brief on demand', async () => {
    const ack = ackOf(await cs('rts acme brief'));
    expect(ack.text).toBe('Review brief: Acme Corp');
    expect(blocksText(ack.blocks)).toContain('Talking points');
  });

  it('after the meeting, marks it held and asks the owner for the outcome; the modal stores goals', async () => {
    expect((await runScheduleAt('2030-03-13T18:59:00Z')).outcomes).toBe(0);
    expect((await runScheduleAt('2030-03-13T19:00:00Z')).outcomes).toBe(1);
    const reminder = await double.waitFor(() => dm().find((m) => m.text.includes('Record the outcome')));
    await sim.click(reminder, REVIEW.outcomeAction, { user: CSM });
    const modal = await openModal(REVIEW.outcomeModal);
    const goal = (row: number, field: string) => `${REVIEW.goalPrefix}${row}_${field}`;
    const values = {
      [goal(0, 'description')]: 'Roll out to sales',
      [goal(0, 'metric')]: 'active_users',
      [goal(0, 'comparator')]: '>=',
      [goal(0, 'target')]: '40',
      [goal(0, 'dueDate')]: '2030-06-30',
      [goal(1, 'description')]: 'Cut open tickets',
      [goal(1, 'metric')]: 'tickets_open',
      [goal(1, 'dueDate')]: '2030-06-30',
    };
    const refused = await sim.submit(modal, values);
    expect(refused.ack).toEqual({
      response_action: 'errors',
      errors: { [goal(1, 'target')]: 'A metric needs ≥ or ≤ and a target number.' },
    });
    await sim.submit(modal, { ...values, [goal(1, 'comparator')]: '<=', [goal(1, 'target')]: '5' });
    expect(double.view(modal.id)!.closed).toBe(true);
    const saved = await double.waitFor(() => dm().find((m) => m.text.startsWith(':dart: Saved 2 goals')));
    expect(saved.text).toContain('Roll out to sales (active users ≥ 40) by Sun 30 Jun 2030');
    const card = blocksText(ackOf(await cs('health acme')).blocks);
    expect(card).toContain('the next is due by Thu 13 Jun 2030');
  });

  it('reports the goals monthly in the owner DM, once a month', async () => {
    expect((await runScheduleAt('2030-03-31T13:00:00Z')).reports).toBe(0);
    await runScheduleAt('2030-04-01T12:30:00Z');
    const report = await double.waitFor(() => dm().find((m) => m.text === 'Goals of Acme Corp, April 2030'));
    const text = blocksText(report.blocks);
    expect(text).toContain(
      'Roll out to sales (active users ≥ 40) by Sun 30 Jun 2030: *not met yet (now 14)*',
    );
    expect(text).toContain(
      'Cut open tickets (tickets open ≤ 5) by Sun 30 Jun 2030: *no data for the metric*',
    );
    expect((await runScheduleAt('2030-04-20T12:30:00Z')).reports).toBe(0);
  });
});

describe('a CSM who reads Portuguese', () => {
  const luanaDm = () => double.messages(double.dmWith(LUANA).id);

  beforeAll(async () => {
    await app.ingest('accounts', [
      {
        key: 'umbrella',
        name: 'Umbrella',
        tier: 'high_touch',
        owner_slack_id: LUANA,
        renewal_date: '2030-07-31',
      },
    ]);
  });

  it('gets the brief and the outcome reminder in Portuguese, with no English sentence left', async () => {
    // Scheduling reads her Slack locale; the jobs' DMs speak it from then on.
    clock = new Date('2030-05-06T13:00:00Z');
    const scheduled = ackOf(await cs('rts umbrella 2030-05-15 15:00', LUANA));
    expect(scheduled.text).toMatch(/^Revisão Trimestral de Sucesso \(RTS\) com Umbrella agendada para/);

    // Wednesday 15 May: the brief is due Friday 10 May, 09:00 São Paulo (12:00Z).
    await runScheduleAt('2030-05-10T12:00:00Z');
    const brief = await double.waitFor(() =>
      luanaDm().find((m) => m.text === 'Briefing da revisão: Umbrella'),
    );
    const text = blocksText(brief.blocks);
    expect(text).toContain('números desde');
    expect(text).toContain('*Renovação*\\nqua., 31 de jul. de 2030');
    expect(text).toContain('Renovação em qua., 31 de jul. de 2030, daqui a 82 dias');
    expect(text).toContain('*Pontos para a conversa*');
    expect(englishIn(brief)).toEqual([]);

    await runScheduleAt('2030-05-15T19:00:00Z');
    const reminder = await double.waitFor(() =>
      luanaDm().find((m) => m.text === 'Registre o resultado da revisão de sucesso com Umbrella'),
    );
    expect(blocksText(reminder.blocks)).toContain(
      'Como foi a Revisão Trimestral de Sucesso (RTS) com *Umbrella*',
    );
    expect(englishIn(reminder)).toEqual([]);

    await sim.click(reminder, REVIEW.outcomeAction, { user: LUANA });
    const modal = await double.waitFor(() =>
      double.openViews(LUANA).find((v: SandboxView) => v.callback_id === REVIEW.outcomeModal),
    );
    expect(blocksText(modal)).toContain('Resultado da revisão');
    expect(englishIn(modal)).toEqual([]);
    const refused = await sim.submit(modal, {
      [`${REVIEW.goalPrefix}0_description`]: 'Treinar os admins',
      [`${REVIEW.goalPrefix}0_dueDate`]: '2030-05-01',
    });
    expect(refused.ack).toEqual({
      response_action: 'errors',
      errors: { [`${REVIEW.goalPrefix}0_dueDate`]: 'O prazo precisa ser depois de hoje.' },
    });
    await sim.submit(modal, {
      [`${REVIEW.goalPrefix}0_description`]: 'Treinar os admins',
      [`${REVIEW.goalPrefix}0_dueDate`]: '2030-08-30',
    });
    const saved = await double.waitFor(() => luanaDm().find((m) => m.text.startsWith(':dart: 1 meta salva')));
    expect(saved.text).toContain('Treinar os admins até sex., 30 de ago. de 2030');
    expect(englishIn(saved)).toEqual([]);
  });
});
