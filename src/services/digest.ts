import type { Deps } from '../deps.ts';

/** What building and posting a digest reads. */
type DigestDeps = Pick<Deps, 'db' | 'clock'> & {
  config: Pick<Deps['config'], 'timezone' | 'reviews' | 'alertChannel' | 'grossMargin'> &
    Partial<Pick<Deps['config'], 'locale'>>;
};

import { composeDigest, type Digest, digestWeekStart } from '../domain/digest.ts';
import { digestPostKey } from '../domain/outbox-keys.ts';
import { RESPONSE_WINDOW_DAYS, responseTimes } from '../domain/response-times.ts';
import { digestBlocks, digestText } from '../slack/blocks/digest.ts';
import { loadDigestInput, recordDigest } from '../store/digest.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import { loadResponseSamples } from '../store/response-times.ts';
import { digestRetention } from './retention-metrics.ts';

/** The digest of the week `now` falls in, as of now. */
export async function buildDigest(deps: DigestDeps): Promise<Digest> {
  const now = deps.clock();
  const zone = deps.config.timezone;
  const [input, samples, retention] = await Promise.all([
    loadDigestInput(deps.db.orm, {
      now,
      zone,
      weekStart: digestWeekStart(now, zone),
      reviewCadence: deps.config.reviews.cadence,
    }),
    loadResponseSamples(deps.db.orm, { now, days: RESPONSE_WINDOW_DAYS }),
    digestRetention(deps),
  ]);
  return {
    ...composeDigest({ ...input, responseTimes: responseTimes(samples, RESPONSE_WINDOW_DAYS) }),
    retention,
  };
}

export interface PostedDigest {
  /** The digest's record, or undefined when this week's scheduled digest was already posted there. */
  digestId?: number;
  digest: Digest;
}

/**
 * Records the digest and enqueues its message in one transaction: the outbox delivers it once, and the
 * scheduled digest of a week is recorded once per channel, so a re-run of the schedule posts nothing.
 */
export async function postDigest(
  deps: DigestDeps,
  target: { channel: string; trigger: 'schedule' | 'command'; requestedBy?: string },
): Promise<PostedDigest> {
  const digest = await buildDigest(deps);
  const message = {
    channel: target.channel,
    text: digestText(digest, deps.config.locale ?? 'en'),
    blocks: digestBlocks(digest, { timezone: deps.config.timezone, locale: deps.config.locale ?? 'en' }),
    unfurl_links: false,
  };
  const digestId = await deps.db.orm.transaction(async (tx) => {
    const id = await recordDigest(tx, {
      ...target,
      weekStart: digest.weekStart,
      figures: digest,
      now: deps.clock(),
    });
    if (id !== undefined) {
      await enqueueSlackMessage(tx, {
        dedupeKey: digestPostKey(id),
        method: 'chat.postMessage',
        payload: message,
      });
    }
    return id;
  });
  return { digestId, digest };
}

/** The DIGEST_CRON schedule: this week's digest to CS_ALERT_CHANNEL, once. */
export async function runWeeklyDigest(deps: DigestDeps & Pick<Deps, 'logger'>): Promise<void> {
  const channel = deps.config.alertChannel;
  if (!channel) {
    deps.logger.warn('weekly digest skipped: CS_ALERT_CHANNEL is not set');
    return;
  }
  const posted = await postDigest(deps, { channel, trigger: 'schedule' });
  deps.logger.info(
    { weekStart: posted.digest.weekStart, channel, digestId: posted.digestId },
    posted.digestId === undefined ? 'weekly digest already posted this week' : 'weekly digest enqueued',
  );
}
