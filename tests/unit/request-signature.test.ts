import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../sandbox/slack-requests.ts';
import { isSignedBySlack } from '../../src/slack/request-signature.ts';

const SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const NOW_MS = 1_765_000_000_123;
const nowSeconds = Math.floor(NOW_MS / 1000);

const ours = (body: string, signature: string, timestamp: number) =>
  isSignedBySlack({ signingSecret: SECRET, body, signature, timestamp, nowMs: NOW_MS });
const bolts = (body: string, signature: string, timestamp: number) =>
  isValidSlackRequest({
    signingSecret: SECRET,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: NOW_MS,
  });
const signed = (body: string, timestamp: number, secret = SECRET) =>
  signSlackRequest(secret, body, timestamp)['x-slack-signature'];

describe('isSignedBySlack', () => {
  const bodies = [
    '',
    'command=%2Fcs&text=health+acme',
    '{"type":"event_callback"}',
    'ç😀\u0000',
    'x'.repeat(5000),
  ];

  it('accepts what Bolt accepts for genuine signatures, at every edge of the 5 minutes before now', () => {
    for (const body of bodies) {
      for (const age of [0, 1, 299, 300, 301, 3600]) {
        const timestamp = nowSeconds - age;
        const signature = signed(body, timestamp);
        expect(ours(body, signature, timestamp), `${age}s old`).toBe(bolts(body, signature, timestamp));
        expect(ours(body, signature, timestamp)).toBe(age <= 300);
      }
    }
  });

  it('refuses a timestamp more than 5 minutes ahead, which Bolt accepts', () => {
    expect(ours('b', signed('b', nowSeconds + 300), nowSeconds + 300)).toBe(true);
    expect(ours('b', signed('b', nowSeconds + 301), nowSeconds + 301)).toBe(false);
    expect(ours('b', signed('b', nowSeconds + 86_400), nowSeconds + 86_400)).toBe(false);
  });

  it('refuses another body, timestamp, secret or version, as Bolt does', () => {
    const signature = signed('body', nowSeconds);
    const refused: Array<[string, string, number]> = [
      ['other body', signature, nowSeconds],
      ['body', signature, nowSeconds - 1],
      ['body', signed('body', nowSeconds, 'another-secret-of-the-same-length'), nowSeconds],
      ['body', signature.replace('v0=', 'v1='), nowSeconds],
      ['body', signature.slice(3), nowSeconds],
      ['body', signature.slice(0, -1), nowSeconds],
      ['body', '', nowSeconds],
      ['body', signature, Number.NaN],
    ];
    for (const [body, sig, timestamp] of refused) {
      expect(ours(body, sig, timestamp), `${body} ${sig} ${timestamp}`).toBe(false);
      expect(bolts(body, sig, timestamp), `${body} ${sig} ${timestamp}`).toBe(false);
    }
  });

  it('accepts only the exact signature: no suffix after the hash, no uppercase hex (each a new replay key)', () => {
    const signature = signed('body', nowSeconds);
    for (const altered of [
      `${signature}=x`,
      `${signature}=`,
      `v0=${signature.slice(3).toUpperCase()}`,
      ` ${signature}`,
    ]) {
      expect(ours('body', altered, nowSeconds), altered).toBe(false);
    }
    // Bolt read only the text between the first two `=`: the suffixed forms passed it.
    expect(bolts('body', `${signature}=x`, nowSeconds)).toBe(true);
  });
});
