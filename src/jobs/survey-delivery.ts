/**
 * Survey delivery: finds the way to each pending survey's person and hands the post to the outbox.
 *
 * - The person: the contact's Slack user ID, else `users.lookupByEmail`. Then `conversations.open` for a
 *   DM. Champions are often external (Slack Connect) users whose DM is refused (DM_REFUSALS): then the
 *   account's shared channel, as an ephemeral message when they are a member of it, else as a message
 *   mentioning them (its buttons count only their click). No route at all: the survey is undeliverable,
 *   with the reason, and the account's owner is told once (by DM, through the outbox).
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
import { DM_REFUSALS, fallbackRoute, type SurveyRoute, surveyExpiresAt } from '../domain/surveys.ts';
import { surveyMessage } from '../slack/blocks/survey.ts';
import { undeliverableNote } from '../slack/blocks/survey-notes.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import {
  markUndeliverable,
  noteDeliveryProblem,
  type PendingSurvey,
  pendingSurveys,
  recordRoute,
  surveyMessageKey,
  type UndeliverableSurvey,
} from '../store/surveys.ts';

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
    dedupeKey: surveyMessageKey.undeliverable(survey.id),
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
  opts: { ids?: number[]; concurrency?: number; batchSize?: number; deadline?: number } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { outcomes: [], rateLimited: 0 };
  const me = await identity(client);
  const product = deps.config.surveys.productName ?? me.teamName;
  const channelMembers = new Map<string, Promise<Set<string>>>();

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

  async function members(channel: string): Promise<Set<string>> {
    let known = channelMembers.get(channel);
    if (!known) {
      known = (async () => {
        const all = new Set<string>();
        let cursor: string | undefined;
        do {
          const page = await call(() => client.conversations.members({ channel, cursor, limit: 1000 }));
          for (const m of page.members ?? []) all.add(m);
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
        return all;
      })();
      channelMembers.set(channel, known);
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
    let inChannel: Set<string> | undefined;
    if (survey.channelId) {
      try {
        inChannel = await members(survey.channelId);
      } catch (error) {
        const reason = slackError(error);
        if (reason === 'channel_not_found' || reason === 'not_in_channel') throw new NoRoute(reason);
        throw error;
      }
    }
    const fallback = fallbackRoute({
      channelId: survey.channelId,
      isMember: inChannel?.has(user),
      botIsMember: inChannel?.has(me.botUserId),
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
      await enqueueSlackMessage(tx, {
        dedupeKey: surveyMessageKey.post(survey.id),
        method: found.route === 'channel_ephemeral' ? 'chat.postEphemeral' : 'chat.postMessage',
        payload: {
          channel: found.channel,
          ...(found.route === 'channel_ephemeral' && { user: found.user }),
          ...message,
        },
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
    const batch = await pendingSurveys(deps.db.orm, { limit: batchSize, ids: opts.ids, afterId });
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
