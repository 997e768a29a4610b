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

/** What a failed call to a source says: its HTTP status (0: never answered) and its Retry-After. */
export interface SourceFailure {
  status: number;
  statusText: string;
  retryAfter?: string | null;
  body?: string;
}

/**
 * Runs a call to a source under the rate-limit and retry policy above; `failure` reads the call's
 * error (each client throws its own kind).
 */
export async function sourceCall<T>(
  call: () => Promise<T>,
  failure: (error: unknown) => SourceFailure,
  options: SourceRequestOptions,
): Promise<T> {
  const { source, logger, backoffMs = 1000, attempts = 4, maxWaitMs = 120_000, maxRateLimited = 5 } = options;
  let failures = 0;
  let rateLimited = 0;
  for (;;) {
    let failed: SourceFailure;
    try {
      return await call();
    } catch (error) {
      failed = failure(error);
    }
    const { status, statusText } = failed;
    if (status === 429) {
      const wait = retryAfterMs(failed.retryAfter ?? null) ?? 60_000;
      if (++rateLimited > maxRateLimited || wait > maxWaitMs) {
        throw new SourceError(
          `${source} rate limit: asked to wait ${Math.round(wait / 1000)} s; the next run resumes`,
        );
      }
      logger.info({ source, waitMs: wait }, 'rate limited by the source: waiting for its Retry-After');
      await sleep(wait);
      continue;
    }
    if (status === 401 || status === 403) {
      throw new SourceError(
        `${source} refused the credentials (${status} ${statusText}): ${options.credentialsHint}`,
      );
    }
    if (status >= 400 && status < 500) {
      throw new SourceError(
        `${source} answered ${status} ${statusText}: ${(failed.body ?? '').slice(0, 200)}`,
      );
    }
    const problem = status
      ? `${source} answered ${status} ${statusText}`
      : `${source} could not be reached: ${statusText}`;
    if (++failures >= attempts) throw new SourceError(`${problem} (${attempts} tries); the next run resumes`);
    logger.warn({ source, problem, attempt: failures }, 'source request failed: retrying');
    await sleep(backoffMs * 2 ** (failures - 1));
  }
}

class HttpFailure extends Error {
  constructor(readonly failure: SourceFailure) {
    super(`${failure.status} ${failure.statusText}`);
  }
}

/** A GET or POST with fetch, under the policy above; resolves with the successful response. */
export function sourceRequest(
  url: string,
  init: RequestInit,
  options: SourceRequestOptions,
): Promise<Response> {
  return sourceCall(
    async () => {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      if (response.ok) return response;
      throw new HttpFailure({
        status: response.status,
        statusText: response.statusText,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      });
    },
    (error) =>
      error instanceof HttpFailure ? error.failure : { status: 0, statusText: (error as Error).message },
    options,
  );
}
