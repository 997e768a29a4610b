import { DEFAULT_ESCALATION } from './alerts.ts';
import { HOUR } from './time.ts';
import { OPEN_STATUSES } from './zendesk-tickets.ts';

/**
 * The support red flag: an urgent ticket left open more than a day on an account whose tier is worked
 * closely (high-touch, exclusive: the tiers whose alerts escalate fastest). Many slow tickets lower the
 * support score; one urgent ticket stalled on a top account is a conversation to have today.
 */
export const URGENT_TICKET_HOURS = 24;

export interface StoredTicket {
  id: number;
  accountId: number;
  tier: string;
  status: string;
  priority: string | null;
  subject: string | null;
  createdAt: Date;
}

export interface UrgentTicket {
  ticket: StoredTicket;
  /** One alert per ticket: a ticket that holds again after its alert was resolved does not alert twice. */
  dedupeKey: string;
  hoursOpen: number;
}

export const urgentTicketKey = (ticketId: number) => `urgent_ticket:${ticketId}`;

/** The tickets that hold the red flag now; a ticket solved, or no longer urgent, no longer holds it. */
export function urgentTickets(tickets: StoredTicket[], now: Date): UrgentTicket[] {
  const tiers: readonly string[] = DEFAULT_ESCALATION.urgentTiers;
  return tickets.flatMap((ticket) => {
    const hoursOpen = Math.floor((+now - +ticket.createdAt) / HOUR);
    const holds =
      ticket.priority === 'urgent' &&
      (OPEN_STATUSES as readonly string[]).includes(ticket.status) &&
      tiers.includes(ticket.tier) &&
      +now - +ticket.createdAt > URGENT_TICKET_HOURS * HOUR;
    return holds ? [{ ticket, dedupeKey: urgentTicketKey(ticket.id), hoursOpen }] : [];
  });
}

/**
 * How long the ticket has been open, in whole hours, as it is said: hours alone under two days ("30
 * hours"), else days and the hours left ("3 days 4 hours"; `days` 0 means hours alone).
 */
export function openFor(hours: number): { days: number; hours: number } {
  if (hours < 48) return { days: 0, hours };
  return { days: Math.floor(hours / 24), hours: hours % 24 };
}

/** The ticket in Zendesk's agent interface. */
export const ticketUrl = (subdomain: string, ticketId: number) =>
  `https://${subdomain}.zendesk.com/agent/tickets/${ticketId}`;
