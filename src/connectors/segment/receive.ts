import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { SegmentSettings } from '../../config.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { type AccountUpsert, contactSchema, type MetricPoint } from '../../domain/ingestion.ts';
import { parseBatch } from '../../domain/ingestion-batch.ts';
import { dayIn, startOfDayIn } from '../../domain/milestones.ts';
import {
  ACTIVE_USER_DAYS,
  accountFromGroup,
  checkMessage,
  eventMetricName,
  eventTime,
  groupAccountKey,
  lateness,
  personFromTraits,
  type SegmentMessage,
} from '../../domain/segment-messages.ts';
import { DAY } from '../../domain/time.ts';
import { upsertAccounts } from '../../store/accounts.ts';
import { advanceConnector, finishConnectorRun } from '../../store/connector-state.ts';
import { contactRoles, upsertContacts } from '../../store/contacts.ts';
import { upsertMetricPoints } from '../../store/metric-points.ts';
import {
  type AccountDay,
  type AccountRef,
  accountsById,
  accountsByKey,
  activeUserCounts,
  addActiveUsers,
  addEventCounts,
  type DayCount,
  linkUsers,
  newMessages,
  pruneSegmentData,
  rememberPeople,
  type SegmentUser,
  userAccounts,
} from '../../store/segment.ts';

export type SegmentDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'metrics' | 'health'> & {
  config: Pick<Deps['config'], 'timezone'>;
  settings: SegmentSettings;
};

export interface Refusal {
  /** The message's place in its request (0 for a single call). */
  index: number;
  messageId?: string;
  reason: string;
}

export interface Received {
  /** Events counted now (track, page, screen), and calls applied (identify, group). */
  stored: number;
  /** Events already counted: a re-sent messageId. */
  duplicates: number;
  refused: Refusal[];
}

/** Calls applied, and the users they concern as now known. */
interface Applied {
  applied: number;
  users: SegmentUser[];
}

interface Indexed {
  index: number;
  message: SegmentMessage;
}

/**
 * Receives Segment messages: group calls make or update accounts, identify calls contacts, and events
 * count towards their account's day (distinct active users, logins, the counted events), stored as
 * ordinary metric points. One transaction for the whole request; a message that cannot be used is
 * refused alone with its reason. Health is recomputed for the accounts whose figures changed.
 */
export function createSegmentSource(deps: SegmentDeps) {
  let prunedOn: string | undefined;
  /**
   * (account, day, user) entries this process has seen committed to the day sets: most events are by a
   * user already active that day, and need no insert. Only a cache: the table decides, and it is
   * emptied when large.
   */
  const committed = new Set<string>();

  async function receive(raws: unknown[]): Promise<Received> {
    const now = deps.clock();
    const refused: Refusal[] = [];
    const refuse = (index: number, message: { messageId?: string } | undefined, reason: string) =>
      refused.push({ index, messageId: message?.messageId, reason });
    const groups: Indexed[] = [];
    const identifies: Indexed[] = [];
    const events: Indexed[] = [];
    raws.forEach((raw, index) => {
      const checked = checkMessage(raw);
      if (!checked.ok) {
        refuse(index, raw as { messageId?: string }, checked.reason);
        return;
      }
      const entry = { index, message: checked.message };
      if (entry.message.type === 'group') groups.push(entry);
      else if (entry.message.type === 'identify') identifies.push(entry);
      else if (entry.message.type !== 'alias') events.push(entry);
    });

    const added: string[] = [];
    const outcome = await deps.db.orm.transaction(async (tx) => {
      const touched = new Set<number>();
      const grouped = await applyGroups(tx, groups, refuse, touched);
      const identified = await applyIdentifies(tx, identifies, refuse);
      await storeContacts(tx, [...grouped.users, ...identified.users], touched);
      const counted = await countEvents(tx, events, now, refuse, touched, added);
      return {
        touched,
        stored: grouped.applied + identified.applied + counted.stored,
        duplicates: counted.duplicates,
      };
    });

    if (committed.size + added.length > KNOWN_USER_DAYS) committed.clear();
    for (const entry of added) committed.add(entry);
    if (outcome.touched.size) {
      deps.health
        .schedule([...outcome.touched])
        .catch((error) => deps.logger.error({ err: error }, 'health after Segment events failed'));
    }
    if (refused.length) {
      deps.logger.warn(
        { refused: refused.length, first: refused.slice(0, 3) },
        'Segment messages refused, with their reasons',
      );
    }
    pruneOncePerDay(now);
    await recordRequest(now, outcome.stored, refused);
    return { stored: outcome.stored, duplicates: outcome.duplicates, refused };
  }

  /** Group calls: the account upserted (through the accounts schema), and its users linked to it. */
  async function applyGroups(
    tx: Executor,
    groups: Indexed[],
    refuse: (index: number, message: SegmentMessage, reason: string) => void,
    touched: Set<number>,
  ): Promise<Applied> {
    if (!groups.length) return { applied: 0, users: [] };
    const keyOf = (m: SegmentMessage) => groupAccountKey(m, deps.settings.accountTrait);
    const stored = await accountsByKey(
      tx,
      groups.map((g) => keyOf(g.message)).filter((k): k is string => typeof k === 'string'),
    );
    const valid: Array<Indexed & { account: AccountUpsert }> = [];
    // A group call without a name keeps the one an earlier call (stored, or in this batch) gave.
    const named = new Map<string, string>();
    for (const group of groups) {
      const key = keyOf(group.message);
      if (key === undefined) {
        refuse(
          group.index,
          group.message,
          `has no trait "${deps.settings.accountTrait}" to name its account`,
        );
        continue;
      }
      const storedName = typeof key === 'string' ? (named.get(key) ?? stored.get(key)?.name) : undefined;
      const account = accountFromGroup(key, group.message.traits ?? {}, storedName);
      const checked = parseBatch('accounts', account);
      if (!checked.ok) {
        const reasons = checked.errors.map(
          (e) => `${e.path === 'key' ? 'account key' : `traits.${e.path}`} ${e.message}`,
        );
        refuse(group.index, group.message, reasons.join('; '));
        continue;
      }
      valid.push({ ...group, account: checked.items[0]! });
      named.set(checked.items[0]!.key, checked.items[0]!.name);
    }
    if (!valid.length) return { applied: 0, users: [] };
    for (const id of await upsertAccounts(
      tx,
      valid.map((v) => v.account),
      deps.clock(),
    ))
      touched.add(id);
    deps.metrics.ingestedRows.inc({ kind: 'accounts' }, valid.length);
    const ids = await accountsByKey(
      tx,
      valid.map((v) => v.account.key),
    );
    const users = await linkUsers(
      tx,
      valid.map((v) => ({ user_id: userOf(v.message), account_id: ids.get(v.account.key)!.id })),
    );
    return { applied: valid.length, users };
  }

  /** Identify calls: what each says of its user, kept until (or since) the user's group call. */
  async function applyIdentifies(
    tx: Executor,
    identifies: Indexed[],
    refuse: (index: number, message: SegmentMessage, reason: string) => void,
  ): Promise<Applied> {
    const people = identifies.flatMap(({ index, message }) => {
      const person = personFromTraits({ ...message.context?.traits, ...message.traits });
      if (person.email && !contactSchema.shape.email.safeParse(person.email).success) {
        refuse(index, message, `traits.email "${person.email}" is not an email address`);
        return [];
      }
      return [{ user_id: userOf(message), ...person }];
    });
    return { applied: people.length, users: await rememberPeople(tx, people) };
  }

  /** Users known by e-mail and linked to an account become (or update) its contacts. */
  async function storeContacts(tx: Executor, users: SegmentUser[], touched: Set<number>) {
    const linked = users.filter(
      (u): u is SegmentUser & { account_id: number; email: string } => u.account_id !== null && !!u.email,
    );
    if (!linked.length) return;
    const accounts = await accountsById(
      tx,
      linked.map((u) => u.account_id),
    );
    const roles = await contactRoles(tx, linked);
    const items = linked.map((u) => ({
      account: accounts.get(u.account_id)!.key,
      email: u.email,
      ...(u.name ? { name: u.name } : {}),
      role: u.role ?? roles.get(`${u.account_id} ${u.email}`) ?? 'user',
    }));
    const records = items.flatMap((item, i) => {
      const checked = parseBatch('contacts', item);
      if (checked.ok)
        return [{ ...checked.items[0]!, account: undefined, account_id: linked[i]!.account_id }];
      deps.logger.warn({ user: item.email, errors: checked.errors }, 'Segment user not stored as a contact');
      return [];
    });
    await upsertContacts(
      tx,
      records.map(({ account: _, ...record }) => record),
    );
    deps.metrics.ingestedRows.inc({ kind: 'contacts' }, records.length);
    for (const r of records) touched.add(r.account_id);
  }

  /** Events: each new one adds its user to its account's day and counts if its name is counted. */
  async function countEvents(
    tx: Executor,
    events: Indexed[],
    now: Date,
    refuse: (index: number, message: SegmentMessage, reason: string) => void,
    touched: Set<number>,
    added: string[],
  ): Promise<{ stored: number; duplicates: number }> {
    if (!events.length) return { stored: 0, duplicates: 0 };
    const groupKeys = events.map((e) => e.message.context?.groupId).filter((k): k is string => !!k);
    const byKey = await accountsByKey(tx, groupKeys);
    const linked = await userAccounts(
      tx,
      events.map((e) => userOf(e.message)),
    );
    const placed: Array<Indexed & { accountId: number; at: Date; messageId: string }> = [];
    for (const event of events) {
      const { message } = event;
      const groupId = message.context?.groupId;
      const accountId = groupId ? byKey.get(groupId)?.id : linked.get(userOf(message));
      if (accountId === undefined) {
        refuse(
          event.index,
          message,
          groupId
            ? `context.groupId "${groupId}" is no account`
            : `user "${userOf(message)}" belongs to no account yet: send a group call for them first`,
        );
        continue;
      }
      const at = eventTime(message, now);
      const late = lateness(at, now);
      if (late) {
        refuse(event.index, message, `timestamp ${late}`);
        continue;
      }
      placed.push({ ...event, accountId, at, messageId: message.messageId ?? randomUUID() });
    }
    if (!placed.length) return { stored: 0, duplicates: 0 };

    const accountIds = [...new Set(placed.map((p) => p.accountId))];
    const fresh = await newMessages(
      tx,
      placed.map((p) => ({ message_id: p.messageId, at: p.at.toISOString() })).sort(byMessageId),
    );
    const counted = placed.filter((p) => fresh.has(p.messageId));
    if (!counted.length) return { stored: 0, duplicates: placed.length };

    const accounts = await accountsById(tx, accountIds);
    const zoneOf = (id: number) => accounts.get(id)?.timezone ?? deps.config.timezone;
    const users = new Map<string, AccountDay & { user_hash: number }>();
    const counts = new Map<string, DayCount>();
    const dayOf = memo((zone: string, quarter: number) => dayIn(new Date(quarter * QUARTER_HOUR), zone));
    const hashOf = memo(userHash);
    for (const event of counted) {
      // Every zone's offset is a whole number of quarter hours: the quarter hour names the day.
      const day = dayOf(zoneOf(event.accountId), Math.floor(+event.at / QUARTER_HOUR));
      const hash = hashOf(userOf(event.message));
      const entry = `${event.accountId} ${day} ${hash}`;
      if (!committed.has(entry)) users.set(entry, { account_id: event.accountId, day, user_hash: hash });
      for (const metric of countedAs(event.message)) {
        const id = `${event.accountId} ${day} ${metric}`;
        const entry = counts.get(id) ?? { account_id: event.accountId, day, metric, count: 0 };
        entry.count++;
        counts.set(id, entry);
      }
    }
    // A count's row stays locked until commit: a concurrent batch adds to it after, and writes its point after.
    const totals = await addEventCounts(tx, [...counts.values()]);
    // The distinct counts read the day sets a concurrent batch writes: one batch at a time per account that
    // gains users (after the counts, whose row locks are taken in a fixed order, so no deadlock).
    const gaining = [...new Set([...users.values()].map((u) => u.account_id))].sort((a, b) => a - b);
    if (gaining.length) {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext('segment-account'), id)
            from unnest(${`{${gaining.join(',')}}`}::int[]) as id order by id`,
      );
    }
    const gained = await addActiveUsers(tx, [...users.values()]);
    added.push(...users.keys());
    const activity = await activeUserCounts(tx, daysAffected(gained, accounts, now));

    const points: Array<MetricPoint & { account_id: number }> = [];
    const point = (accountId: number, day: string, metric: string, value: number) => {
      const account = accounts.get(accountId)!;
      points.push({
        account: account.key,
        account_id: accountId,
        metric,
        value,
        at: startOfDayIn(day, zoneOf(accountId)).toISOString(),
      });
    };
    const gainedDays = new Set(gained.map((g) => `${g.account_id} ${g.day}`));
    for (const a of activity) {
      // Only a day that gained a user has new active users; the days after it, new rolling counts.
      if (gainedDays.has(`${a.account_id} ${a.day}`)) point(a.account_id, a.day, 'active_users', a.dau);
      point(a.account_id, a.day, 'wau', a.wau);
      point(a.account_id, a.day, 'mau', a.mau);
    }
    for (const t of totals) point(t.account_id, t.day, t.metric, t.count);
    // The points go through the metrics schema as any ingested point does; a failure is a defect here.
    const checked = parseBatch(
      'metrics',
      points.map(({ account_id: _, ...p }) => p),
    );
    if (!checked.ok)
      throw new Error(`Segment metric points failed validation: ${JSON.stringify(checked.errors)}`);
    await upsertMetricPoints(
      tx,
      checked.items.map(({ account: _, ...p }, i) => ({ ...p, account_id: points[i]!.account_id })),
    );
    deps.metrics.ingestedRows.inc({ kind: 'metrics' }, points.length);
    if (points.length) for (const p of points) touched.add(p.account_id);
    return { stored: counted.length, duplicates: placed.length - counted.length };
  }

  /** The metrics an event counts towards: logins, and its own name when it is a counted event. */
  function countedAs(message: SegmentMessage): string[] {
    if (message.type !== 'track' || !message.event) return [];
    const metrics: string[] = [];
    if (deps.settings.loginEvents.includes(message.event)) metrics.push('logins');
    if (deps.settings.metricEvents.includes(message.event)) metrics.push(eventMetricName(message.event));
    return metrics;
  }

  /**
   * A user added to a day changes that day's active users, the WAU of the 6 days after it and the MAU of
   * the 29 after it, up to the account's today.
   */
  function daysAffected(gained: AccountDay[], accounts: Map<number, AccountRef>, now: Date): AccountDay[] {
    const days = new Map<string, AccountDay>();
    for (const { account_id, day } of gained) {
      const today = dayIn(now, accounts.get(account_id)?.timezone ?? deps.config.timezone);
      for (let d = day, i = 0; d <= today && i < 30; d = nextDay(d), i++) {
        days.set(`${account_id} ${d}`, { account_id, day: d });
      }
    }
    return [...days.values()];
  }

  /** The source's state for GET /connectors: what it stored and refused, and when it last received. */
  async function recordRequest(at: Date, stored: number, refused: Refusal[]) {
    const skipped = refused.map((r) => ({
      record: r.messageId ?? `message ${r.index}`,
      reason: r.reason,
      at: at.toISOString(),
    }));
    await advanceConnector(deps.db.orm, { name: 'segment', stored, skipped });
    await finishConnectorRun(deps.db.orm, { name: 'segment', at, error: null, nextRunAt: null });
  }

  /** Drops the day sets and counts past their 31 days, once a day, after a request. */
  function pruneOncePerDay(now: Date) {
    const today = now.toISOString().slice(0, 10);
    if (prunedOn === today) return;
    prunedOn = today;
    const before = {
      day: new Date(+now - ACTIVE_USER_DAYS * DAY).toISOString().slice(0, 10),
      at: new Date(+now - 8 * DAY),
    };
    pruneSegmentData(deps.db.orm, before).catch((error) =>
      deps.logger.error({ err: error }, 'pruning the Segment day sets failed'),
    );
  }

  return { receive };
}

/** The user an event is counted as: its userId, else its anonymousId. */
const userOf = (message: SegmentMessage): string =>
  message.userId ? message.userId : `anonymous:${message.anonymousId}`;

/** A user ID as 48 bits of its SHA-256: exact as a JavaScript number, and colliding about never. */
const userHash = (userId: string): number => createHash('sha256').update(userId).digest().readUIntBE(0, 6);

const QUARTER_HOUR = 15 * 60_000;
/** Entries the cache of committed day-set entries holds before it starts over (a few tens of MB). */
const KNOWN_USER_DAYS = 500_000;

/** A function's results kept for the request: a batch repeats its users and its days. */
function memo<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  const known = new Map<string, R>();
  return (...args) => {
    const key = args.join(' ');
    let value = known.get(key);
    if (value === undefined) {
      value = f(...args);
      known.set(key, value);
    }
    return value;
  };
}

const nextDay = (day: string) => new Date(+new Date(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

const byMessageId = (a: { message_id: string }, b: { message_id: string }) =>
  a.message_id < b.message_id ? -1 : a.message_id > b.message_id ? 1 : 0;
