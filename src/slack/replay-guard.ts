import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { firstSighting, forgetOldSightings, type SeenKind } from '../store/seen-requests.ts';

const PRUNE_EVERY_MS = 60_000;

export interface ReplayGuard {
  /** Whether `<kind>:<id>` is seen for the first time (by any replica, within its window). */
  firstTime(kind: SeenKind, id: string): Promise<boolean>;
  /**
   * Bolt middleware: an Events API delivery whose `event_id` was seen is not dispatched again. Slack
   * re-delivers with `X-Slack-Retry-Num` and a new signature, and Socket Mode has no signature at all,
   * so the event's id is what names it. Bolt has already acknowledged the event.
   */
  onceEachEvent: Middleware<AnyMiddlewareArgs>;
}

/**
 * Remembers Slack requests in the database so a replay does nothing, whichever replica it reaches. Old
 * keys are forgotten on the way, at most once a minute per process.
 */
export function createReplayGuard(deps: Pick<Deps, 'db' | 'clock'>): ReplayGuard {
  let prunedAt = Number.NEGATIVE_INFINITY;
  const firstTime = async (kind: SeenKind, id: string) => {
    const now = deps.clock();
    if (+now - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = +now;
      await forgetOldSightings(deps.db.orm, now);
    }
    return firstSighting(deps.db.orm, kind, id, now);
  };
  return {
    firstTime,
    async onceEachEvent({ body, next }) {
      const { type, event_id: eventId } = body as { type?: unknown; event_id?: unknown };
      if (type === 'event_callback' && typeof eventId === 'string' && !(await firstTime('event', eventId)))
        return;
      await next();
    },
  };
}
