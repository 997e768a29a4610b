import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

/**
 * Where Pulse's Slack listeners are registered: the same calls as Bolt's `app.command`, `app.action`,
 * `app.view`, `app.shortcut` and `app.event`, with the same argument types, matched the way Bolt
 * matches them (a command by name, a block action by its first action's `action_id`, a view submission
 * by `callback_id`, a shortcut by `callback_id`, an event by its type).
 */
export interface Listeners {
  /** The app's Web API client, for work outside a request (the App Home's refreshing). */
  readonly client: WebClient;
  command(name: string, listener: Middleware<SlackCommandMiddlewareArgs>): void;
  /** A string matches the `action_id` exactly; a pattern is tried only when no string matched. */
  action<A extends SlackAction = SlackAction>(
    actionId: string | RegExp,
    listener: Middleware<SlackActionMiddlewareArgs<A>>,
  ): void;
  /** View submissions only (`view_closed` is not listened to), as Bolt's `app.view(callbackId)`. */
  view<V extends SlackViewAction = SlackViewAction>(
    callbackId: string,
    listener: Middleware<SlackViewMiddlewareArgs<V>>,
  ): void;
  shortcut<S extends SlackShortcut = SlackShortcut>(
    callbackId: string,
    listener: Middleware<SlackShortcutMiddlewareArgs<S>>,
  ): void;
  event<E extends string>(type: E, listener: Middleware<SlackEventMiddlewareArgs<E>>): void;
}

type AnyListener = (args: AnyMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;

/**
 * Every listener of the app behind one Bolt middleware that finds a request's listener in a map. Bolt
 * itself, for each request, runs the matchers of every registered listener, each through a middleware
 * chain that copies the request's arguments: with about 35 listeners that was a sixth of the bot's CPU
 * per `/cs` command. Here a request costs one lookup. One listener per id: registering an id twice is a
 * start-up error (Bolt would have run both).
 */
export function createListeners(client: WebClient): Listeners & { dispatch: Middleware<AnyMiddlewareArgs> } {
  const commands = new Map<string, AnyListener>();
  const actions = new Map<string, AnyListener>();
  const actionPatterns: Array<[RegExp, AnyListener]> = [];
  const views = new Map<string, AnyListener>();
  const shortcuts = new Map<string, AnyListener>();
  const events = new Map<string, AnyListener>();

  const add = (map: Map<string, AnyListener>, kind: string, id: string, listener: unknown) => {
    if (map.has(id)) throw new Error(`two Slack listeners for the ${kind} ${id}`);
    map.set(id, listener as AnyListener);
  };

  /** The listener of a request, by what Slack sent: undefined when none listens to it. */
  const listenerOf = (body: Record<string, unknown>): AnyListener | undefined => {
    if (typeof body.command === 'string') return commands.get(body.command);
    switch (body.type) {
      case 'block_actions': {
        const actionId = (body.actions as Array<{ action_id?: string }> | undefined)?.[0]?.action_id;
        if (typeof actionId !== 'string') return undefined;
        return actions.get(actionId) ?? actionPatterns.find(([pattern]) => pattern.test(actionId))?.[1];
      }
      case 'view_submission':
        return views.get((body.view as { callback_id?: string } | undefined)?.callback_id ?? '');
      case 'shortcut':
      case 'message_action':
        return shortcuts.get(String(body.callback_id));
      case 'event_callback':
        return events.get((body.event as { type?: string } | undefined)?.type ?? '');
      default:
        return undefined;
    }
  };

  return {
    client,
    command: (name, listener) => add(commands, 'command', name, listener),
    action: (actionId, listener) => {
      if (typeof actionId === 'string') add(actions, 'action', actionId, listener);
      else actionPatterns.push([actionId, listener as AnyListener]);
    },
    view: (callbackId, listener) => add(views, 'view', callbackId, listener),
    shortcut: (callbackId, listener) => add(shortcuts, 'shortcut', callbackId, listener),
    event: (type, listener) => add(events, 'event', type, listener),
    async dispatch(args) {
      const listener = listenerOf(args.body as unknown as Record<string, unknown>);
      // Nothing of Pulse's listens: whatever Bolt has registered itself still may.
      if (!listener) return args.next();
      await listener(args);
    },
  };
}
