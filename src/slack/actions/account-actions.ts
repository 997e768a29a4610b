import type {
  BlockAction,
  BlockButtonAction,
  BlockOverflowAction,
  BlockStaticSelectAction,
} from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import type { Need } from '../../domain/access.ts';
import { type Locale, type MessageKey, t } from '../../i18n/index.ts';
import { findAccount } from '../../store/account-search.ts';
import { loadAccount } from '../../store/reviews.ts';
import type { Access } from '../access.ts';
import { portfolioAnswer } from '../commands/accounts.ts';
import type { CommandAnswer } from '../commands/answer.ts';
import { ephemeral } from '../commands/answer.ts';
import { healthAnswer } from '../commands/health.ts';
import { openReviewModal } from '../commands/rts.ts';
import { ACCOUNT, ACTION } from '../constants.ts';
import { publishHome } from '../events/app-home.ts';
import type { Listeners } from '../listeners.ts';
import { type ClickArgs, onClick } from './click.ts';
import { openLogModal, registerMilestoneLog } from './milestone-log.ts';

const chosenKey = (body: BlockAction) => {
  const action = body.actions[0] as { value?: string; selected_option?: { value: string } };
  return action.selected_option?.value ?? action.value ?? '';
};

const gone = (locale: Locale) => ephemeral(t(locale, 'click.accountGone'));

/** The answer modal's title when the choice is gone. */
const PRODUCT = 'Pulse';

const portfolioPage = z.object({
  band: z.enum(['red', 'yellow', 'green']).optional(),
  offset: z.number().int().min(0),
});

/**
 * Account menus of the digest and the App Home, and an incident's next-step buttons: the health card (readers), "Log a milestone" and
 * "Schedule a review" (writers), each opening its modal with the click's trigger_id. Any other answer
 * (the card, a refusal) is an ephemeral reply under a message, or a small modal in the App Home.
 */
export function registerAccountActions(app: Listeners, deps: Deps, access: Access): void {
  registerMilestoneLog(app, deps, access);

  // The card in the clicker's language.
  const card = async (key: string, _args: ClickArgs, locale: Locale) =>
    healthAnswer({ account: key }, deps, { locale });

  const logMilestone = async (key: string, { body, client }: ClickArgs, locale: Locale) => {
    const match = await findAccount(deps.db.orm, key);
    if (!match.found) return gone(locale);
    return (await openLogModal(deps, client, body.trigger_id, match.account.id, locale))
      ? undefined
      : gone(locale);
  };

  const scheduleReview = async (key: string, { body, client }: ClickArgs, locale: Locale) => {
    const match = await findAccount(deps.db.orm, key);
    const account = match.found ? await loadAccount(deps.db.orm, match.account.id) : undefined;
    if (!account) return gone(locale);
    // A click in a message confirms in its channel; from the App Home, in the person's DM.
    const channelId = body.container?.type === 'view' ? undefined : body.channel?.id;
    await openReviewModal(deps, client, account, { triggerId: body.trigger_id, channelId });
    return undefined;
  };

  const MENU: Record<
    string,
    {
      title: MessageKey;
      need: Need;
      run: (key: string, args: ClickArgs, locale: Locale) => Promise<CommandAnswer | undefined>;
    }
  > = {
    card: { title: 'label.healthCard', need: 'read', run: card },
    milestone: { title: 'label.logMilestone', need: 'write', run: logMilestone },
    review: { title: 'label.scheduleReview', need: 'write', run: scheduleReview },
  };
  /** The menu's choice, `what:key`: its entry and the account's key. */
  const choiceOf = (args: ClickArgs) => {
    const [what, ...key] = chosenKey(args.body).split(':');
    return { entry: MENU[what!], key: key.join(':') };
  };

  app.action<BlockStaticSelectAction | BlockButtonAction>(
    ACCOUNT.healthCard,
    onClick(
      deps,
      access,
      {
        need: 'read',
        failure: 'account action failed',
        title: (_args, locale) => t(locale, 'label.healthCard'),
      },
      (args, locale) => card(chosenKey(args.body), args, locale),
    ),
  );
  // "Next 25" under /cs accounts: the next page replaces the answer it was clicked in.
  app.action<BlockButtonAction>(
    ACCOUNT.portfolioNext,
    onClick(deps, access, { need: 'read', failure: 'turning the portfolio page failed' }, async (args) => {
      const page = portfolioPage.parse(JSON.parse(args.action.value ?? ''));
      const locale = await access.localeOf(args.client, args.body.user.id);
      await args.respond({ ...(await portfolioAnswer(page, deps, { locale })), replace_original: true });
      return undefined;
    }),
  );
  // "Next 25" and "First 25" under the App Home's accounts: the Home is published again from that page.
  const turnHomePage = onClick<BlockButtonAction>(
    deps,
    access,
    { need: 'read', failure: 'turning the App Home page failed' },
    async (args) => {
      const offset = z.coerce.number().int().min(0).parse(args.action.value);
      await publishHome(deps, access, args.client, args.body.user.id, offset);
      return undefined;
    },
  );
  app.action<BlockButtonAction>(ACCOUNT.homeNext, turnHomePage);
  app.action<BlockButtonAction>(ACCOUNT.homeFirst, turnHomePage);

  const menuChoice = onClick<BlockOverflowAction | BlockButtonAction>(
    deps,
    access,
    {
      need: (args) => choiceOf(args).entry?.need ?? 'read',
      failure: 'account action failed',
      title: (args, locale) => {
        const entry = choiceOf(args).entry;
        return entry ? t(locale, entry.title) : PRODUCT;
      },
    },
    async (args, locale) => {
      const { entry, key } = choiceOf(args);
      return entry ? entry.run(key, args, locale) : ephemeral(t(locale, 'click.choiceGone'));
    },
  );
  app.action<BlockOverflowAction>(ACCOUNT.homeMenu, menuChoice);
  // An incident's next step is the same choice as a button: "Schedule review", "Log a milestone".
  app.action<BlockButtonAction>(ACTION.alertScheduleReview, menuChoice);
  app.action<BlockButtonAction>(ACTION.alertLogMilestone, menuChoice);
  // "Open in Stripe", "Open in Zendesk" and "Reply to <name>" are links: Slack opens them and still sends
  // the click, which only needs its ack.
  for (const link of [ACTION.alertOpenStripe, ACTION.alertOpenSource, ACTION.alertReply])
    app.action<BlockButtonAction>(link, async ({ ack }) => {
      await ack();
    });
}
