/** Billing alerts: one per open billing flag, resolved by Pulse when a later payment clears the flag. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { pulseNote } from '../../domain/stored-text.ts';
import { instant, onlyAccounts } from '../sql.ts';
import { PULSE_ACTOR } from './shared.ts';

/** A billing alert's dedupe key, `billing:<external id>` of the event that raised its flag (a JSON object). */
const billingAlertKey = (flag: SQL) => sql`'billing:' || (${flag}->>'externalId')`;

/**
 * One alert per open billing flag of these accounts that has none yet, set-based: a flag's alert is
 * keyed by its event's external id, so the same flag seen again by any later recomputation (or a
 * re-sent event) inserts nothing. Churned accounts, and accounts with no channel to post to, get none.
 * Returns the new alerts' ids.
 */
export async function raiseBillingAlerts(
  tx: Executor,
  opts: { accountIds?: number[]; now: Date; fallbackChannel?: string },
): Promise<number[]> {
  const inserted = await rows<{ id: number | string }>(
    tx,
    sql`insert into alerts (account_id, kind, dedupe_key, detail, created_at)
      select h.account_id, 'billing', ${billingAlertKey(sql`f.flag`)}, f.flag, ${instant(opts.now)}
      from account_health h
      join accounts a on a.id = h.account_id
      cross join lateral jsonb_array_elements(h.open_billing_flags) as f(flag)
      where a.status = 'active' and coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) is not null
        ${onlyAccounts(sql`h.account_id`, opts.accountIds)}
      order by h.account_id, f.flag->>'occurredAt'
      on conflict (dedupe_key) do nothing
      returning id`,
  );
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Resolves, as Pulse, the unresolved billing alerts of these accounts whose flag is no longer open
 * (a later payment cleared it), and records it in `alert_actions`. Returns their ids.
 */
export async function resolveClearedBillingAlerts(
  tx: Executor,
  opts: { accountIds?: number[]; now: Date },
): Promise<number[]> {
  const now = instant(opts.now);
  const resolved = await rows<{ id: number | string }>(
    tx,
    sql`with cleared as (
        update alerts al set status = 'resolved', status_by = ${PULSE_ACTOR}, status_at = ${now},
          snoozed_until = null, resolution_note = null,
          resolution_message = ${JSON.stringify(pulseNote('flag_cleared'))}::jsonb
        from account_health h
        where h.account_id = al.account_id and al.kind = 'billing' and al.status <> 'resolved'
          ${onlyAccounts(sql`al.account_id`, opts.accountIds)}
          and not exists (
            select 1 from jsonb_array_elements(h.open_billing_flags) as f(flag)
            where ${billingAlertKey(sql`f.flag`)} = al.dedupe_key)
        returning al.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'resolved', ${JSON.stringify({ reason: 'flag_cleared' })}::jsonb, ${now} from cleared
      )
      select id from cleared`,
  );
  return resolved.map((r) => Number(r.id)).sort((a, b) => a - b);
}
