/** Red-flag alerts raised by other capabilities (surveys, reviews, first value): insert, revise, resolve. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import type { RedFlagContact, RedFlagFact, RedFlagKind, RedFlagRecord } from '../../domain/alerts.ts';
import { pulseNote, type StoredText } from '../../domain/stored-text.ts';
import { instant, onlyAccounts } from '../sql.ts';
import { isHealthKind, PULSE_ACTOR } from './shared.ts';

/** A red flag's `alerts.detail`: its kind is the row's; `revision` counts the changes since it was raised. */
export type RedFlagDetail = Omit<RedFlagRecord, 'kind'> & { revision?: number };

/**
 * Resolves, as Pulse, the unresolved alerts of one kind for these accounts whose condition no longer
 * holds (`stillHolds` false for their row `al`), and records why in `alert_actions`. Returns their ids.
 */
/**
 * What keeps a red flag open when Pulse re-checks it, said in the domain's words; the SQL on the alert
 * row is built here, where the aliases live:
 * - `noMilestoneReachedBy`: its account has reached no milestone by then (no first value);
 * - `dedupeKeyIn`: its condition, by dedupe key, is among those still due (an overdue review).
 */
export type RedFlagStillHolds = { noMilestoneReachedBy: Date } | { dedupeKeyIn: readonly string[] };

function stillHoldsSql(holds: RedFlagStillHolds): SQL {
  if ('noMilestoneReachedBy' in holds) {
    return sql`not exists (
      select 1 from milestones m where m.account_id = al.account_id and m.reached_at <= ${holds.noMilestoneReachedBy.toISOString()}::timestamptz)`;
  }
  return sql`al.dedupe_key in (select jsonb_array_elements_text(${JSON.stringify(holds.dedupeKeyIn)}::jsonb))`;
}

export async function resolveAlertsAsPulse(
  tx: Executor,
  opts: {
    kind: string;
    accountIds?: number[];
    now: Date;
    reason: string;
    stillHolds?: RedFlagStillHolds;
  },
): Promise<number[]> {
  const now = instant(opts.now);
  const resolved = await rows<{ id: number | string }>(
    tx,
    sql`with ended as (
        update alerts al set status = 'resolved', status_by = ${PULSE_ACTOR}, status_at = ${now},
          snoozed_until = null, resolution_note = null,
          resolution_message = ${JSON.stringify(pulseNote(opts.reason))}::jsonb
        where al.kind = ${opts.kind} and al.status <> 'resolved'
          ${onlyAccounts(sql`al.account_id`, opts.accountIds)}
          ${opts.stillHolds ? sql`and not (${stillHoldsSql(opts.stillHolds)})` : sql.empty()}
        returning al.id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${PULSE_ACTOR}, 'resolved', ${JSON.stringify({ reason: opts.reason })}::jsonb, ${now} from ended
      )
      select id from ended`,
  );
  return resolved.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** A red flag's alert to insert, as stored. */
export interface NewRedFlagAlert {
  accountId: number;
  kind: RedFlagKind;
  dedupeKey: string;
  headline: StoredText;
  facts: RedFlagFact[];
  contact?: RedFlagContact;
  link?: { text: StoredText; url: string };
}

/**
 * Inserts a red flag's alert unless its condition already has one (dedupe key taken), its account is
 * churned or unknown, or the account has no channel to post to (its own, or the fallback), like billing
 * alerts. Returns the new alert's id.
 */
export async function insertRedFlagAlert(
  tx: Executor,
  alert: NewRedFlagAlert,
  opts: { now: Date; fallbackChannel?: string },
): Promise<number | undefined> {
  const detail: RedFlagDetail = {
    headline: alert.headline,
    facts: alert.facts,
    ...(alert.contact && { contact: alert.contact }),
    ...(alert.link && { link: alert.link }),
  };
  const [inserted] = await rows<{ id: number | string }>(
    tx,
    sql`insert into alerts (account_id, kind, dedupe_key, detail, created_at)
      select a.id, ${alert.kind}, ${alert.dedupeKey}, ${JSON.stringify(detail)}::jsonb, ${instant(opts.now)}
      from accounts a
      where a.id = ${alert.accountId} and a.status = 'active'
        and coalesce(a.channel_id, ${opts.fallbackChannel ?? null}::text) is not null
      on conflict (dedupe_key) do nothing
      returning id`,
  );
  return inserted && Number(inserted.id);
}

/**
 * Changes the headline and/or facts of a red flag's alert, counting the revision (its message updates
 * are keyed by it). A change that changes nothing is no revision. Returns the alert's id and revision.
 */
export async function reviseRedFlagAlert(
  tx: Executor,
  dedupeKey: string,
  change: { headline?: StoredText; facts?: RedFlagFact[] },
): Promise<{ id: number; revision: number } | undefined> {
  const patch = JSON.stringify({
    ...(change.headline !== undefined && { headline: change.headline }),
    ...(change.facts !== undefined && { facts: change.facts }),
  });
  const [revised] = await rows<{ id: number | string; revision: number }>(
    tx,
    sql`update alerts set detail = detail || ${patch}::jsonb
        || jsonb_build_object('revision', coalesce((detail->>'revision')::int, 0) + 1)
      where dedupe_key = ${dedupeKey} and kind <> 'billing' and not ${isHealthKind(sql`kind`)}
        and (detail || ${patch}::jsonb) <> detail
      returning id, (detail->>'revision')::int as revision`,
  );
  return revised && { id: Number(revised.id), revision: revised.revision };
}

/** Which of these dedupe keys already name an alert, open or resolved: a condition is flagged once. */
export async function flaggedKeys(db: Executor, keys: string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const found = await rows<{ dedupe_key: string }>(
    db,
    sql`select dedupe_key from alerts
      where dedupe_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
  );
  return new Set(found.map((r) => r.dedupe_key));
}
