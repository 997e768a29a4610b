import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { parseBatch } from '../domain/ingestion-batch.ts';
import { formatPath, problemList } from '../domain/problems.ts';
import {
  linkingDomain,
  mapStripeEvent,
  type StripeBillingEvent,
  type StripeCustomerRef,
  type StripeMrrMovement,
} from '../domain/stripe-events.ts';
import { findUnstorableText } from '../domain/unstorable-text.ts';
import { insertBillingEvents } from '../store/billing-events.ts';
import { upsertMrrChanges } from '../store/mrr-changes.ts';
import {
  findAccountForStripeEvent,
  keepUnlinkedStripeEvent,
  linkStripeCustomer,
  lockStripeCustomer,
  takeUnlinkedStripeEvents,
} from '../store/stripe-customers.ts';
import { accountMrrFromSubscriptions } from '../store/stripe-subscriptions.ts';

const error = (message: string) => ({ errors: [{ path: '', message }] });

/** Stripe's tolerance (the `stripe` package's default), applied here to signatures dated ahead as well. */
const TOLERANCE_SECONDS = 300;

/** The `t=` of a Stripe-Signature header, read as the `stripe` package reads it (the last one wins). */
function signedAtSeconds(header: string | string[]): number {
  let seconds = Number.NaN;
  // Several headers were refused by the package already.
  for (const part of typeof header === 'string' ? header.split(',') : []) {
    const [key, value] = part.split('=');
    if (key === 't') seconds = Number.parseInt(value ?? '', 10);
  }
  return seconds;
}

type Handled = { body: Record<string, unknown>; accountId?: number; stored?: number };

/** Thrown to roll the event's transaction back: the link and the kept events it took stay as they were. */
class NotStored extends Error {
  constructor(readonly errors: unknown) {
    super('Stripe event not stored');
  }
}

/**
 * One mapped event, in one transaction holding its customer's lock: find the account (metadata, the
 * customer's link, or the e-mail domain), record the link it reveals, store its billing events and
 * those kept for the customer until now; or keep it, when nobody knows whose it is yet. Throws
 * NotStored, rolling all of it back, when the events do not validate.
 */
async function handleEvent(
  deps: Deps,
  event: Stripe.Event,
  mapped: { customer: StripeCustomerRef; events: StripeBillingEvent[]; movement?: StripeMrrMovement },
): Promise<Handled> {
  const { customer } = mapped;
  const now = deps.clock();
  return deps.db.orm.transaction(async (tx): Promise<Handled> => {
    if (customer.customerId) await lockStripeCustomer(tx, customer.customerId);
    const account = await findAccountForStripeEvent(tx, {
      customerId: customer.customerId,
      accountKey: customer.accountKey,
      emailDomain: linkingDomain(customer.email),
    });

    if (!account) {
      const who = customer.customerId ?? `of ${event.type} ${event.id}`;
      // Without a customer id no link can ever name its account: keeping the event would keep it forever.
      if ((!mapped.events.length && !mapped.movement) || !customer.customerId)
        return { body: { ignored: `no account for customer ${who}` } };
      await keepUnlinkedStripeEvent(tx, {
        eventId: event.id,
        customerId: customer.customerId,
        type: event.type,
        payload: event,
        now,
      });
      deps.logger.warn(
        { event: event.id, type: event.type, customer: customer.customerId },
        'Stripe event kept: its customer is linked to no account yet; set metadata.pulse_account on the customer',
      );
      return { body: { kept: `no account for customer ${who} yet: kept until it is linked` } };
    }

    const linked =
      customer.customerId && account.by !== 'link'
        ? await linkStripeCustomer(tx, {
            customerId: customer.customerId,
            accountId: account.accountId,
            by: account.by,
            email: customer.email,
            now,
          })
        : false;
    const kept = customer.customerId ? await takeUnlinkedStripeEvents(tx, customer.customerId) : [];
    // The link is the truth about whose the customer's events are, whatever a kept event said then.
    const replayed = kept.flatMap((k) => {
      const m = mapStripeEvent(k.payload);
      return 'ignored' in m ? [] : [m];
    });
    const events = [...mapped.events, ...replayed.flatMap((m) => m.events)];
    const amounts = [mapped.movement, ...replayed.map((m) => m.movement)].filter((m) => m !== undefined);
    const movements = await accountMrrFromSubscriptions(tx, account.accountId, amounts);
    // Stripe shows this body in its dashboard: it says whose the event is and what Pulse did with it.
    const body = {
      account: account.key,
      ...(linked && { linked: account.by }),
      ...(kept.length && { replayed: kept.length }),
    };
    if (movements.length) {
      const checked = parseBatch(
        'mrr-changes',
        movements.map(({ at, mrr }) => ({ account: account.key, at, mrr })),
      );
      if (!checked.ok) throw new NotStored(checked.errors);
      await upsertMrrChanges(tx, movements, now, 'stripe');
    }
    if (!events.length) {
      return movements.length
        ? { body: { ...body, mrr: movements.length }, accountId: account.accountId }
        : { body };
    }

    const parsed = parseBatch(
      'billing-events',
      events.map((e) => ({ account: account.key, ...e })),
    );
    if (!parsed.ok) throw new NotStored(parsed.errors);
    const { inserted } = await insertBillingEvents(
      tx,
      parsed.items.map(({ account: _, ...e }) => ({ ...e, account_id: account.accountId })),
    );
    return {
      body: {
        ...body,
        stored: inserted,
        duplicates: events.length - inserted,
        ...(movements.length && { mrr: movements.length }),
      },
      accountId: account.accountId,
      stored: inserted,
    };
  });
}

/**
 * `POST /webhooks/stripe`: every request verified by the `stripe` package against STRIPE_WEBHOOK_SECRET
 * (400 and nothing stored when the signature is wrong or dated more than 5 minutes before or after
 * now), refused with 400 when it carries text the database cannot store (a NUL, a broken character), then
 * mapped to billing events and stored as the ingestion API stores them. An event whose customer is not
 * linked to an account yet is kept and stored once a link appears. Whatever Pulse does not act on is
 * answered 200 with the reason, so Stripe does not retry it. Without the secret the route answers 404.
 */
export function registerStripeWebhook(app: FastifyInstance, deps: Deps): void {
  const secret = deps.config.stripeWebhookSecret;

  app.post('/webhooks/stripe', async (request, reply) => {
    if (!secret) {
      return reply
        .code(404)
        .send(error('the Stripe webhook is off; set STRIPE_WEBHOOK_SECRET to turn it on'));
    }
    let event: Stripe.Event;
    const header = request.headers['stripe-signature'] ?? '';
    const now = +deps.clock();
    try {
      event = Stripe.webhooks.constructEvent(
        request.rawBody ?? '',
        header,
        secret,
        TOLERANCE_SECONDS,
        undefined,
        now,
      );
      // The library only checks the signature's age: one dated ahead would verify until that day comes.
      if (signedAtSeconds(header) > now / 1000 + TOLERANCE_SECONDS) {
        throw new Error('Timestamp outside the tolerance zone');
      }
    } catch (failure) {
      const reason = (failure as Error).message.split('\n')[0]!.trim();
      request.log.warn({ reason }, 'Stripe webhook refused: bad signature');
      return reply.code(400).send(error(`the Stripe signature does not verify: ${reason}`));
    }

    const mapping = mapStripeEvent(event);
    if ('ignored' in mapping) return reply.code(200).send({ received: true, ignored: mapping.ignored });
    if (mapping.unmeasured)
      request.log.info({ event: event.id }, `Stripe MRR not recorded: ${mapping.unmeasured}`);
    if (!mapping.events.length && !mapping.movement && mapping.unmeasured) {
      return reply.code(200).send({ received: true, ignored: mapping.unmeasured });
    }
    // The whole event may be kept as JSON until its customer is linked: nothing in it may stop the database.
    const unstorable = findUnstorableText(event);
    if (unstorable.length) {
      const errors = unstorable.map(({ path, message }) => ({ path: formatPath(path), message }));
      return reply.code(400).send({ errors: problemList(errors) });
    }

    let handled: Handled;
    try {
      handled = await handleEvent(deps, event, mapping);
    } catch (failure) {
      if (!(failure instanceof NotStored)) throw failure;
      request.log.error({ event: event.id, errors: failure.errors }, 'Stripe event not stored');
      return reply.code(500).send({ errors: failure.errors });
    }
    if (handled.stored) {
      deps.metrics.ingestedRows.inc({ kind: 'billing-events' }, handled.stored);
      deps.health
        .schedule([handled.accountId!])
        .catch((failure) =>
          deps.logger.error({ err: failure, event: event.id }, 'health after a Stripe event failed'),
        );
    }
    return reply.code(200).send({ received: true, ...handled.body });
  });
}
