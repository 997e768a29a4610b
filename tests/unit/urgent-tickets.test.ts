import { describe, expect, it } from 'vitest';
import { causeSeverity } from '../../src/domain/incidents.ts';
import { openFor, type StoredTicket, ticketUrl, urgentTickets } from '../../src/domain/urgent-tickets.ts';
import { t } from '../../src/i18n/index.ts';

const HOUR = 3_600_000;
const now = new Date('2026-12-05T15:00:00Z');
const ticket = (fields: Partial<StoredTicket> = {}): StoredTicket => ({
  id: 1,
  accountId: 7,
  tier: 'high_touch',
  status: 'open',
  priority: 'urgent',
  subject: 'Checkout down',
  createdAt: new Date(+now - 30 * HOUR),
  ...fields,
});
const held = (tickets: StoredTicket[]) => urgentTickets(tickets, now).map((u) => u.ticket.id);

describe('the urgent-ticket red flag', () => {
  it('holds for an urgent ticket open more than 24 hours on a high-touch or exclusive account', () => {
    expect(urgentTickets([ticket()], now)).toEqual([
      { ticket: ticket(), dedupeKey: 'urgent_ticket:1', hoursOpen: 30 },
    ]);
    expect(held([ticket({ id: 2, tier: 'exclusive' }), ticket({ id: 3, status: 'pending' })])).toEqual([
      2, 3,
    ]);
    expect(held([ticket({ id: 4, status: 'new' }), ticket({ id: 5, status: 'hold' })])).toEqual([4, 5]);
  });

  it('holds only past 24 hours: not at 24 hours exactly', () => {
    expect(held([ticket({ createdAt: new Date(+now - 24 * HOUR) })])).toEqual([]);
    expect(held([ticket({ createdAt: new Date(+now - 24 * HOUR - 1000) })])).toEqual([1]);
  });

  it('does not hold once the ticket is solved or closed, its priority lowered, or on other tiers', () => {
    expect(
      held([
        ticket({ status: 'solved' }),
        ticket({ status: 'closed' }),
        ticket({ priority: 'high' }),
        ticket({ priority: null }),
        ticket({ tier: 'mid_touch' }),
        ticket({ tier: 'tech_touch' }),
      ]),
    ).toEqual([]);
  });

  it('says how long the ticket has been open, in each language, and links to it in Zendesk', () => {
    const headline = (locale: string, hours: number) =>
      t(locale, 'redFlag.headline.urgentTicket', { id: 11, ...openFor(hours) });
    expect(headline('en', 25)).toBe('#11 open for 25 hours');
    expect(headline('en', 47)).toBe('#11 open for 47 hours');
    expect(headline('en', 48)).toBe('#11 open for 2 days');
    expect(headline('en', 73)).toBe('#11 open for 3 days 1 hour');
    expect(headline('en', 75)).toBe('#11 open for 3 days 3 hours');
    expect(headline('pt-BR', 25)).toBe('#11 aberto há 25 horas');
    expect(headline('pt-BR', 48)).toBe('#11 aberto há 2 dias');
    expect(headline('pt-BR', 73)).toBe('#11 aberto há 3 dias e 1 hora');
    expect(ticketUrl('acme', 42)).toBe('https://acme.zendesk.com/agent/tickets/42');
  });

  it('comes before survey and cadence signals in its incident, after the health rules', () => {
    const flag = (kind: 'urgent_ticket' | 'detractor') =>
      causeSeverity({ kind: 'red_flag', redFlag: { kind, headline: '', facts: [] } });
    const renewal = causeSeverity({
      kind: 'health',
      health: {
        kind: 'renewal_at_risk',
        score: 50,
        renewalDate: '2027-01-01',
        daysToRenewal: 27,
        band: 'yellow',
        changes: [],
      },
    });
    expect(flag('urgent_ticket')).toBeGreaterThan(renewal);
    expect(flag('urgent_ticket')).toBeLessThan(flag('detractor'));
  });
});
