import { WebClient } from '@slack/web-api';
import { type SQL, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type Database, rows } from '../../src/db/client.ts';
import { contacts, milestones, successReviews } from '../../src/db/schema.ts';
import { npsCadenceSlot } from '../../src/domain/surveys.ts';
import { closeSurveys, createDueSurveys, deliverPendingSurveys } from '../../src/services/surveys.ts';
import { createSurveys, type SurveyCandidate } from '../../src/store/surveys/create.ts';
import { loadSurveyFigures } from '../../src/store/surveys/figures.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const T0 = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(+T0 + days * DAY);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let now = T0;
const deps = () => ({
  db,
  clock: () => now,
  config: loadConfig({ CS_ALERT_CHANNEL: 'C0ALERTS', SURVEY_PRODUCT_NAME: 'Pulse' }),
  logger: pino({ level: 'silent' }),
});
const id: Record<string, number> = {};

const surveyRows = () =>
  rows<{ id: number; contact: number; kind: string; trigger: string; status: string; key: string }>(
    db.orm,
    sql`select id::int as id, contact_id as contact, kind, trigger, status, dedupe_key as key from surveys order by id`,
  );
const outbox = (like: string) =>
  rows<{ dedupe_key: string; method: string; payload: Record<string, unknown>; audience: string }>(
    db.orm,
    sql`select dedupe_key, method, payload, audience from slack_outbox where dedupe_key like ${like} order by id`,
  );
const create = (candidates: SurveyCandidate[], when = now) =>
  db.orm.transaction((tx) => createSurveys(tx, candidates, when));
const manual = (contact: string, kind: 'nps' | 'csat' = 'nps', suffix = ''): SurveyCandidate => ({
  contactId: id[contact]!,
  kind,
  trigger: 'manual',
  dedupeKey: `manual:${kind}:${id[contact]}:${suffix}`,
});
/** A survey's post as the outbox left it (`insert … returning id`), linked as enqueueSurveyPost links it. */
const linkedPost = (surveyId: number, insert: SQL) =>
  db.orm.execute(sql`with post as (${insert} returning id)
    update surveys set post_outbox_id = post.id from post where surveys.id = ${surveyId}`);
/** As the delivery would: the survey went out at `when`, open for a week. */
const markSent = (surveyId: number, when: Date) =>
  db.orm.execute(
    sql`update surveys set status = 'sent', route = 'dm', channel = 'D0X', recipient_slack_id = 'U0X',
          sent_at = ${when.toISOString()}::timestamptz, expires_at = ${at(7 + (+when - +T0) / DAY).toISOString()}::timestamptz
        where id = ${surveyId}`,
  );

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      { key: 'acme', name: 'Acme', ownerSlackId: 'U0OWNER' },
      { key: 'acme-eu', name: 'Acme EU' },
      { key: 'globex', name: 'Globex', locale: 'pt-BR' },
      { key: 'gone', name: 'Gone', status: 'churned' },
    ]),
  );
  const people = await db.orm
    .insert(contacts)
    .values([
      {
        accountId: id.acme!,
        email: 'ana@acme.example',
        slackUserId: 'U0ACME0001',
        role: 'champion',
        name: 'ana',
      },
      // The same person as a champion of another account, by e-mail (case aside)…
      { accountId: id['acme-eu']!, email: 'ANA@acme.example', role: 'champion', name: 'ana-eu' },
      // …and by Slack user, under another address.
      {
        accountId: id.globex!,
        email: 'ana.s@globex.example',
        slackUserId: 'U0ACME0001',
        role: 'champion',
        name: 'ana-gx',
      },
      { accountId: id.globex!, email: 'joao@globex.example', role: 'champion', name: 'joao' },
      { accountId: id.globex!, email: 'user@globex.example', role: 'user', name: 'user' },
      { accountId: id.gone!, email: 'x@gone.example', role: 'champion', name: 'gone' },
    ])
    .returning({ id: contacts.id, name: contacts.name });
  for (const p of people) id[p.name!] = p.id;
  // Known since long before T0, so their NPS cadence can come round.
  await db.orm.execute(sql`update contacts set created_at = '2026-01-01T00:00:00Z'`);
});

afterAll(() => database?.drop());

beforeEach(async () => {
  now = T0;
  await db.orm.execute(sql`delete from surveys`);
  await db.orm.execute(sql`delete from slack_outbox`);
  await db.orm.execute(sql`delete from milestones`);
  await db.orm.execute(sql`delete from success_reviews`);
});

describe('the contact rule, in the database', () => {
  it('asks a person once across accounts and identities, the first candidate winning, never a churned account', async () => {
    const created = await create([
      manual('ana'),
      manual('ana-eu'),
      manual('ana-gx'),
      manual('joao'),
      manual('gone'),
    ]);
    expect(created.map((c) => c.contactId)).toEqual([id.ana, id.joao]);
  });

  it('holds for 30 days after the last survey, whatever its kind, then lets the next one through', async () => {
    const [first] = await create([manual('ana', 'csat')]);
    await markSent(first!.id, T0);
    expect(await create([manual('ana-eu', 'nps', 'a')], at(29))).toEqual([]);
    expect(await create([manual('ana-gx', 'nps', 'b')], at(29))).toEqual([]);
    expect((await create([manual('ana-eu', 'nps', 'c')], at(30.01))).map((c) => c.contactId)).toEqual([
      id['ana-eu'],
    ]);
  });

  it('does not count a survey that never reached them', async () => {
    const [first] = await create([manual('ana')]);
    await db.orm.execute(sql`update surveys set status = 'undeliverable' where id = ${first!.id}`);
    expect(await create([manual('ana', 'nps', 'again')])).toHaveLength(1);
  });

  it('inserts a decision once: the same dedupe key twice is a no-op', async () => {
    expect(await create([manual('joao')])).toHaveLength(1);
    await db.orm.execute(sql`update surveys set status = 'undeliverable'`);
    expect(await create([manual('joao')])).toEqual([]);
  });
});

describe('the schedule', () => {
  it('sends each champion its NPS in its own slot, once, and never to a user or a churned account', async () => {
    const joaoSlot = npsCadenceSlot(id.joao!, T0, 90, '2026-01-01');
    const slotDay = new Date(`${joaoSlot.slotStart}T10:00:00Z`);
    now = new Date(+slotDay + (joaoSlot.due ? 0 : 90 * DAY));
    const created = await createDueSurveys(deps());
    expect(created.nps).toBeGreaterThanOrEqual(1);
    const joao = (await surveyRows()).filter((s) => s.contact === id.joao);
    expect(joao).toEqual([
      expect.objectContaining({
        kind: 'nps',
        trigger: 'cadence',
        key: `nps:${id.joao}:${npsCadenceSlot(id.joao!, now, 90, '2026-01-01').slotStart}`,
      }),
    ]);
    expect(await createDueSurveys(deps())).toEqual({ nps: 0, csat: 0 });
    const asked = new Set((await surveyRows()).map((s) => s.contact));
    expect(asked.has(id.user!)).toBe(false);
    expect(asked.has(id.gone!)).toBe(false);
  });

  it('comes round once per interval for each person, whatever the day the schedule runs', async () => {
    for (let day = 0; day < 90; day++) {
      now = at(day);
      await createDueSurveys(deps());
      // As the delivery would: Ana-EU has no Slack ID of her own, and her e-mail finds Ana's user.
      await db.orm.execute(
        sql`update surveys s set status = 'sent', sent_at = s.created_at,
              recipient_slack_id = case when c.email ilike 'ana%' then 'U0ACME0001' else 'U0JOAO' end
            from contacts c where c.id = s.contact_id and s.status = 'pending'`,
      );
    }
    const nps = (await surveyRows()).filter((s) => s.kind === 'nps');
    expect(nps.filter((s) => s.contact === id.joao)).toHaveLength(1);
    // Ana's three identities are one person: at least 30 days between any two of her surveys.
    const ana = await rows<{ at: number }>(
      db.orm,
      sql`select (extract(epoch from s.created_at) * 1000)::float8 as at from surveys s
          join contacts c on c.id = s.contact_id where c.email ilike 'ana%' order by s.created_at`,
    );
    expect(ana.length).toBeGreaterThanOrEqual(1);
    for (let k = 1; k < ana.length; k++) expect(ana[k]!.at - ana[k - 1]!.at).toBeGreaterThanOrEqual(30 * DAY);
  });

  it('sends CSAT after a milestone reached or a success review held in the last days, within the contact rule', async () => {
    now = new Date('2026-01-02T12:00:00Z');
    // Contacts added today: no NPS slot of theirs is due yet, so only CSAT is decided here.
    await db.orm.execute(sql`update contacts set created_at = ${now.toISOString()}::timestamptz`);
    const [m] = await db.orm
      .insert(milestones)
      .values({ accountId: id.globex!, title: 'Go-live', reachedAt: new Date(+now - DAY), recordedBy: 'api' })
      .returning({ id: milestones.id });
    const [r] = await db.orm
      .insert(successReviews)
      .values({
        accountId: id.acme!,
        kind: 'rts',
        startsAt: new Date(+now - 2 * DAY),
        timezone: 'UTC',
        status: 'held',
        scheduledBy: 'U0OWNER',
      })
      .returning({ id: successReviews.id });
    await db.orm.insert(milestones).values({
      accountId: id.acme!,
      title: 'Old win',
      reachedAt: new Date(+now - 10 * DAY),
      recordedBy: 'api',
    });
    const created = await createDueSurveys(deps());
    await db.orm.execute(sql`update contacts set created_at = '2026-01-01T00:00:00Z'`);
    // Ana is a champion of both: the review came first, so the milestone does not ask her again.
    expect(created).toEqual({ nps: 0, csat: 2 });
    expect((await surveyRows()).map((s) => s.key)).toEqual([
      `csat:review:${r!.id}:${id.ana}`,
      `csat:milestone:${m!.id}:${id.joao}`,
    ]);
    expect(await createDueSurveys(deps())).toEqual({ nps: 0, csat: 0 });
  });
});

describe('closing surveys', () => {
  it('expires a week-old survey and updates its message through the outbox, once', async () => {
    const [survey] = await create([manual('joao')]);
    await markSent(survey!.id, T0);
    await linkedPost(
      survey!.id,
      sql`insert into slack_outbox (dedupe_key, method, payload, status, channel, ts)
          values (${`survey:${survey!.id}:post`}, 'chat.postMessage', '{}'::jsonb, 'sent', 'D0X', '123.456')`,
    );
    now = at(6.9);
    expect(await closeSurveys(deps())).toEqual({ expired: 0, undeliverable: 0 });
    now = at(7);
    expect(await closeSurveys(deps())).toEqual({ expired: 1, undeliverable: 0 });
    expect(await closeSurveys(deps())).toEqual({ expired: 0, undeliverable: 0 });
    const [update] = await outbox('%:expired');
    expect(update).toMatchObject({
      method: 'chat.update',
      payload: { channel: 'D0X', ts: '123.456' },
      audience: 'customer',
    });
    expect(JSON.stringify(update!.payload)).toContain('Esta pesquisa foi encerrada');
  });

  it('gives up on a survey that found no route in a week, and on a post Slack refused, telling the owner once', async () => {
    const [stuck, refused] = await create([manual('ana'), manual('joao')]);
    await markSent(refused!.id, T0);
    await linkedPost(
      refused!.id,
      sql`insert into slack_outbox (dedupe_key, method, payload, status, last_error)
          values (${`survey:${refused!.id}:post`}, 'chat.postMessage', '{}'::jsonb, 'failed', 'channel_not_found')`,
    );
    now = at(1);
    expect(await closeSurveys(deps())).toEqual({ expired: 0, undeliverable: 1 });
    now = at(7);
    expect(await closeSurveys(deps())).toEqual({ expired: 0, undeliverable: 1 });
    expect(await closeSurveys(deps())).toEqual({ expired: 0, undeliverable: 0 });
    const notes = await outbox('%:undeliverable');
    expect(notes.map((n) => [n.dedupe_key, n.payload.channel, n.audience])).toEqual([
      [`survey:${refused!.id}:undeliverable`, 'C0ALERTS', 'internal'],
      [`survey:${stuck!.id}:undeliverable`, 'U0OWNER', 'internal'],
    ]);
    expect(JSON.stringify(notes[0]!.payload)).toContain('the channel does not exist');
  });
});

describe('delivery', () => {
  let slack: Awaited<ReturnType<typeof startSlackDouble>>;
  let double: SlackDouble;
  beforeAll(async () => {
    slack = await startSlackDouble();
    double = slack.double;
  });
  afterAll(() => slack.close());

  it('posts a survey once when two deliveries race for it', async () => {
    const [survey] = await create([manual('ana')]);
    const client = () => new WebClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url });
    const [a, b] = await Promise.all([
      deliverPendingSurveys(deps(), client()),
      deliverPendingSurveys(deps(), client()),
    ]);
    const outcomes = [...a.outcomes, ...b.outcomes].filter((o) => o.surveyId === survey!.id);
    expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(1);
    expect(await outbox(`survey:${survey!.id}:post`)).toHaveLength(1);
    expect(double.callsTo('conversations.open').length).toBeGreaterThanOrEqual(1);
  });

  it('leaves a survey pending with the reason when Slack fails, and waits out a rate limit', async () => {
    const [survey] = await create([manual('joao')]);
    double.failNext('users.lookupByEmail', { status: 503 });
    const client = new WebClient(TEST_BOT_TOKEN, {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const first = await deliverPendingSurveys(deps(), client);
    expect(first.outcomes).toEqual([expect.objectContaining({ surveyId: survey!.id, kind: 'retry' })]);
    expect((await surveyRows())[0]!.status).toBe('pending');
    double.failNext('users.lookupByEmail', { status: 429, retryAfter: 1 });
    const second = await deliverPendingSurveys(deps(), client);
    expect(second.rateLimited).toBe(1);
    // joao@globex.example has no Slack user in the double's workspace: no route, told once.
    expect(second.outcomes).toEqual([
      { surveyId: survey!.id, kind: 'undeliverable', reason: 'no_slack_user' },
    ]);
  });

  it('finds a channel shared with a person whose DM is refused, waiting out a rate limit on the way', async () => {
    const [survey] = await create([manual('ana')]);
    double.failNext('conversations.open', { error: 'invalid_user_combination' });
    double.failNext('users.conversations', { status: 429, retryAfter: 1 });
    const listed = double.callsTo('users.conversations').length;
    const client = new WebClient(TEST_BOT_TOKEN, {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const report = await deliverPendingSurveys(deps(), client);
    expect(report.rateLimited).toBe(1);
    expect(report.outcomes).toEqual([
      {
        surveyId: survey!.id,
        kind: 'sent',
        route: 'channel_ephemeral',
        channel: 'C0ACMESHRD',
        recipientSlackId: 'U0ACME0001',
      },
    ]);
    // Hers and the bot's, once each, plus the one refused with a 429.
    expect(double.callsTo('users.conversations').length - listed).toBe(3);
    const [post] = await outbox(`survey:${survey!.id}:post`);
    expect(post).toMatchObject({
      method: 'chat.postEphemeral',
      payload: { channel: 'C0ACMESHRD', user: 'U0ACME0001' },
      audience: 'customer',
    });
  });
});

describe('figures', () => {
  it('computes NPS and CSAT per account and for the portfolio over the window, with counts and rates', async () => {
    const insert = (
      account: number,
      contact: number,
      kind: string,
      status: string,
      score: number | null,
      sentDaysAgo: number,
      n: number,
    ) =>
      db.orm.execute(
        sql`insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, status, score, sent_at)
            values (${account}, ${contact}, ${kind}, 'manual', ${`fig:${n}`}, 'en', ${status}, ${score},
              ${at(-sentDaysAgo).toISOString()}::timestamptz)`,
      );
    let n = 0;
    // Acme: NPS 10, 9, 8, 3 → (2 − 1) / 4 = +25, 4 of 5 answered; CSAT 5, 3 → 50%, 2 of 2.
    for (const s of [10, 9, 8, 3]) await insert(id.acme!, id.ana!, 'nps', 'answered', s, 5, n++);
    await insert(id.acme!, id.ana!, 'nps', 'expired', null, 20, n++);
    await insert(id.acme!, id.ana!, 'csat', 'answered', 5, 5, n++);
    await insert(id.acme!, id.ana!, 'csat', 'answered', 3, 5, n++);
    // Globex: NPS 0 → −100, 1 of 2 (one still open); one answer outside the window.
    await insert(id.globex!, id.joao!, 'nps', 'answered', 0, 1, n++);
    await insert(id.globex!, id.joao!, 'nps', 'sent', null, 1, n++);
    await insert(id.globex!, id.joao!, 'nps', 'answered', 10, 91, n++);
    // Undeliverable surveys were never sent: they count nowhere.
    await insert(id.globex!, id.joao!, 'nps', 'undeliverable', null, 1, n++);
    const report = await loadSurveyFigures(db.orm, { now: T0 });
    expect(report.byAccount.get(id.acme!)).toEqual({
      nps: { value: 25, promoters: 2, passives: 1, detractors: 1, responses: 4, sent: 5, responseRate: 80 },
      csat: { value: 50, satisfied: 1, responses: 2, sent: 2, responseRate: 100 },
    });
    expect(report.byAccount.get(id.globex!)?.nps).toMatchObject({
      value: -100,
      responses: 1,
      sent: 2,
      responseRate: 50,
    });
    // Portfolio NPS: 10, 9, 8, 3, 0 → (2 − 2) / 5 = 0; 5 of 7 answered.
    expect(report.portfolio.nps).toMatchObject({ value: 0, responses: 5, sent: 7, responseRate: 71 });
    expect(report.portfolio.csat).toMatchObject({ value: 50, responses: 2, sent: 2 });
    const only = await loadSurveyFigures(db.orm, { now: T0, accountIds: [id.globex!] });
    expect([...only.byAccount.keys()]).toEqual([id.globex]);
    expect(only.portfolio).toEqual(report.portfolio);
    const narrow = await loadSurveyFigures(db.orm, { now: T0, windowDays: 3 });
    expect(narrow.portfolio.nps).toMatchObject({ value: -100, responses: 1, sent: 2 });
  });
});
