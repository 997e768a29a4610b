import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { BillingFlag } from '../../src/domain/billing-flags.ts';
import { computeHealth } from '../../src/domain/health.ts';
import { alertHeadline } from '../../src/slack/blocks/alert.ts';
import {
  type HealthCardData,
  healthCardBlocks,
  healthCardText,
  undeliveredLine,
} from '../../src/slack/blocks/health-card.ts';

const now = new Date('2026-11-23T12:00:00Z');

const failedPayment: BillingFlag = {
  externalId: 'in_1',
  type: 'payment_failed',
  occurredAt: new Date('2026-11-20T10:00:00Z'),
  amount: '1200.00',
  currency: 'USD',
  dueDate: '2026-11-30',
  cardExpiresAt: null,
};

const health = computeHealth({
  seats: 40,
  usage: { activeUsersRecent: 14, activeUsersPrevious: 20, loginsRecent: null, loginsPrevious: null },
  support: { openTickets: 3, longOpenTickets: 1 },
  billing: {
    hasHistory: true,
    openFlags: [failedPayment],
  },
  relationship: { contacts: 3, champions: 1 },
  outcomes: null,
  sentiment: null,
});

const card = (over: Partial<HealthCardData> = {}): HealthCardData => ({
  account: {
    key: 'acme',
    name: 'Acme Corp',
    tier: 'high_touch',
    stage: 'adoption',
    status: 'active',
    mrr: '4500.00',
    currency: 'USD',
    ownerSlackId: 'U0CSM01',
    renewalDate: '2027-01-31',
  },
  score: health.score,
  band: health.band,
  change7d: -6,
  change30d: -12,
  weekly: [80, 78, 75, 70, 68, 66, 64, health.score],
  components: health.components,
  openFlags: [failedPayment],
  dataAsOf: new Date('2026-11-23T06:00:00Z'),
  ...over,
});

const text = (blocks: KnownBlock[]) =>
  blocks
    .flatMap((b) => {
      const s = b as SectionBlock & { elements?: Array<{ text?: string }> };
      return [s.text?.text, ...(s.fields ?? []).map((f) => f.text), ...(s.elements ?? []).map((e) => e.text)];
    })
    .filter(Boolean)
    .join('\n');

describe('health card', () => {
  // usage: level 100·14/40/0.7 = 50, trend 100 + 250·(−0.3) = 25 → 38; support 100 − 30 − 10 = 60;
  // billing 20 (payment failed); relationship 100. Score (30·38 + 15·60 + 15·20 + 10·100) / 70 = 47.71 → 48.
  it('shows the score as NN/100 and its band, computed by hand', () => {
    expect(health.score).toBe(48);
    expect(healthCardText(card(), 'en')).toBe('Acme Corp: 48/100 red');
    expect(text(healthCardBlocks(card(), { now, timezone: 'UTC', locale: 'en' }))).toContain(
      '*48/100 red* ↓',
    );
  });

  it('names the component pulling the score down most first and marks missing ones "no data"', () => {
    const body = text(healthCardBlocks(card(), { now, timezone: 'UTC', locale: 'en' }));
    const lines = body.split('\n').filter((l) => l.startsWith('• *'));
    expect(lines.slice(0, 6)).toEqual([
      '• *Usage* 38/100 — 14 active users a day of 40 seats, −30% vs the 4 weeks before',
      '• *Billing* 20/100 — 1 open billing flag',
      '• *Support* 60/100 — 3 open tickets, 1 open for 14+ days',
      '• *Relationship* 100/100 — 1 champion in place',
      '• *Outcomes* _no data_',
      '• *Sentiment* _no data_',
    ]);
  });

  it('shows tier, owner as a mention, MRR, renewal, trend and open billing flags', () => {
    const body = text(healthCardBlocks(card(), { now, timezone: 'UTC', locale: 'en' }));
    expect(body).toContain('*Tier*\nhigh-touch · adoption');
    expect(body).toContain('*Owner*\n<@U0CSM01>');
    expect(body).toContain('*MRR*\n$4,500.00');
    expect(body).toContain('*Renewal*\nSun 31 Jan 2027');
    expect(body).toContain('7 days −6 · 30 days −12');
    expect(body).toContain('• *Payment failed* · $1,200.00 · due Mon 30 Nov 2026 · since Fri 20 Nov 2026');
  });

  it('says how fresh the data is, and warns when it is stale or missing', () => {
    expect(text(healthCardBlocks(card(), { now, timezone: 'UTC', locale: 'en' }))).toContain(
      'Data as of <!date^1795413600^{date_short_pretty} {time}|2026-11-23 06:00 UTC> (6 hours ago).',
    );
    const stale = text(
      healthCardBlocks(card({ dataAsOf: new Date('2026-11-01T00:00:00Z') }), {
        now,
        timezone: 'UTC',
        locale: 'en',
      }),
    );
    expect(stale).toContain(
      ':warning: No fresh data since <!date^1793491200^{date_short_pretty} {time}|2026-11-01 00:00 UTC>',
    );
    const none = text(
      healthCardBlocks(card({ dataAsOf: null, score: null, band: null }), {
        now,
        timezone: 'UTC',
        locale: 'en',
      }),
    );
    expect(none).toContain('No data received for this account yet.');
    expect(none).toContain('*no data*');
  });

  it("writes instants as Slack's date token, its fallback in the configured zone, and a meeting in its own zone too", () => {
    const body = text(healthCardBlocks(card(), { now, timezone: 'America/Sao_Paulo', locale: 'en' }));
    expect(body).toContain('Data as of <!date^1795413600^{date_short_pretty} {time}|2026-11-23 03:00 GMT-3>');
    const review = text(
      healthCardBlocks(
        card({ nextReviewAt: new Date('2026-12-15T17:30:00Z'), nextReviewZone: 'America/Phoenix' }),
        {
          now,
          locale: 'en',
          timezone: 'UTC',
        },
      ),
    );
    expect(review).toContain(
      'Next success review: <!date^1797355800^{date_short_pretty} {time}|2026-12-15 10:30 MST> (10:30 America/Phoenix)',
    );
  });

  it('reads in Portuguese for a pt-BR reader, with the same figures written the Brazilian way', () => {
    expect(healthCardText(card(), 'pt-BR')).toBe('Acme Corp: 48/100 vermelho');
    const body = text(healthCardBlocks(card(), { now, timezone: 'UTC', locale: 'pt-BR' }));
    expect(body).toContain('*48/100 vermelho*');
    expect(body).toContain('*Responsável*');
    expect(body).toContain('US$\u00a04.500,00');
    expect(body).toContain('dom., 31 de jan. de 2027');
    expect(body).not.toContain('*Owner*');
  });

  it('stays within Block Kit limits', () => {
    const blocks = healthCardBlocks(card({ account: { ...card().account, name: 'X'.repeat(400) } }), {
      now,
      timezone: 'UTC',
      locale: 'en',
    });
    expect(blocks.length).toBeLessThanOrEqual(50);
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
  });
  describe('alerts that could not be posted', () => {
    const section = (c: HealthCardData) =>
      healthCardBlocks(c, { now, timezone: 'UTC', locale: 'en' })
        .map((b) => (b as SectionBlock).text?.text ?? '')
        .find((t) => t.includes('could not be posted'));

    it('is absent when every alert was delivered', () => {
      expect(section(card())).toBeUndefined();
      expect(section(card({ undeliveredAlerts: [] }))).toBeUndefined();
    });

    it('lists each alert with the reason in plain words and what to do', () => {
      const undeliveredAlerts = [
        {
          headline: 'Payment failed: $1,200.00, due Mon 30 Nov 2026',
          error: 'not_in_channel',
          channel: 'C0INITECHS',
        },
        {
          headline: 'Health entered red: 48/100',
          error: 'server_error (after 8 attempts)',
          channel: 'C0CSALERTS',
        },
      ];
      expect(section(card({ undeliveredAlerts }))).toBe(
        [
          ':warning: *2 alerts could not be posted*',
          '• *Payment failed: $1,200.00, due Mon 30 Nov 2026*: Pulse is not a member of the channel: invite it with /invite @pulse in <#C0INITECHS>',
          '• *Health entered red: 48/100*: Slack answered `server_error (after 8 attempts)` in <#C0CSALERTS>',
        ].join('\n'),
      );
    });

    it('shows five and counts the rest', () => {
      const undeliveredAlerts = Array.from({ length: 8 }, (_, i) => ({
        headline: `Alert ${i + 1}`,
        error: 'channel_not_found',
        channel: null,
      }));
      const lines = section(card({ undeliveredAlerts }))!.split('\n');
      expect(lines[0]).toBe(':warning: *8 alerts could not be posted*');
      expect(lines.slice(1, 6).map((l) => l.split('*')[1])).toEqual([
        'Alert 1',
        'Alert 2',
        'Alert 3',
        'Alert 4',
        'Alert 5',
      ]);
      expect(lines[1]).toBe(
        '• *Alert 1*: the channel does not exist or Pulse cannot see it: check the account’s channel ID',
      );
      expect(lines.slice(6)).toEqual(['…and 3 more']);
    });

    it('shows a red flag headline as its alert did, escaped once, and Slack’s own words as code', () => {
      const headline = alertHeadline({
        kind: 'red_flag',
        redFlag: { kind: 'detractor', headline: 'Ana <Souza> & co answered 3', facts: [] },
      });
      const one = [{ headline, error: 'weird`<!here>', channel: null }];
      expect(section(card({ undeliveredAlerts: one }))!.split('\n')[1]).toBe(
        '• *NPS detractor: Ana &lt;Souza&gt; &amp; co answered 3*: Slack answered `weirdˋ&lt;!here&gt;`',
      );
    });

    it('says when Pulse itself refused the post, a channel being shared outside the workspace', () => {
      const refused = [
        {
          headline: 'Card expiring',
          error: 'refused: C0ACMESHRD is shared outside the workspace',
          channel: 'C0ACMESHRD',
        },
      ];
      expect(section(card({ undeliveredAlerts: refused }))!.split('\n')[1]).toBe(
        '• *Card expiring*: Pulse did not post it: <#C0ACMESHRD> is shared outside the workspace',
      );
      const both = [
        {
          headline: 'Card expiring',
          error:
            'refused: C0ACMESHRD is shared outside the workspace (fallback: could not tell whether C0ALERTS is shared outside the workspace (missing_scope))',
          channel: 'C0ACMESHRD',
        },
      ];
      expect(undeliveredLine(both[0]!, 'pt-BR')).toBe(
        '• *Card expiring*: O Pulse não o publicou: <#C0ACMESHRD> é compartilhado fora do workspace; nem no canal alternativo: o Slack não soube dizer se <#C0ALERTS> é compartilhado fora do workspace (`missing_scope`)',
      );
    });

    it('says "1 alert" for one', () => {
      const one = [{ headline: 'Card expiring', error: 'is_archived', channel: 'C1' }];
      expect(section(card({ undeliveredAlerts: one }))!.split('\n')[0]).toBe(
        ':warning: *1 alert could not be posted*',
      );
    });
  });

  describe('an account whose channel is shared with the customer', () => {
    const note = (c: HealthCardData) =>
      healthCardBlocks(c, { now, timezone: 'UTC', locale: 'en' })
        .map((b) => (b as SectionBlock).text?.text ?? '')
        .find((t) => t.startsWith(':lock:'));

    it('says its alerts go to the alert channel', () => {
      expect(note(card({ sharedChannel: { channel: 'C0ACMESHRD', alertChannel: 'C0CSALERTS' } }))).toBe(
        ":lock: <#C0ACMESHRD> is shared with the customer, so this account's alerts go to <#C0CSALERTS>.",
      );
      expect(note(card({ sharedChannel: { channel: 'C0ACMESHRD' } }))).toBe(
        ':lock: <#C0ACMESHRD> is shared with the customer, so Pulse posts no alerts of this account there; set CS_ALERT_CHANNEL to receive them.',
      );
    });

    it('says nothing when its channel is internal', () => {
      expect(note(card())).toBeUndefined();
    });
  });
});
