import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  BlockStaticSelectAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import { type AlertAction, applyAlertAction, loadAlerts } from '../../store/alerts.ts';
import { alertBlocks, alertText, resolveModal } from '../blocks/alert.ts';
import { channelSharing, mayPostInternal } from '../channel-sharing.ts';
import { FAILURE_TEXT } from '../commands/answer.ts';
import { healthAnswer } from '../commands/health.ts';
import { ACTION } from '../constants.ts';
import type { CsTeam } from '../cs-team.ts';

const DAY = 86_400_000;
export const REFUSAL =
  'Only the CS team can act on alerts. Ask a CS team member, or the Pulse admin to add you to CS_TEAM.';

/** Where the clicked message is: chat.update rewrites exactly that one. */
export interface MessageRef {
  channel: string;
  ts: string;
}

const ephemeral = (respond: RespondFn, text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

/** Told to whoever acted on an alert whose channel was shared outside the workspace after it was posted. */
export const SHARED_SINCE =
  'Recorded. This channel is now shared outside the workspace, so Pulse no longer updates the alert here.';

/**
 * Renders the alert's current state into its message, whatever the click changed (or did not); false
 * when its channel has since been shared outside the workspace (or Slack cannot say): the update would
 * show who did what, and notes, where the customer reads, so the message is left as it was.
 */
export async function refreshAlertMessage(
  client: WebClient,
  deps: Deps,
  alertId: number,
  at: MessageRef,
): Promise<boolean> {
  const [alert] = await loadAlerts(deps.db.orm, [alertId]);
  if (!alert) return true;
  if (!mayPostInternal(await channelSharing(deps, deps.slack ?? client, at.channel))) return false;
  await client.chat.update({
    ...at,
    text: alertText(alert),
    blocks: alertBlocks(alert, { now: deps.clock(), timezone: deps.config.timezone }),
  });
  return true;
}

/** Applies a team member's decision, records it, and updates the message in place. */
export async function actOnAlert(
  deps: Deps,
  client: WebClient,
  alertId: number,
  change: AlertAction & { userId: string },
  at: MessageRef,
): Promise<boolean> {
  const changed = await applyAlertAction(deps.db.orm, alertId, { ...change, now: deps.clock() });
  if (!(await refreshAlertMessage(client, deps, alertId, at)))
    await client.chat.postEphemeral({ channel: at.channel, user: change.userId, text: SHARED_SINCE });
  return changed;
}

type ClickArgs<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

function messageRef(body: BlockAction): MessageRef | undefined {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  return channel && ts ? { channel: String(channel), ts: String(ts) } : undefined;
}

/**
 * Every alert click: acknowledged at once (Slack waits 3 s at most), then the team check (others get an
 * ephemeral refusal and nothing changes), then the work. Failures are logged and told to the clicker.
 */
function onClick<A extends BlockAction>(
  deps: Deps,
  team: CsTeam,
  opts: { teamOnly: boolean },
  work: (args: ClickArgs<A>, alertId: number, at: MessageRef) => Promise<void>,
) {
  return async (args: ClickArgs<A>) => {
    await args.ack();
    const { body, respond } = args;
    const action = body.actions[0]!;
    const raw =
      'selected_option' in action ? action.selected_option?.value : (action as { value?: string }).value;
    const alertId = Number(String(raw).split(':')[0]);
    const at = messageRef(body);
    try {
      if (!Number.isSafeInteger(alertId) || !at) return;
      if (opts.teamOnly && !(await team.includes(args.client, body.user.id))) {
        await ephemeral(respond, REFUSAL);
        return;
      }
      await work(args, alertId, at);
    } catch (error) {
      deps.logger.error(
        { err: error, alertId, user: body.user.id, action: action.action_id },
        'alert click failed',
      );
      await ephemeral(respond, FAILURE_TEXT).catch(() => undefined);
    }
  };
}

const ALREADY_RESOLVED = 'This alert is already resolved.';

export function registerAlertButtons(app: App, deps: Deps, team: CsTeam): void {
  app.action<BlockButtonAction>(
    ACTION.alertAcknowledge,
    onClick(deps, team, { teamOnly: true }, async ({ body, client, respond }, alertId, at) => {
      const changed = await actOnAlert(
        deps,
        client,
        alertId,
        { action: 'acknowledged', userId: body.user.id },
        at,
      );
      if (!changed) await ephemeral(respond, ALREADY_RESOLVED);
    }),
  );

  app.action<BlockStaticSelectAction>(
    ACTION.alertSnooze,
    onClick(deps, team, { teamOnly: true }, async ({ action, body, client, respond }, alertId, at) => {
      const days = Number(action.selected_option.value.split(':')[1]);
      if (!(days > 0)) return;
      const until = new Date(+deps.clock() + days * DAY);
      const changed = await actOnAlert(
        deps,
        client,
        alertId,
        { action: 'snoozed', until, userId: body.user.id },
        at,
      );
      if (!changed) await ephemeral(respond, ALREADY_RESOLVED);
    }),
  );

  app.action<BlockButtonAction>(
    ACTION.alertResolve,
    onClick(deps, team, { teamOnly: true }, async ({ body, client, respond }, alertId, at) => {
      const [alert] = await loadAlerts(deps.db.orm, [alertId]);
      if (!alert || alert.status === 'resolved') {
        await ephemeral(respond, ALREADY_RESOLVED);
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: resolveModal(alert, { alertId, ...at }) });
    }),
  );

  // Reading is not acting: anyone who sees the alert may open the card.
  app.action<BlockButtonAction>(
    ACTION.alertHealthCard,
    onClick(deps, team, { teamOnly: false }, async ({ respond }, alertId) => {
      const [alert] = await loadAlerts(deps.db.orm, [alertId]);
      if (!alert) return;
      const answer = await healthAnswer({ account: alert.account.key }, deps);
      await respond({ ...answer, response_type: 'ephemeral', replace_original: false });
    }),
  );
}
