import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/api/ingest.ts';
import { registerStripeWebhook } from '../../src/api/stripe-webhook.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { freshDatabase } from '../helpers/database.ts';
import { serveRoutes } from '../helpers/http.ts';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = new Date('2024-05-12T09:00:00Z');
const nowSeconds = Math.floor(+NOW / 1000);

let db: Database;
let drop: () => Promise<void>;
let deps: Deps;
const servers: Array<() => Promise<void>> = [];

async function serve(env: Record<string, string>): Promise<{ url: string; deps: Deps }> {
  const server = await serveRoutes(db, env, () => NOW, registerStripeWebhook);
  servers.push(server.close);
  return server;
}

let base: string;

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/stripe/${name}.json`, import.meta.url), 'utf8');

/** Posts a fixture as Stripe does: its exact bytes, signed with the secret at `timestamp`. */
async function deliver(
  name: string,
  options: { secret?: string; timestamp?: number; signature?: string | null; url?: string } = {},
) {
  const payload = fixture(name);
  const signature =
    options.signature === undefined
      ? Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: options.secret ?? SECRET,
          timestamp: options.timestamp ?? nowSeconds,
        })
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (signature !== null) headers['stripe-signature'] = signature;
  const response = await fetch(`${options.url ?? base}/webhooks/stripe`, {
    method: 'POST',
    headers,
    body: payload,
  });
  return { status: response.status, body: await response.json() };
}

const stored = () =>
  rows<Record<string, unknown>>(
    db.orm,
    sql`select a.key as account, e.external_id, e.type, e.amount::text as amount, e.currency,
          to_char(e.due_date, 'YYYY-MM-DD') as due_date,
          (extract(epoch from e.occurred_at) * 1000)::float8 as occurred_at
        from billing_events e join accounts a on a.id = e.account_id order by e.external_id`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  ({ url: base, deps } = await serve({ STRIPE_WEBHOOK_SECRET: SECRET }));
  expect(
    await ingest(deps, 'accounts', [
      { key: 'acme', name: 'Acme Corp' },
      { key: 'globex', name: 'Globex' },
      { key: 'initech', name: 'Initech' },
    ]),
  ).toMatchObject({ ok: true, stored: 3 });
  expect(
    await ingest(deps, 'contacts', [
      { account: 'acme', email: 'ana.souza@acme.example', role: 'champion' },
      // A shared domain links to nobody.
      { account: 'globex', email: 'ap@globex-finance.example', role: 'user' },
      { account: 'initech', email: 'audit@globex-finance.example', role: 'user' },
    ]),
  ).toMatchObject({ ok: true, stored: 3 });
  await deps.health.idle();
});

afterAll(async () => {
  for (const close of servers) await close();
  await drop?.();
});

describe('POST /webhooks/stripe', () => {
  it('refuses a wrong or missing signature with 400 and stores nothing', async () => {
    const wrong = await deliver('invoice.payment_failed', { secret: 'whsec_someone_else' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({
      errors: [
        {
          path: '',
          message:
            'the Stripe signature does not verify: No signatures found matching the expected signature for payload. Are you passing the raw request body you received from Stripe?',
        },
      ],
    });
    const missing = await deliver('invoice.payment_failed', { signature: null });
    expect(missing).toEqual({
      status: 400,
      body: {
        errors: [
          {
            path: '',
            message: 'the Stripe signature does not verify: No stripe-signature header value was provided.',
          },
        ],
      },
    });
    expect(await stored()).toEqual([]);
  });

  it('refuses a signature older than 5 minutes with 400', async () => {
    const stale = await deliver('invoice.payment_failed', { timestamp: nowSeconds - 301 });
    expect(stale).toEqual({
      status: 400,
      body: {
        errors: [
          { path: '', message: 'the Stripe signature does not verify: Timestamp outside the tolerance zone' },
        ],
      },
    });
    expect((await deliver('customer.created', { timestamp: nowSeconds - 299 })).status).toBe(200);
    expect(await stored()).toEqual([]);
  });

  it('stores a payment failure for the account whose contact shares the invoice e-mail domain', async () => {
    expect(await deliver('invoice.payment_failed')).toEqual({
      status: 200,
      body: { received: true, stored: 1, duplicates: 0 },
    });
    expect(await stored()).toEqual([
      {
        account: 'acme',
        external_id: 'evt_1PFailed0001',
        type: 'payment_failed',
        amount: '1200.00',
        currency: 'USD',
        due_date: null,
        occurred_at: Date.parse('2024-05-10T10:00:00Z'),
      },
    ]);
  });

  it('stores a re-sent event once', async () => {
    expect(await deliver('invoice.payment_failed')).toEqual({
      status: 200,
      body: { received: true, stored: 0, duplicates: 1 },
    });
    expect((await stored()).length).toBe(1);
  });

  it('links by metadata.pulse_account even when the e-mail domain is ambiguous', async () => {
    expect(await deliver('invoice.overdue')).toEqual({
      status: 200,
      body: { received: true, stored: 1, duplicates: 0 },
    });
    expect((await stored()).find((e) => e.external_id === 'evt_1POverdue001')).toEqual({
      account: 'globex',
      external_id: 'evt_1POverdue001',
      type: 'invoice_overdue',
      amount: '300.00',
      currency: 'USD',
      due_date: '2024-05-01',
      occurred_at: Date.parse('2024-05-11T10:00:00Z'),
    });
  });

  it('stores a zero-decimal payment as it is, and the payment clears the open flag', async () => {
    expect(await deliver('invoice.paid')).toEqual({
      status: 200,
      body: { received: true, stored: 1, duplicates: 0 },
    });
    expect((await stored()).find((e) => e.external_id === 'evt_1PPaidJpy0001')).toMatchObject({
      account: 'acme',
      type: 'invoice_paid',
      amount: '150000.00',
      currency: 'JPY',
    });
    await deps.health.idle();
    const [acme] = await rows<{ flags: number }>(
      db.orm,
      sql`select jsonb_array_length(h.open_billing_flags)::int as flags
          from account_health h join accounts a on a.id = h.account_id where a.key = 'acme'`,
    );
    expect(acme).toEqual({ flags: 0 });
  });

  it('answers 200 and stores nothing for a customer it cannot link, naming the customer', async () => {
    const before = (await stored()).length;
    expect(await deliver('customer.source.expiring')).toEqual({
      status: 200,
      body: { received: true, ignored: 'no account for customer cus_PwInitech01' },
    });
    expect((await stored()).length).toBe(before);
  });

  it('answers 200 to a type it does not map, and to an upgrade', async () => {
    expect(await deliver('customer.created')).toEqual({
      status: 200,
      body: { received: true, ignored: 'customer.created' },
    });
    expect(await deliver('customer.subscription.updated.upgrade')).toEqual({
      status: 200,
      body: { received: true, ignored: 'customer.subscription.updated: not a downgrade' },
    });
  });

  it('answers 404 when STRIPE_WEBHOOK_SECRET is unset', async () => {
    const off = await serve({});
    const before = (await stored()).length;
    expect(await deliver('charge.dispute.created', { url: off.url })).toEqual({
      status: 404,
      body: {
        errors: [{ path: '', message: 'the Stripe webhook is off; set STRIPE_WEBHOOK_SECRET to turn it on' }],
      },
    });
    expect((await stored()).length).toBe(before);
  });
});
