import type { Deps } from '../../deps.ts';
import { forgetSharing, recordSharing } from '../../store/slack-channels.ts';
import type { Listeners } from '../listeners.ts';

/**
 * `channel_shared` and `channel_unshared`: what Pulse knows of a channel's sharing changes at once, not
 * at the end of its cache. A share is trusted as told; an unshare only when the event says the channel
 * is shared with nobody else any more, and then Slack is asked again before the next post there.
 */
export function registerChannelSharingEvents(app: Listeners, deps: Deps): void {
  app.event('channel_shared', async ({ event }) => {
    await recordSharing(deps.db.orm, event.channel, true, deps.clock());
    deps.logger.info(
      { channel: event.channel },
      'channel shared outside the workspace: no internal posts there',
    );
  });
  app.event('channel_unshared', async ({ event }) => {
    if (event.is_ext_shared) await recordSharing(deps.db.orm, event.channel, true, deps.clock());
    else await forgetSharing(deps.db.orm, event.channel);
    deps.logger.info(
      { channel: event.channel, stillShared: event.is_ext_shared },
      'channel unshared from an organisation',
    );
  });
}
