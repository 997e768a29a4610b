import { createHmac } from 'node:crypto';

/**
 * The requests Slack sends an app, built exactly in Slack's shapes and signed the way Slack signs them
 * (`v0=` HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret).
 */

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number,
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

/** The legacy verification token Slack still puts in every payload; apps ignore it. */
export const VERIFICATION_TOKEN = 'sandboxVerificationTok';

export interface SlackTeamRef {
  id: string;
  domain: string;
}
export interface SlackUserRef {
  id: string;
  /** The handle (`users.info` `name`). */
  name: string;
  /** Team of the person (another one for Slack Connect members). */
  teamId?: string;
}
export interface SlackChannelRef {
  id: string;
  name: string;
}

export interface SlashCommandInput {
  team: SlackTeamRef;
  apiAppId: string;
  channel: SlackChannelRef;
  user: SlackUserRef;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** Slack sends a command's text with `&`, `<` and `>` as HTML entities, as it does a message's. */
const asSlackEncodes = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A slash command: form-encoded, fields in Slack's order. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: input.team.id,
    team_domain: input.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: asSlackEncodes(input.text),
    api_app_id: input.apiAppId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}

/** Interactivity (block_actions, view_submission, view_closed): form-encoded, one `payload` field of JSON. */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

const userObject = (user: SlackUserRef, team: SlackTeamRef) => ({
  id: user.id,
  username: user.name,
  name: user.name,
  team_id: user.teamId ?? team.id,
});

/** One entry of `actions`: what Slack reports for the element the person used. */
export type BlockAction = Record<string, unknown> & { type: string; action_id: string; block_id: string };

export type BlockActionsSource =
  | {
      kind: 'message';
      channel: SlackChannelRef;
      /** The message as Slack stores it; omitted for an ephemeral message, as Slack does. */
      message?: Record<string, unknown>;
      messageTs: string;
      isEphemeral: boolean;
      responseUrl: string;
    }
  | { kind: 'view'; view: Record<string, unknown> & { id: string } };

export interface BlockActionsInput {
  team: SlackTeamRef;
  apiAppId: string;
  user: SlackUserRef;
  triggerId: string;
  source: BlockActionsSource;
  actions: BlockAction[];
  state?: Record<string, Record<string, unknown>>;
}

/** A `block_actions` payload: a click on a button, a choice in a menu, a date picked. */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const common = {
    type: 'block_actions',
    user: userObject(input.user, input.team),
    api_app_id: input.apiAppId,
    token: VERIFICATION_TOKEN,
  };
  const tail = {
    trigger_id: input.triggerId,
    team: { id: input.team.id, domain: input.team.domain },
    enterprise: null,
    is_enterprise_install: false,
  };
  const source = input.source;
  if (source.kind === 'view') {
    return {
      ...common,
      container: { type: 'view', view_id: source.view.id },
      ...tail,
      view: source.view,
      actions: input.actions,
    };
  }
  return {
    ...common,
    container: {
      type: 'message',
      message_ts: source.messageTs,
      channel_id: source.channel.id,
      is_ephemeral: source.isEphemeral,
    },
    ...tail,
    channel: { id: source.channel.id, name: source.channel.name },
    ...(source.message && { message: source.message }),
    state: { values: input.state ?? {} },
    response_url: source.responseUrl,
    actions: input.actions,
  };
}

export interface MessageShortcutInput {
  team: SlackTeamRef;
  user: SlackUserRef;
  channel: SlackChannelRef;
  callbackId: string;
  /** The message as Slack stores it. */
  message: Record<string, unknown> & { ts: string };
  triggerId: string;
  responseUrl: string;
  actionTs: string;
}

/** A `message_action` payload: the person chose the app's shortcut in a message's "More actions" menu. */
export function messageShortcutPayload(input: MessageShortcutInput): Record<string, unknown> {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: input.actionTs,
    team: { id: input.team.id, domain: input.team.domain },
    user: { ...userObject(input.user, input.team), username: input.user.name },
    channel: { id: input.channel.id, name: input.channel.name },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: input.message,
  };
}

export interface ViewPayloadInput {
  team: SlackTeamRef;
  apiAppId: string;
  user: SlackUserRef;
  /** The view as Slack returns it, with `state.values` holding what the person entered. */
  view: Record<string, unknown>;
  triggerId: string;
}

/** A `view_submission` payload: the person pressed the modal's submit button. */
export function viewSubmissionPayload(input: ViewPayloadInput): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: input.team.id, domain: input.team.domain },
    user: userObject(input.user, input.team),
    api_app_id: input.apiAppId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A `view_closed` payload: the person cancelled a modal that asked for `notify_on_close`. */
export function viewClosedPayload(input: Omit<ViewPayloadInput, 'triggerId'> & { isCleared: boolean }) {
  return {
    type: 'view_closed',
    team: { id: input.team.id, domain: input.team.domain },
    user: userObject(input.user, input.team),
    api_app_id: input.apiAppId,
    token: VERIFICATION_TOKEN,
    view: input.view,
    is_cleared: input.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface EventCallbackInput {
  teamId: string;
  apiAppId: string;
  botUserId: string;
  event: Record<string, unknown> & { type: string };
  eventId: string;
  eventTimeSeconds: number;
}

/** An Events API delivery: a JSON `event_callback` envelope around the event. */
export function eventCallbackBody(input: EventCallbackInput): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.teamId,
    context_team_id: input.teamId,
    context_enterprise_id: null,
    api_app_id: input.apiAppId,
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTimeSeconds,
    authorizations: [
      {
        enterprise_id: null,
        team_id: input.teamId,
        user_id: input.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** An `app_home_opened` event: the person opened the app's Home (or Messages) tab. */
export function appHomeOpenedEvent(input: {
  user: string;
  channel: string;
  tab: 'home' | 'messages';
  eventTs: string;
  view?: Record<string, unknown>;
}): Record<string, unknown> & { type: string } {
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: input.channel,
    tab: input.tab,
    event_ts: input.eventTs,
    ...(input.view && { view: input.view }),
  };
}

type Option = { text: unknown; value: string };

/**
 * The `actions` entry and the `state.values` entry Slack reports for an element given what the person
 * chose: a button press, an option by value, a date `YYYY-MM-DD`, a time `HH:mm`, a user ID, text.
 * Throws when the choice is not one the element offers.
 */
export function elementValue(
  element: Record<string, unknown>,
  choice: string | string[] | null | undefined,
): Record<string, unknown> & { type: string } {
  const type = String(element.type);
  const options = (element.options as Option[] | undefined) ?? [];
  const pick = (value: string) => {
    const option = options.find((o) => o.value === value);
    if (!option) {
      throw new Error(
        `"${value}" is not an option of ${element.action_id} (${options.map((o) => o.value).join(', ')})`,
      );
    }
    return option;
  };
  const one = Array.isArray(choice) ? choice[0] : choice;
  const empty = one === undefined || one === null || one === '';
  switch (type) {
    case 'button': {
      const value = empty ? element.value : one;
      return { type, ...(value !== undefined && { value }) };
    }
    case 'static_select':
    case 'overflow':
    case 'radio_buttons':
    case 'external_select':
      return { type, selected_option: empty ? null : pick(one!) };
    case 'checkboxes':
    case 'multi_static_select': {
      const values = Array.isArray(choice) ? choice : empty ? [] : [one!];
      return { type, selected_options: values.map(pick) };
    }
    case 'datepicker':
      return { type, selected_date: empty ? null : one };
    case 'timepicker':
      return { type, selected_time: empty ? null : one };
    case 'datetimepicker':
      return { type, selected_date_time: empty ? null : Number(one) };
    case 'users_select':
      return { type, selected_user: empty ? null : one };
    case 'multi_users_select':
      return { type, selected_users: Array.isArray(choice) ? choice : empty ? [] : [one] };
    case 'conversations_select':
      return { type, selected_conversation: empty ? null : one };
    case 'channels_select':
      return { type, selected_channel: empty ? null : one };
    default:
      return { type, value: empty ? null : one };
  }
}
