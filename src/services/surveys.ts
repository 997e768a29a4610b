/**
 * The survey schedule, run every minute: decide which surveys are due (NPS per champion on its cadence
 * slot, CSAT after a milestone reached or a success review held), close the week-old ones, follow up
 * what the outbox did with their posts, then deliver what is pending. Every step is idempotent (dedupe
 * keys, conditional updates), so a rerun or a second replica changes nothing. And the answers: a score
 * or a comment from the recipient, with what it sets in motion (a red flag, a note to the owner).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { WebAPIPlatformError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { RedFlagFact } from '../domain/alerts.ts';
import { surveyExpiredKey, surveyPromoterKey, surveyUndeliverableKey } from '../domain/outbox-keys.ts';
import {
  answerSignal,
  CSAT_WITHIN_DAYS,
  DM_REFUSALS,
  decideScoreClick,
  fallbackRoute,
  isValidScore,
  npsCadenceSlot,
  SURVEY_LIFETIME_DAYS,
  type SurveyKind,
  type SurveyRoute,
  surveyDedupeKey,
  surveyEligibility,
  surveyExpiresAt,
} from '../domain/surveys.ts';
import { DAY } from '../domain/time.ts';
import { type Locale, storedMessage } from '../i18n/index.ts';
import { expiredMessage, surveyMessage } from '../slack/blocks/survey.ts';
import { promoterNote, undeliverableNote } from '../slack/blocks/survey-notes.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import {
  recordComment,
  recordScore,
  type SurveyForAnswer,
  surveyForAnswer,
} from '../store/surveys/answers.ts';
import type { UndeliverableSurvey } from '../store/surveys/closing.ts';
import { expireSurveys, reconcileSurveyPosts } from '../store/surveys/closing.ts';
import { createSurveys, type SurveyCandidate } from '../store/surveys/create.ts';
import {
  enqueueSurveyPost,
  markUndeliverable,
  noteDeliveryProblem,
  type PendingSurvey,
  pendingSurveys,
  recordRoute,
} from '../store/surveys/delivery.ts';
import {
  cadenceRecipients,
  csatOccasions,
  type SurveyRecipient,
  surveyAccountStatus,
  surveyRecipients,
} from '../store/surveys/recipients.ts';
import { raiseRedFlag, reviseRedFlag } from './red-flags.ts';
import { recipientLocales } from './user-locales.ts';

/** A scheduled delivery stops starting new lookups after this long; the next tick continues. */
const DELIVERY_BUDGET_MS = 50_000;

type CadenceDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** Inserts the surveys due now; returns how many of each kind. */
export async function createDueSurveys(deps: CadenceDeps): Promise<Record<SurveyKind, number>> {
  const now = deps.clock();
  const settings = deps.config.surveys;
  const candidates: SurveyCandidate[] = [];
  // CSAT first: when a milestone and the NPS slot fall together, the moment's own question wins.
  const occasions = await csatOccasions(deps.db.orm, {
    since: new Date(+now - CSAT_WITHIN_DAYS * DAY),
    now,
    ...settings.csatAfter,
    includeDecisionMakers: settings.includeDecisionMakers,
  });
  for (const o of occasions) {
    candidates.push({
      contactId: o.contactId,
      kind: 'csat',
      trigger: o.source,
      dedupeKey: surveyDedupeKey[o.source](o.sourceId, o.contactId),
    });
  }
  for (const { contactId, addedOn } of await cadenceRecipients(deps.db.orm, settings.includeDecisionMakers)) {
    const slot = npsCadenceSlot(contactId, now, settings.npsIntervalDays, addedOn);
    if (!slot.due) continue;
    candidates.push({
      contactId,
      kind: 'nps',
      trigger: 'cadence',
      dedupeKey: surveyDedupeKey.nps(contactId, slot.slotStart),
    });
  }
  const created = await deps.db.orm.transaction((tx) => createSurveys(tx, candidates, now));
  const kinds = new Map(candidates.map((c) => [c.dedupeKey, c.kind]));
  const counts = { nps: 0, csat: 0 };
  for (const c of created) counts[kinds.get(c.dedupeKey)!] += 1;
  return counts;
}

/**
 * Closes surveys left unanswered for a week (their message says so, through the outbox), gives up on
 * those that never found a route, and turns posts Slack refused for good into undeliverable surveys. The
 * CSM hears once about each survey given up.
 */
export async function closeSurveys(deps: CadenceDeps): Promise<{ expired: number; undeliverable: number }> {
  const now = deps.clock();
  return deps.db.orm.transaction(async (tx) => {
    const refused = await reconcileSurveyPosts(tx);
    const { expired, abandoned } = await expireSurveys(tx, now, SURVEY_LIFETIME_DAYS);
    for (const survey of expired) {
      // An ephemeral message cannot be updated once it is shown; it goes away with the person's reload.
      if (survey.route === 'channel_ephemeral' || !survey.channel || !survey.ts) continue;
      await enqueueSlackMessage(tx, {
        dedupeKey: surveyExpiredKey(survey.id),
        method: 'chat.update',
        payload: { channel: survey.channel, ts: survey.ts, ...expiredMessage(survey.locale) },
        audience: 'customer',
      });
    }
    for (const survey of [...refused, ...abandoned]) await tellUndeliverable(tx, deps, survey);
    return { expired: expired.length, undeliverable: refused.length + abandoned.length };
  });
}

/** How long a survey sent with `/cs survey` is left to the command; still pending after it, the schedule takes it. */
const COMMAND_DELIVERY_MS = 60_000;

/** One scheduler tick: decide, close, deliver. */
export async function runSurveySchedule(deps: Deps): Promise<DeliveryReport | undefined> {
  const created = await createDueSurveys(deps);
  const closed = await closeSurveys(deps);
  const client = deps.slack;
  const delivered = client
    ? await deliverPendingSurveys(deps, client, {
        deadline: Date.now() + DELIVERY_BUDGET_MS,
        // A fresh `/cs survey` is the command's to deliver: both would look the person up at once.
        manualAfter: new Date(+deps.clock() - COMMAND_DELIVERY_MS),
      })
    : undefined;
  if (created.nps || created.csat || closed.expired || closed.undeliverable || delivered?.outcomes.length) {
    deps.logger.info(
      { created, closed, delivered: delivered?.outcomes.length ?? 0, rateLimited: delivered?.rateLimited },
      'survey schedule ran',
    );
  }
  return delivered;
}

/** The alert of a survey's red flag: one per survey. */
const surveyRedFlagKey = (signal: 'detractor' | 'low_csat', surveyId: number) =>
  `${signal}:survey:${surveyId}`;

const person = (s: SurveyForAnswer) => s.contactName ?? s.email;

/** The answer and the comment: the comment is the customer's words, stored as typed. */
function redFlagFacts(s: SurveyForAnswer, score: number, comment: string | null): RedFlagFact[] {
  return [
    {
      label: storedMessage('redFlag.label', { label: 'score' }),
      value: storedMessage('redFlag.value.score', { survey: s.kind, score, name: person(s), email: s.email }),
    },
    {
      label: storedMessage('redFlag.label', { label: 'comment' }),
      value: comment ?? storedMessage('redFlag.value.noComment'),
    },
  ];
}

/** What an answer sets in motion, in the transaction that records it. */
async function actOnAnswer(tx: Executor, deps: Deps, s: SurveyForAnswer, score: number): Promise<void> {
  const signal = answerSignal(s.kind, score);
  if (signal === 'detractor' || signal === 'low_csat') {
    await raiseRedFlag(tx, deps, {
      accountId: s.accountId,
      kind: signal,
      dedupeKey: surveyRedFlagKey(signal, s.id),
      headline: storedMessage(
        signal === 'detractor' ? 'redFlag.headline.detractor' : 'redFlag.headline.lowCsat',
        { name: person(s), score },
      ),
      facts: redFlagFacts(s, score, null),
      ...(signal === 'detractor' && { contact: { name: person(s), slackUserId: s.recipientSlackId } }),
    });
  } else if (signal === 'promoter') {
    const channel = s.ownerSlackId ?? deps.config.alertChannel;
    if (!channel) return;
    await enqueueSlackMessage(tx, {
      dedupeKey: surveyPromoterKey(s.id),
      method: 'chat.postMessage',
      payload: {
        channel,
        ...promoterNote(
          {
            score,
            accountName: s.accountName,
            contactName: s.contactName,
            email: s.email,
            slackUserId: s.recipientSlackId,
          },
          await noteLocale(tx, deps, s.ownerSlackId),
        ),
      },
    });
  }
}

/**
 * A score clicked on a survey: it counts only from the survey's recipient, once, while the survey is open
 * (decideScoreClick). Recorded, it sets its consequences in motion in the same transaction. Undefined
 * when the survey is unknown or the score not one of its kind.
 */
export async function recordSurveyScore(
  deps: Deps,
  click: { surveyId: number; score: number; userId: string },
): Promise<{ decision: ReturnType<typeof decideScoreClick>; survey: SurveyForAnswer } | undefined> {
  const { surveyId, score } = click;
  const now = deps.clock();
  return deps.db.orm.transaction(async (tx) => {
    const survey = await surveyForAnswer(tx, surveyId);
    if (!survey || !isValidScore(survey.kind, score)) return undefined;
    const decision = decideScoreClick(survey, click.userId, now);
    if (decision === 'record') {
      await recordScore(tx, surveyId, score, now);
      await actOnAnswer(tx, deps, survey, score);
    }
    return { decision, survey };
  });
}

/**
 * The recipient's "Tell us why" comment on an answered survey: stored with the answer, and the red flag
 * the answer raised (if any) shows it. `stored` false: not theirs, not answered, or (`empty`) no text.
 */
export async function recordSurveyComment(
  deps: Deps,
  input: { surveyId: number; userId: string; comment: string },
): Promise<{ survey: SurveyForAnswer | undefined; stored: boolean; empty?: boolean }> {
  const { comment } = input;
  return deps.db.orm.transaction(async (tx) => {
    const survey = await surveyForAnswer(tx, input.surveyId);
    if (!survey || survey.recipientSlackId !== input.userId || survey.status !== 'answered')
      return { survey, stored: false };
    if (!comment) return { survey, stored: false, empty: true };
    await recordComment(tx, survey.id, comment);
    const signal = answerSignal(survey.kind, survey.score!);
    if (signal === 'detractor' || signal === 'low_csat') {
      await reviseRedFlag(tx, deps, surveyRedFlagKey(signal, survey.id), {
        facts: redFlagFacts(survey, survey.score!, comment),
      });
    }
    return { survey, stored: true };
  });
}

/** What `/cs survey` came to for one recipient. */
export type ContactResult =
  | { kind: 'contacted_recently'; lastContactAt: Date; until: Date }
  /** Surveyed within the contact gap under another contact or account (createSurveys skipped it). */
  | { kind: 'surveyed_elsewhere' }
  /** Created; `delivery` undefined: queued, the schedule sends it. */
  | { kind: 'created'; surveyId: number; delivery: DeliveryOutcome | undefined };

export type SurveyNowResult =
  | { kind: 'churned' }
  | { kind: 'no_recipient' }
  | { kind: 'surveyed'; recipients: SurveyRecipient[]; byContact: Map<number, ContactResult> };

/**
 * Surveys an account's recipients now (`/cs survey`, CS team only), within the contact rule
 * (domain/surveys.ts surveyEligibility): a churned account is never surveyed; a contact surveyed within
 * the gap is not surveyed again. The surveys created are delivered at once.
 */
export async function surveyAccountNow(
  deps: Deps,
  client: WebClient,
  request: { accountId: number; kind: SurveyKind; requestedBy: string },
): Promise<SurveyNowResult> {
  const now = deps.clock();
  const accountStatus = await surveyAccountStatus(deps.db.orm, request.accountId);
  if (!surveyEligibility({ accountStatus, lastContactAt: null, now }).eligible) return { kind: 'churned' };
  const recipients = await surveyRecipients(
    deps.db.orm,
    request.accountId,
    deps.config.surveys.includeDecisionMakers,
  );
  if (!recipients.length) return { kind: 'no_recipient' };

  const byContact = new Map<number, ContactResult>();
  const candidates: SurveyCandidate[] = [];
  for (const r of recipients) {
    const eligibility = surveyEligibility({ accountStatus, lastContactAt: r.lastContactAt, now });
    if (eligibility.eligible) {
      candidates.push({
        contactId: r.contactId,
        kind: request.kind,
        trigger: 'manual',
        dedupeKey: surveyDedupeKey.manual(request.kind, r.contactId, now),
        requestedBy: request.requestedBy,
      });
    } else if (eligibility.reason === 'contacted_recently') {
      byContact.set(r.contactId, {
        kind: 'contacted_recently',
        lastContactAt: eligibility.lastContactAt,
        until: eligibility.until,
      });
    }
  }
  const created = await deps.db.orm.transaction((tx) => createSurveys(tx, candidates, now));
  const surveyOf = new Map(created.map((c) => [c.contactId, c.id]));
  for (const c of candidates) {
    if (!surveyOf.has(c.contactId)) byContact.set(c.contactId, { kind: 'surveyed_elsewhere' });
  }
  const delivered = created.length
    ? await deliverPendingSurveys(deps, client, { ids: created.map((c) => c.id) })
    : { outcomes: [] };
  const byId = new Map(delivered.outcomes.map((o) => [o.surveyId, o]));
  for (const [contactId, surveyId] of surveyOf) {
    byContact.set(contactId, { kind: 'created', surveyId, delivery: byId.get(surveyId) });
  }
  return { kind: 'surveyed', recipients, byContact };
}

/**
 * Survey delivery: finds the way to each pending survey's person and hands the post to the outbox.
 *
 * - The person: the contact's Slack user ID, else `users.lookupByEmail`. Then `conversations.open` for a
 *   DM. Champions are often external (Slack Connect) users whose DM is refused (DM_REFUSALS): then a
 *   channel Pulse shares with them (sharedChannel), as an ephemeral message only they see. The account's
 *   `channel_id` is often internal (its alerts go there), so it is used only when they are in it; a
 *   mention there (its buttons count only their click) only when it is shared outside the workspace, as
 *   a mention in a channel they cannot see reaches nobody. No route at all: the survey is undeliverable,
 *   with the reason, and the account's owner is told once (by DM, through the outbox).
 * - Their channels are one `users.conversations` page (an external person is in few of ours); the bot's
 *   own channels are listed once per run, since Slack leaves `is_member` out of that list.
 * - No lock is held while Slack is called (with PGlite an open transaction would stall every other
 *   query): the route is recorded by a conditional update (`status = 'pending'`) in the transaction that
 *   enqueues the post, so when two deliveries race, one posts and the other's lookups were wasted reads.
 * - Slack trouble that may heal (rate limits aside, which are waited out) leaves the survey pending with
 *   the reason; the expiry run gives up on it after SURVEY_LIFETIME_DAYS, so nothing retries forever.
 */
export type DeliveryOutcome =
  | { surveyId: number; kind: 'sent'; route: SurveyRoute; channel: string; recipientSlackId: string }
  | { surveyId: number; kind: 'undeliverable'; reason: string }
  /** Still pending: Slack could not be asked this time. */
  | { surveyId: number; kind: 'retry'; reason: string };

export interface DeliveryReport {
  outcomes: DeliveryOutcome[];
  /** 429 answers waited out. */
  rateLimited: number;
}

type DeliveryDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>;

/** Thrown when a lookup fails in a way that says the person has no route (not a Slack outage). */
class NoRoute extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const slackError = (error: unknown) => (error instanceof WebAPIPlatformError ? error.data.error : undefined);

/** A channel as `users.conversations` lists it. */
export interface ListedChannel {
  id: string;
  isExtShared: boolean;
}

/**
 * The channel where an ephemeral reaches the person: one both they and the bot are in, the account's own
 * first, then one shared with their organisation (Slack Connect), then any other (ordered by ID, so the
 * same person gets the same channel every time).
 */
export function sharedChannel(
  accountChannel: string | null,
  theirs: readonly ListedChannel[],
  botIn: ReadonlySet<string>,
): string | undefined {
  const both = theirs.filter((c) => botIn.has(c.id));
  if (accountChannel && both.some((c) => c.id === accountChannel)) return accountChannel;
  return both.toSorted((a, b) => Number(b.isExtShared) - Number(a.isExtShared) || a.id.localeCompare(b.id))[0]
    ?.id;
}

const CHANNEL_TYPES = 'public_channel,private_channel';
/** One page of the person's channels; Slack recommends no more than 200, and allows 999. */
const THEIR_CHANNELS_PAGE = 200;

/** The workspace's identity, asked once per client: the bot's user ID and the name for the question. */
const identities = new WeakMap<WebClient, Promise<{ botUserId: string; teamName: string }>>();
function identity(client: WebClient) {
  let known = identities.get(client);
  if (!known) {
    known = client.auth
      .test()
      .then((a) => ({ botUserId: String(a.user_id), teamName: String(a.team ?? '') }));
    known.catch(() => identities.delete(client));
    identities.set(client, known);
  }
  return known;
}

/** A note to the owner speaks their locale (as Pulse last read it); in the alert channel, the team's. */
async function noteLocale(tx: Executor, deps: Pick<Deps, 'config'>, owner: string | null): Promise<Locale> {
  const team = deps.config.locale ?? 'en';
  return owner ? (await recipientLocales(tx, [owner], team))(owner) : team;
}

/** Enqueues the CSM's note about a survey Pulse gave up on: to the owner by DM, else the alert channel. */
export async function tellUndeliverable(
  tx: Executor,
  deps: Pick<Deps, 'config'>,
  survey: UndeliverableSurvey,
): Promise<void> {
  const channel = survey.ownerSlackId ?? deps.config.alertChannel;
  if (!channel) return;
  await enqueueSlackMessage(tx, {
    dedupeKey: surveyUndeliverableKey(survey.id),
    method: 'chat.postMessage',
    payload: { channel, ...undeliverableNote(survey, await noteLocale(tx, deps, survey.ownerSlackId)) },
  });
}

/**
 * Routes the pending surveys (only `ids` when given), at most `concurrency` Slack lookups at a time,
 * until none is left or `deadline` (epoch ms of the real clock) has passed.
 */
export async function deliverPendingSurveys(
  deps: DeliveryDeps,
  client: WebClient,
  opts: {
    ids?: number[];
    /** Leave out surveys sent with `/cs survey` after this instant (the command delivers them). */
    manualAfter?: Date;
    concurrency?: number;
    batchSize?: number;
    deadline?: number;
  } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { outcomes: [], rateLimited: 0 };
  const me = await identity(client);
  const product = deps.config.surveys.productName ?? me.teamName;

  /** A Web API call with Slack's rate limits waited out (Retry-After), as Slack asks. */
  async function call<T>(work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof WebAPIRateLimitedError)) throw error;
        report.rateLimited += 1;
        await sleep(error.retryAfter * 1000);
      }
    }
  }

  /** The channels the bot is in, listed once per run: the person's list does not say. */
  let botChannels: Promise<Set<string>> | undefined;
  function botIn(): Promise<Set<string>> {
    botChannels ??= (async () => {
      const all = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await call(() =>
          client.users.conversations({ types: CHANNEL_TYPES, exclude_archived: true, limit: 999, cursor }),
        );
        for (const c of page.channels ?? []) all.add(c.id!);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return all;
    })();
    return botChannels;
  }

  async function theirChannels(user: string): Promise<ListedChannel[]> {
    try {
      const page = await call(() =>
        client.users.conversations({
          user,
          types: CHANNEL_TYPES,
          exclude_archived: true,
          limit: THEIR_CHANNELS_PAGE,
        }),
      );
      return (page.channels ?? []).map((c) => ({ id: c.id!, isExtShared: c.is_ext_shared === true }));
    } catch (error) {
      if (DM_REFUSALS.has(slackError(error) ?? '')) return [];
      throw error;
    }
  }

  /** Whether an account's channel is shared outside the workspace, so a person not in it may still see it. */
  const sharedOutsideKnown = new Map<string, Promise<boolean>>();
  function sharedOutside(channel: string): Promise<boolean> {
    let known = sharedOutsideKnown.get(channel);
    if (!known) {
      known = call(() => client.conversations.info({ channel })).then(
        (info) => info.channel?.is_ext_shared === true,
        (error) => {
          if (slackError(error) === 'channel_not_found') return false;
          throw error;
        },
      );
      sharedOutsideKnown.set(channel, known);
    }
    return known;
  }

  async function userIdOf(survey: PendingSurvey): Promise<string> {
    if (survey.slackUserId) return survey.slackUserId;
    try {
      const found = await call(() => client.users.lookupByEmail({ email: survey.email }));
      return found.user!.id!;
    } catch (error) {
      if (slackError(error) === 'users_not_found') throw new NoRoute('no_slack_user');
      throw error;
    }
  }

  async function route(
    survey: PendingSurvey,
  ): Promise<{ route: SurveyRoute; channel: string; user: string }> {
    const user = await userIdOf(survey);
    try {
      const opened = await call(() => client.conversations.open({ users: user }));
      return { route: 'dm', channel: opened.channel!.id!, user };
    } catch (error) {
      const refusal = slackError(error);
      if (!refusal || !DM_REFUSALS.has(refusal)) throw error;
    }
    const [theirs, mine] = await Promise.all([theirChannels(user), botIn()]);
    const channel = sharedChannel(survey.channelId, theirs, mine);
    if (channel) return { route: 'channel_ephemeral', channel, user };
    const botIsMember = survey.channelId ? mine.has(survey.channelId) : undefined;
    // Someone not in a channel can see it only when it is shared with their organisation: in an internal
    // channel a mention reaches nobody (and tells the customer's name to whoever reads it).
    const internalOnly = botIsMember === true && !(await sharedOutside(survey.channelId!));
    const fallback = fallbackRoute({
      channelId: internalOnly ? null : survey.channelId,
      isMember: false,
      botIsMember,
    });
    if ('undeliverable' in fallback) throw new NoRoute(fallback.undeliverable);
    return { route: fallback.route, channel: survey.channelId!, user };
  }

  async function deliver(survey: PendingSurvey): Promise<DeliveryOutcome> {
    if (survey.accountStatus === 'churned') return giveUp(survey, 'account_churned', false);
    let found: Awaited<ReturnType<typeof route>>;
    try {
      found = await route(survey);
    } catch (error) {
      if (error instanceof NoRoute) return giveUp(survey, error.reason, true);
      const reason = slackError(error) ?? (error as Error).message ?? 'unexpected_error';
      deps.logger.warn({ err: error, surveyId: survey.id }, 'survey route lookup failed; will retry');
      await noteDeliveryProblem(deps.db.orm, survey.id, reason);
      return { surveyId: survey.id, kind: 'retry', reason };
    }
    const sentAt = deps.clock();
    const expiresAt = surveyExpiresAt(sentAt);
    const message = surveyMessage({
      surveyId: survey.id,
      kind: survey.kind,
      locale: survey.locale,
      product,
      recipientName: survey.contactName,
      ...(found.route === 'channel_mention' && { mentionUserId: found.user }),
      expiresAt,
      timezone: deps.config.timezone,
    });
    const recorded = await deps.db.orm.transaction(async (tx) => {
      const won = await recordRoute(tx, {
        id: survey.id,
        route: found.route,
        recipientSlackId: found.user,
        channel: found.channel,
        sentAt,
        expiresAt,
      });
      if (!won) return false;
      await enqueueSurveyPost(tx, survey.id, {
        method: found.route === 'channel_ephemeral' ? 'chat.postEphemeral' : 'chat.postMessage',
        payload: {
          channel: found.channel,
          ...(found.route === 'channel_ephemeral' && { user: found.user }),
          ...message,
        },
        // The one message Pulse means for a customer: their own question, and nothing of the account's.
        audience: 'customer',
      });
      return true;
    });
    if (!recorded) return { surveyId: survey.id, kind: 'retry', reason: 'taken_by_another_delivery' };
    return {
      surveyId: survey.id,
      kind: 'sent',
      route: found.route,
      channel: found.channel,
      recipientSlackId: found.user,
    };
  }

  async function giveUp(survey: PendingSurvey, reason: string, tellOwner: boolean): Promise<DeliveryOutcome> {
    await deps.db.orm.transaction(async (tx) => {
      if (!(await markUndeliverable(tx, survey.id, reason)) || !tellOwner) return;
      await tellUndeliverable(tx, deps, {
        id: survey.id,
        kind: survey.kind,
        reason,
        accountName: survey.accountName,
        ownerSlackId: survey.ownerSlackId,
        contactName: survey.contactName,
        email: survey.email,
      });
    });
    return { surveyId: survey.id, kind: 'undeliverable', reason };
  }

  const concurrency = opts.concurrency ?? 4;
  const batchSize = opts.batchSize ?? 200;
  let afterId = 0;
  for (;;) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break;
    const batch = await pendingSurveys(deps.db.orm, {
      limit: batchSize,
      ids: opts.ids,
      afterId,
      manualAfter: opts.manualAfter,
    });
    if (!batch.length) break;
    afterId = batch.at(-1)!.id;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (next < batch.length) {
          const survey = batch[next++]!;
          report.outcomes.push(await deliver(survey));
        }
      }),
    );
  }
  return report;
}
