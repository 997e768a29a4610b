import type {
  App,
  BlockAction,
  BlockButtonAction,
  BlockOverflowAction,
  BlockStaticSelectAction,
} from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import type { Deps } from '../../deps.ts';
import { findAccount } from '../../store/account-search.ts';
import { escapeMrkdwn, truncate } from '../blocks/format.ts';
import type { CommandAnswer } from '../commands/answer.ts';
import { FAILURE_TEXT } from '../commands/answer.ts';
import { healthAnswer } from '../commands/health.ts';
import { ACCOUNT } from '../constants.ts';

/** A modal holding an answer: the App Home has no response_url to answer in. */
function answerModal(title: string, answer: CommandAnswer): View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: (answer.blocks ?? [{ type: 'section', text: { type: 'mrkdwn', text: answer.text } }]).slice(
      0,
      100,
    ),
  };
}

const howTo = (text: string): CommandAnswer => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } } as KnownBlock],
});

const chosenKey = (body: BlockAction) => {
  const action = body.actions[0] as { value?: string; selected_option?: { value: string } };
  return action.selected_option?.value ?? action.value ?? '';
};

/**
 * Account menus of the digest and the App Home: the health card (anyone may read it), and how to log a
 * milestone or schedule a review for that account. Clicked in a message, the answer is an
 * ephemeral reply; clicked in the App Home, a modal.
 */
export function registerAccountActions(app: App, deps: Deps): void {
  const answer =
    (title: (choice: string) => string, work: (choice: string) => Promise<CommandAnswer>) =>
    async ({
      ack,
      body,
      client,
      respond,
    }: Parameters<Parameters<typeof app.action<BlockAction>>[1]>[0]): Promise<void> => {
      await ack();
      try {
        const choice = chosenKey(body);
        const reply = await work(choice);
        if (body.container?.type === 'view' || !body.response_url) {
          await client.views.open({ trigger_id: body.trigger_id, view: answerModal(title(choice), reply) });
        } else {
          await respond({ ...reply, response_type: 'ephemeral', replace_original: false });
        }
      } catch (error) {
        deps.logger.error({ err: error, user: body.user.id }, 'account action failed');
        if (body.response_url) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: FAILURE_TEXT }).catch(
            () => undefined,
          );
        }
      }
    };

  const withAccount = async (key: string, then: (name: string) => string) => {
    const match = await findAccount(deps.db.orm, key);
    return howTo(match.found ? then(escapeMrkdwn(match.account.name)) : 'This account no longer exists.');
  };

  const card = (key: string) => healthAnswer({ account: key }, deps);
  const logMilestone = (key: string) =>
    withAccount(
      key,
      (name) =>
        `To log a milestone *${name}* reached today, type in any channel:\n\`/cs milestone ${key} <title>\`\n\`/cs milestones ${key}\` shows the success plan, where you can plan the next one.`,
    );
  const scheduleReview = (key: string) =>
    withAccount(
      key,
      (name) =>
        `To schedule *${name}*'s success review, type in any channel:\n\`/cs rts ${key}\` (a form asks the date and time), or \`/cs rts ${key} YYYY-MM-DD HH:MM\`.`,
    );
  const MENU: Record<string, [string, (key: string) => Promise<CommandAnswer>]> = {
    card: ['Health card', card],
    milestone: ['Log a milestone', logMilestone],
    review: ['Schedule a review', scheduleReview],
  };

  app.action<BlockStaticSelectAction | BlockButtonAction>(
    ACCOUNT.healthCard,
    answer(() => 'Health card', card),
  );
  app.action<BlockOverflowAction>(
    ACCOUNT.homeMenu,
    answer(
      (choice) => MENU[choice.split(':')[0]!]?.[0] ?? 'Pulse',
      async (choice) => {
        const [what, ...key] = choice.split(':');
        const entry = MENU[what!];
        return entry ? entry[1](key.join(':')) : howTo('That choice is no longer available.');
      },
    ),
  );
}
