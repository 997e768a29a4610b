import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewProblems } from '../../sandbox/block-kit-limits.ts';
import { type Database, rows } from '../../src/db/client.ts';
import { createAccess, NOT_A_READER } from '../../src/slack/access.ts';
import { createHomeRefresher, publishHome } from '../../src/slack/events/app-home.ts';
import { freshDatabase } from '../helpers/database.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const CSM = 'U0CSM00001';
const LEAD = 'U0CSLEAD01';
const T0 = new Date('2026-03-09T09:00:00Z');

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackDouble>>;
let double: SlackDouble;
let client: WebClient;
let now = T0;
const deps = () => ({
  db,
  clock: () => now,
  logger: pino({ level: 'silent' }),
  config: { timezone: 'UTC', csLeads: [LEAD], grossMargin: '1' },
});
/** CS_TEAM unset: every member of the workspace reads; external people and guests do not. */
const access = createAccess({}, deps());
const homeText = (user: string) => JSON.stringify(double.homeViews(user).at(-1)?.blocks ?? []);

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  slack = await startSlackDouble();
  double = slack.double;
  client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  // 150 accounts for the lead's portfolio; the CSM owns three of them.
  await db.orm.execute(sql`
    insert into accounts (id, key, name, owner_slack_id)
    select i, 'acct-' || lpad(i::text, 3, '0'), 'Account ' || i, case when i <= 3 then ${CSM} end
    from generate_series(1, 150) i`);
  await db.orm.execute(sql`
    insert into account_health (account_id, score, band, components, computed_at)
    select i, 30 + i % 70, case when 30 + i % 70 <= 50 then 'red' when 30 + i % 70 <= 75 then 'yellow' else 'green' end,
      '[]', ${T0.toISOString()}
    from generate_series(1, 150) i`);
  await db.orm.execute(sql`
    insert into health_snapshots (account_id, day, score, band, components) values (1, '2026-03-02', 60, 'yellow', '[]')`);
});

afterAll(async () => {
  await slack.close();
  await database.drop();
});

describe('App Home', () => {
  it('shows a CSM their own accounts worst first, with the 7-day trend and a menu per account', async () => {
    await publishHome(deps(), access, client, CSM);
    const text = homeText(CSM);
    expect(text).toContain('3 active accounts');
    expect(text.indexOf('Account 1*')).toBeLessThan(text.indexOf('Account 3*'));
    expect(text).toContain('31/100 red ↓ −29 in 7 days');
    expect(text).not.toContain('Account 4*');
    expect(viewProblems(double.homeViews(CSM).at(-1))).toEqual([]);
  });

  it('shows a CS lead the worst of the whole portfolio within the view limits', async () => {
    await publishHome(deps(), access, client, LEAD);
    const home = double.homeViews(LEAD).at(-1)!;
    expect(JSON.stringify(home.blocks)).toContain('150 active accounts');
    expect(JSON.stringify(home.blocks)).toContain('Accounts 1–25 of 150.');
    expect(JSON.stringify(home.blocks)).toContain('"text":"Next 25"');
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    expect(viewProblems(home)).toEqual([]);
  });

  it('pages the accounts by 25: the last page offers the first one again', async () => {
    await publishHome(deps(), access, client, LEAD, 125);
    const last = JSON.stringify(double.homeViews(LEAD).at(-1)!.blocks);
    expect(last).toContain('Accounts 126–150 of 150.');
    expect(last).not.toContain('Next 25');
    expect(last).toContain('"text":"First 25"},"value":"0"');
    await publishHome(deps(), access, client, LEAD, 25);
    expect(JSON.stringify(double.homeViews(LEAD).at(-1)!.blocks)).toContain('"text":"Next 25"},"value":"50"');
  });

  it('rolls the portfolio up by CSM for a CS lead: accounts, ARR, bands, NRR last month, open incidents', async () => {
    // The CSM's account 1 grew from 100 to 110 a month in February (NRR 1.1); account 2 bills 50 a month now.
    await db.orm.execute(sql`update accounts set mrr = 110 where id = 1`);
    await db.orm.execute(sql`update accounts set mrr = 50 where id = 2`);
    await db.orm.execute(sql`
      insert into account_mrr_changes (account_id, at, mrr, currency, source) values
        (1, '2026-01-10T00:00:00Z', 100, 'USD', 'api'), (1, '2026-02-10T00:00:00Z', 110, 'USD', 'api')`);
    await publishHome(deps(), access, client, LEAD);
    const home = double.homeViews(LEAD).at(-1)!;
    const text = JSON.stringify(home.blocks);
    expect(text).toContain(
      `<@${CSM}> · 3 accounts · ARR $1,920.00 · :red_circle: 3 · NRR last month 110.0% · 0 open incidents`,
    );
    expect(text).toContain('_no owner_ · 147 accounts · ARR $0.00');
    expect(viewProblems(home)).toEqual([]);
    await publishHome(deps(), access, client, CSM);
    expect(homeText(CSM)).not.toContain('By CSM');
    await db.orm.execute(sql`delete from account_mrr_changes`);
    await db.orm.execute(sql`update accounts set mrr = null`);
  });

  it('republishes a remembered Home when its data changed, and only then', async () => {
    const refresher = createHomeRefresher(deps(), access, client);
    refresher.remember(CSM, (await publishHome(deps(), access, client, CSM))!);
    const published = () => double.homeViews(CSM).length;
    const before = published();

    now = new Date(+T0 + 60_000);
    await refresher.sweep();
    expect(published()).toBe(before);

    // A recomputation changes one of the CSM's accounts.
    now = new Date(+T0 + 120_000);
    await db.orm.execute(
      sql`update account_health set score = 20, computed_at = ${now.toISOString()} where account_id = 2`,
    );
    now = new Date(+T0 + 180_000);
    await refresher.sweep();
    expect(published()).toBe(before + 1);
    expect(homeText(CSM)).toContain('20/100 red');

    // Another account changed, not one of the CSM's: their Home shows the same, nothing is published.
    await db.orm.execute(
      sql`update account_health set score = 99, computed_at = ${new Date(+now + 1).toISOString()} where account_id = 100`,
    );
    now = new Date(+T0 + 240_000);
    await refresher.sweep();
    expect(published()).toBe(before + 1);
  });

  it('keeps refreshing the others when Slack refuses one remembered Home', async () => {
    const refresher = createHomeRefresher(deps(), access, client);
    refresher.remember(CSM, (await publishHome(deps(), access, client, CSM))!);
    // The most recent opener is swept first; Slack no longer knows them.
    refresher.remember('U0GONE0001', 'what they were shown');
    const published = () => double.homeViews(CSM).length;
    const before = published();

    now = new Date(+T0 + 300_000);
    await db.orm.execute(
      sql`update account_health set score = 25, computed_at = ${now.toISOString()} where account_id = 3`,
    );
    now = new Date(+T0 + 360_000);
    await refresher.sweep();
    expect(published()).toBe(before + 1);
    expect(homeText(CSM)).toContain('25/100 red');
  });

  it('republishes a remembered Home when one of its incidents is assigned to someone else', async () => {
    now = new Date(+T0 + 400_000);
    const [incident] = await rows<{ id: number }>(
      db.orm,
      sql`insert into incidents (account_id, channel, created_at) values (2, 'C0CSALERTS', ${now.toISOString()}) returning id`,
    );
    const [alert] = await rows<{ id: number }>(
      db.orm,
      sql`insert into alerts (account_id, kind, dedupe_key, detail, incident_id, created_at)
        values (2, 'detractor', 'detractor:survey:home', ${JSON.stringify({ headline: 'Ana answered 3', facts: [] })}::jsonb,
          ${incident!.id}, ${now.toISOString()}) returning id`,
    );
    const refresher = createHomeRefresher(deps(), access, client);
    refresher.remember(CSM, (await publishHome(deps(), access, client, CSM))!);
    expect(homeText(CSM)).toContain(`owned by <@${CSM}>`);
    const before = double.homeViews(CSM).length;

    // Assigned as the Assign select does: the incident's owner and the audit, nothing else.
    now = new Date(+T0 + 460_000);
    await db.orm.execute(
      sql`update incidents set assignee_slack_id = 'U0CSM00099' where id = ${incident!.id}`,
    );
    await db.orm.execute(
      sql`insert into alert_actions (alert_id, user_id, action, detail, at)
        values (${alert!.id}, ${CSM}, 'assigned', '{"to":"U0CSM00099"}'::jsonb, ${now.toISOString()})`,
    );
    now = new Date(+T0 + 520_000);
    await refresher.sweep();
    expect(double.homeViews(CSM).length).toBe(before + 1);
    expect(homeText(CSM)).not.toContain('Ana answered 3');
    await db.orm.execute(sql`delete from incidents where id = ${incident!.id}`);
  });
});

describe('App Home of someone who may not read account data', () => {
  const EXTERNAL = 'U0ACME0001';
  const GUEST = 'U0GUEST001';
  /** CS_LEADS names them by mistake: their Home would be the whole portfolio. */
  const leadsByMistake = () => ({
    ...deps(),
    config: { timezone: 'UTC', csLeads: [EXTERNAL, GUEST], grossMargin: '1' },
  });

  it('shows an external person or a guest only why, even when CS_LEADS names them', async () => {
    for (const user of [EXTERNAL, GUEST]) {
      expect(await publishHome(leadsByMistake(), access, client, user)).toBeUndefined();
      expect(homeText(user)).toContain(NOT_A_READER);
      expect(homeText(user)).not.toMatch(/Account \d|\/100/);
    }
  });

  it('never refreshes account data onto their Home, and forgets them', async () => {
    const refresher = createHomeRefresher(leadsByMistake(), access, client);
    // Remembered while they could read (before CS_TEAM changed, say): the next sweep finds them refused.
    refresher.remember(EXTERNAL, 'the portfolio they were shown');
    const published = () => double.homeViews(EXTERNAL).length;
    const before = published();
    const change = async (score: number, at: number) => {
      now = new Date(+T0 + at);
      await db.orm.execute(
        sql`update account_health set score = ${score}, computed_at = ${now.toISOString()} where account_id = 5`,
      );
      now = new Date(+T0 + at + 60_000);
      await refresher.sweep();
    };
    await change(10, 600_000);
    expect(published()).toBe(before + 1);
    expect(homeText(EXTERNAL)).toContain(NOT_A_READER);
    expect(homeText(EXTERNAL)).not.toMatch(/Account \d|\/100/);
    await change(11, 720_000);
    expect(published()).toBe(before + 1);
  });
});
