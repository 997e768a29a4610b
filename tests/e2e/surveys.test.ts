import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import type { Pulse } from '../../src/pulse.ts';
import { closeSurveys } from '../../src/services/surveys.ts';
import { SURVEY_ACTION, SURVEY_BLOCK } from '../../src/slack/constants.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SlackClientSimulator, SlackDouble, SlackEphemeral, SlackMessage } from '../helpers/slack.ts';

/**
 * Surveys end to end: Pulse in this process (so the test reads its database on both engines and moves
 * its clock), the Web API double as Slack, and the simulator clicking as the people would.
 */
const CSM = 'U0CSM00001';
const CSM2 = 'U0CSM00002';
const OUTSIDER = 'U0SALES001';
const ALERTS = 'C0CSALERTS';
/** Internal: where the CS team reads about an account, never the customer. */
const DIGEST = 'C0CSDIGEST';
const INITECH_SHARED = 'C0INITECHS';
const ANA = 'U0ACME0001';
const PETER = 'U0INITECH1';
const DAY = 86_400_000;

let app: PulseInProcess;
let pulse: Pulse;
let double: SlackDouble;
let sim: SlackClientSimulator;
/** How far ahead of the wall clock Pulse's clock runs: the last test moves it. */
let offset = 0;

type Block = {
  type: string;
  block_id?: string;
  elements?: Array<{ action_id?: string; text?: { text: string } }>;
};
const scoreButtons = (m: { blocks?: unknown[] }) =>
  (m.blocks as Block[]).find((b) => b.block_id === SURVEY_BLOCK.scores)?.elements?.map((e) => e.text!.text);
const isSurvey = (m: { blocks?: unknown[] }) => scoreButtons(m) !== undefined;
const dm = (user: string) => double.dmWith(user).id;

/** `/cs …` as a person types it; the answer, inline or through the response_url when it took longer. */
async function cs(text: string, user = CSM): Promise<string> {
  const result = await sim.command({ user, channel: ALERTS }, '/cs', text);
  expect(result.durationMs).toBeLessThan(3_000);
  const ack = result.ack as { text?: string };
  if (!ack?.text?.includes('Working on it')) return ack.text ?? '';
  const [body] = (await result.waitForResponses(1, 15_000)) as Array<{ text: string }>;
  return body!.text;
}

const surveyRows = () =>
  rows<{
    id: number;
    contact: string;
    route: string | null;
    status: string;
    score: number | null;
    comment: string | null;
  }>(
    pulse.deps.db.orm,
    sql`select s.id::int as id, c.email as contact, s.route, s.status, s.score, s.comment
        from surveys s join contacts c on c.id = s.contact_id order by s.id`,
  );

beforeAll(async () => {
  app = await startPulseInProcess({
    env: { CS_ALERT_CHANNEL: ALERTS, CS_TEAM: `${CSM},${CSM2}`, SURVEY_PRODUCT_NAME: 'Pulse Demo' },
    clock: () => new Date(Date.now() + offset),
  });
  ({ pulse, double, sim } = app);
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', owner_slack_id: CSM },
    { key: 'globex', name: 'Globex', owner_slack_id: CSM2, channel_id: 'C0GLOBEXSH', locale: 'pt-BR' },
    { key: 'initech', name: 'Initech', owner_slack_id: CSM, channel_id: DIGEST },
    { key: 'stark', name: 'Stark Industries', owner_slack_id: CSM2, channel_id: 'C0GLOBEXSH' },
    { key: 'wayne', name: 'Wayne Enterprises', owner_slack_id: CSM },
    { key: 'umbrella', name: 'Umbrella', owner_slack_id: CSM, status: 'churned' },
    { key: 'oscorp', name: 'Oscorp', owner_slack_id: CSM, channel_id: DIGEST },
  ]);
  await app.ingest('contacts', [
    {
      account: 'acme',
      email: 'ana.souza@acme.example',
      name: 'Ana Souza',
      slack_user_id: ANA,
      role: 'champion',
    },
    { account: 'globex', email: 'john.smith@globex.example', name: 'John Smith', role: 'champion' },
    {
      account: 'initech',
      email: 'peter@initech.example',
      name: 'Peter Gibbons',
      slack_user_id: PETER,
      role: 'champion',
    },
    {
      account: 'stark',
      email: 'diego@stark.example',
      name: 'Diego Ramos',
      slack_user_id: OUTSIDER,
      role: 'champion',
    },
    { account: 'wayne', email: 'bruce@wayne.example', name: 'Bruce Wayne', role: 'champion' },
    { account: 'umbrella', email: 'alice@umbrella.example', name: 'Alice', role: 'champion' },
    {
      account: 'oscorp',
      email: 'diego@oscorp.example',
      name: 'Diego Ramos',
      slack_user_id: OUTSIDER,
      role: 'champion',
    },
  ]);
}, 90_000);

afterAll(() => app?.close());

let anaSurvey: SlackMessage;
let starkSurvey: SlackMessage;

describe('sending a survey with /cs survey', () => {
  it('reaches a champion by DM through their Slack user ID, with the question and 0–10 in one actions block', async () => {
    const answer = await cs('survey acme nps');
    expect(answer).toContain('NPS survey for *Acme Corp*');
    expect(answer).toContain(`Ana Souza (<@${ANA}>): sent by DM`);
    // A copy: the clicks below come from the message as Ana's client showed it before her answer.
    anaSurvey = structuredClone(await double.waitFor(() => double.messages(dm(ANA)).find(isSurvey), 15_000));
    expect(scoreButtons(anaSurvey)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(blocksOf(anaSurvey)).toContain(
      'How likely are you to recommend Pulse Demo to a friend or colleague?',
    );
    expect(blocksOf(anaSurvey)).toContain('0 = not at all likely · 10 = extremely likely');
    expect(double.callsTo('users.lookupByEmail')).toHaveLength(0);
  });

  it('finds a champion without a Slack ID by e-mail, and asks in the account’s language (CSAT 1–5)', async () => {
    const answer = await cs('survey globex csat');
    expect(answer).toContain('John Smith: sent by DM');
    expect(double.callsTo('users.lookupByEmail').map((c) => c.params.email)).toEqual([
      'john.smith@globex.example',
    ]);
    const survey = await double.waitFor(() => double.messages(dm('U0GLOBEX01')).find(isSurvey), 15_000);
    expect(scoreButtons(survey)).toEqual(['1', '2', '3', '4', '5']);
    expect(blocksOf(survey)).toContain('Qual o seu grau de satisfação com a Pulse Demo até agora?');
    expect(blocksOf(survey)).toContain('Olá, John!');
  });

  it('finds the channel Pulse shares with them when their DM is refused and the account’s channel is internal', async () => {
    const answer = await cs('survey initech nps');
    expect(answer).toContain(`in <#${INITECH_SHARED}>, visible only to them (their DM was refused)`);
    const opened = double.callsTo('conversations.open').filter((c) => c.params.users === PETER);
    expect(opened.map((c) => (c.response as { error?: string }).error)).toEqual(['invalid_user_combination']);
    const asked = double.callsTo('users.conversations').filter((c) => c.params.user === PETER);
    expect(asked.map((c) => c.params)).toEqual([
      { user: PETER, types: 'public_channel,private_channel', exclude_archived: 'true', limit: '200' },
    ]);
    const survey = await double.waitFor(() => double.ephemerals(PETER).find(isSurvey), 15_000);
    expect(survey.channel).toBe(INITECH_SHARED);
    expect(double.messages(INITECH_SHARED).filter(isSurvey)).toHaveLength(0);
    expect(double.messages(DIGEST).filter(isSurvey)).toHaveLength(0);
  });

  it('says why a survey could not be delivered, and tells the owner once', async () => {
    const answer = await cs('survey wayne nps');
    expect(answer).toContain('Bruce Wayne: *not delivered*: no Slack user has their e-mail');
    const note = await double.waitFor(
      () => double.messages(dm(CSM)).find((m) => m.text.includes('could not be delivered')),
      15_000,
    );
    expect(note.text).toContain('Bruce Wayne');
    expect(note.text).toContain('Wayne Enterprises');
    expect((await surveyRows()).find((s) => s.contact === 'bruce@wayne.example')?.status).toBe(
      'undeliverable',
    );
  });

  describe('when they share no channel with Pulse', () => {
    beforeAll(() => {
      const alerts = double.channel(ALERTS)!;
      alerts.members = alerts.members.filter((m) => m !== OUTSIDER);
    });
    afterAll(() => {
      double.channel(ALERTS)!.members.push(OUTSIDER);
    });

    it('gives up when the account’s channel is internal (a mention there reaches nobody), and tells the owner once', async () => {
      double.failNext('conversations.open', { error: 'invalid_user_combination' });
      const answer = await cs('survey oscorp csat');
      expect(answer).toContain(`Diego Ramos (<@${OUTSIDER}>): *not delivered*: their DM was refused`);
      const notes = () => double.messages(dm(CSM)).filter((m) => m.text.includes('Oscorp'));
      await double.waitFor(() => notes().length > 0, 15_000);
      expect(notes()).toHaveLength(1);
      expect(notes()[0]!.text).toContain('could not be delivered');
      expect(double.messages(DIGEST)).toHaveLength(0);
      expect((await surveyRows()).find((s) => s.contact === 'diego@oscorp.example')?.status).toBe(
        'undeliverable',
      );
    });

    it('mentions them in the account’s channel when it is shared outside the workspace (user_not_visible)', async () => {
      double.failNext('conversations.open', { error: 'user_not_visible' });
      const answer = await cs('survey stark nps');
      expect(answer).toContain('in <#C0GLOBEXSH>, mentioning them');
      starkSurvey = structuredClone(
        await double.waitFor(() => double.messages('C0GLOBEXSH').find(isSurvey), 15_000),
      );
      expect(blocksOf(starkSurvey)).toContain(`<@${OUTSIDER}>, this quick question is for you`);
    });
  });

  it('refuses a churned account', async () => {
    expect(await cs('survey umbrella nps')).toContain('has churned: Pulse never surveys a churned customer');
    expect((await surveyRows()).some((s) => s.contact === 'alice@umbrella.example')).toBe(false);
  });

  it('keeps the 30-day rule across kinds, and says so instead of sending', async () => {
    const answer = await cs('survey acme csat');
    expect(answer).toMatch(
      /Ana Souza \(<@U0ACME0001>\): not sent: surveyed on .+, and the 30-day contact rule allows the next survey on /,
    );
    expect((await surveyRows()).filter((s) => s.contact === 'ana.souza@acme.example')).toHaveLength(1);
  });

  it('is for the CS team only', async () => {
    expect(await cs('survey acme nps', OUTSIDER)).toBe(
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.',
    );
  });
});

describe('answering', () => {
  const currentAna = () => double.message(dm(ANA), anaSurvey.ts)!;

  it('refuses a click from anyone but the recipient, ephemerally, and changes nothing', async () => {
    const updates = double.callsTo('chat.update').length;
    const click = await sim.click(anaSurvey, `${SURVEY_ACTION.scorePrefix}9`, { user: CSM2 });
    expect(click.durationMs).toBeLessThan(3_000);
    const [reply] = (await click.waitForResponses()) as Array<{ text: string; response_type: string }>;
    expect(reply).toMatchObject({
      response_type: 'ephemeral',
      text: 'This survey is for Ana Souza, so your click was not counted.',
    });
    expect(double.callsTo('chat.update')).toHaveLength(updates);
    expect((await surveyRows()).find((s) => s.contact === 'ana.souza@acme.example')?.score).toBeNull();
  });

  it('records the recipient’s score once, thanks them in the same message, and raises a detractor red flag', async () => {
    await sim.click(anaSurvey, `${SURVEY_ACTION.scorePrefix}3`, { user: ANA });
    await double.waitFor(() => blocksOf(currentAna()).includes('Thank you! Your answer: *3*.'));
    expect(isSurvey(currentAna())).toBe(false);
    expect(blocksOf(currentAna())).toContain(SURVEY_ACTION.tellUsWhy);
    const alert = await double.waitFor(
      () =>
        double.messages(ALERTS).find((m) => blocksOf(m).includes('Ana Souza answered 3 to the NPS survey')),
      15_000,
    );
    expect(blocksOf(alert)).toContain('NPS 3 from Ana Souza');
    // The next step: a DM with Ana, who answered in Slack (the red flag stores her Slack user).
    expect(blocksOf(alert)).toContain('"text":"Reply to Ana Souza"');
    expect(blocksOf(alert)).toContain(`"url":"https://slack.com/app_redirect?channel=${ANA}"`);
    const ana = (await surveyRows()).find((s) => s.contact === 'ana.souza@acme.example');
    expect(ana).toMatchObject({ status: 'answered', score: 3, route: 'dm' });
  });

  it('changes nothing on a second click (from the message as it was before the answer)', async () => {
    const updates = double.callsTo('chat.update').length;
    const click = await sim.click(anaSurvey, `${SURVEY_ACTION.scorePrefix}10`, { user: ANA });
    expect(click.status).toBe(200);
    // The first click's work is done once its message is updated; give the second as long, then look.
    await new Promise((r) => setTimeout(r, 500));
    expect(double.callsTo('chat.update')).toHaveLength(updates);
    expect(click.responses()).toEqual([]);
    expect((await surveyRows()).find((s) => s.contact === 'ana.souza@acme.example')?.score).toBe(3);
    expect(double.messages(dm(CSM)).some((m) => m.text.includes('promoter'))).toBe(false);
  });

  it('takes "Tell us why" in a modal, stores the comment with the answer, and adds it to the red flag', async () => {
    const click = await sim.click(currentAna(), SURVEY_ACTION.tellUsWhy, { user: ANA });
    expect(click.status).toBe(200);
    const modal = await double.waitFor(() => double.openViews(ANA).at(-1));
    expect(JSON.stringify(modal)).toContain('What is the main reason for your score?');
    const empty = await sim.submit(modal, { [SURVEY_BLOCK.comment]: '  ' });
    expect(empty.errors).toEqual({ [SURVEY_BLOCK.comment]: 'Write a few words, or cancel.' });
    const done = await sim.submit(modal, { [SURVEY_BLOCK.comment]: 'Reports are too slow' });
    expect(done.errors).toBeUndefined();
    await double.waitFor(() => blocksOf(currentAna()).includes('Thank you for telling us why'));
    expect((await surveyRows()).find((s) => s.contact === 'ana.souza@acme.example')?.comment).toBe(
      'Reports are too slow',
    );
    await double.waitFor(
      () => double.messages(ALERTS).find((m) => blocksOf(m).includes('Reports are too slow')),
      15_000,
    );
  });

  it('tells the owner of a promoter by DM, and replaces an ephemeral survey through its response_url', async () => {
    const survey = double.ephemerals(PETER).find(isSurvey)!;
    await sim.click(survey as SlackEphemeral, `${SURVEY_ACTION.scorePrefix}10`, { user: PETER });
    await double.waitFor(() =>
      double.ephemerals(PETER).find((e) => blocksOf(e).includes('Thank you! Your answer: *10*.')),
    );
    const note = await double.waitFor(
      () => double.messages(dm(CSM)).find((m) => m.text.includes('a promoter')),
      15_000,
    );
    expect(note.text).toContain('Peter Gibbons');
    expect(note.text).toContain('reference, a case study or a referral');
  });

  it('shows NPS and CSAT with response counts and rates on the health card', async () => {
    const result = await sim.command({ user: CSM, channel: ALERTS }, '/cs', 'health acme');
    const body = blocksOf(result.ack as { blocks?: unknown[] });
    expect(body).toContain('*Surveys* (last 90 days)');
    expect(body).toContain('NPS *−100* · 1 of 1 answered (100%)');
    expect(body).toContain('CSAT _no answers_ · none sent');
    // Portfolio: Ana 3 (detractor), Peter 10 (promoter), Diego unanswered → 0 over 2 answers of 3 sent.
    expect(body).toContain('portfolio: NPS ±0 · 2 of 3 answered (67%)');
  });
});

describe('a week later', () => {
  it('expires what was not answered, updates its message, and accepts no click after', async () => {
    offset = 8 * DAY;
    // The minute's schedule may get there first; either way each survey expires once.
    await closeSurveys(pulse.deps);
    const globex = await double.waitFor(
      () =>
        double.messages(dm('U0GLOBEX01')).find((m) => blocksOf(m).includes('Esta pesquisa foi encerrada')),
      15_000,
    );
    expect(isSurvey(globex)).toBe(false);
    await double.waitFor(() =>
      double.messages('C0GLOBEXSH').find((m) => blocksOf(m).includes('This survey has closed')),
    );
    const click = await sim.click(starkSurvey, `${SURVEY_ACTION.scorePrefix}8`, { user: OUTSIDER });
    const [reply] = (await click.waitForResponses()) as Array<{ text: string }>;
    expect(reply!.text).toBe('This survey is closed and no longer takes answers.');
    expect((await surveyRows()).find((s) => s.contact === 'diego@stark.example')).toMatchObject({
      status: 'expired',
      score: null,
    });
  });
});
