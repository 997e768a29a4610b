import type { BlockAction, BlockButtonAction, BlockStaticSelectAction, UsersSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import type { Need } from '../../domain/access.ts';
import { incidentView } from '../../domain/incidents.ts';
import { DAY } from '../../domain/time.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { channelSharing, mayPostInternal } from '../../services/channel-sharing.ts';
import { assignIncidentTo, incidentMessage } from '../../services/incidents.ts';
import { type AlertAction, applyAlertAction } from '../../store/alerts/actions.ts';
import { incidentsOf, loadIncidents } from '../../store/alerts/incidents.ts';
import { loadAlerts } from '../../store/alerts/load.ts';
import type { Access } from '../access.ts';
import { resolveModal } from '../blocks/alert.ts';
import { type CommandAnswer, ephemeral } from '../commands/answer.ts';
import { healthAnswer } from '../commands/health.ts';
import { ACTION, BLOCK } from '../constants.ts';
import { publishHome } from '../events/app-home.ts';
import type { Listeners } from '../listeners.ts';
import { type ClickArgs, onClick } from './click.ts';

/** Where the clicked message is: chat.update rewrites exactly that one. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** Told to whoever acted on an alert whose channel was shared outside the workspace after it was posted. */
export const sharedSinceText = (locale: Locale) => t(locale, 'click.sharedSince');

/**
 * Renders the current state of the alert's incident into its message, whatever the click changed (or did not); false
 * when its channel has since been shared outside the workspace (or Slack cannot say): the update would
 * show who did what, and notes, where the customer reads, so the message is left as it was.
 */
export async function refreshAlertMessage(
  client: WebClient,
  deps: Deps,
  alertId: number,
  at: MessageRef,
): Promise<boolean> {
  const [incident] = await loadIncidents(deps.db.orm, await incidentsOf(deps.db.orm, [alertId]));
  if (!incident) return true;
  if (!mayPostInternal(await channelSharing(deps, deps.slack ?? client, at.channel))) return false;
  const { text, blocks } = incidentMessage(incident, teamRender(deps));
  await client.chat.update({ ...at, text, blocks });
  return true;
}

/**
 * Applies a team member's decision, records it, and updates the message in place; what only they are
 * told speaks their `locale`.
 */
export async function actOnAlert(
  deps: Deps,
  client: WebClient,
  alertId: number,
  change: AlertAction & { userId: string },
  at: MessageRef,
  locale: Locale,
): Promise<boolean> {
  const changed = await applyAlertAction(deps.db.orm, alertId, { ...change, now: deps.clock() });
  if (!(await refreshAlertMessage(client, deps, alertId, at)))
    await client.chat.postEphemeral({
      channel: at.channel,
      user: change.userId,
      text: sharedSinceText(locale),
    });
  return changed;
}

/** An incident's message is a channel post: the team's language (PULSE_LOCALE). */
const teamRender = (deps: Deps) => ({
  now: deps.clock(),
  timezone: deps.config.timezone,
  locale: deps.config.locale,
});

function messageRef(body: BlockAction): MessageRef | undefined {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  return channel && ts ? { channel: String(channel), ts: String(ts) } : undefined;
}

/**
 * The alert a menu that carries no value (the user select) is about: on a message, its buttons' value;
 * on the App Home, its block's id.
 */
function alertOfMessage(body: BlockAction): string | undefined {
  const blockId = body.actions[0]?.block_id ?? '';
  if (blockId.startsWith(BLOCK.homeIncidentPrefix)) return blockId.slice(BLOCK.homeIncidentPrefix.length);
  const blocks = (body.message?.blocks ?? []) as Array<{
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  return blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.alertHealthCard)?.value;
}

const fromHome = (body: BlockAction) => body.container?.type === 'view' && body.view?.type === 'home';

/** A click on the App Home acts on the incident's message in its channel, once it is posted. */
async function postedMessage(deps: Deps, alertId: number): Promise<MessageRef | undefined> {
  const [incident] = await loadIncidents(deps.db.orm, await incidentsOf(deps.db.orm, [alertId]));
  const post = incident?.post;
  return post?.status === 'sent' && post.channel && post.ts
    ? { channel: post.channel, ts: post.ts }
    : undefined;
}

/**
 * An alert's button or menu: the alert it acts on and its message, else nothing happens. From the App
 * Home, the message is the incident's post, and the person's Home is published again after the work.
 */
function onAlertClick<A extends BlockAction>(
  deps: Deps,
  access: Access,
  need: Need,
  work: (
    args: ClickArgs<A>,
    alertId: number,
    at: MessageRef,
    locale: Locale,
  ) => Promise<CommandAnswer | undefined>,
) {
  return onClick<A>(deps, access, { need, failure: 'alert click failed' }, async (args, locale) => {
    const action = args.body.actions[0]!;
    const raw =
      'selected_option' in action
        ? action.selected_option?.value
        : ((action as { value?: string }).value ?? alertOfMessage(args.body));
    const alertId = Number(String(raw).split(':')[0]);
    if (!Number.isSafeInteger(alertId)) return undefined;
    if (!fromHome(args.body)) {
      const at = messageRef(args.body);
      return at && work(args, alertId, at, locale);
    }
    const at = await postedMessage(deps, alertId);
    if (!at) return ephemeral(t(locale, 'click.notPosted'));
    const answer = await work(args, alertId, at, locale);
    await publishHome(deps, access, args.client, args.body.user.id);
    return answer;
  });
}

const already = (locale: Locale) => ephemeral(t(locale, 'click.alreadyResolved'));

/** Acting on an alert changes data: writers only. Its health card is reading: readers. */
export function registerAlertButtons(app: Listeners, deps: Deps, access: Access): void {
  app.action<BlockButtonAction>(
    ACTION.alertAcknowledge,
    onAlertClick(deps, access, 'write', async ({ body, client }, alertId, at, locale) => {
      const changed = await actOnAlert(
        deps,
        client,
        alertId,
        { action: 'acknowledged', userId: body.user.id },
        at,
        locale,
      );
      return changed ? undefined : already(locale);
    }),
  );

  app.action<BlockStaticSelectAction>(
    ACTION.alertSnooze,
    onAlertClick(deps, access, 'write', async ({ action, body, client }, alertId, at, locale) => {
      const days = Number(action.selected_option.value.split(':')[1]);
      if (!(days > 0)) return undefined;
      const until = new Date(+deps.clock() + days * DAY);
      const changed = await actOnAlert(
        deps,
        client,
        alertId,
        { action: 'snoozed', until, userId: body.user.id },
        at,
        locale,
      );
      return changed ? undefined : already(locale);
    }),
  );

  app.action<BlockButtonAction>(
    ACTION.alertResolve,
    onAlertClick(deps, access, 'write', async ({ body, client }, alertId, at, locale) => {
      const [incident] = await loadIncidents(deps.db.orm, await incidentsOf(deps.db.orm, [alertId]));
      if (!incident) return already(locale);
      const view = incidentView(incident.causes, incident.assigneeSlackId);
      if (view.status === 'resolved') return already(locale);
      const home = fromHome(body) ? { home: true } : {};
      await client.views.open({
        trigger_id: body.trigger_id,
        view: resolveModal(view, { alertId, ...at, ...home }, locale),
      });
      return undefined;
    }),
  );

  app.action<BlockAction<UsersSelectAction>>(
    ACTION.alertAssign,
    onAlertClick(deps, access, 'write', async ({ action, body, client }, alertId, at, locale) => {
      // Choosing whoever owns it already changes nothing; the message is rendered again either way.
      await assignIncidentTo(deps.db, alertId, {
        assignee: action.selected_user,
        by: body.user.id,
        now: deps.clock(),
        locale: deps.config.locale,
      });
      if (!(await refreshAlertMessage(client, deps, alertId, at)))
        await client.chat.postEphemeral({
          channel: at.channel,
          user: body.user.id,
          text: sharedSinceText(locale),
        });
      return undefined;
    }),
  );

  app.action<BlockButtonAction>(
    ACTION.alertHealthCard,
    onAlertClick(deps, access, 'read', async (args, alertId) => {
      const [alert] = await loadAlerts(deps.db.orm, [alertId]);
      if (!alert) return undefined;
      // The card in the clicker's language, whatever the alert's.
      const locale = await access.localeOf(args.client, args.body.user.id);
      return healthAnswer({ account: alert.account.key }, deps, { locale });
    }),
  );
}
