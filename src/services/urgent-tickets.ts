import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { dayIn } from '../domain/milestones.ts';
import { openFor, ticketUrl, urgentTickets } from '../domain/urgent-tickets.ts';
import { storedMessage } from '../i18n/index.ts';
import { openUrgentTickets } from '../store/zendesk-tickets.ts';
import { reconcileRedFlags } from './red-flags.ts';

export type UrgentTicketDeps = Pick<Deps, 'db' | 'clock'> & {
  config: Pick<Config, 'alertChannel' | 'timezone'> &
    Partial<Pick<Config, 'locale'>> & {
      zendesk?: Pick<NonNullable<Config['zendesk']>, 'subdomain'>;
    };
};

/**
 * After each Zendesk sync (every 15 minutes, so a ticket crossing 24 hours is seen within a quarter of
 * an hour): an `urgent_ticket` red flag for each urgent ticket open more than 24 hours on a high-touch
 * or exclusive account, and the flags of tickets since solved or no longer urgent resolved by Pulse.
 */
export async function flagUrgentTickets(
  deps: UrgentTicketDeps,
): Promise<{ raised: number; resolved: number }> {
  const now = deps.clock();
  const subdomain = deps.config.zendesk?.subdomain;
  const urgent = urgentTickets(await openUrgentTickets(deps.db.orm), now);
  return deps.db.orm.transaction((tx) =>
    reconcileRedFlags(tx, deps, {
      kind: 'urgent_ticket',
      now,
      holding: urgent,
      reason: 'ticket_no_longer_urgent',
      flag: ({ ticket, hoursOpen }) => ({
        accountId: ticket.accountId,
        headline: storedMessage('redFlag.headline.urgentTicket', { id: ticket.id, ...openFor(hoursOpen) }),
        facts: [
          // The subject is the customer's words: as typed.
          ...(ticket.subject
            ? [{ label: storedMessage('redFlag.label', { label: 'subject' }), value: ticket.subject }]
            : []),
          {
            label: storedMessage('redFlag.label', { label: 'opened' }),
            value: storedMessage('redFlag.value.day', {
              date: { day: dayIn(ticket.createdAt, deps.config.timezone) },
            }),
          },
          {
            label: storedMessage('redFlag.label', { label: 'status' }),
            value: storedMessage('redFlag.value.ticketStatus', { status: ticket.status }),
          },
        ],
        ...(subdomain && {
          link: { text: storedMessage('redFlag.link.zendesk'), url: ticketUrl(subdomain, ticket.id) },
        }),
      }),
    }),
  );
}
