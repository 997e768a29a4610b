import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type Locale, t } from '../../i18n/index.ts';
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
export const failureText = (locale: Locale) => t(locale, 'click.failure');
/** The failure in English, for the surfaces that do not know the person's language yet. */
export const FAILURE_TEXT = failureText('en');

/** Who ran the command, where, and what a handler may use to act on Slack (modals, uploads). */
export interface CommandContext {
  userId: string;
  channelId: string;
  /** Opens a modal within 3 s of the command; single use. */
  triggerId: string;
  client: WebClient;
  access: Access;
  /** The person's language (their Slack locale, else PULSE_LOCALE): every answer is only theirs. */
  locale: Locale;
}
