import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SuccessReview } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import type { Locale } from '../../i18n/index.ts';
import { reviewCalendarFile } from '../blocks/review-calendar.ts';

/** Slack's answers when the bot cannot post where the person asked: the DM with Pulse is used instead. */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
const slackError = (error: unknown) => (error as { data?: { error?: string } })?.data?.error;

/** Where a person hears back: the conversation they asked in, else their DM with Pulse. */
export interface Audience {
  userId: string;
  channelId?: string;
}

async function dmChannel(client: WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  return opened.channel!.id!;
}

/**
 * Uploads the review's .ics (Slack's files.uploadV2) to the person who scheduled it, in their DM with
 * Pulse: the file names the customer and the agenda, and the conversation `/cs rts` was typed in may be
 * a channel the customer reads.
 */
export async function shareCalendarFile(
  client: WebClient,
  deps: Pick<Deps, 'logger'>,
  review: SuccessReview,
  account: { key: string; name: string },
  userId: string,
  locale: Locale = 'en',
): Promise<void> {
  // `/cs rts` does not await it: every failure, building the file included, ends in the log, never in
  // an unhandled rejection.
  try {
    const file = reviewCalendarFile(review, account, locale);
    await client.files.uploadV2({
      channel_id: await dmChannel(client, userId),
      file: Buffer.from(file.content, 'utf8'),
      filename: file.filename,
      title: file.title,
      initial_comment: file.comment,
    });
  } catch (error) {
    deps.logger.error({ err: error, reviewId: review.id }, 'sharing the review calendar file failed');
  }
}

/** Tells the person privately: an ephemeral message where they asked, else a DM. */
export async function tellPrivately(
  client: WebClient,
  to: Audience,
  message: { text: string; blocks?: KnownBlock[] },
): Promise<void> {
  if (to.channelId) {
    try {
      await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, ...message });
      return;
    } catch (error) {
      if (!NOT_HERE.has(slackError(error) ?? '')) throw error;
    }
  }
  await client.chat.postMessage({ channel: to.userId, ...message });
}
