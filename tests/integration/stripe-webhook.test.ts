import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStripeWebhook } from '../../src/api/stripe-webhook.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { ingest } from '../../src/services/ingestion.ts';
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

/**
 * Posts a fixture as Stripe does: its exact bytes (or, when `edit` changes it, its JSON), signed with the
 * secret at `timestamp`.
 */
async function deliver(
  name: string,
  options: {
    secret?: string;
    timestamp?: number;
    signature?: string | null;
    url?: string;
    // biome-ignore lint/suspicious/noExplicitAny: Stripe's JSON, edited freely in tests
    edit?: (event: any) => void;
  } = {},
) {
  let payload = fixture(name);
  if (options.edit) {
    const event = JSON.parse(payload);
    options.edit(event);
    payload = JSON.stringify(event);
  }
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
  ({ url: base, deps } = await serve({ STRIPE_WEBHOOK_SECRET: SECRET, CS_ALERT_CHANNEL: 'C0ALERTS' }));
  expect(
    await ingest(deps, 'accounts', [
      { key: 'acme', name: 'Acme Corp' },
      { key: 'globex', name: 'Globex' },
      { key: 'initech', name: 'Initech' },
      { key: 'umbrella', name: 'Umbrella' },
    ]),
  ).toMatchObject({ ok: true, stored: 4 });
  expect(
    await ingest(deps, 'contacts', [
      { account: 'acme', email: 'ana.souza@acme.example', role: 'champion' },
      // A shared domain links to nobody.
      { account: 'globex', email: 'ap@globex-finance.example', role: 'user' },
      { account: 'initech', email: 'audit@globex-finance.example', role: 'user' },
      { account: 'umbrella', email: 'ops@umbrella.example', role: 'champion' },
    ]),
  ).toMatchObject({ ok: true, stored: 4 });
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

  it('refuses a signature dated more than 5 minutes ahead with 400, as a stale one', async () => {
    for (const ahead of [301, 365 * 86_400]) {
      expect(await deliver('invoice.payment_failed', { timestamp: nowSeconds + ahead })).toEqual({
        status: 400,
        body: {
          errors: [
            {
              path: '',
              message: 'the Stripe signature does not verify: Timestamp outside the tolerance zone',
            },
          ],
        },
      });
    }
    expect((await deliver('customer.created', { timestamp: nowSeconds + 299 })).status).toBe(200);
    expect(await stored()).toEqual([]);
  });

  it('refuses an event carrying a NUL or a broken character with 400 naming the field, and keeps nothing', async () => {
    const kept = async () =>
      (await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from stripe_unlinked_events`))[0]!.n;
    const before = await kept();
    const withNul = await deliver('customer.source.expiring', {
      edit: (e) => {
        e.id = 'evt_1PNulMetadata1';
        e.data.object.customer = 'cus_PwNobody001';
        e.data.object.metadata = { pulse_account: 'acme\u0000', note: 'ok' };
        e.data.object.name = 'Ana \ud83d';
      },
    });
    expect(withNul).toEqual({
      status: 400,
      body: {
        errors: [
          {
            path: 'data.object.metadata.pulse_account',
            message: 'contains a NUL character (\\u0000); remove it',
          },
          {
            path: 'data.object.name',
            message: 'contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text',
          },
        ],
      },
    });
    expect(await stored()).toEqual([]);
    expect(await kept()).toBe(before);
  });

  it('stores a payment failure for the account whose contact shares the invoice e-mail domain', async () => {
    // customer.created (in the test above) linked cus_PwAcme0001 by its metadata.
    expect(await deliver('invoice.payment_failed')).toEqual({
      status: 200,
      body: { received: true, account: 'acme', stored: 1, duplicates: 0 },
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
      body: { received: true, account: 'acme', stored: 0, duplicates: 1 },
    });
    expect((await stored()).length).toBe(1);
  });

  it('links by metadata.pulse_account even when the e-mail domain is ambiguous', async () => {
    expect(await deliver('invoice.overdue')).toEqual({
      status: 200,
      body: { received: true, account: 'globex', linked: 'metadata', stored: 1, duplicates: 0 },
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
      body: { received: true, account: 'acme', stored: 1, duplicates: 0 },
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

  it('answers 200 to a type it does not map', async () => {
    expect(await deliver('invoice.paid', { edit: (e) => (e.type = 'invoice.updated') })).toEqual({
      status: 200,
      body: { received: true, ignored: 'invoice.updated' },
    });
  });

  it('records the MRR of subscription events, idempotently; a metered price records nothing and says why', async () => {
    const movements = () =>
      rows<{ at: string; mrr: string; currency: string; source: string }>(
        db.orm,
        sql`select to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at, m.mrr::text as mrr,
              m.currency, m.source
            from account_mrr_changes m join accounts a on a.id = m.account_id
            where a.key = 'acme' and m.source = 'stripe' order by m.at`,
      );
    const created = (e: { id: string; type: string; created: number }) => {
      e.id = 'evt_1PCreatedAcme1';
      e.type = 'customer.subscription.created';
      e.created = Date.parse('2024-05-01T10:00:00Z') / 1000;
    };
    expect(await deliver('customer.subscription.updated.upgrade', { edit: created })).toEqual({
      status: 200,
      body: { received: true, account: 'acme', mrr: 1 },
    });
    expect((await deliver('customer.subscription.updated.upgrade', { edit: created })).status).toBe(200);
    const [start, ...others] = await movements();
    expect(others).toEqual([]);
    expect(start).toMatchObject({ at: '2024-05-01T10:00:00', currency: 'USD', source: 'stripe' });

    const metered = await deliver('customer.subscription.updated.upgrade', {
      edit: (e) => {
        e.id = 'evt_1PMeteredAcme1';
        e.data.object.items.data[0].price.recurring.usage_type = 'metered';
      },
    });
    expect(metered.body).toEqual({
      received: true,
      ignored:
        'customer.subscription.updated: usage-based (metered or tiered) prices, no monthly amount to record',
    });
    expect(await movements()).toEqual([start]);
  });

  it("records a customer's MRR as the sum of its subscriptions: two, one updated, one deleted; re-sent and late events change nothing", async () => {
    expect(await ingest(deps, 'accounts', [{ key: 'hooli', name: 'Hooli' }])).toMatchObject({ ok: true });
    const subscriptionEvent = (
      type: 'created' | 'updated' | 'deleted',
      at: string,
      subscription: string,
      monthlyCents: number,
    ) =>
      deliver(
        type === 'deleted' ? 'customer.subscription.deleted' : 'customer.subscription.updated.upgrade',
        {
          edit: (e) => {
            e.id = `evt_hooli_${subscription}_${type}_${at}`;
            e.type = `customer.subscription.${type}`;
            e.created = Date.parse(at) / 1000;
            e.data.object.id = subscription;
            e.data.object.customer = 'cus_PwHooli001';
            e.data.object.metadata = { pulse_account: 'hooli' };
            e.data.object.items.data[0].quantity = 1;
            e.data.object.items.data[0].price.unit_amount = monthlyCents;
            delete e.data.previous_attributes;
          },
        },
      );
    const history = () =>
      rows<{ at: string; mrr: string }>(
        db.orm,
        sql`select to_char(m.at at time zone 'UTC', 'MM-DD') as at, m.mrr::text as mrr
            from account_mrr_changes m join accounts a on a.id = m.account_id
            where a.key = 'hooli' order by m.at`,
      );

    expect(
      (await subscriptionEvent('created', '2024-05-01T10:00:00Z', 'sub_HooliSeats', 10000)).body,
    ).toEqual({
      received: true,
      account: 'hooli',
      linked: 'metadata',
      mrr: 1,
    });
    await subscriptionEvent('created', '2024-05-02T10:00:00Z', 'sub_HooliAddOn', 5000);
    await subscriptionEvent('updated', '2024-05-03T10:00:00Z', 'sub_HooliSeats', 20000);
    expect((await subscriptionEvent('deleted', '2024-05-04T10:00:00Z', 'sub_HooliAddOn', 5000)).body).toEqual(
      {
        received: true,
        account: 'hooli',
        stored: 1,
        duplicates: 0,
        mrr: 1,
      },
    );
    const expected = [
      { at: '05-01', mrr: '100.00' },
      { at: '05-02', mrr: '150.00' },
      { at: '05-03', mrr: '250.00' },
      { at: '05-04', mrr: '200.00' },
    ];
    expect(await history()).toEqual(expected);

    // Stripe re-sends: the same sums. An update older than what the subscription holds arrives late: nothing.
    await subscriptionEvent('updated', '2024-05-03T10:00:00Z', 'sub_HooliSeats', 20000);
    await subscriptionEvent('deleted', '2024-05-04T10:00:00Z', 'sub_HooliAddOn', 5000);
    expect(
      (await subscriptionEvent('updated', '2024-05-02T12:00:00Z', 'sub_HooliSeats', 99900)).body,
    ).toEqual({
      received: true,
      account: 'hooli',
    });
    expect(await history()).toEqual(expected);
    const [account] = await rows<{ mrr: string }>(
      db.orm,
      sql`select mrr::text as mrr from accounts where key = 'hooli'`,
    );
    expect(account?.mrr).toBe('200.00');
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

describe('Stripe customers linked to accounts', () => {
  const links = () =>
    rows<{ customer_id: string; account: string; linked_by: string; email: string | null }>(
      db.orm,
      sql`select s.customer_id, a.key as account, s.linked_by, s.email
        from stripe_customers s join accounts a on a.id = s.account_id order by s.customer_id`,
    );
  const keptEvents = () =>
    rows<{ event_id: string; customer_id: string | null; type: string }>(
      db.orm,
      sql`select event_id, customer_id, type from stripe_unlinked_events order by event_id`,
    );
  const billingAlerts = (account: string) =>
    rows<{ id: number; dedupe_key: string }>(
      db.orm,
      sql`select al.id::int as id, al.dedupe_key from alerts al join accounts a on a.id = al.account_id
        where a.key = ${account} and al.kind = 'billing' order by al.id`,
    );

  it('links by metadata.pulse_account (customer.created), and by the only link after that', async () => {
    expect(await links()).toContainEqual({
      customer_id: 'cus_PwAcme0001',
      account: 'acme',
      linked_by: 'metadata',
      email: 'billing@acme.example',
    });
    expect(await deliver('customer.created')).toEqual({
      status: 200,
      body: { received: true, account: 'acme' },
    });
  });

  it("links by the e-mail domain of the account's contacts; a card event with only cus_… then finds it", async () => {
    const customer = 'cus_PwUmbrella1';
    const created = await deliver('customer.created', {
      edit: (e) => {
        e.id = 'evt_1PUmbrellaCus1';
        Object.assign(e.data.object, { id: customer, email: 'billing@umbrella.example', metadata: {} });
      },
    });
    expect(created).toEqual({
      status: 200,
      body: { received: true, account: 'umbrella', linked: 'email_domain' },
    });
    expect((await links()).find((l) => l.customer_id === customer)).toEqual({
      customer_id: customer,
      account: 'umbrella',
      linked_by: 'email_domain',
      email: 'billing@umbrella.example',
    });
    const expiring = await deliver('customer.source.expiring', {
      edit: (e) => {
        e.id = 'evt_1PUmbrellaExp1';
        e.data.object.customer = customer;
      },
    });
    expect(expiring).toEqual({
      status: 200,
      body: { received: true, account: 'umbrella', stored: 1, duplicates: 0 },
    });
    expect((await stored()).find((e) => e.external_id === 'evt_1PUmbrellaExp1')).toMatchObject({
      account: 'umbrella',
      type: 'card_expiring',
    });
  });

  it('a domain shared by several accounts links nothing: the event is kept, answered 200', async () => {
    const before = (await stored()).length;
    const shared = await deliver('customer.source.expiring', {
      edit: (e) => {
        e.id = 'evt_1PSharedExp01';
        e.data.object.customer = 'cus_PwShared001';
        e.data.object.metadata = {};
      },
    });
    expect(shared).toEqual({
      status: 200,
      body: { received: true, kept: 'no account for customer cus_PwShared001 yet: kept until it is linked' },
    });
    expect((await stored()).length).toBe(before);
  });

  it('an event naming no customer and no account is ignored, not kept: no link could ever claim it', async () => {
    const before = (await stored()).length;
    const orphan = await deliver('invoice.payment_failed', {
      edit: (e) => {
        e.id = 'evt_1POrphanInv001';
        e.data.object.customer = null;
        e.data.object.customer_email = null;
        e.data.object.metadata = {};
      },
    });
    expect(orphan).toEqual({
      status: 200,
      body: {
        received: true,
        ignored: 'no account for customer of invoice.payment_failed evt_1POrphanInv001',
      },
    });
    expect((await keptEvents()).map((e) => e.event_id)).not.toContain('evt_1POrphanInv001');
    expect((await stored()).length).toBe(before);
  });

  it('keeps a cancellation of an unlinked customer, then stores it once customer.updated links it: one billing event, one alert', async () => {
    const cancellation = {
      edit: (e: { id: string; data: { object: { customer: string; metadata: object } } }) => {
        e.id = 'evt_1PCanceledIni1';
        e.data.object.customer = 'cus_PwInitech01';
        e.data.object.metadata = {};
      },
    };
    expect(await deliver('customer.subscription.deleted', cancellation)).toEqual({
      status: 200,
      body: { received: true, kept: 'no account for customer cus_PwInitech01 yet: kept until it is linked' },
    });
    // Stripe retries nothing we answered 200; re-sending it anyway keeps it once.
    expect((await deliver('customer.subscription.deleted', cancellation)).status).toBe(200);
    expect(await keptEvents()).toEqual([
      {
        event_id: 'evt_1PCanceledIni1',
        customer_id: 'cus_PwInitech01',
        type: 'customer.subscription.deleted',
      },
      { event_id: 'evt_1PSharedExp01', customer_id: 'cus_PwShared001', type: 'customer.source.expiring' },
    ]);
    expect((await stored()).filter((e) => e.account === 'initech')).toEqual([]);

    expect(await deliver('customer.updated')).toEqual({
      status: 200,
      body: {
        received: true,
        account: 'initech',
        linked: 'metadata',
        replayed: 1,
        stored: 1,
        duplicates: 0,
        mrr: 1,
      },
    });
    expect((await keptEvents()).map((e) => e.event_id)).toEqual(['evt_1PSharedExp01']);
    expect((await stored()).filter((e) => e.account === 'initech')).toEqual([
      {
        account: 'initech',
        external_id: 'evt_1PCanceledIni1',
        type: 'subscription_canceled',
        amount: expect.any(String),
        currency: 'USD',
        due_date: null,
        occurred_at: Date.parse('2024-05-11T12:00:00Z'),
      },
    ]);
    await deps.health.idle();
    const [alert, ...more] = await billingAlerts('initech');
    expect(more).toEqual([]);
    expect(alert!.dedupe_key).toBe('billing:evt_1PCanceledIni1');

    // Everything again: the link, the event (no new MRR movement), a recomputation; still one event, one alert, one post.
    expect((await deliver('customer.updated')).body).toEqual({ received: true, account: 'initech' });
    expect((await deliver('customer.subscription.deleted', cancellation)).body).toEqual({
      received: true,
      account: 'initech',
      stored: 0,
      duplicates: 1,
    });
    await deps.health.idle();
    expect(await billingAlerts('initech')).toEqual([alert]);
    const posts = await rows<{ n: number }>(
      db.orm,
      sql`select count(*)::int as n from slack_outbox o join incidents i on i.post_outbox_id = o.id
        join alerts al on al.incident_id = i.id where al.id = ${alert!.id}`,
    );
    expect(posts).toEqual([{ n: 1 }]);
  });
});
