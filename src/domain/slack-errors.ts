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

/** What a CS team should do about a permanent failure, when a person can fix it. */
export function slackErrorAdvice(error: string): string | undefined {
  switch (error) {
    case 'not_in_channel':
      return 'Pulse is not a member of the channel: invite it with /invite @pulse';
    case 'channel_not_found':
      return 'the channel does not exist or Pulse cannot see it: check the account’s channel ID';
    case 'is_archived':
      return 'the channel is archived: unarchive it or give the account another channel';
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return 'the bot token is no longer valid: reinstall Pulse and update SLACK_BOT_TOKEN';
    case 'missing_scope':
      return 'the app lacks a scope: update it from manifest.json and reinstall';
    default:
      return undefined;
  }
}
