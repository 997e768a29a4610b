import type { KnownBlock } from '@slack/types';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';

const CSM = 'U0CSM00001';
const CHANNEL = 'C0INITECHI';
const DAY = 86_400_000;

let app: PulseWithSlack;
const cs = (text: string) => app.sim.command({ user: CSM, channel: 'C0CSALERTS' }, '/cs', text);
const textOf = (ack: unknown) => {
  const a = ack as { text?: string; blocks?: KnownBlock[] };
  return [a.text, JSON.stringify(a.blocks ?? [])].join('\n');
};

beforeAll(async () => {
  app = await startPulseWithSlack({ CS_ALERT_CHANNEL: 'C0CSALERTS', CS_TEAM: CSM });
  await app.ingest('accounts', [
    { key: 'initech', name: 'Initech', tier: 'high_touch', channel_id: CHANNEL },
  ]);
}, 90_000);

afterAll(() => app.close());

describe('an alert Slack refuses for good, end to end', () => {
  it('is shown in /cs health with what to do about it', async () => {
    // The bot was removed from the account's channel: the one message of both alerts the payment raises
    // (the billing flag, and the health score entering red) is refused.
    app.double.failNext('chat.postMessage', { error: 'not_in_channel' });
    await app.ingest('billing-events', {
      account: 'initech',
      external_id: 'in_e2e_undelivered_1',
      type: 'payment_failed',
      occurred_at: new Date(Date.now() - DAY).toISOString(),
      amount: 800,
      currency: 'USD',
      due_date: '2026-12-15',
    });
    // The outbox fails each row at its first answer: ask until both show.
    let answer = await cs('health initech');
    for (let i = 0; i < 100 && !textOf(answer.ack).includes('2 alerts could not be posted'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await cs('health initech');
    }
    expect(answer.ack).toMatchObject({ response_type: 'ephemeral', text: 'Initech: 20/100 red' });
    const section = (answer.ack as { blocks: KnownBlock[] }).blocks
      .map((b) => (b as { text?: { text: string } }).text?.text ?? '')
      .find((t) => t.startsWith(':warning:'));
    expect(section).toBe(
      [
        ':warning: *2 alerts could not be posted*',
        '• *Payment failed: $800.00, due Tue 15 Dec 2026*: Pulse is not a member of the channel: invite it with /invite @pulse in <#C0INITECHI>',
        '• *Entered red: 20/100*: Pulse is not a member of the channel: invite it with /invite @pulse in <#C0INITECHI>',
      ].join('\n'),
    );
    // Refused once, never retried, nothing posted.
    expect(app.double.callsTo('chat.postMessage')).toHaveLength(1);
    expect(app.double.messages(CHANNEL)).toHaveLength(0);
    if (app.database) {
      const outbox = await rows<{ method: string; status: string; last_error: string; attempts: number }>(
        app.database.db.orm,
        sql`select method, status, last_error, attempts from slack_outbox order by id`,
      );
      // An update of the message, enqueued if the post went out before the score's alert joined it, fails too.
      expect(outbox[0]).toEqual({
        method: 'chat.postMessage',
        status: 'failed',
        last_error: 'not_in_channel',
        attempts: 1,
      });
      expect(outbox.slice(1).every((o) => o.last_error === 'incident_post_not_delivered')).toBe(true);
    }
  }, 30_000);
});
