import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { View } from '@slack/types';
import type { Deps } from '../../deps.ts';
import type { Need } from '../../domain/access.ts';
import { type Locale, t } from '../../i18n/index.ts';
import type { Access } from '../access.ts';
import { truncate } from '../blocks/format.ts';
import { type CommandAnswer, ephemeral } from '../commands/answer.ts';

export type ClickArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

/** The answer modal's title when the click names none. */
const PRODUCT = 'Pulse';

/**
 * Opens a modal for a click: on top of the modal the click came from (a health card shown in a modal from
 * the App Home), since Slack stacks views there with views.push; else a new one with views.open.
 */
export function openView(client: ClickArgs['client'], body: BlockAction, view: View) {
  const request = { trigger_id: body.trigger_id, view };
  return body.view?.type === 'modal' ? client.views.push(request) : client.views.open(request);
}

/** A modal holding an answer: the App Home has no response_url to answer in. */
function answerModal(title: string, answer: CommandAnswer, locale: Locale): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24) },
    close: { type: 'plain_text', text: truncate(t(locale, 'label.close'), 24) },
    blocks: (answer.blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: answer.text } }]).slice(
      0,
      100,
    ),
  };
}

/**
 * Every button and menu on Pulse's messages and App Home: acknowledged at once (Slack waits 3 s at
 * most), then the access check, whose refusal names no account, then the work. The work opens its own
 * modal, updates a message, or returns an answer; the answer, a refusal or a failure is shown only to the
 * person who clicked: ephemerally under a message, or in a small modal in the App Home, which has no
 * response_url. Failures are logged. Whatever it shows speaks the clicker's Slack locale, which the work
 * receives too.
 *
 * A survey's answer buttons are not for the CS team: only the survey's recipient may answer, which the
 * work checks itself (`need: 'recipient'`: no team check), and a failure is only logged (`tellFailure:
 * false`): the recipient is a customer, not someone who can act on Pulse's failure.
 */
export function onClick<A extends BlockAction>(
  deps: Deps,
  access: Access,
  options: {
    need: Need | 'recipient' | ((args: ClickArgs<A>) => Need);
    /** Show the person a failure (the default), or only log it. */
    tellFailure?: boolean;
    /** The log line of a failure. */
    failure: string;
    /** The title of the answer's modal in the App Home. */
    title?: (args: ClickArgs<A>, locale: Locale) => string;
  },
  work: (args: ClickArgs<A>, locale: Locale) => Promise<CommandAnswer | undefined>,
) {
  return async (args: ClickArgs<A>): Promise<void> => {
    await args.ack();
    const { body, client, respond } = args;
    let locale: Locale = 'en';
    const show = async (reply: CommandAnswer) => {
      if (body.container?.type === 'view' || !body.response_url) {
        const title = options.title?.(args, locale) ?? PRODUCT;
        await openView(client, body, answerModal(title, reply, locale));
      } else {
        await respond({ ...reply, response_type: 'ephemeral', replace_original: false });
      }
    };
    try {
      const need = typeof options.need === 'function' ? options.need(args) : options.need;
      const verdict =
        need === 'recipient' ? { allowed: true as const } : await access.check(client, body.user.id, need);
      // A survey's recipient is a customer: the survey's own locale speaks to them, not this one.
      if (need !== 'recipient') locale = await access.localeOf(client, body.user.id);
      const reply = verdict.allowed ? await work(args, locale) : ephemeral(verdict.text);
      if (reply) await show(reply);
    } catch (error) {
      deps.logger.error(
        { err: error, user: body.user.id, action: body.actions[0]?.action_id },
        options.failure,
      );
      if (options.tellFailure !== false)
        await show(ephemeral(t(locale, 'click.failure'))).catch(() => undefined);
    }
  };
}
