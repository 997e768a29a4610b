import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/domain/timeline.ts';
import { slackDate } from '../../src/slack/blocks/format.ts';
import { eventLine, lastTouchLine, noteModal, timelineBlocks } from '../../src/slack/blocks/timeline.ts';
import { NOTE } from '../../src/slack/constants.ts';

const at = new Date('2026-12-01T09:30:00Z');

describe('timeline lines', () => {
  it('writes one line per kind of event, escaping every value from data', () => {
    const lines = (
      [
        { kind: 'note', at, text: '<!channel> *big*\nnews', author: 'U0ANA00001', permalink: 'https://x/p1' },
        { kind: 'note', at, text: 'deploy done', author: 'Deploy <Bot>', permalink: null },
        { kind: 'alert_raised', at, alertKind: 'billing', headline: 'payment_failed' },
        { kind: 'alert_raised', at, alertKind: 'fell_fast', headline: null },
        {
          kind: 'alert_resolved',
          at,
          alertKind: 'detractor',
          headline: 'NPS 2 from <Ana>',
          by: 'pulse',
          note: null,
        },
        {
          kind: 'alert_resolved',
          at,
          alertKind: 'billing',
          headline: 'payment_failed',
          by: 'U0BEN00001',
          note: 'Paid & done',
        },
        { kind: 'survey_answer', at, survey: 'csat', score: 2, comment: '_slow_', contact: 'Ana <CEO>' },
        { kind: 'milestone', at, title: 'Go-live *1*' },
        { kind: 'review_held', at, review: 'rts' },
        { kind: 'billing', at, type: 'invoice_paid', amount: '99.50', currency: 'EUR' },
        { kind: 'billing', at, type: 'card_expiring', amount: null, currency: null },
        { kind: 'owner_change', at, from: null, to: 'U0ANA00001' },
        { kind: 'owner_change', at, from: 'U0ANA00001', to: 'U0BEN00001' },
        { kind: 'owner_change', at, from: 'U0BEN00001', to: null },
      ] satisfies TimelineEvent[]
    ).map((e) => eventLine(e, 'en'));
    expect(lines).toEqual([
      ':memo: Note by <@U0ANA00001>: “&lt;!channel&gt; \u2217big\u2217 news” <https://x/p1|view message>',
      ':memo: Note by Deploy &lt;Bot&gt;: “deploy done”',
      ':rotating_light: Alert raised: Payment failed',
      ':rotating_light: Alert raised: Health fell fast',
      ':white_check_mark: Alert resolved by Pulse: NPS 2 from &lt;Ana&gt;',
      ':white_check_mark: Alert resolved by <@U0BEN00001>: Payment failed — “Paid &amp; done”',
      ':speech_balloon: CSAT 2 from Ana &lt;CEO&gt;: “\u02cdslow\u02cd”',
      ':tada: Milestone reached: *Go-live \u22171\u2217*',
      ':handshake: Success review (RTS) held',
      ':credit_card: Invoice paid, €99.50',
      ':credit_card: Card expiring',
      ':bust_in_silhouette: Owner set to <@U0ANA00001>',
      ':bust_in_silhouette: Owner changed from <@U0ANA00001> to <@U0BEN00001>',
      ':bust_in_silhouette: Owner removed (was <@U0BEN00001>)',
    ]);
  });

  it('dates each line with Slack’s date token, its fallback in the zone given', () => {
    expect(slackDate(at, 'America/Sao_Paulo')).toBe(
      '<!date^1796117400^{date_short_pretty} {time}|2026-12-01 06:30 GMT-3>',
    );
    const blocks = timelineBlocks(
      { key: 'acme', name: 'Acme *Corp*' },
      [{ kind: 'review_held', at, review: 'rms' }],
      'UTC',
      'en',
    );
    expect(JSON.stringify(blocks)).toContain('*Timeline of Acme \u2217Corp\u2217* (`acme`)');
    expect(JSON.stringify(blocks)).toContain(
      `${slackDate(at, 'UTC')} · :handshake: Success review (RMS) held`,
    );
  });

  it('keeps twenty long notes within Block Kit’s section limit', () => {
    const events = Array.from({ length: 20 }, () => ({
      kind: 'note' as const,
      at,
      text: 'x'.repeat(5_000),
      author: 'U0ANA00001',
      permalink: `https://pulse-sandbox.slack.com/archives/C0ACMESHRD/p${'1'.repeat(16)}`,
    }));
    const blocks = timelineBlocks({ key: 'acme', name: 'Acme' }, events, 'UTC', 'en');
    for (const block of blocks)
      expect((block as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(blocks).match(/:memo:/g)).toHaveLength(20);
  });

  it('says the last touch, or that there is none', () => {
    const now = new Date(+at + 3 * 86_400_000);
    expect(lastTouchLine({ author: 'U0ANA00001', at }, now, 'en')).toBe(
      'Last note 3 days ago by <@U0ANA00001>.',
    );
    expect(lastTouchLine(null, now, 'en')).toBe('No notes yet.');
  });
});

describe('the "Log to account" modal', () => {
  const source = { channel: 'C0ACME', ts: '1796117400.000100', author: 'U0ANA00001' };
  const element = (view: ReturnType<typeof noteModal>, block: string) =>
    (view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>).find(
      (b) => b.block_id === block,
    )!.element!;

  it('offers a menu with the channel’s account picked, and carries the message in private_metadata', () => {
    const view = noteModal({
      locale: 'en',
      source,
      text: 'hello',
      accounts: [
        { key: 'acme', name: 'Acme' },
        { key: 'globex', name: 'G'.repeat(100) },
      ],
      typed: false,
      preselected: { key: 'acme', name: 'Acme' },
    });
    expect(view.callback_id).toBe(NOTE.modal);
    expect(JSON.parse(view.private_metadata!)).toEqual(source);
    const menu = element(view, NOTE.accountBlock);
    expect(menu).toMatchObject({ type: 'static_select', initial_option: { value: 'acme' } });
    expect((menu.options as Array<{ text: { text: string } }>)[1]!.text.text).toHaveLength(75);
    expect(element(view, NOTE.textBlock)).toMatchObject({ initial_value: 'hello', max_length: 3000 });
  });

  it('asks for the account typed when the portfolio does not fit a menu, and leaves an empty text empty', () => {
    const view = noteModal({
      locale: 'en',
      source,
      text: ' ',
      accounts: [],
      typed: true,
      preselected: { key: 'acme', name: 'Acme' },
    });
    expect(element(view, NOTE.accountBlock)).toMatchObject({
      type: 'plain_text_input',
      initial_value: 'acme',
    });
    expect(element(view, NOTE.textBlock).initial_value).toBeUndefined();
  });
});
