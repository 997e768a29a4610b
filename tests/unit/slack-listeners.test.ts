import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createListeners } from '../../src/slack/listeners.ts';

/** What Bolt hands a global middleware for a request with this body: here only body and next matter. */
function request(body: Record<string, unknown>) {
  const reached = { next: false };
  const args = {
    body,
    next: async () => {
      reached.next = true;
    },
  } as unknown as AnyMiddlewareArgs & AllMiddlewareArgs;
  return { args, reached };
}

function setUp() {
  const listeners = createListeners(new WebClient('xoxb-test'));
  const calls: string[] = [];
  const record = (name: string) => async () => {
    calls.push(name);
  };
  listeners.command('/cs', record('command'));
  listeners.action('alert_acknowledge', record('acknowledge'));
  listeners.action(/^survey_score_\d+$/, record('score'));
  listeners.action('survey_score_7', record('exact score'));
  listeners.view('alert_resolve_modal', record('resolve modal'));
  listeners.shortcut('log_to_account', record('shortcut'));
  listeners.event('app_home_opened', record('home'));
  return { listeners, calls };
}

describe('Slack listeners dispatched by id', () => {
  it('finds each request’s one listener the way Bolt matches it', async () => {
    const { listeners, calls } = setUp();
    const bodies: Array<[Record<string, unknown>, string]> = [
      [{ command: '/cs', text: 'health acme' }, 'command'],
      [{ type: 'block_actions', actions: [{ action_id: 'alert_acknowledge' }] }, 'acknowledge'],
      [{ type: 'block_actions', actions: [{ action_id: 'survey_score_3' }] }, 'score'],
      // An exact id wins over a pattern that also matches it.
      [{ type: 'block_actions', actions: [{ action_id: 'survey_score_7' }] }, 'exact score'],
      [{ type: 'view_submission', view: { callback_id: 'alert_resolve_modal' } }, 'resolve modal'],
      [{ type: 'message_action', callback_id: 'log_to_account' }, 'shortcut'],
      [{ type: 'shortcut', callback_id: 'log_to_account' }, 'shortcut'],
      [{ type: 'event_callback', event: { type: 'app_home_opened' } }, 'home'],
    ];
    for (const [body, expected] of bodies) {
      const { args, reached } = request(body);
      await listeners.dispatch(args);
      expect(calls.pop()).toBe(expected);
      expect(reached.next).toBe(false);
    }
  });

  it('passes what no listener takes on to Bolt, and never runs a listener for it', async () => {
    const { listeners, calls } = setUp();
    for (const body of [
      { command: '/other' },
      { type: 'block_actions', actions: [{ action_id: 'nobody_listens' }] },
      { type: 'block_actions', actions: [] },
      // Bolt's app.view(callbackId) takes submissions only.
      { type: 'view_closed', view: { callback_id: 'alert_resolve_modal' } },
      { type: 'event_callback', event: { type: 'channel_left' } },
      { type: 'block_suggestion', action_id: 'alert_acknowledge' },
    ]) {
      const { args, reached } = request(body);
      await listeners.dispatch(args);
      expect(reached.next).toBe(true);
    }
    expect(calls).toEqual([]);
  });

  it('refuses a second listener for one id at start-up', () => {
    const { listeners } = setUp();
    const noop = async () => {};
    expect(() => listeners.action('alert_acknowledge', noop)).toThrow(/alert_acknowledge/);
    expect(() => listeners.view('alert_resolve_modal', noop)).toThrow(/alert_resolve_modal/);
    expect(() => listeners.command('/cs', noop)).toThrow(/\/cs/);
    expect(() => listeners.event('app_home_opened', noop)).toThrow(/app_home_opened/);
  });

  it('lets a listener’s failure reach Bolt’s error handling', async () => {
    const listeners = createListeners(new WebClient('xoxb-test'));
    listeners.action('boom', async () => {
      throw new Error('boom');
    });
    const { args } = request({ type: 'block_actions', actions: [{ action_id: 'boom' }] });
    await expect(listeners.dispatch(args)).rejects.toThrow('boom');
  });
});
