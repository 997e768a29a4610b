/** The incidents the response-time figures read: who owned each, its tier, and how fast it was answered. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { ResponseSample } from '../domain/response-times.ts';
import { DAY } from '../domain/time.ts';
import { instant } from './sql.ts';

/**
 * The incidents opened in the `days` days before `now`, in one query: the first acknowledgement by a
 * person (Pulse never acknowledges) of any of its causes, and its end, measured from its opening.
 */
export async function loadResponseSamples(
  db: Executor,
  opts: { now: Date; days: number },
): Promise<ResponseSample[]> {
  const found = await rows<{
    owner: string | null;
    tier: string;
    to_acknowledge_ms: number | string | null;
    to_resolve_ms: number | string | null;
  }>(
    db,
    sql`select coalesce(i.assignee_slack_id, a.owner_slack_id) as owner, a.tier,
        (extract(epoch from (
          select min(x.at) from alert_actions x join alerts al on al.id = x.alert_id
          where al.incident_id = i.id and x.action = 'acknowledged' and x.user_id <> 'pulse'
        ) - i.created_at) * 1000)::bigint as to_acknowledge_ms,
        (extract(epoch from i.resolved_at - i.created_at) * 1000)::bigint as to_resolve_ms
      from incidents i join accounts a on a.id = i.account_id
      where i.created_at > ${instant(new Date(+opts.now - opts.days * DAY))} and i.created_at <= ${instant(opts.now)}
      order by i.id`,
  );
  const ms = (v: number | string | null) => (v === null ? null : Number(v));
  return found.map((r) => ({
    owner: r.owner,
    tier: r.tier,
    toAcknowledgeMs: ms(r.to_acknowledge_ms),
    toResolveMs: ms(r.to_resolve_ms),
  }));
}
