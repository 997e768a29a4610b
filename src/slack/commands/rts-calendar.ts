import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SuccessReview } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { type CalendarFile, reviewCalendarFile } from '../blocks/review-calendar.ts';

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

/** Uploads the review's .ics to the conversation (Slack's files.uploadV2), falling back to the person's DM. */
export async function shareCalendarFile(
  client: WebClient,
  deps: Pick<Deps, 'logger'>,
  review: SuccessReview,
  account: { key: string; name: string },
  to: Audience,
): Promise<void> {
  const upload = (channel: string, file: CalendarFile) =>
    client.files.uploadV2({
      channel_id: channel,
      file: Buffer.from(file.content, 'utf8'),
      filename: file.filename,
      title: file.title,
      initial_comment: file.comment,
    });
  // `/cs rts` does not await it: every failure, building the file included, ends in the log, never in
  // an unhandled rejection.
  try {
    const file = reviewCalendarFile(review, account);
    try {
      await upload(to.channelId ?? (await dmChannel(client, to.userId)), file);
    } catch (error) {
      if (!to.channelId || !NOT_HERE.has(slackError(error) ?? '')) throw error;
      await upload(await dmChannel(client, to.userId), file);
    }
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
