import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { linkingDomain, mapStripeEvent } from '../domain/stripe-events.ts';
import { findAccountForStripeCustomer } from '../store/stripe-customers.ts';
import { ingest } from './ingest.ts';

const error = (message: string) => ({ errors: [{ path: '', message }] });

/**
 * `POST /webhooks/stripe`: every request verified by the `stripe` package against STRIPE_WEBHOOK_SECRET
 * (400 and nothing stored when the signature is wrong or older than Stripe's 5-minute tolerance), then
 * mapped to billing events and stored through the ingestion path. Whatever Pulse does not act on is
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
    try {
      event = Stripe.webhooks.constructEvent(
        request.rawBody ?? '',
        request.headers['stripe-signature'] ?? '',
        secret,
        undefined,
        undefined,
        +deps.clock(),
      );
    } catch (failure) {
      const reason = (failure as Error).message.split('\n')[0]!.trim();
      request.log.warn({ reason }, 'Stripe webhook refused: bad signature');
      return reply.code(400).send(error(`the Stripe signature does not verify: ${reason}`));
    }

    const mapping = mapStripeEvent(event);
    if ('ignored' in mapping) return reply.code(200).send({ received: true, ignored: mapping.ignored });

    const { customer, events } = mapping;
    const account = await findAccountForStripeCustomer(deps.db.orm, {
      accountKey: customer.accountKey,
      emailDomain: linkingDomain(customer.email),
    });
    if (!account) {
      const who = customer.customerId ?? `of ${event.type} ${event.id}`;
      request.log.warn(
        { event: event.id, type: event.type, customer: customer.customerId, accountKey: customer.accountKey },
        'Stripe event for a customer linked to no account: set metadata.pulse_account on the customer',
      );
      return reply.code(200).send({ received: true, ignored: `no account for customer ${who}` });
    }

    const result = await ingest(
      deps,
      'billing-events',
      events.map((e) => ({ account, ...e })),
    );
    if (!result.ok) {
      request.log.error({ event: event.id, errors: result.errors }, 'Stripe event not stored');
      return reply.code(500).send({ errors: result.errors });
    }
    return reply.code(200).send({ received: true, stored: result.stored, duplicates: result.duplicates });
  });
}
