import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import type { Access } from '../access.ts';
import type { ResolveContext } from '../blocks/alert.ts';
import { ACTION, BLOCK, CALLBACK } from '../constants.ts';
import { publishHome } from '../events/app-home.ts';
import type { Listeners } from '../listeners.ts';
import { actOnAlert } from './alert-actions.ts';

/** The Resolve modal's submission: a note is required; the alert is resolved and its message updated. */
export function registerResolveModal(app: Listeners, deps: Deps, access: Access): void {
  app.view(CALLBACK.alertResolveModal, async ({ ack, body, view, client }) => {
    const note = view.state.values[BLOCK.resolveNote]?.[ACTION.resolveNote]?.value?.trim() ?? '';
    if (!note) {
      // Slack wants the answer within 3 s: the person's locale is usually cached from the click that opened the modal.
      const locale = await access.localeOf(client, body.user.id);
      await ack({
        response_action: 'errors',
        errors: { [BLOCK.resolveNote]: t(locale, 'alert.resolveModal.empty') },
      });
      return;
    }
    await ack();
    const context = JSON.parse(view.private_metadata) as ResolveContext;
    const userId = body.user.id;
    const at = { channel: context.channel, ts: context.ts };
    try {
      const verdict = await access.canWrite(client, userId);
      if (!verdict.allowed) {
        await client.chat.postEphemeral({ channel: at.channel, user: userId, text: verdict.text });
        return;
      }
      const locale = await access.localeOf(client, userId);
      const changed = await actOnAlert(
        deps,
        client,
        context.alertId,
        { action: 'resolved', note, userId },
        at,
        locale,
      );
      if (!changed)
        await client.chat.postEphemeral({
          channel: at.channel,
          user: userId,
          text: t(locale, 'click.alreadyResolved'),
        });
      if (context.home) await publishHome(deps, access, client, userId);
    } catch (error) {
      deps.logger.error({ err: error, alertId: context.alertId, user: userId }, 'resolving an alert failed');
    }
  });
}
