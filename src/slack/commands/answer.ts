import type { KnownBlock } from '@slack/types';

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
