import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Metrics } from './metrics.ts';

/** Recomputes health for accounts touched by a write; coalesces bursts into one set-based run. */
export interface HealthRecomputer {
  /** Queue these accounts; resolves when a recomputation that includes them has finished. */
  schedule(accountIds: number[]): Promise<void>;
  /**
   * Recompute every account, churned ones included (the nightly schedule uses it), as of now or as of
   * an earlier instant, which writes that day's snapshot as the nightly run would have.
   */
  recomputeAll(asOf?: Date): Promise<number>;
  /**
   * At start: when some account's health was computed with another model (or before its segment was
   * stored), rescore every account with the model in effect, raising no alert (the model changed, not the
   * accounts). Returns the accounts rescored.
   */
  rescoreForModel(): Promise<number>;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
}

/** What listeners, routes and jobs need; built once by the composition root. */
export interface Deps {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  health: HealthRecomputer;
  /**
   * The Web API client of jobs that must ask Slack before deciding (survey routes). It does not retry
   * by itself: its callers handle rate limits. Set once Pulse listens (the sandbox's API URL needs the port).
   */
  slack?: WebClient;
}
