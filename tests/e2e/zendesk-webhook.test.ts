import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskDouble } from '../../sandbox/zendesk-double.ts';
import { runZendeskSync } from '../../src/connectors/zendesk/sync.ts';
import { zendeskSignature } from '../../src/connectors/zendesk/webhook.ts';
import { rows } from '../../src/db/client.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';

/**
 * Zendesk's ticket-change webhook over HTTP to the running Pulse, signed as Zendesk signs it: a verified
 * change is stored with its status history, figures and red flags; a bad signature stores nothing.
 */
const EMAIL = 'cs-ops@pulse.example';
const TOKEN = 'zendesk-api-token-0123';
const SECRET = 'zendesk-webhook-signing-secret-0123';
const DAY = 86_400_000;

let app: PulseInProcess;
let zendesk: Awaited<ReturnType<typeof startZendeskDouble>>;

const iso = (at: number) => new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');

/** A ticket event as Zendesk's webhooks send it: IDs as text, status and priority in capitals. */
const event = (type: string, detail: Record<string, unknown>) => ({
  type: `zen:event-type:ticket.${type}`,
  account_id: 88888888,
  id: `01H${Math.random().toString(36).slice(2, 12)}`,
  time: iso(Date.now()),
  zendesk_event_version: '2022-11-06',
  subject: `zen:ticket:${detail.id}`,
  detail,
  event: {},
});

function post(body: unknown, options: { secret?: string; timestamp?: string } = {}) {
  const text = JSON.stringify(body);
  const timestamp = options.timestamp ?? iso(Date.now());
  return fetch(`${app.pulse.url}/webhooks/zendesk`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Zendesk Webhook',
      'x-zendesk-webhook-signature': zendeskSignature(options.secret ?? SECRET, timestamp, text),
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    body: text,
  });
}

const ticket = async (id: number) =>
  (
    await rows<{ status: string; priority: string | null }>(
      app.pulse.deps.db.orm,
      sql`select status, priority from zendesk_tickets where id = ${id}`,
    )
  )[0];
const history = () =>
  rows<{ ticket_id: number; status: string }>(
    app.pulse.deps.db.orm,
    sql`select ticket_id::int as ticket_id, status from zendesk_ticket_statuses order by ticket_id, at`,
  );
const todayOpen = async () =>
  (
    await rows<{ value: number }>(
      app.pulse.deps.db.orm,
      sql`select m.value from metric_points m join accounts a on a.id = m.account_id
          where a.key = 'acme' and m.metric = 'tickets_open' order by m.at desc limit 1`,
    )
  )[0]?.value;

beforeAll(async () => {
  zendesk = await startZendeskDouble({ email: EMAIL, token: TOKEN });
  app = await startPulseInProcess({
    env: {
      CS_ALERT_CHANNEL: 'C0CSALERTS',
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_EMAIL: EMAIL,
      ZENDESK_TOKEN: TOKEN,
      ZENDESK_API_URL: zendesk.url,
      ZENDESK_WEBHOOK_SECRET: SECRET,
    },
  });
  await ingest(app.pulse.deps, 'accounts', [{ key: 'acme', name: 'Acme', tier: 'high_touch' }]);
  zendesk.organization({ id: 1, name: 'Acme Inc', external_id: 'acme' });
  zendesk.put({
    id: 1,
    status: 'open',
    priority: 'normal',
    organization_id: 1,
    subject: 'Exports fail',
    created_at: iso(Date.now() - 3 * DAY),
    updated_at: iso(Date.now() - 3 * DAY),
  });
  expect((await runZendeskSync(app.pulse.deps)).error).toBeNull();
}, 90_000);

afterAll(async () => {
  await app?.close();
  await zendesk?.close();
});

describe("Zendesk's ticket webhook", () => {
  it('refuses a wrong or stale signature with 401 and stores nothing', async () => {
    const change = event('status_changed', {
      id: '1',
      status: 'SOLVED',
      organization_id: '1',
      updated_at: iso(Date.now()),
    });
    const before = await history();
    const wrong = await post(change, { secret: 'another-secret-of-some-length' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      errors: [{ path: '', message: 'the signature does not match ZENDESK_WEBHOOK_SECRET' }],
    });
    const stale = await post(change, { timestamp: iso(Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${app.pulse.url}/webhooks/zendesk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    expect(unsigned.status).toBe(401);
    expect(await ticket(1)).toEqual({ status: 'open', priority: 'normal' });
    expect(await history()).toEqual(before);
  });

  it('stores a verified change with its status history, and the account figures follow', async () => {
    expect(await todayOpen()).toBe(1);
    const response = await post(
      event('status_changed', {
        id: '1',
        status: 'SOLVED',
        organization_id: '1',
        updated_at: iso(Date.now()),
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ stored: 1 });
    // The event left the priority out: it stays as stored.
    expect(await ticket(1)).toEqual({ status: 'solved', priority: 'normal' });
    expect(await history()).toEqual([
      { ticket_id: 1, status: 'open' },
      { ticket_id: 1, status: 'solved' },
    ]);
    expect(await todayOpen()).toBe(0);
  });

  it('raises the urgent-ticket red flag for an urgent ticket created through the webhook', async () => {
    const response = await post(
      event('created', {
        id: '2',
        status: 'OPEN',
        priority: 'URGENT',
        organization_id: '1',
        subject: 'Checkout down',
        created_at: iso(Date.now() - 2 * DAY),
        updated_at: iso(Date.now()),
      }),
    );
    expect(response.status).toBe(200);
    expect(await ticket(2)).toEqual({ status: 'open', priority: 'urgent' });
    expect(
      await rows(app.pulse.deps.db.orm, sql`select kind from alerts where kind = 'urgent_ticket'`),
    ).toEqual([{ kind: 'urgent_ticket' }]);
  });

  it('leaves a ticket of an organization not linked yet to the export', async () => {
    const response = await post(
      event('created', {
        id: '3',
        status: 'NEW',
        organization_id: '77',
        created_at: iso(Date.now()),
        updated_at: iso(Date.now()),
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ignored: 'ticket 3: its organization is not linked to an account yet; the next export links it',
    });
    expect(await ticket(3)).toBeUndefined();
  });
});
