import { DateTime } from 'luxon';
import { startOfDayIn } from './milestones.ts';
import { DAY } from './time.ts';
import { LONG_OPEN_DAYS, OPEN_STATUSES } from './zendesk-tickets.ts';

/**
 * Open-ticket figures of past days, rebuilt from each ticket's status history: a day's `tickets_open`
 * is the tickets open at its end, and `tickets_open_14_days` those of them created 14 or more days
 * before then. So the support component reads the same history whether the tickets came day by day or
 * in one first export.
 */

/** A ticket's history: when it was created, and each status it had from some instant on. */
export interface TicketHistory {
  createdAt: Date;
  /** Oldest first. */
  statuses: Array<{ at: Date; status: string }>;
}

/** How far back a sync rebuilds the daily figures: the health score reads the last 14 days of them. */
export const TICKET_HISTORY_DAYS = 90;

const OPEN = new Set<string>(OPEN_STATUSES);

/** The status a ticket had at an instant: its latest status from then or before; undefined before its creation. */
export function statusAt(ticket: TicketHistory, at: Date): string | undefined {
  if (ticket.createdAt > at) return undefined;
  let status = 'new';
  for (const s of ticket.statuses) {
    if (s.at > at) break;
    status = s.status;
  }
  return status;
}

/** How many tickets were open at an instant, and how many of those had been created 14 or more days before. */
export function openAt(tickets: TicketHistory[], at: Date): { open: number; openLong: number } {
  const longSince = +at - LONG_OPEN_DAYS * DAY;
  let open = 0;
  let openLong = 0;
  for (const ticket of tickets) {
    const status = statusAt(ticket, at);
    if (status === undefined || !OPEN.has(status)) continue;
    open++;
    if (+ticket.createdAt <= longSince) openLong++;
  }
  return { open, openLong };
}

/**
 * Each past day of an account's zone from the day of `since` up to yesterday (at most
 * TICKET_HISTORY_DAYS back from `now`), with the figures at its end, dated at its start as metric
 * points are. Today's figure is the current one, written apart.
 */
export function pastDayFigures(
  tickets: TicketHistory[],
  since: Date,
  now: Date,
  zone: string,
): Array<{ at: Date; open: number; openLong: number }> {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const earliest = today.minus({ days: TICKET_HISTORY_DAYS });
  let day = DateTime.fromJSDate(since, { zone }).startOf('day');
  if (day < earliest) day = earliest;
  const figures: Array<{ at: Date; open: number; openLong: number }> = [];
  for (; day < today; day = day.plus({ days: 1 })) {
    const start = startOfDayIn(day.toISODate()!, zone);
    // The day's end: the last millisecond before the next day starts (a DST day is 23 or 25 hours).
    const end = new Date(+day.plus({ days: 1 }).toJSDate() - 1);
    figures.push({ at: start, ...openAt(tickets, end) });
  }
  return figures;
}
