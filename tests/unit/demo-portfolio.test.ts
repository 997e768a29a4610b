import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_HISTORY_DAYS, type DemoMetricPoint, demoPortfolio } from '../../demo/generate.ts';
import { DEMO_CS_LEAD, DEMO_CSMS, DEMO_OUTSIDER, DEMO_WORKSPACE } from '../../demo/workspace.ts';
import { ACCOUNT_STATUSES, STAGES, TIERS } from '../../src/domain/accounts.ts';
import type { IngestKind } from '../../src/domain/ingestion.ts';
import { parseBatch } from '../../src/domain/ingestion-batch.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const portfolio = demoPortfolio(NOW);
const slackId = /^[A-Z][A-Z0-9]+$/;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('demoPortfolio', () => {
  it('is deterministic: the same now gives the same objects, without Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    expect(demoPortfolio(new Date(+NOW))).toEqual(portfolio);
    expect(random).not.toHaveBeenCalled();
  });

  it('tells the same story on any day: six weeks later, the same values relative to now', () => {
    // Whole weeks, because weekends fall on real weekends.
    const later = demoPortfolio(new Date(+NOW + 42 * DAY + 5 * 3_600_000));
    const relative = (points: DemoMetricPoint[], now: Date) =>
      points.map((p) => [p.account, p.metric, Math.round((+now - Date.parse(p.at)) / DAY), p.value]);
    expect(relative(later.metrics, new Date(+NOW + 42 * DAY))).toEqual(relative(portfolio.metrics, NOW));
  });

  it('has 30 accounts with unique keys, every tier, every stage, three currencies and one churned', () => {
    const { accounts } = portfolio;
    expect(accounts).toHaveLength(30);
    expect(new Set(accounts.map((a) => a.key)).size).toBe(30);
    expect(new Set(accounts.map((a) => a.tier))).toEqual(new Set(TIERS));
    expect(new Set(accounts.map((a) => a.stage))).toEqual(new Set(STAGES));
    expect(new Set(accounts.map((a) => a.status))).toEqual(new Set(ACCOUNT_STATUSES));
    expect(accounts.filter((a) => a.status === 'churned').map((a) => a.key)).toEqual(['sterling']);
    expect(new Set(accounts.map((a) => a.currency))).toEqual(new Set(['USD', 'BRL', 'EUR']));
    expect(accounts.filter((a) => a.locale === 'pt-BR').map((a) => a.key)).toEqual([
      'tabajara',
      'capivara',
      'jabuti',
      'tucano',
      'pindorama',
    ]);
    expect(accounts.map((a) => a.key)).toContain('acme');
  });

  it('spreads the accounts over the four CSMs, and names channels that exist in the workspace', () => {
    const perOwner = new Map<string, number>();
    for (const a of portfolio.accounts)
      perOwner.set(a.owner_slack_id!, (perOwner.get(a.owner_slack_id!) ?? 0) + 1);
    expect(Object.fromEntries(perOwner)).toEqual({
      [DEMO_CSMS.ana.id]: 7,
      [DEMO_CSMS.marcus.id]: 8,
      [DEMO_CSMS.priya.id]: 8,
      [DEMO_CSMS.jonas.id]: 7,
    });
    const channels = new Set(DEMO_WORKSPACE.channels.map((c) => c.id));
    const named = portfolio.accounts.filter((a) => a.channel_id);
    expect(named.map((a) => a.key)).toEqual(['globex', 'hooli', 'stark', 'wayne']);
    for (const a of named) expect(channels.has(a.channel_id!)).toBe(true);
  });

  it('dates contracts and renewals from now: acme started 500 days ago and renews on its anniversary', () => {
    const acme = portfolio.accounts.find((a) => a.key === 'acme')!;
    expect(acme.contract_start).toBe('2024-10-26');
    expect(acme.renewal_date).toBe('2026-10-26');
    const umbrella = portfolio.accounts.find((a) => a.key === 'umbrella')!;
    expect(umbrella.renewal_date).toBe('2026-04-19');
    for (const a of portfolio.accounts) expect(a.renewal_date! > '2026-03-10').toBe(true);
  });

  it('gives every contact an existing account, and Slack IDs of the demo workspace', () => {
    const keys = new Set(portfolio.accounts.map((a) => a.key));
    const users = new Map(DEMO_WORKSPACE.users.map((u) => [u.id, u]));
    expect(portfolio.contacts).toHaveLength(49);
    for (const c of portfolio.contacts) {
      expect(keys.has(c.account)).toBe(true);
      if (c.slack_user_id) expect(users.get(c.slack_user_id)?.accountKey).toBe(c.account);
    }
    expect(portfolio.contacts.filter((c) => c.slack_user_id)).toHaveLength(15);
    const withChampion = new Set(
      portfolio.contacts.filter((c) => c.role === 'champion').map((c) => c.account),
    );
    // The champion left initech; jabuti has none yet; virtucon only has a billing contact.
    expect([...keys].filter((k) => !withChampion.has(k))).toEqual(['initech', 'virtucon', 'jabuti']);
  });

  it("meets the e-commerce model's goals as each story tells: 5 of 5 thriving, 3 in difficulty, 2 or fewer at risk", () => {
    // The five goals of sandbox/health-models/e-commerce.yaml over their windows, as the store aggregates them.
    const inWindow = (key: string, metric: string, days: number) =>
      portfolio.metrics.filter(
        (m) => m.account === key && m.metric === metric && +NOW - Date.parse(m.at) < days * DAY,
      );
    const sum = (points: DemoMetricPoint[]) => points.reduce((a, p) => a + p.value, 0);
    const met = (key: string) => {
      const sales = inWindow(key, 'sales', 30);
      return [
        inWindow(key, 'logins', 30).filter((p) => p.value >= 1).length / 30 >= 0.9,
        sales.length > 0 && sum(sales) / sales.length >= 1,
        inWindow(key, 'invoice_errors', 30).length > 0 && sum(inWindow(key, 'invoice_errors', 30)) <= 0,
        inWindow(key, 'reports_generated', 31).length >= 1,
        sum(inWindow(key, 'products_announced', 30)) >= 1,
      ];
    };
    const active = portfolio.accounts.filter((a) => a.status === 'active' && a.stage !== 'onboarding');
    const meeting = (n: number) =>
      active.filter((a) => met(a.key).filter(Boolean).length === n).map((a) => a.key);
    expect(meeting(5)).toEqual([
      'globex',
      'hooli',
      'wayne',
      'wonka',
      'tyrell',
      'massive',
      'vandelay',
      'dunder',
      'nakatomi',
      'nordwind',
      'capivara',
      'tucano',
    ]);
    expect(meeting(4)).toEqual(['initech']);
    expect(meeting(3)).toEqual(['acme', 'stark', 'soylent', 'zorg', 'tabajara', 'pindorama', 'prestige']);
    expect([...meeting(2), ...meeting(1)].sort()).toEqual([
      'bluth',
      'cyberdyne',
      'oscorp',
      'umbrella',
      'virtucon',
    ]);
    // The at-risk sell less: under one sale a day over the month.
    for (const key of ['bluth', 'cyberdyne', 'oscorp', 'umbrella', 'virtucon'])
      expect(met(key)[1], key).toBe(false);
    // Onboarding accounts are judged on their first two goals: logging in and selling; jabuti sells nothing.
    const onboarding = portfolio.accounts.filter((a) => a.stage === 'onboarding');
    expect(onboarding.map((a) => [a.key, met(a.key).slice(0, 2)])).toEqual([
      ['aperture', [true, true]],
      ['lumiere', [true, true]],
      ['jabuti', [true, false]],
      ['piedpiper', [true, true]],
    ]);
  });

  it('holds 90 days of daily metrics ending the day before now, reports only on the days made', () => {
    const { metrics } = portfolio;
    // 24 accounts with the full 90 days; onboarding ones since their contract start (aperture 50, lumiere 40,
    // jabuti 60, piedpiper 35); initech silent for 21 days (69 days); sterling silent since churning (55).
    const days = 24 * DEMO_HISTORY_DAYS + 50 + 40 + 60 + 35 + 69 + 55;
    const daily = ['active_users', 'logins', 'tickets_open', 'sales', 'invoice_errors', 'products_announced'];
    expect(metrics.filter((m) => daily.includes(m.metric))).toHaveLength(days * daily.length);
    expect(metrics.filter((m) => !daily.includes(m.metric)).map((m) => m.metric)).toEqual(
      expect.arrayContaining(['reports_generated']),
    );
    expect(new Set(metrics.map((m) => m.metric)).size).toBe(daily.length + 1);
    const stamps = metrics.map((m) => m.at).sort();
    expect(stamps[0]).toBe('2025-12-10T23:59:59.000Z');
    expect(stamps.at(-1)).toBe('2026-03-09T23:59:59.000Z');
    const seats = new Map(portfolio.accounts.map((a) => [a.key, a.seats!]));
    for (const m of metrics.filter((p) => p.metric === 'active_users')) {
      expect(m.value).toBeLessThanOrEqual(seats.get(m.account)!);
      expect(m.value).toBeGreaterThanOrEqual(0);
    }
    const initech = metrics
      .filter((m) => m.account === 'initech')
      .map((m) => m.at)
      .sort();
    expect(initech.at(-1)).toBe('2026-02-16T23:59:59.000Z');
  });

  it('follows the stories: acme falls by about a quarter in three weeks, umbrella collapses', () => {
    const average = (key: string, from: number, to: number) => {
      const values = portfolio.metrics
        .filter((m) => m.account === key && m.metric === 'active_users')
        .filter((m) => {
          const daysAgo = Math.ceil((+NOW - Date.parse(m.at)) / DAY);
          return daysAgo >= from && daysAgo <= to;
        })
        .map((m) => m.value);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    // acme: 72% of 120 seats until three weeks ago, then down to 46%.
    expect(average('acme', 29, 35)).toBeCloseTo(120 * 0.72, -1);
    expect(average('acme', 1, 7) / average('acme', 8, 35)).toBeCloseTo(0.76, 1);
    expect(average('umbrella', 1, 7) / average('umbrella', 8, 35)).toBeLessThan(0.5);
  });

  it('includes the billing stories', () => {
    const events = portfolio.billingEvents.map((e) => [e.account, e.type]);
    expect(events).toEqual([
      ['acme', 'invoice_paid'],
      ['acme', 'payment_failed'],
      ['globex', 'invoice_paid'],
      ['oscorp', 'invoice_overdue'],
      ['wayne', 'card_expiring'],
      ['soylent', 'subscription_downgraded'],
      ['dunder', 'payment_failed'],
      ['dunder', 'payment_succeeded'],
      ['virtucon', 'dispute_opened'],
      ['capivara', 'payment_succeeded'],
      ['sterling', 'subscription_canceled'],
    ]);
    const wayne = portfolio.billingEvents.find((e) => e.type === 'card_expiring')!;
    expect(wayne.card_expires_at).toBe('2026-03-24');
    const acme = portfolio.billingEvents.find((e) => e.account === 'acme' && e.type === 'payment_failed')!;
    expect(acme).toMatchObject({ amount: 14_400, currency: 'USD', occurred_at: '2026-03-04T10:00:00.000Z' });
    const ids = portfolio.billingEvents.map((e) => e.external_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('passes the ingestion schemas, every object of every kind', () => {
    const batches: Array<[IngestKind, unknown[]]> = [
      ['accounts', portfolio.accounts],
      ['contacts', portfolio.contacts],
      ['metrics', portfolio.metrics],
      ['billing-events', portfolio.billingEvents],
    ];
    for (const [kind, items] of batches) {
      const parsed = parseBatch(kind, items);
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    }
  });
});

describe('DEMO_WORKSPACE', () => {
  const { users, channels } = DEMO_WORKSPACE;

  it('has a CS team of four CSMs and a lead, an outsider, and customer people, all with unique Slack IDs', () => {
    expect(users.filter((u) => u.role === 'csm')).toHaveLength(4);
    expect(users.filter((u) => u.role === 'cs_lead')).toEqual([DEMO_CS_LEAD]);
    expect(users.filter((u) => u.role === 'outsider')).toEqual([DEMO_OUTSIDER]);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    for (const u of users) expect(u.id).toMatch(slackId);
    for (const u of users) expect(u.email).toMatch(/@[a-z]+\.example$/);
    expect(users.filter((u) => u.external).length).toBe(13);
    expect(users.filter((u) => u.guest).map((u) => u.accountKey)).toEqual(['wonka', 'tabajara']);
    expect(DEMO_WORKSPACE.team.id).toMatch(/^T0DEMO/);
  });

  it('has #cs-alerts, #cs-digest and a channel per customer in Slack with its CSM, champions and the bot', () => {
    expect(channels.find((c) => c.name === 'cs-alerts')?.id).toBe('C0ALERTS');
    expect(channels.find((c) => c.name === 'cs-digest')?.id).toBe('C0DIGEST');
    const acme = channels.find((c) => c.name === 'ext-acme')!;
    expect(acme).toMatchObject({ id: 'C0EXTACME', shared: true, accountKey: 'acme' });
    expect(acme.members).toEqual([DEMO_CSMS.marcus.id, 'U0ACME01', DEMO_WORKSPACE.bot.userId]);
    expect(channels.filter((c) => c.shared)).toHaveLength(11);
    // Champions who are guests meet their CSM in a channel of ours, not a Slack Connect one.
    expect(channels.find((c) => c.name === 'ext-wonka')).toMatchObject({
      members: [DEMO_CSMS.marcus.id, 'U0WONKA01', 'U0PULSEBOT'],
    });
    expect(channels.find((c) => c.name === 'ext-wonka')?.shared).toBeUndefined();
    expect(channels.find((c) => c.name === 'cs-alerts')?.members).toContain(DEMO_OUTSIDER.id);
    expect(DEMO_WORKSPACE.userGroups).toEqual([
      {
        id: 'S0CSTEAM1',
        handle: 'cs-team',
        name: 'Customer Success',
        users: ['U0CSM01', 'U0CSM02', 'U0CSM03', 'U0CSM04', 'U0CSLEAD1'],
      },
    ]);
    const ids = new Set(users.map((u) => u.id).concat(DEMO_WORKSPACE.bot.userId));
    for (const c of channels) {
      expect(c.id).toMatch(slackId);
      for (const m of c.members) expect(ids.has(m)).toBe(true);
    }
  });
});
