import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HubSpot serving the CRM v3 endpoints the sync uses, with HubSpot's payloads: the search
 * endpoints of companies and contacts (`POST /crm/v3/objects/{type}/search`: filterGroups with GTE and
 * IN, sorts, properties, `limit`, `after`; `{total, results, paging.next.after}`) and
 * `GET /crm/v3/owners/{id}`. Private-app bearer auth. A test queues failures (429 with Retry-After,
 * 5xx), for any request or for one kind of search, and can revoke the token.
 */
export interface CrmObject {
  id: string;
  properties: Record<string, string | null>;
}

export interface HubspotOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** A failure a test queues; with `on`, only for a search of that type whose first filter is on that property. */
export interface Failure {
  status: number;
  retryAfter?: number;
  on?: { type: 'companies' | 'contacts'; property?: string };
}

export interface SearchRequest {
  filterGroups?: Array<{ filters: Filter[] }>;
  sorts?: Array<{ propertyName: string; direction: string }>;
  properties?: string[];
  limit?: number;
  after?: string;
}

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

export async function startHubspotDouble(options: { token: string }) {
  const objects = { companies: new Map<string, CrmObject>(), contacts: new Map<string, CrmObject>() };
  const owners = new Map<string, HubspotOwner>();
  const failures: Failure[] = [];
  const searches: Array<{ type: string; body: SearchRequest }> = [];
  let token = options.token;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk) => {
        data += chunk;
      });
      req.on('end', () => resolve(data));
    });
  const matches = (object: CrmObject, filter: Filter) => {
    const value = filter.propertyName === 'hs_object_id' ? object.id : object.properties[filter.propertyName];
    if (filter.operator === 'GTE') {
      const time = (v: string) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v));
      return value != null && time(value) >= time(filter.value ?? '0');
    }
    if (filter.operator === 'IN') return value != null && (filter.values ?? []).includes(value);
    throw new Error(`the double does not implement ${filter.operator}`);
  };

  const fail = (res: ServerResponse, failure: Failure) =>
    send(
      res,
      failure.status,
      failure.status === 429
        ? {
            status: 'error',
            message: 'You have reached your ten_secondly_rolling limit.',
            errorType: 'RATE_LIMIT',
            policyName: 'TEN_SECONDLY_ROLLING',
          }
        : { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' },
      failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) },
    );

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hubspot.test');
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, {
        status: 'error',
        message: 'Authentication credentials not found.',
        category: 'INVALID_AUTHENTICATION',
      });
    }
    const search = /^\/crm\/v3\/objects\/(companies|contacts)\/search$/.exec(url.pathname);
    const searched = search && req.method === 'POST' ? (JSON.parse(body) as SearchRequest) : undefined;
    const failing = failures.findIndex(
      (f) =>
        !f.on ||
        (f.on.type === search?.[1] &&
          (!f.on.property || searched?.filterGroups?.[0]?.filters[0]?.propertyName === f.on.property)),
    );
    if (failing >= 0) {
      const [failure] = failures.splice(failing, 1);
      return fail(res, failure!);
    }
    const owner = /^\/crm\/v3\/owners\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && owner) {
      const found = owners.get(owner[1]!);
      return found
        ? send(res, 200, {
            ...found,
            userId: Number(found.id),
            archived: false,
            createdAt: '2024-01-01T00:00:00Z',
            updatedAt: '2024-01-01T00:00:00Z',
          })
        : send(res, 404, { status: 'error', message: 'Owner not found', category: 'OBJECT_NOT_FOUND' });
    }
    if (!search || !searched) return send(res, 404, { status: 'error', message: 'not found' });
    const type = search[1] as 'companies' | 'contacts';
    const request = searched;
    searches.push({ type, body: request });
    let found = [...objects[type].values()].filter(
      (o) =>
        !request.filterGroups?.length ||
        request.filterGroups.some((g) => g.filters.every((f) => matches(o, f))),
    );
    const sort = request.sorts?.[0];
    if (sort) {
      const time = (o: CrmObject) => Date.parse(o.properties[sort.propertyName] ?? '') || 0;
      found = found.sort((a, b) => (time(a) - time(b)) * (sort.direction === 'DESCENDING' ? -1 : 1));
    }
    const start = Number(request.after ?? 0);
    const limit = Math.min(request.limit ?? 10, 200);
    const page = found.slice(start, start + limit);
    const wanted = new Set([
      'hs_object_id',
      'createdate',
      'hs_lastmodifieddate',
      ...(request.properties ?? []),
    ]);
    return send(res, 200, {
      total: found.length,
      results: page.map((o) => ({
        id: o.id,
        properties: Object.fromEntries(
          Object.entries({ hs_object_id: o.id, ...o.properties }).filter(([k]) => wanted.has(k)),
        ),
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: o.properties.hs_lastmodifieddate ?? '2024-01-01T00:00:00.000Z',
        archived: false,
      })),
      ...(start + limit < found.length
        ? {
            paging: {
              next: { after: String(start + limit), link: `${url.pathname}?after=${start + limit}` },
            },
          }
        : {}),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The private-app token it accepts. */
    token: options.token,
    searches,
    company(object: CrmObject) {
      objects.companies.set(object.id, object);
    },
    contact(object: CrmObject) {
      objects.contacts.set(object.id, object);
    },
    owner(owner: HubspotOwner) {
      owners.set(owner.id, owner);
    },
    fail(...next: Failure[]) {
      failures.push(...next);
    },
    revokeToken() {
      token = `${options.token}-revoked`;
    },
    restoreToken() {
      token = options.token;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
