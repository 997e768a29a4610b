import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { blockKitProblems, viewProblems } from '../../sandbox/block-kit-limits.ts';
import type { AlertMessageData, HealthAlertRecord } from '../../src/domain/alerts.ts';
import { pulseNote } from '../../src/domain/stored-text.ts';
import { isMessageKey, storedMessage } from '../../src/i18n/index.ts';
import {
  alertBlocks,
  alertHeadline,
  alertText,
  escalationDmText,
  leadEscalationDmText,
  resolveModal,
  snoozeOverReplyText,
} from '../../src/slack/blocks/alert.ts';
import { storedTextIn } from '../../src/slack/blocks/locale-format.ts';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/constants.ts';

const now = new Date('2026-11-23T12:00:00Z');
const render = { now, timezone: 'America/Sao_Paulo', locale: 'en' as const };

const alert: AlertMessageData = {
  id: 42,
  status: 'open',
  cause: {
    kind: 'billing',
    flag: {
      externalId: 'in_1',
      type: 'payment_failed',
      occurredAt: new Date('2026-11-20T10:00:00Z'),
      amount: '1200.00',
      currency: 'USD',
      dueDate: '2026-11-30',
      cardExpiresAt: null,
    },
  },
  statusBy: null,
  statusAt: null,
  snoozedUntil: null,
  resolutionNote: null,
  account: {
    key: 'acme',
    name: 'Acme <Corp>',
    tier: 'high_touch',
    mrr: '4500.00',
    currency: 'USD',
    ownerSlackId: 'U0CSM00001',
    renewalDate: '2027-01-31',
  },
  score: 44,
  band: 'red',
  dataAsOf: new Date('2026-11-23T10:00:00Z'),
};

const text = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const actions = (blocks: KnownBlock[]) => {
  const block = blocks.find((b) => b.type === 'actions') as ActionsBlock;
  expect(block.block_id).toBe(BLOCK.alertActions);
  return block.elements.map((e) => [e.action_id, 'style' in e ? e.style : undefined]);
};

describe('alertBlocks', () => {
  it('says what happened, to which account, and how fresh the data is', () => {
    expect(alertHeadline(alert.cause)).toBe('Payment failed: $1,200.00, due Mon 30 Nov 2026');
    expect(alertText(alert)).toBe('Acme &lt;Corp&gt;: Payment failed: $1,200.00, due Mon 30 Nov 2026');
    const body = text(alertBlocks(alert, render));
    expect(body).toContain(
      ':rotating_light: *Acme &lt;Corp&gt;*: Payment failed: $1,200.00, due Mon 30 Nov 2026',
    );
    expect(body).toContain('*Tier*\\nhigh-touch');
    expect(body).toContain('*MRR*\\n$4,500.00');
    expect(body).toContain('*Owner*\\n<@U0CSM00001>');
    expect(body).toContain('*Renewal*\\nSun 31 Jan 2027');
    expect(body).toContain('*Health*\\n:red_circle: 44/100 red');
    // Slack's date token (each reader's own zone); its fallback is 10:00 UTC in São Paulo (UTC−3).
    expect(body).toContain(
      'Data as of <!date^1795428000^{date_short_pretty} {time}|2026-11-23 07:00 GMT-3> (2 hours ago).',
    );
  });

  it('carries Acknowledge (primary), a Snooze menu of 1 and 7 days, Resolve (no style: not a danger) and Health card', () => {
    const blocks = alertBlocks(alert, render);
    expect(actions(blocks)).toEqual([
      [ACTION.alertAcknowledge, 'primary'],
      [ACTION.alertSnooze, undefined],
      [ACTION.alertResolve, undefined],
      [ACTION.alertHealthCard, undefined],
      [ACTION.alertAssign, undefined],
    ]);
    const snooze = (blocks.at(-1) as ActionsBlock).elements[1] as { options: Array<{ value: string }> };
    expect(snooze.options.map((o) => o.value)).toEqual(['42:1', '42:7']);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('shows who acted and when, in the configured time zone, and keeps the buttons that still make sense', () => {
    const acked = alertBlocks(
      {
        ...alert,
        status: 'acknowledged',
        statusBy: 'U0CSM00002',
        statusAt: new Date('2026-11-23T12:05:00Z'),
      },
      render,
    );
    expect(text(acked)).toContain('Acknowledged by <@U0CSM00002> at 09:05');
    expect(actions(acked).map(([id]) => id)).toEqual([
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);

    const snoozed = alertBlocks(
      {
        ...alert,
        status: 'snoozed',
        statusBy: 'U0CSM00002',
        statusAt: now,
        snoozedUntil: new Date('2026-11-24T12:00:00Z'),
      },
      render,
    );
    expect(text(snoozed)).toContain('Snoozed by <@U0CSM00002> until Tue 24 Nov 09:00');
    expect(actions(snoozed).map(([id]) => id)).toEqual([
      ACTION.alertAcknowledge,
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);

    const resolved = alertBlocks(
      { ...alert, status: 'resolved', statusBy: 'pulse', statusAt: now, resolutionNote: 'Paid <today>' },
      render,
    );
    expect(text(resolved)).toContain(':white_check_mark: Resolved by Pulse at 09:00: Paid &lt;today&gt;');
    expect(actions(resolved)).toEqual([[ACTION.alertHealthCard, undefined]]);
    for (const blocks of [acked, snoozed, resolved]) expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('stays within Block Kit limits with very long names and notes', () => {
    const long = {
      ...alert,
      status: 'resolved' as const,
      statusBy: 'U0CSM00002',
      statusAt: now,
      resolutionNote: 'n'.repeat(5000),
      account: { ...alert.account, name: 'A'.repeat(4000) },
    };
    expect(blockKitProblems(alertBlocks(long, render), 'message')).toEqual([]);
  });
});

describe('resolveModal', () => {
  it('asks for a note and carries the alert and the message to update', () => {
    const view = resolveModal(alert, { alertId: 42, channel: 'C0CSALERTS', ts: '1.000100' }, 'en');
    expect(view.callback_id).toBe(CALLBACK.alertResolveModal);
    expect(JSON.parse(view.private_metadata!)).toEqual({
      alertId: 42,
      channel: 'C0CSALERTS',
      ts: '1.000100',
    });
    expect(view.blocks.find((b) => b.type === 'input')).toMatchObject({
      block_id: BLOCK.resolveNote,
      element: { type: 'plain_text_input', action_id: ACTION.resolveNote, max_length: 500 },
    });
    expect(viewProblems(view)).toEqual([]);
  });
});

describe('health alerts', () => {
  const health = (h: HealthAlertRecord): AlertMessageData => ({
    ...alert,
    cause: { kind: 'health', health: h },
  });

  it('says what crossed, with the components that moved most', () => {
    const red = health({
      kind: 'entered_red',
      score: 48,
      previousScore: 56,
      band: 'red',
      changes: [
        { component: 'usage', from: 70, to: 40, change: -30 },
        { component: 'support', from: 90, to: 80, change: -10 },
        { component: 'billing', from: 100, to: 95, change: -5 },
        { component: 'relationship', from: 40, to: 100, change: 60 },
        { component: 'sentiment', from: null, to: 50, change: null },
      ],
    });
    expect(alertText(red)).toBe('Acme &lt;Corp&gt;: Entered red: 48/100 (was 56)');
    const body = text(alertBlocks(red, render));
    expect(body).toContain(':rotating_light: *Acme &lt;Corp&gt;*: Entered red: 48/100 (was 56)');
    expect(body).toContain('Usage 70 → 40 (−30) · Support 90 → 80 (−10) · Billing 100 → 95 (−5)');
    expect(body).not.toContain('Relationship');
    expect(actions(alertBlocks(red, render)).map(([id]) => id)).toEqual([
      ACTION.alertAcknowledge,
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);
    expect(blockKitProblems(alertBlocks(red, render), 'message')).toEqual([]);
  });

  it('words the fall and the renewal, and a first score without "was"', () => {
    expect(
      alertHeadline({
        kind: 'health',
        health: {
          kind: 'fell_fast',
          score: 48,
          peakScore: 66,
          peakDay: '2026-11-18',
          fall: 18,
          band: 'red',
          changes: [],
        },
      }),
    ).toBe('Fell 18 points in 7 days (66 → 48)');
    const renewal = health({
      kind: 'renewal_at_risk',
      score: 62,
      renewalDate: '2027-01-04',
      daysToRenewal: 41,
      band: 'yellow',
      changes: [{ component: 'usage', from: null, to: 62, change: null }],
    });
    expect(alertText(renewal)).toBe('Acme &lt;Corp&gt;: Renewal in 41 days (Mon 4 Jan 2027) while yellow');
    expect(text(alertBlocks(renewal, render))).toContain('Usage no data → 62');
    expect(
      alertHeadline({
        kind: 'health',
        health: { kind: 'entered_red', score: 30, previousScore: null, band: 'red', changes: [] },
      }),
    ).toBe('Entered red: 30/100');
  });
});

describe('red-flag alerts', () => {
  const redFlag = (facts: Array<{ label: string; value: string }>): AlertMessageData => ({
    ...alert,
    cause: {
      kind: 'red_flag',
      redFlag: { kind: 'detractor', headline: 'NPS 3 from Ana <Souza> (champion)', facts },
    },
  });

  it('is the same card, with the flag, its facts and why it is a red flag', () => {
    const detractor = redFlag([
      { label: 'Comment', value: 'Too slow since <the> update' },
      { label: 'Survey', value: 'NPS, sent Mon 16 Nov' },
    ]);
    expect(alertText(detractor)).toBe(
      'Acme &lt;Corp&gt;: NPS detractor: NPS 3 from Ana &lt;Souza&gt; (champion)',
    );
    const blocks = alertBlocks(detractor, render);
    const body = text(blocks);
    expect(body).toContain(
      ':rotating_light: *Acme &lt;Corp&gt;*: NPS detractor: NPS 3 from Ana &lt;Souza&gt; (champion)',
    );
    expect(body).toContain('*Owner*\\n<@U0CSM00001>');
    expect(body).toContain('*Renewal*\\nSun 31 Jan 2027');
    expect(body).toContain('*Comment*: Too slow since &lt;the&gt; update\\n*Survey*: NPS, sent Mon 16 Nov');
    expect(body).toContain('Sentiment red flag: an NPS answer of 0–6.');
    expect(body).toContain(
      'Data as of <!date^1795428000^{date_short_pretty} {time}|2026-11-23 07:00 GMT-3> (2 hours ago).',
    );
    expect(actions(blocks).map(([id]) => id)).toEqual([
      ACTION.alertAcknowledge,
      ACTION.alertSnooze,
      ACTION.alertResolve,
      ACTION.alertHealthCard,
      ACTION.alertAssign,
    ]);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it("offers to reply to a detractor: a DM when they are in Slack, else the account's channel, else nothing", () => {
    const withContact = (slackUserId: string | null, channelId: string | null): AlertMessageData => ({
      ...alert,
      account: { ...alert.account, channelId },
      cause: {
        kind: 'red_flag',
        redFlag: {
          kind: 'detractor',
          headline: 'Ana answered 3 to the NPS survey',
          facts: [],
          contact: { name: 'Ana <Souza>', slackUserId },
        },
      },
    });
    const reply = (a: AlertMessageData) => {
      const blocks = alertBlocks(a, render);
      expect(blockKitProblems(blocks, 'message')).toEqual([]);
      const block = blocks.find((b) => b.type === 'actions') as ActionsBlock;
      return block.elements.find((e) => e.action_id === ACTION.alertReply) as Button | undefined;
    };
    const dm = reply(withContact('U0ANA00001', 'C0ACME0001'));
    // Plain text: a button's label is not mrkdwn, so the name is shown as it is.
    expect(dm?.text.text).toBe('Reply to Ana <Souza>');
    expect(dm?.url).toBe('https://slack.com/app_redirect?channel=U0ANA00001');
    expect(reply(withContact(null, 'C0ACME0001'))?.url).toBe(
      'https://slack.com/app_redirect?channel=C0ACME0001',
    );
    expect(reply(withContact(null, null))).toBeUndefined();
    // A resolved incident has no next step.
    expect(reply({ ...withContact('U0ANA00001', null), status: 'resolved' })).toBeUndefined();
    // A long name stays within a button's 75 characters.
    const long = withContact('U0ANA00001', null);
    if (long.cause.kind === 'red_flag') long.cause.redFlag.contact!.name = 'A'.repeat(100);
    expect(reply(long)?.text.text).toHaveLength(75);
  });

  it('names each kind, and leaves out the facts block when there are none', () => {
    const kinds = {
      low_csat: 'Low CSAT',
      no_first_value: 'No first value',
      review_overdue: 'Success review overdue',
      urgent_ticket: 'Urgent ticket open over 24 h',
    };
    for (const [kind, label] of Object.entries(kinds))
      expect(
        alertHeadline({ kind: 'red_flag', redFlag: { kind: kind as 'low_csat', headline: 'x', facts: [] } }),
      ).toBe(`${label}: x`);
    expect(alertBlocks(redFlag([]), render).map((b) => b.type)).toEqual(['section', 'context', 'actions']);
  });

  it('stays within Block Kit limits with a very long comment', () => {
    const long = redFlag([{ label: 'Comment', value: 'c'.repeat(5000) }]);
    expect(blockKitProblems(alertBlocks(long, render), 'message')).toEqual([]);
  });
});

describe('an alert whose snooze ended', () => {
  it('is open again, says so, and offers Acknowledge again', () => {
    const back = alertBlocks({ ...alert, status: 'open', statusBy: 'pulse', statusAt: now }, render);
    expect(text(back)).toContain(
      ':alarm_clock: Snooze ended Mon 23 Nov 09:00: still open, no payment has cleared it.',
    );
    expect(actions(back)[0]).toEqual([ACTION.alertAcknowledge, 'primary']);
    const health = alertBlocks(
      {
        ...alert,
        cause: {
          kind: 'health',
          health: { kind: 'entered_red', score: 44, previousScore: 60, band: 'red', changes: [] },
        },
        statusBy: 'pulse',
        statusAt: now,
      },
      render,
    );
    expect(text(health)).toContain('Snooze ended Mon 23 Nov 09:00: the condition still holds (44/100 red).');
  });

  it('is announced in its thread with the account named, since the reply is broadcast', () => {
    expect(snoozeOverReplyText(alert, 'en')).toBe(
      ':alarm_clock: Snooze over, still open: *Acme &lt;Corp&gt;*: Payment failed: $1,200.00, due Mon 30 Nov 2026.',
    );
  });
});

describe("an incident's next steps", () => {
  const redFlag = (kind: 'review_overdue' | 'no_first_value') => ({
    kind: 'red_flag' as const,
    redFlag: { kind, headline: 'RTS was due by Mon 30 Nov 2026', facts: [] },
  });
  const buttons = (data: AlertMessageData) =>
    ((alertBlocks(data, render).at(-1) as ActionsBlock).elements as unknown as Array<Record<string, unknown>>)
      .filter((e) =>
        ([ACTION.alertScheduleReview, ACTION.alertLogMilestone, ACTION.alertOpenStripe] as string[]).includes(
          e.action_id as string,
        ),
      )
      .map((e) => [(e.text as { text: string }).text, e.value ?? e.url]);

  it('offers each unresolved cause its step as a button, once, after Acknowledge', () => {
    const incident: AlertMessageData = {
      ...alert,
      account: { ...alert.account, stripeCustomerId: 'cus_Q1/x' },
      otherCauses: [
        { cause: redFlag('review_overdue'), status: 'open' },
        { cause: redFlag('no_first_value'), status: 'open' },
        { cause: { ...redFlag('review_overdue') }, status: 'open' },
        { cause: redFlag('no_first_value'), status: 'resolved' },
      ],
    };
    expect(buttons(incident)).toEqual([
      ['Open in Stripe', 'https://dashboard.stripe.com/customers/cus_Q1%2Fx'],
      ['Schedule review', 'review:acme'],
      ['Log a milestone', 'milestone:acme'],
    ]);
    const blocks = alertBlocks(incident, render);
    expect(actions(blocks)[1]![0]).toBe(ACTION.alertOpenStripe);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it("links an urgent ticket's alert to the ticket in Zendesk", () => {
    const urgent: AlertMessageData = {
      ...alert,
      cause: {
        kind: 'red_flag',
        redFlag: {
          kind: 'urgent_ticket',
          headline: '#11 open for 30 hours',
          facts: [],
          link: { text: 'Open in Zendesk', url: 'https://acme.zendesk.com/agent/tickets/11' },
        },
      },
    };
    const blocks = alertBlocks(urgent, render);
    const link = (blocks.at(-1) as ActionsBlock).elements.find((e) => e.action_id === ACTION.alertOpenSource);
    expect(link).toMatchObject({
      type: 'button',
      text: { text: 'Open in Zendesk' },
      url: 'https://acme.zendesk.com/agent/tickets/11',
    });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
  });

  it('has no Stripe link without a linked customer, and no step once resolved', () => {
    expect(buttons(alert)).toEqual([]);
    const resolved: AlertMessageData = {
      ...alert,
      status: 'resolved',
      statusAt: now,
      statusBy: 'pulse',
      cause: redFlag('review_overdue'),
    };
    expect(buttons(resolved)).toEqual([]);
  });
});

describe('an alert in Brazilian Portuguese (PULSE_LOCALE=pt-BR)', () => {
  const pt = { ...render, locale: 'pt-BR' as const };

  it('writes the headline, fields, money and dates as a Brazilian team reads them', () => {
    expect(alertHeadline(alert.cause, 'pt-BR')).toBe(
      'Pagamento recusado: US$\u00a01.200,00, vence em seg., 30 de nov. de 2026',
    );
    const body = text(alertBlocks(alert, pt));
    expect(body).toContain('*Responsável*\\n<@U0CSM00001>');
    expect(body).toContain('*Renovação*\\ndom., 31 de jan. de 2027');
    expect(body).toContain('*Health Score*\\n:red_circle: 44/100 vermelho');
    expect(body).toContain('(há 2 horas).');
    expect(body).not.toContain('Data as of');
  });

  it('labels every button and the snooze menu in Portuguese', () => {
    const [actionsBlock] = alertBlocks(alert, pt).filter((b) => b.type === 'actions') as ActionsBlock[];
    const labels = actionsBlock!.elements.map((e) =>
      'text' in e && e.text ? e.text.text : 'placeholder' in e ? e.placeholder?.text : undefined,
    );
    expect(labels).toEqual(['Assumir', 'Adiar', 'Resolver', 'Health Score', 'Atribuir a…']);
    const snooze = actionsBlock!.elements[1] as { options: Array<{ text: { text: string } }> };
    expect(snooze.options.map((o) => o.text.text)).toEqual(['1 dia', '7 dias']);
  });

  it('says who acted, and speaks the thread replies in the team language', () => {
    const acked = alertBlocks(
      {
        ...alert,
        status: 'acknowledged',
        statusBy: 'U0CSM00002',
        statusAt: new Date('2026-11-23T12:05:00Z'),
      },
      pt,
    );
    expect(text(acked)).toContain('Assumido por <@U0CSM00002> às 09:05');
    expect(snoozeOverReplyText(alert, 'pt-BR')).toBe(
      ':alarm_clock: Fim do adiamento, continua aberto: *Acme &lt;Corp&gt;*: Pagamento recusado: US$\u00a01.200,00, vence em seg., 30 de nov. de 2026.',
    );
  });
});

describe('escalation DMs in the recipient’s language', () => {
  it('tells a Portuguese-speaking owner in Portuguese, and an English-speaking lead in English', () => {
    expect(escalationDmText(alert, 'C0CSALERTS', 4, 'pt-BR')).toBe(
      ':rotating_light: Ninguém agiu neste alerta em 4 horas: *Acme &lt;Corp&gt;*: Pagamento recusado: US$\u00a01.200,00, vence em seg., 30 de nov. de 2026. Ele está em <#C0CSALERTS>; você é responsável por esta conta.',
    );
    expect(leadEscalationDmText(alert, 'C0CSALERTS', 1, 'en')).toBe(
      ':rotating_light: Still unacknowledged 1 hour after its owner was told: *Acme &lt;Corp&gt;*: Payment failed: $1,200.00, due Mon 30 Nov 2026. It is in <#C0CSALERTS>; you are a CS lead.',
    );
  });
});

describe('a red flag stored as keys and values, rendered in the reader’s language', () => {
  const detractor: AlertMessageData = {
    ...alert,
    status: 'resolved',
    statusBy: 'pulse',
    statusAt: new Date('2026-11-23T12:05:00Z'),
    resolutionNote: pulseNote('review_on_cadence'),
    cause: {
      kind: 'red_flag',
      redFlag: {
        kind: 'detractor',
        headline: storedMessage('redFlag.headline.detractor', { name: 'Ana <Souza>', score: 3 }),
        facts: [
          {
            label: storedMessage('redFlag.label', { label: 'score' }),
            value: storedMessage('redFlag.value.score', {
              survey: 'nps',
              score: 3,
              name: 'Ana <Souza>',
              email: 'ana@acme.example',
            }),
          },
          // The customer's own words, as typed.
          { label: storedMessage('redFlag.label', { label: 'comment' }), value: 'Slow & buggy' },
          {
            label: storedMessage('redFlag.label', { label: 'last_review' }),
            value: storedMessage('redFlag.value.day', { date: { day: '2026-08-30' } }),
          },
        ],
      },
    },
  };

  it('in English, with the data escaped', () => {
    const body = text(alertBlocks(detractor, render));
    expect(alertHeadline(detractor.cause)).toBe(
      'NPS detractor: Ana &lt;Souza&gt; answered 3 to the NPS survey',
    );
    expect(body).toContain('*Score*: NPS 3 from Ana &lt;Souza&gt; (ana@acme.example)');
    expect(body).toContain('*Comment*: Slow &amp; buggy');
    expect(body).toContain('*Last review*: Sun 30 Aug 2026');
    expect(body).toContain('Resolved by Pulse at 09:05: A success review was scheduled or held since.');
  });

  it('in Portuguese, the same stored alert: the customer’s words as typed', () => {
    const body = text(alertBlocks(detractor, { ...render, locale: 'pt-BR' }));
    expect(alertHeadline(detractor.cause, 'pt-BR')).toBe(
      'Detrator no NPS: Ana &lt;Souza&gt; deu nota 3 na pesquisa de NPS',
    );
    expect(body).toContain('*Nota*: NPS 3 de Ana &lt;Souza&gt; (ana@acme.example)');
    expect(body).toContain('*Comentário*: Slow &amp; buggy');
    expect(body).toContain('*Última revisão*: dom., 30 de ago. de 2026');
    expect(body).toContain(
      'Resolvido por Pulse às 09:05: Uma revisão de sucesso foi agendada ou realizada desde então.',
    );
  });

  it('shows a row stored before, in English text, as it was written', () => {
    const old: AlertMessageData = {
      ...detractor,
      resolutionNote: 'A success review was scheduled or held since.',
      cause: {
        kind: 'red_flag',
        redFlag: {
          kind: 'detractor',
          headline: 'Ana Souza answered 3 to the NPS survey',
          facts: [{ label: 'Comment', value: 'Too slow' }],
        },
      },
    };
    const body = text(alertBlocks(old, { ...render, locale: 'pt-BR' }));
    expect(body).toContain('Detrator no NPS: Ana Souza answered 3 to the NPS survey');
    expect(body).toContain('*Comment*: Too slow');
    expect(body).toContain('Resolvido por Pulse às 09:05: A success review was scheduled or held since.');
  });

  it('keeps a key a later release dropped readable', () => {
    expect(storedTextIn('pt-BR', { key: 'redFlag.gone', values: { x: 1 } })).toBe('redFlag.gone');
    expect(isMessageKey(pulseNote('flag_cleared').key)).toBe(true);
  });
});
