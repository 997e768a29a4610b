/**
 * Slack Web API errors that no retry can heal: the request itself, the token or the channel has to be
 * fixed by a person first. Retrying them would only hold the row in the outbox and hide the problem.
 */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'user_not_found',
  'user_not_in_channel',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'team_access_not_granted',
  'ekm_access_denied',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'org_login_required',
  'access_denied',
  'method_deprecated',
  'deprecated_endpoint',
  'unknown_method',
  'invalid_json',
  'json_not_object',
  'invalid_form_data',
  'invalid_post_type',
  'missing_post_type',
  'as_user_not_supported',
]);

/** True when Slack answered with an error that the same request will get again. */
export function isPermanentSlackError(error: string): boolean {
  return PERMANENT.has(error);
}

/**
 * Which advice a CS team needs about a permanent failure, when a person can fix it: the catalogue says
 * it in the reader's language (`card.undelivered.advice`). `token` for every way a token stops working.
 */
export type SlackErrorAdvice =
  | 'not_in_channel'
  | 'channel_not_found'
  | 'is_archived'
  | 'token'
  | 'missing_scope';

export function slackErrorAdvice(error: string): SlackErrorAdvice | undefined {
  switch (error) {
    case 'not_in_channel':
    case 'channel_not_found':
    case 'is_archived':
    case 'missing_scope':
      return error;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return 'token';
    default:
      return undefined;
  }
}
