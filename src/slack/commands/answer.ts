import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Access } from '../access.ts';

/** What a subcommand answers: ephemeral unless it is meant for the channel. */
export interface CommandAnswer {
  text: string;
  blocks?: KnownBlock[];
  response_type?: 'ephemeral' | 'in_channel';
}

export const ephemeral = (text: string, blocks?: KnownBlock[]): CommandAnswer => ({
  response_type: 'ephemeral',
  text,
  blocks,
});

/** What a person sees when Pulse failed them: never a stack trace; the details are in the logs. */
export const FAILURE_TEXT =
  'Sorry, that failed on our side. It has been logged; please try again in a minute.';

/** Who ran the command, where, and what a handler may use to act on Slack (modals, uploads). */
export interface CommandContext {
  userId: string;
  channelId: string;
  /** Opens a modal within 3 s of the command; single use. */
  triggerId: string;
  client: WebClient;
  access: Access;
}
