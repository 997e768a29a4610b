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
import { setTimeout as sleep } from 'node:timers/promises';
import { WebAPIPlatformError, WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { surveyUndeliverableKey } from '../domain/outbox-keys.ts';
import { DM_REFUSALS, fallbackRoute, type SurveyRoute, surveyExpiresAt } from '../domain/surveys.ts';
import { surveyMessage } from '../slack/blocks/survey.ts';
import { undeliverableNote } from '../slack/blocks/survey-notes.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import type { UndeliverableSurvey } from '../store/surveys/closing.ts';
import {
  enqueueSurveyPost,
  markUndeliverable,
  noteDeliveryProblem,
  type PendingSurvey,
  pendingSurveys,
  recordRoute,
} from '../store/surveys/delivery.ts';

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
    payload: { channel, ...undeliverableNote(survey) },
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
