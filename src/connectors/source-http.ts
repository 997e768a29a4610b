import type { Logger } from 'pino';

/**
 * A request to a connector's source (Zendesk, HubSpot) within its rate limits: a 429 waits for its
 * Retry-After (up to `maxWaitMs`; longer, and the run stops and the next one resumes), a 5xx or a
 * network failure is retried with backoff, and a refusal of the credentials stops the run with an error
 * a person can act on. The source's cursor is only moved once a page is stored, so a stop loses nothing.
 */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface SourceRequestOptions {
  /** The source's name in messages, e.g. "Zendesk". */
  source: string;
  /** What to tell a person whose credentials were refused, e.g. "check ZENDESK_EMAIL and ZENDESK_TOKEN". */
  credentialsHint: string;
  logger: Logger;
  /** First backoff after a 5xx; doubled each time. */
  backoffMs?: number;
  /** Tries of a request failing with a 5xx or on the network. */
  attempts?: number;
  /** The longest Retry-After honoured within a run. */
  maxWaitMs?: number;
  /** 429s honoured for one request before the run stops. */
  maxRateLimited?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After in milliseconds: seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export async function sourceRequest(
  url: string,
  init: RequestInit,
  options: SourceRequestOptions,
): Promise<Response> {
  const { source, logger, backoffMs = 1000, attempts = 4, maxWaitMs = 120_000, maxRateLimited = 5 } = options;
  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    let response: Response | undefined;
    let problem: string;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      problem = `${source} could not be reached: ${(error as Error).message}`;
    }
    if (response?.ok) return response;
    if (response?.status === 429) {
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? 60_000;
      await response.body?.cancel();
      if (++rateLimited > maxRateLimited || wait > maxWaitMs) {
        throw new SourceError(
          `${source} rate limit: asked to wait ${Math.round(wait / 1000)} s; the next run resumes`,
        );
      }
      logger.info({ source, waitMs: wait }, 'rate limited by the source: waiting for its Retry-After');
      await sleep(wait);
      continue;
    }
    if (response && (response.status === 401 || response.status === 403)) {
      await response.body?.cancel();
      throw new SourceError(
        `${source} refused the credentials (${response.status} ${response.statusText}): ${options.credentialsHint}`,
      );
    }
    if (response && response.status < 500) {
      const body = (await response.text()).slice(0, 200);
      throw new SourceError(`${source} answered ${response.status} ${response.statusText}: ${body}`);
    }
    if (response) {
      problem = `${source} answered ${response.status} ${response.statusText}`;
      await response.body?.cancel();
    }
    if (++failures >= attempts)
      throw new SourceError(`${problem!} (${attempts} tries); the next run resumes`);
    logger.warn({ source, problem: problem!, attempt: failures }, 'source request failed: retrying');
    await sleep(backoffMs * 2 ** (failures - 1));
  }
}
