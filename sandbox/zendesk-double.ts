import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Zendesk that serves the incremental ticket export as Zendesk documents it
 * (`GET /api/v2/incremental/tickets/cursor.json`, `start_time` or `cursor`, `include=organizations`,
 * `{tickets, organizations, after_cursor, before_cursor, after_url, end_of_stream}`), with API-token
 * Basic auth (`email/token:token`). Every ticket change is appended to the stream, as Zendesk's export
 * returns a ticket again after each update. A test queues failures (429 with Retry-After, 5xx) and can
 * revoke the token.
 */
export interface ZendeskTicket {
  id: number;
  status: string;
  priority?: string | null;
  organization_id?: number | null;
  created_at: string;
  updated_at: string;
  subject?: string;
  [field: string]: unknown;
}

export interface ZendeskOrganization {
  id: number;
  name: string;
  external_id?: string | null;
  domain_names?: string[];
}

export interface ZendeskRequest {
  path: string;
  cursor: string | null;
  startTime: string | null;
  authorized: boolean;
}

export async function startZendeskDouble(options: { email: string; token: string; pageSize?: number }) {
  const stream: ZendeskTicket[] = [];
  const organizations = new Map<number, ZendeskOrganization>();
  const failures: Array<{ status: number; retryAfter?: number } | 'serve'> = [];
  const requests: ZendeskRequest[] = [];
  let token = options.token;
  /** Pages still served before the token is revoked, when a test asked for that. */
  let revokeAfterPages: number | undefined;
  const pageSize = options.pageSize ?? 2;
  const encode = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
  const decode = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().split(':')[1]);

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://zendesk.test');
    const expected = `Basic ${Buffer.from(`${options.email}/token:${token}`).toString('base64')}`;
    const authorized = req.headers.authorization === expected;
    requests.push({
      path: url.pathname,
      cursor: url.searchParams.get('cursor'),
      startTime: url.searchParams.get('start_time'),
      authorized,
    });
    if (url.pathname !== '/api/v2/incremental/tickets/cursor.json') {
      return send(res, 404, { error: 'InvalidEndpoint', description: 'Not found' });
    }
    if (!authorized) return send(res, 401, { error: "Couldn't authenticate you" });
    const failure = failures.shift();
    if (failure && failure !== 'serve') {
      return send(
        res,
        failure.status,
        failure.status === 429
          ? {
              error: 'APIRateLimitExceeded',
              description: 'Number of allowed API requests per minute exceeded',
            }
          : { error: 'InternalError' },
        failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) },
      );
    }
    const cursor = url.searchParams.get('cursor');
    const startTime = url.searchParams.get('start_time');
    if (cursor === null && startTime === null) {
      return send(res, 400, { error: 'InvalidValue', description: 'start_time or cursor is required' });
    }
    const from =
      cursor !== null
        ? decode(cursor)
        : stream.findIndex((t) => Date.parse(t.updated_at) / 1000 >= Number(startTime)) >>> 0;
    const start = Math.min(from, stream.length);
    const tickets = stream.slice(start, start + pageSize);
    const end = start + tickets.length;
    const orgIds = new Set(tickets.map((t) => t.organization_id).filter((id): id is number => id != null));
    const afterCursor = encode(end);
    if (revokeAfterPages !== undefined && --revokeAfterPages <= 0) {
      revokeAfterPages = undefined;
      token = `${options.token}-revoked`;
    }
    return send(res, 200, {
      tickets,
      organizations: url.searchParams.get('include')?.includes('organizations')
        ? [...orgIds].flatMap((id) => (organizations.has(id) ? [organizations.get(id)] : []))
        : undefined,
      after_cursor: afterCursor,
      before_cursor: encode(start),
      after_url: `http://${req.headers.host}${url.pathname}?cursor=${afterCursor}`,
      before_url: null,
      end_of_stream: end >= stream.length,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    /** The API token it accepts, with `email`. */
    token: options.token,
    requests,
    /** Adds or changes tickets: each goes to the end of the export stream. */
    put(...tickets: ZendeskTicket[]) {
      stream.push(...tickets.map((t) => ({ ...t })));
    },
    organization(org: ZendeskOrganization) {
      organizations.set(org.id, org);
    },
    /** The next requests fail this way, in order (after authentication); `'serve'` answers one normally. */
    fail(...next: Array<{ status: number; retryAfter?: number } | 'serve'>) {
      failures.push(...next);
    },
    revokeToken() {
      token = `${options.token}-revoked`;
    },
    /** The token is revoked once this many more pages have been served: mid-sync. */
    revokeAfter(pages: number) {
      revokeAfterPages = pages;
    },
    restoreToken() {
      token = options.token;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
