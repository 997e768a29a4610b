import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  BlockOverflowAction,
  BlockStaticSelectAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { View } from '@slack/types';
import type { Deps } from '../../deps.ts';
import { findAccount } from '../../store/account-search.ts';
import { loadAccount } from '../../store/reviews.ts';
import { truncate } from '../blocks/format.ts';
import type { CommandAnswer } from '../commands/answer.ts';
import { ephemeral, FAILURE_TEXT, notInTeam } from '../commands/answer.ts';
import { healthAnswer } from '../commands/health.ts';
import { openReviewModal } from '../commands/rts.ts';
import { ACCOUNT } from '../constants.ts';
import type { CsTeam } from '../cs-team.ts';
import { LOG_REFUSAL, openLogModal, registerMilestoneLog } from './milestone-log.ts';

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

const chosenKey = (body: BlockAction) => {
  const action = body.actions[0] as { value?: string; selected_option?: { value: string } };
  return action.selected_option?.value ?? action.value ?? '';
};

const GONE = ephemeral('This account no longer exists.');
const REVIEW_REFUSAL = notInTeam('schedule success reviews');

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/**
 * Account menus of the digest and the App Home: the health card (anyone may read it), "Log a milestone"
 * and "Schedule a review" (CS_TEAM only), each opening its modal with the click's trigger_id. Any other
 * answer (the card, a refusal) is an ephemeral reply under a message, or a small modal in the App Home,
 * which has no channel to answer in.
 */
export function registerAccountActions(app: App, deps: Deps, team: CsTeam): void {
  registerMilestoneLog(app, deps, team);

  /** Runs `work` for the chosen account; it opens its own modal, or returns an answer to show. */
  const onChoice =
    (
      title: (choice: string) => string,
      work: (choice: string, args: ActionArgs) => Promise<CommandAnswer | undefined>,
    ) =>
    async (args: ActionArgs): Promise<void> => {
      const { ack, body, client, respond } = args;
      await ack();
      const choice = chosenKey(body);
      const show = async (reply: CommandAnswer) => {
        if (body.container?.type === 'view' || !body.response_url) {
          await client.views.open({ trigger_id: body.trigger_id, view: answerModal(title(choice), reply) });
        } else {
          await respond({ ...reply, response_type: 'ephemeral', replace_original: false });
        }
      };
      try {
        const reply = await work(choice, args);
        if (reply) await show(reply);
      } catch (error) {
        deps.logger.error({ err: error, user: body.user.id, choice }, 'account action failed');
        await show(ephemeral(FAILURE_TEXT)).catch(() => undefined);
      }
    };

  const card = (key: string) => healthAnswer({ account: key }, deps);

  const logMilestone = async (key: string, { body, client }: ActionArgs) => {
    if (!(await team.includes(client, body.user.id))) return ephemeral(LOG_REFUSAL);
    const match = await findAccount(deps.db.orm, key);
    if (!match.found) return GONE;
    return (await openLogModal(deps, client, body.trigger_id, match.account.id)) ? undefined : GONE;
  };

  const scheduleReview = async (key: string, { body, client }: ActionArgs) => {
    if (!(await team.includes(client, body.user.id))) return REVIEW_REFUSAL;
    const match = await findAccount(deps.db.orm, key);
    const account = match.found ? await loadAccount(deps.db.orm, match.account.id) : undefined;
    if (!account) return GONE;
    // A click in a message confirms in its channel; from the App Home, in the person's DM.
    const channelId = body.container?.type === 'view' ? undefined : body.channel?.id;
    await openReviewModal(deps, client, account, { triggerId: body.trigger_id, channelId });
    return undefined;
  };

  const MENU: Record<
    string,
    [string, (key: string, args: ActionArgs) => Promise<CommandAnswer | undefined>]
  > = {
    card: ['Health card', card],
    milestone: ['Log a milestone', logMilestone],
    review: ['Schedule a review', scheduleReview],
  };

  app.action<BlockStaticSelectAction | BlockButtonAction>(
    ACCOUNT.healthCard,
    onChoice(() => 'Health card', card),
  );
  app.action<BlockOverflowAction>(
    ACCOUNT.homeMenu,
    onChoice(
      (choice) => MENU[choice.split(':')[0]!]?.[0] ?? 'Pulse',
      async (choice, args) => {
        const [what, ...key] = choice.split(':');
        const entry = MENU[what!];
        return entry ? entry[1](key.join(':'), args) : ephemeral('That choice is no longer available.');
      },
    ),
  );
}
