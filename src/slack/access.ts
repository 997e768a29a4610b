import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { People } from '../config.ts';
import {
  type AccessFacts,
  accessVerdict,
  type Installation,
  type Need,
  type Refusal,
  type SlackPerson,
  standingOf,
} from '../domain/access.ts';
import { type Locale, localeOf, t } from '../i18n/index.ts';

/** users.info is Tier 4 and a person's standing rarely changes: an answer is trusted this long. */
const PERSON_CACHE_MS = 10 * 60_000;
/** People remembered at most; the longest-remembered is forgotten first. */
const PERSON_CACHE_MAX = 5_000;
/** How long a user group's member list is trusted: membership changes are rare, clicks are not. */
const GROUP_CACHE_MS = 60_000;

/** How every refusal in English to someone who may not read begins. */
export const NOT_A_READER = 'Pulse shows customer data to the CS team only';

/**
 * Allowed, or refused with the reason (`unknown`: Slack could not say who the person is) and the sentence
 * to show them, which names no account and no figure: `text` in mrkdwn, `plain` for a modal's field error.
 */
export type AccessVerdict =
  | { allowed: true }
  | { allowed: false; reason: Refusal | 'unknown'; text: string; plain: string };

export interface Access {
  /** May this person see account data? */
  canRead(client: WebClient, userId: string): Promise<AccessVerdict>;
  /** May this person change it (log milestones, schedule reviews, act on alerts, send surveys, post digests)? */
  canWrite(client: WebClient, userId: string): Promise<AccessVerdict>;
  check(client: WebClient, userId: string, need: Need): Promise<AccessVerdict>;
  /** The language of what only this person sees: their Slack locale, else the team's (PULSE_LOCALE). */
  localeOf(client: WebClient, userId: string): Promise<Locale>;
}

/**
 * The refusal's sentences, in the person's language; `team` is the CS team's user group as a mention when
 * CS_TEAM names one.
 */
export function refusalText(reason: Refusal | 'unknown', team: People | undefined, locale: Locale = 'en') {
  const sentence = (group: string | undefined) => {
    const who = group ? { who: 'group', group } : { who: 'team', group: '' };
    switch (reason) {
      case 'read_only':
        return t(locale, 'access.readOnly', who);
      case 'unknown':
        return t(locale, 'access.unknown');
      default:
        return t(locale, 'access.notReader', who);
    }
  };
  // A modal's field errors are plain text, where a mention would show as its raw code.
  return {
    text: sentence(team?.userGroup && `<!subteam^${team.userGroup}>`),
    plain: sentence(undefined),
  };
}

/** Answers kept `ttlMs`, at most `max` of them; concurrent lookups of one key share one call; failures are not kept. */
function sharedLookups<T>(clock: Clock, ttlMs: number, max = Number.POSITIVE_INFINITY) {
  const entries = new Map<string, { until: number; value: Promise<T> }>();
  return (key: string, load: () => Promise<T>): Promise<T> => {
    const now = +clock();
    const hit = entries.get(key);
    if (hit && hit.until > now) return hit.value;
    entries.delete(key);
    const value = load();
    entries.set(key, { until: now + ttlMs, value });
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };
}

/**
 * Who may read and change account data: CS_TEAM (user IDs and/or one user group; unset = every member of
 * the workspace) writes and reads, CS_VIEWERS reads; external people and guests never do, whatever names
 * them. Built once: commands, clicks and the App Home share its caches of users.info, auth.test (once)
 * and the groups' members.
 */
export function createAccess(
  people: { team?: People; viewers?: People },
  deps: {
    clock: Clock;
    logger: Logger;
    locale?: Locale;
    /** Told each person's Slack locale when users.info is read: the DMs a job sends later speak it. */
    rememberLocale?: (userId: string, slackLocale: string) => Promise<void>;
  },
): Access {
  const teamLocale = deps.locale ?? 'en';
  const installations = sharedLookups<Installation>(deps.clock, Number.POSITIVE_INFINITY);
  const persons = sharedLookups<SlackPerson>(deps.clock, PERSON_CACHE_MS, PERSON_CACHE_MAX);
  const groups = sharedLookups<Set<string>>(deps.clock, GROUP_CACHE_MS);

  const installation = (client: WebClient) =>
    installations('auth.test', async () => {
      const auth = await client.auth.test();
      if (!auth.team_id) throw new Error('auth.test answered without a team_id');
      return { teamId: auth.team_id, enterpriseId: auth.enterprise_id || undefined };
    });

  const person = (client: WebClient, userId: string) =>
    persons(userId, async () => {
      const answer = await client.users.info({ user: userId, include_locale: true });
      if (!answer.user) throw new Error('users.info answered without a user');
      const locale = (answer.user as SlackPerson).locale;
      if (locale && deps.rememberLocale)
        await deps
          .rememberLocale(userId, locale)
          .catch((error) =>
            deps.logger.warn({ err: error, user: userId }, 'could not record a person’s locale'),
          );
      return answer.user as SlackPerson;
    });

  /** Whether these people name the user; null when the setting is unset. */
  const names = async (client: WebClient, list: People | undefined, userId: string) => {
    if (!list) return null;
    if (list.users.includes(userId)) return true;
    if (!list.userGroup) return false;
    const group = list.userGroup;
    const members = await groups(group, async () => {
      const answer = await client.usergroups.users.list({ usergroup: group });
      return new Set(answer.users ?? []);
    });
    return members.has(userId);
  };

  const refused = (reason: Refusal | 'unknown', locale: Locale): AccessVerdict => ({
    allowed: false,
    reason,
    ...refusalText(reason, people.team, locale),
  });

  const check = async (client: WebClient, userId: string, need: Need): Promise<AccessVerdict> => {
    let facts: AccessFacts;
    let locale = teamLocale;
    try {
      const [where, who, inTeam] = await Promise.all([
        installation(client),
        person(client, userId),
        names(client, people.team, userId),
      ]);
      locale = who.locale ? localeOf(who.locale) : teamLocale;
      const standing = standingOf(who, where);
      const inViewers =
        standing === 'member' && inTeam === false && !!(await names(client, people.viewers, userId));
      facts = { standing, inTeam, inViewers };
    } catch (error) {
      deps.logger.warn({ err: error, user: userId, need }, 'access refused: Slack could not say who this is');
      return refused('unknown', locale);
    }
    const verdict = accessVerdict(need, facts);
    if (verdict.allowed) return verdict;
    deps.logger.info({ user: userId, need, reason: verdict.reason }, 'access refused');
    return refused(verdict.reason, locale);
  };

  return {
    canRead: (client, userId) => check(client, userId, 'read'),
    canWrite: (client, userId) => check(client, userId, 'write'),
    check,
    localeOf: (client, userId) =>
      person(client, userId).then(
        (who) => (who.locale ? localeOf(who.locale) : teamLocale),
        () => teamLocale,
      ),
  };
}
