import { describe, expect, it } from 'vitest';
import { alertText } from '../../src/slack/blocks/alert.ts';
import { escapeMrkdwn, inlineCode } from '../../src/slack/blocks/format.ts';
import { celebrationMessage } from '../../src/slack/blocks/milestones.ts';

/** What Slack shows for escaped text: the three entities decoded, `&amp;` last, as its clients do. */
const shown = (mrkdwn: string) => mrkdwn.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Slack's control sequences, each of which would mention, link or format if it reached mrkdwn as is. */
const CONTROL = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0CSM00001>',
  '<#C0CSALERTS|cs-alerts>',
  '<!subteam^S0CSTEAM01>',
  '<!subteam^S0CSTEAM01|@cs-team>',
  '<!date^1392734382^{date_short}|Feb 18, 2014>',
  '<https://evil.example|click here>',
  '<mailto:someone@evil.example|mail>',
];

describe('escapeMrkdwn', () => {
  it.each(CONTROL)('leaves no control sequence in %s, and shows it as written', (sequence) => {
    const escaped = escapeMrkdwn(`Acme ${sequence} Corp`);
    expect(escaped).not.toMatch(/[<>]/);
    expect(escaped).toContain('&lt;');
    expect(shown(escaped)).toBe(`Acme ${sequence} Corp`);
  });

  it('escapes & itself, so an entity typed as text round-trips as text', () => {
    expect(escapeMrkdwn('Smith & Co')).toBe('Smith &amp; Co');
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
    expect(shown(escapeMrkdwn('&amp; &lt;!here&gt;'))).toBe('&amp; &lt;!here&gt;');
  });

  it('neutralises the formatting marks at word edges with look-alikes', () => {
    expect(escapeMrkdwn('*bold* _it_ ~s~ `code`')).toBe('∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ');
    expect(escapeMrkdwn('```block```')).toBe('ˋˋˋblockˋˋˋ');
    // A value cannot close the bold it is shown in, nor open one that runs on into the message.
    expect(`*${escapeMrkdwn('Acme* and *more')}*`).toBe('*Acme∗ and ∗more*');
  });

  it('keeps a mark between two letters or digits, where it formats nothing', () => {
    expect(escapeMrkdwn('acme_corp AT*T 3~4 São_Paulo')).toBe('acme_corp AT*T 3~4 São_Paulo');
    expect(escapeMrkdwn('a`b')).toBe('aˋb');
    expect(escapeMrkdwn('_lead trail_ x_ _y')).toBe('ˍlead trailˍ xˍ ˍy');
  });

  it('leaves emoji, accents and everything else untouched', () => {
    const text = 'Ação Comunicação Ltda. 🎉 :tada: — “quoted” @channel #general 100% $5 (ok) | ^x';
    expect(escapeMrkdwn(text)).toBe(text);
  });

  it('gives an empty string for an empty string', () => {
    expect(escapeMrkdwn('')).toBe('');
  });
});

describe('inlineCode', () => {
  it('keeps an error code as Slack wrote it, between backticks', () => {
    expect(inlineCode('not_in_channel')).toBe('`not_in_channel`');
  });

  it('escapes the control characters and cannot be closed early by a backtick', () => {
    expect(inlineCode('a`<!channel>` & b')).toBe('`aˋ&lt;!channel&gt;ˋ &amp; b`');
  });
});

describe('escaped once', () => {
  it('shows a name with & and < as written in both the text and the blocks of a message', () => {
    const message = celebrationMessage({ name: 'Q&A <!here> Ltd' }, 'Go-live & <b>', '2026-12-01', 'en');
    expect(message.text).toContain('Q&amp;A &lt;!here&gt; Ltd');
    expect(message.text).not.toContain('&amp;amp;');
    expect(shown(message.text)).toBe(
      ':tada: Q&A <!here> Ltd reached a milestone: *Go-live & <b>* (Tue 1 Dec 2026).',
    );
    expect(JSON.stringify(message.blocks)).toContain(JSON.stringify(message.text));
  });

  it('escapes a red flag headline once in the alert text, around the escaped name', () => {
    const text = alertText({
      id: 1,
      status: 'open',
      cause: {
        kind: 'red_flag',
        redFlag: { kind: 'detractor', headline: 'Ana <Souza> & co answered 3', facts: [] },
      },
      statusBy: null,
      statusAt: null,
      snoozedUntil: null,
      resolutionNote: null,
      account: {
        key: 'acme',
        name: 'Acme & <!channel>',
        tier: 'high_touch',
        mrr: null,
        currency: 'USD',
        ownerSlackId: null,
        renewalDate: null,
      },
      score: null,
      band: null,
      dataAsOf: null,
    });
    expect(text).toBe('Acme &amp; &lt;!channel&gt;: NPS detractor: Ana &lt;Souza&gt; &amp; co answered 3');
  });
});
