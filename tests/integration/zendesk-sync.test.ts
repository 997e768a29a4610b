import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskDouble, type ZendeskTicket } from '../../sandbox/zendesk-double.ts';
import { loadConfig } from '../../src/config.ts';
import { runZendeskSync } from '../../src/connectors/zendesk/sync.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { pulseSchedules } from '../../src/jobs/scheduler.ts';
import { createMetrics } from '../../src/metrics.ts';
import { connectorStatus } from '../../src/services/connectors.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { freshDatabase } from '../helpers/database.ts';

const EMAIL = 'cs-ops@pulse.example';
const TOKEN = 'zendesk-api-token-0123';
const DAY = 86_400_000;
const now = new Date();
const daysAgo = (days: number) => new Date(+now - days * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
const today = now.toISOString().slice(0, 10);
/** Quick retries: the backoff is not what these tests measure (Retry-After is). */
const retry = { backoffMs: 10 };

let db: Database;
let drop: () => Promise<void>;
let zendesk: Awaited<ReturnType<typeof startZendeskDouble>>;

/** Pulse's parts as a process builds them; a new call is a restarted process on the same database. */
function pulseDeps(): Deps {
  const config = loadConfig({
    ZENDESK_SUBDOMAIN: 'acme',
    ZENDESK_EMAIL: EMAIL,
    ZENDESK_TOKEN: TOKEN,
    ZENDESK_API_URL: zendesk.url,
  });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const clock = () => new Date();
  const health = createHealthRecomputer({ db, clock, logger, metrics, config });
  return { config, db, clock, logger, metrics, health };
}

let ticketId = 0;
const ticket = (fields: Partial<ZendeskTicket> & { organization_id: number | null }): ZendeskTicket => {
  const id = fields.id ?? ++ticketId;
  return {
    id,
    status: 'open',
    priority: 'normal',
    created_at: daysAgo(1),
    updated_at: daysAgo(0),
    subject: `Ticket ${id}`,
    ...fields,
  };
};

/** The latest value of a metric for an account today. */
async function figure(account: string, metric: string): Promise<number | undefined> {
  const [found] = await rows<{ value: number }>(
    db.orm,
    sql`select m.value from metric_points m join accounts a on a.id = m.account_id
        where a.key = ${account} and m.metric = ${metric} and m.at >= ${`${today}T00:00:00Z`}::timestamptz`,
  );
  return found?.value;
}

const storedTickets = async () =>
  (await rows<{ id: number }>(db.orm, sql`select id::int as id from zendesk_tickets order by id`)).map(
    (t) => t.id,
  );
const zendeskState = async () => (await connectorStatus(pulseDeps())).find((c) => c.name === 'zendesk')!;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  zendesk = await startZendeskDouble({ email: EMAIL, token: TOKEN, pageSize: 2 });
  const deps = pulseDeps();
  await ingest(deps, 'accounts', [
    { key: 'acme', name: 'Acme', tier: 'high_touch' },
    { key: 'globex', name: 'Globex' },
    { key: 'initech', name: 'Initech' },
  ]);
  await ingest(deps, 'contacts', [
    { account: 'globex', email: 'ana@globex.com', role: 'champion' },
    { account: 'acme', email: 'bo@gmail.com', role: 'user' },
    { account: 'initech', email: 'x@shared.example', role: 'user' },
    { account: 'globex', email: 'y@shared.example', role: 'user' },
  ]);
  zendesk.organization({ id: 1, name: 'Acme Inc', external_id: 'acme', domain_names: ['acme.com'] });
  zendesk.organization({ id: 2, name: 'Globex', external_id: null, domain_names: ['Globex.com'] });
  zendesk.organization({ id: 3, name: 'Gmail people', domain_names: ['gmail.com'] });
  zendesk.organization({ id: 4, name: 'Shared', domain_names: ['shared.example'] });
  zendesk.put(
    ticket({ id: 1, organization_id: 1, created_at: daysAgo(20) }),
    ticket({ id: 2, organization_id: 1, status: 'pending', created_at: daysAgo(2) }),
    ticket({ id: 3, organization_id: 1, status: 'solved' }),
    ticket({ id: 4, organization_id: 2, status: 'new', created_at: daysAgo(15) }),
    ticket({ id: 5, organization_id: 3 }),
    ticket({ id: 6, organization_id: 4 }),
    ticket({ id: 7, organization_id: 1, status: 'weird' }),
    ticket({ id: 8, organization_id: null }),
  );
  ticketId = 100;
}, 60_000);

afterAll(async () => {
  await zendesk?.close();
  await drop();
});

describe('the Zendesk sync', () => {
  it('exports every ticket on its first run, linking them to accounts through their organization', async () => {
    const run = await runZendeskSync(pulseDeps(), { retry });
    expect(run).toEqual({ pages: 4, stored: 4, skipped: 4, error: null });
    expect(zendesk.requests[0]).toMatchObject({ startTime: '0', cursor: null });
    expect(zendesk.requests.slice(1).every((r) => r.cursor !== null)).toBe(true);
    expect(await storedTickets()).toEqual([1, 2, 3, 4]);
    // Acme: 1 and 2 open, 1 for 20 days; Globex (by its domain): 4, open 15 days.
    expect(await figure('acme', 'tickets_open')).toBe(2);
    expect(await figure('acme', 'tickets_open_14_days')).toBe(1);
    expect(await figure('globex', 'tickets_open')).toBe(1);
    expect(await figure('globex', 'tickets_open_14_days')).toBe(1);
    expect(await figure('initech', 'tickets_open')).toBeUndefined();

    const state = await zendeskState();
    expect(state).toMatchObject({ enabled: true, stored: 4, skipped: 4, lastError: null });
    expect(state.cursor).toBe(Buffer.from('offset:8').toString('base64url'));
    expect(state.lastSkipped.map((s) => [s.record, s.reason])).toEqual([
      ['ticket 8', 'has no organization, so no account'],
      ['ticket 7', expect.stringMatching(/^status must be one of/)],
      [
        'ticket 6',
        'organization "Shared" links to no account: set its external_id to the account key, or give it a domain the account\'s contacts use',
      ],
      // A free-mail domain never links, though an Acme contact writes from gmail.com.
      ['ticket 5', expect.stringMatching(/^organization "Gmail people" links to no account/)],
    ]);
  });

  it('continues from its cursor on the next run', async () => {
    const before = zendesk.requests.length;
    zendesk.put(
      ticket({ id: 1, organization_id: 1, status: 'solved', created_at: daysAgo(20) }),
      ticket({ organization_id: 2 }),
    );
    const run = await runZendeskSync(pulseDeps(), { retry });
    expect(run).toMatchObject({ pages: 1, stored: 2, error: null });
    expect(zendesk.requests[before]!.cursor).toBe(Buffer.from('offset:8').toString('base64url'));
    expect(await figure('acme', 'tickets_open')).toBe(1);
    expect(await figure('acme', 'tickets_open_14_days')).toBe(0);
    expect(await figure('globex', 'tickets_open')).toBe(2);
  });

  it("waits for a 429's Retry-After and retries a 5xx", async () => {
    zendesk.put(ticket({ organization_id: 1 }));
    zendesk.fail({ status: 429, retryAfter: 1 }, { status: 503 });
    const before = zendesk.requests.length;
    const started = Date.now();
    const run = await runZendeskSync(pulseDeps(), { retry });
    expect(run).toMatchObject({ stored: 1, error: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(zendesk.requests.length - before).toBe(3);
    expect(await figure('acme', 'tickets_open')).toBe(2);
  });

  it('stops with a clear error when the token is revoked mid-sync, keeps what it stored, and resumes when fixed', async () => {
    zendesk.put(...[1, 2, 3, 4].map(() => ticket({ organization_id: 2 })));
    zendesk.revokeAfter(1);
    const run = await runZendeskSync(pulseDeps(), { retry });
    expect(run).toMatchObject({ pages: 1, stored: 2 });
    expect(run.error).toBe(
      'Zendesk refused the credentials (401 Unauthorized): check ZENDESK_EMAIL and ZENDESK_TOKEN (an API token of an agent who can read tickets)',
    );
    const failed = await zendeskState();
    expect(failed.lastError).toBe(run.error);
    expect(failed.cursor).toBe(Buffer.from('offset:13').toString('base64url'));
    expect((await storedTickets()).length).toBe(8);

    zendesk.restoreToken();
    const before = zendesk.requests.length;
    const resumed = await runZendeskSync(pulseDeps(), { retry });
    expect(resumed).toMatchObject({ pages: 1, stored: 2, error: null });
    expect(zendesk.requests[before]!.cursor).toBe(failed.cursor);
    expect((await storedTickets()).length).toBe(10);
    expect((await zendeskState()).lastError).toBeNull();
    expect(await figure('globex', 'tickets_open')).toBe(6);
  });

  it('resumes from the stored cursor after a restart mid-sync', async () => {
    zendesk.put(...[1, 2, 3, 4].map(() => ticket({ organization_id: 1 })));
    // The first page is served; the second fails until the run gives up, as if the process had stopped there.
    zendesk.fail('serve', { status: 500 }, { status: 500 });
    const stopped = await runZendeskSync(pulseDeps(), { retry: { ...retry, attempts: 2 } });
    expect(stopped).toMatchObject({ pages: 1, stored: 2 });
    expect(stopped.error).toMatch(/^Zendesk answered 500 Internal Server Error \(2 tries\)/);
    const cursor = (await zendeskState()).cursor;

    // A new process, the same database: it starts where the stored cursor says.
    const before = zendesk.requests.length;
    const restarted = await runZendeskSync(pulseDeps(), { retry });
    expect(restarted).toMatchObject({ stored: 2, error: null });
    expect(zendesk.requests[before]!.cursor).toBe(cursor);
    expect((await storedTickets()).length).toBe(14);
    expect(await figure('acme', 'tickets_open')).toBe(6);
  });

  it("rebuilds past days' open-ticket figures from the tickets' status history", async () => {
    await ingest(pulseDeps(), 'accounts', [{ key: 'hooli', name: 'Hooli' }]);
    zendesk.organization({ id: 9, name: 'Hooli', external_id: 'hooli' });
    const base = { organization_id: 9, priority: 'normal', subject: 'History' };
    // Ticket 501: opened 20 days ago, pending from 10 days ago (still open), solved 3 days ago.
    // Ticket 502: opened 5 days ago, still open. The export returns each version, oldest first.
    zendesk.put(
      { ...base, id: 501, status: 'open', created_at: daysAgo(20), updated_at: daysAgo(20) },
      { ...base, id: 501, status: 'pending', created_at: daysAgo(20), updated_at: daysAgo(10) },
      { ...base, id: 502, status: 'new', created_at: daysAgo(5), updated_at: daysAgo(5) },
      { ...base, id: 501, status: 'solved', created_at: daysAgo(20), updated_at: daysAgo(3) },
    );
    expect((await runZendeskSync(pulseDeps(), { retry })).error).toBeNull();

    const points = await rows<{ days_ago: number; metric: string; value: number }>(
      db.orm,
      sql`select round(extract(epoch from (${`${today}T00:00:00Z`}::timestamptz - m.at)) / 86400)::int as days_ago,
            m.metric, m.value
          from metric_points m join accounts a on a.id = m.account_id
          where a.key = 'hooli' order by m.at desc, m.metric`,
    );
    const byDay = new Map<number, { open?: number; long?: number }>();
    for (const p of points) {
      const day = byDay.get(p.days_ago) ?? {};
      if (p.metric === 'tickets_open') day.open = p.value;
      else day.long = p.value;
      byDay.set(p.days_ago, day);
    }
    // One point a day from the day of the earliest change (20 days ago) to today, each at the day's end.
    expect([...byDay.keys()]).toEqual(Array.from({ length: 21 }, (_, i) => i));
    const expected = (d: number) => ({
      open: (d >= 4 ? 1 : 0) + (d <= 5 ? 1 : 0),
      // 501 counts as open 14 days or more once 14 days have passed since its creation, until solved.
      long: d >= 4 && d <= 6 ? 1 : 0,
    });
    for (let d = 0; d <= 20; d++) expect({ d, ...byDay.get(d) }).toEqual({ d, ...expected(d) });

    // A replayed export changes nothing in the history, and a later run rebuilds nothing it did not change.
    const stored = await rows(db.orm, sql`select count(*)::int as n from zendesk_ticket_statuses`);
    expect((await runZendeskSync(pulseDeps(), { retry })).error).toBeNull();
    expect(await rows(db.orm, sql`select count(*)::int as n from zendesk_ticket_statuses`)).toEqual(stored);
  });

  it('runs every 15 minutes through the scheduler when configured, and not otherwise', () => {
    expect(pulseSchedules(pulseDeps()).find((s) => s.name === 'zendesk-sync')?.expression).toBe(
      '*/15 * * * *',
    );
    const off = { ...pulseDeps(), config: loadConfig({}) };
    expect(pulseSchedules(off).some((s) => s.name === 'zendesk-sync')).toBe(false);
  });
});
