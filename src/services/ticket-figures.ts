import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { parseBatch } from '../domain/ingestion-batch.ts';
import { dayIn, startOfDayIn } from '../domain/milestones.ts';
import { pastDayFigures } from '../domain/ticket-history.ts';
import { upsertMetricPoints } from '../store/metric-points.ts';
import { ticketFigures, ticketHistories } from '../store/zendesk-tickets.ts';

export type TicketFigureDeps = Pick<Deps, 'db' | 'clock' | 'health'> & { config: Pick<Config, 'timezone'> };

interface Figure {
  account_id: number;
  key: string;
  at: Date;
  open: number;
  openLong: number;
}

/**
 * The open-ticket figures as metric points (`tickets_open`, `tickets_open_14_days`), health after:
 * today's for every account with Zendesk tickets (the count goes on changing with time alone), and,
 * for the accounts whose ticket history just changed (`changed`: the earliest change new to it), each
 * past day from that change's day rebuilt from the history. A day's point is replaced, never added to.
 */
export async function writeTicketFigures(deps: TicketFigureDeps, changed: Map<number, Date>): Promise<void> {
  const now = deps.clock();
  const zoneOf = (timezone: string | null) => timezone ?? deps.config.timezone;
  const accountIds = await deps.db.orm.transaction(async (tx) => {
    const figures: Figure[] = (await ticketFigures(tx, now)).map((f) => ({
      account_id: f.account_id,
      key: f.key,
      at: startOfDayIn(dayIn(now, zoneOf(f.timezone)), zoneOf(f.timezone)),
      open: f.open,
      openLong: f.open_long,
    }));
    for (const account of await ticketHistories(tx, [...changed.keys()])) {
      const since = changed.get(account.account_id)!;
      for (const day of pastDayFigures(account.tickets, since, now, zoneOf(account.timezone)))
        figures.push({ account_id: account.account_id, key: account.key, ...day });
    }
    const points = figures.flatMap((f) => [
      { account: f.key, metric: 'tickets_open', value: f.open, at: f.at.toISOString() },
      { account: f.key, metric: 'tickets_open_14_days', value: f.openLong, at: f.at.toISOString() },
    ]);
    const checked = parseBatch('metrics', points);
    if (!checked.ok)
      throw new Error(`ticket figures failed validation: ${JSON.stringify(checked.errors[0])}`);
    await upsertMetricPoints(
      tx,
      checked.items.map(({ account: _, ...p }, i) => ({
        ...p,
        account_id: figures[Math.floor(i / 2)]!.account_id,
      })),
    );
    return [...new Set(figures.map((f) => f.account_id))];
  });
  if (accountIds.length) await deps.health.schedule(accountIds);
}
