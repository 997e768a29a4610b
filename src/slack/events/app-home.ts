import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../deps.ts';
import type { Locale } from '../../i18n/index.ts';
import { csmRollup } from '../../services/retention-metrics.ts';
import { homeDataChangedSince, loadHome } from '../../store/home.ts';
import type { Access } from '../access.ts';
import { homeView } from '../blocks/home.ts';
import { refusedHomeView } from '../blocks/home-refused.ts';
import { ACCOUNTS_PAGE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';

/** Entries per list on a Home other than the accounts, which page by ACCOUNTS_PAGE. */
export const HOME_LIST = 8;
/** People whose Home is kept fresh, per process: the most recent openers. */
const REMEMBERED = 500;
const SWEEP_MS = 60_000;
/** views.publish is Tier 4 (about 100 a minute): one every 700 ms leaves room for people opening their Home. */
const PUBLISH_GAP_MS = 700;

type HomeDeps = Pick<Deps, 'db' | 'clock' | 'logger'> & {
  config: Pick<Deps['config'], 'timezone' | 'csLeads' | 'grossMargin'>;
};

/** One person's App Home, and a fingerprint of what it shows. */
async function buildHome(deps: HomeDeps, userId: string, locale: Locale, offset = 0) {
  const now = deps.clock();
  const lead = deps.config.csLeads.includes(userId);
  const home = await loadHome(deps.db.orm, {
    userId,
    lead,
    now,
    zone: deps.config.timezone,
    top: ACCOUNTS_PAGE,
    offset,
    listTop: HOME_LIST,
  });
  const data = lead ? { ...home, csms: await csmRollup(deps) } : home;
  const view = homeView(data, { now, timezone: deps.config.timezone, locale, offset });
  // The data, not the view: the view's "updated" time changes every minute and is no reason to publish.
  const fingerprint = createHash('sha1').update(JSON.stringify(data)).digest('hex');
  return { view, fingerprint };
}

/**
 * Builds and publishes one person's App Home and returns its fingerprint; someone who may not read
 * account data gets the short view that says so, and undefined.
 */
export async function publishHome(
  deps: HomeDeps,
  access: Access,
  client: WebClient,
  userId: string,
  /** Accounts before the page shown (its "Next 25"); the refresher publishes the first page. */
  offset = 0,
): Promise<string | undefined> {
  const verdict = await access.canRead(client, userId);
  // Only its person sees a Home: it speaks their Slack locale (users.info, cached with the access check).
  const locale = await access.localeOf(client, userId);
  if (!verdict.allowed) {
    await client.views.publish({ user_id: userId, view: refusedHomeView(verdict.text, locale) });
    return undefined;
  }
  const { view, fingerprint } = await buildHome(deps, userId, locale, offset);
  await client.views.publish({ user_id: userId, view });
  return fingerprint;
}

/**
 * Keeps open Homes fresh without a schema change: each process remembers, in memory, the last
 * REMEMBERED people who opened their Home there (a restart forgets them; their next visit publishes
 * anew). Once a minute, when any health, alert, review or milestone changed since the last sweep, their
 * Homes are rebuilt and published again if what they show changed, one call every PUBLISH_GAP_MS. Each
 * publication is checked first: someone who may no longer read gets the short view and is forgotten.
 */
export function createHomeRefresher(deps: HomeDeps, access: Access, client: WebClient) {
  const openers = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let stopped = false;
  let since = deps.clock();

  const sweepOnce = async () => {
    const started = deps.clock();
    try {
      if (!(await homeDataChangedSince(deps.db.orm, since))) return;
      for (const [userId, shown] of [...openers].reverse()) {
        if (stopped) return;
        const locale = await access.localeOf(client, userId);
        const { view, fingerprint } = await buildHome(deps, userId, locale);
        if (fingerprint === shown) continue;
        try {
          const verdict = await access.canRead(client, userId);
          if (verdict.allowed) {
            await client.views.publish({ user_id: userId, view });
            if (openers.has(userId)) openers.set(userId, fingerprint);
          } else {
            // No longer a reader: their Home loses the account data it showed.
            openers.delete(userId);
            await client.views.publish({ user_id: userId, view: refusedHomeView(verdict.text, locale) });
          }
        } catch (error) {
          // One Home Slack refuses (a deactivated user) must not leave everyone after it stale.
          deps.logger.warn({ err: error, user: userId }, 'App Home refresh refused; forgetting this person');
          openers.delete(userId);
        }
        await sleep(PUBLISH_GAP_MS);
      }
      // Only a sweep that got through moves on: after a failure, the next sweep tries the same changes again.
      since = started;
    } catch (error) {
      deps.logger.warn({ err: error }, 'App Home refresh failed; the next sweep tries again');
    }
  };
  const sweep = () => {
    sweeping ??= sweepOnce().finally(() => {
      sweeping = undefined;
    });
    return sweeping;
  };

  return {
    /** Someone just saw a fresh Home: keep it fresh from now on. */
    remember(userId: string, fingerprint: string) {
      openers.delete(userId);
      openers.set(userId, fingerprint);
      if (openers.size > REMEMBERED) openers.delete(openers.keys().next().value!);
      if (!timer && !stopped) {
        timer = setInterval(() => void sweep(), SWEEP_MS);
        timer.unref();
      }
    },
    sweep,
    /** Stops refreshing; resolves when a sweep in progress has stopped. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await sweeping;
    },
  };
}

/**
 * `app_home_opened`: publish the person's Home, and keep it fresh while this process runs. Returns the
 * function that stops the refreshing.
 */
export function registerAppHome(app: Listeners, deps: Deps, access: Access): () => Promise<void> {
  const refresher = createHomeRefresher(deps, access, app.client);
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const fingerprint = await publishHome(deps, access, client, event.user);
      if (fingerprint) refresher.remember(event.user, fingerprint);
    } catch (error) {
      deps.logger.error({ err: error, user: event.user }, 'publishing the App Home failed');
    }
  });
  return refresher.stop;
}
