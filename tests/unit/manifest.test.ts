import { readFileSync } from 'node:fs';
import type { AppsManifestValidateArguments } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NOTE, USAGE } from '../../src/slack/constants.ts';

type Manifest = AppsManifestValidateArguments['manifest'];
/** Slack's own lists of bot scopes and event names, as its SDK types them: a misspelt name fails tsc. */
type BotScope = NonNullable<NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot']>[number];
type BotEvent = NonNullable<
  NonNullable<NonNullable<Manifest['settings']>['event_subscriptions']>['bot_events']
>[number];

/** Every bot scope Pulse asks for, and the feature that needs it: no scope without a reason. */
const SCOPES_BY_FEATURE: Record<string, BotScope[]> = {
  'the /cs slash command': ['commands'],
  'alerts, digests, surveys and reminders, and updating them after a click (chat.postMessage, chat.update, chat.postEphemeral)':
    ['chat:write'],
  'alerts and digests in CS_ALERT_CHANNEL or an account channel the bot was never invited to': [
    'chat:write.public',
  ],
  'surveys to champions and escalations to owners by DM (conversations.open)': ['im:write'],
  'whether a channel is shared outside the workspace before anything internal is posted there (conversations.info, the channel_shared and channel_unshared events), and the channel a survey whose DM is refused can use (users.conversations)':
    ['channels:read', 'groups:read'],
  'who may read account data: members, not external people or guests (users.info)': ['users:read'],
  'matching contacts to Slack users by e-mail (users.lookupByEmail)': ['users:read.email'],
  'CS_TEAM given as a user group (usergroups.users.list)': ['usergroups:read'],
  'the success review calendar file, .ics (files.uploadV2)': ['files:write'],
  'the outbox finding a message already posted before a crash (conversations.history with metadata)': [
    'channels:history',
    'groups:history',
    'im:history',
  ],
};

const BOT_EVENTS: BotEvent[] = ['app_home_opened', 'channel_shared', 'channel_unshared'];

const slackEvents = z.url({ protocol: /^https$/ }).refine((u) => new URL(u).pathname === '/slack/events', {
  message: 'must be the /slack/events route',
});

/** The parts of the manifest Pulse relies on, with Slack's documented limits. */
const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1), minor_version: z.int().min(0) }),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    long_description: z.string().min(175).max(4000),
    background_color: z.string().regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.literal(true),
      messages_tab_enabled: z.literal(true),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({
      display_name: z.string().regex(/^[a-z0-9._-]{1,80}$/),
      always_online: z.literal(true),
    }),
    slash_commands: z
      .array(
        z.strictObject({
          command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/),
          url: slackEvents,
          description: z.string().min(1).max(2000),
          usage_hint: z.string().min(1).max(1000),
          should_escape: z.boolean(),
        }),
      )
      .length(1),
    shortcuts: z.array(
      z.strictObject({
        name: z.string().min(1).max(24),
        type: z.enum(['message', 'global']),
        callback_id: z.string().min(1).max(255),
        description: z.string().min(1).max(150),
      }),
    ),
  }),
  oauth_config: z.object({ scopes: z.strictObject({ bot: z.array(z.string()).min(1) }) }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({ request_url: slackEvents, bot_events: z.array(z.string()) }),
    interactivity: z.strictObject({ is_enabled: z.literal(true), request_url: slackEvents }),
    org_deploy_enabled: z.literal(false),
    socket_mode_enabled: z.literal(false),
    token_rotation_enabled: z.literal(false),
  }),
});

const raw: unknown = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

describe('manifest.json', () => {
  const parsed = manifestSchema.safeParse(raw);

  it('has every part Pulse relies on, within Slack limits', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('declares /cs with a usage hint naming every subcommand of the contract', () => {
    const [command] = parsed.data!.features.slash_commands;
    expect(command!.command).toBe('/cs');
    const hints = command!.usage_hint.split(' | ');
    expect(hints).toEqual(Object.values(USAGE).map((u) => u.usage.replace(/^\/cs /, '')));
  });

  it('declares the "Log to account" message shortcut with the callback_id its listener handles', () => {
    expect(parsed.data!.features.shortcuts).toEqual([
      expect.objectContaining({ name: NOTE.shortcutName, type: 'message', callback_id: NOTE.shortcut }),
    ]);
  });

  it('asks for exactly the bot scopes the features need', () => {
    const needed = Object.values(SCOPES_BY_FEATURE).flat();
    expect(new Set(needed).size).toBe(needed.length);
    expect([...parsed.data!.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('subscribes to App Home and channel sharing changes, all on /slack/events', () => {
    const { settings } = parsed.data!;
    expect(settings.event_subscriptions.bot_events).toEqual(BOT_EVENTS);
    expect(settings.event_subscriptions.request_url).toBe('https://pulse.example.com/slack/events');
    expect(settings.interactivity.request_url).toBe('https://pulse.example.com/slack/events');
    expect(parsed.data!.features.slash_commands[0]!.url).toBe('https://pulse.example.com/slack/events');
  });

  it('refuses a manifest with Socket Mode on or interactivity elsewhere', () => {
    const settings = (raw as { settings: object }).settings;
    const socket = manifestSchema.safeParse({
      ...(raw as object),
      settings: { ...settings, socket_mode_enabled: true },
    });
    expect(socket.error?.issues.map((i) => i.path.join('.'))).toEqual(['settings.socket_mode_enabled']);
    const elsewhere = manifestSchema.safeParse({
      ...(raw as object),
      settings: {
        ...settings,
        interactivity: { is_enabled: true, request_url: 'https://pulse.example.com/slack/actions' },
      },
    });
    expect(elsewhere.error?.issues.map((i) => i.message)).toEqual(['must be the /slack/events route']);
  });
});
