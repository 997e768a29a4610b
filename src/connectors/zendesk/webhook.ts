import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { MINUTE } from '../../domain/time.ts';
import { webhookTicketEventSchema } from '../../domain/zendesk-tickets.ts';
import { writeTicketFigures } from '../../services/ticket-figures.ts';
import { flagUrgentTickets } from '../../services/urgent-tickets.ts';
import {
  accountOfOrganization,
  storedTicket,
  type TicketRecord,
  upsertTickets,
} from '../../store/zendesk-tickets.ts';

const error = (message: string) => ({ errors: [{ path: '', message }] });
/** How old a signature may be: older, and the request could be a replay of one that was captured. */
const TOLERANCE_MS = 5 * MINUTE;

/**
 * Zendesk's signature of a webhook request: base64 of the HMAC-SHA256, under the webhook's signing
 * secret, of the signature timestamp followed by the body.
 */
export function zendeskSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + body)
    .digest('base64');
}

/**
 * Zendesk's webhook for ticket changes (`POST /webhooks/zendesk`, a webhook subscribed to ticket
 * events), so a change reaches Pulse in seconds instead of at the next export. Verified first: a
 * missing, wrong or stale signature gets 401 and nothing is stored. The ticket is stored as the export
 * stores it, with its status in the history, then its account's figures and the urgent-ticket red flags
 * follow. A ticket of an organization the export has not linked to an account yet is left for the
 * export, which sideloads the organization. Off (404) without ZENDESK_WEBHOOK_SECRET.
 */
export function registerZendeskWebhook(app: FastifyInstance, deps: Deps): void {
  app.post('/webhooks/zendesk', async (request, reply) => {
    const secret = deps.config.zendesk?.webhookSecret;
    if (!secret) {
      return reply
        .code(404)
        .send(error('the Zendesk webhook is off; set ZENDESK_WEBHOOK_SECRET with the ZENDESK_ settings'));
    }
    const signature = request.headers['x-zendesk-webhook-signature'];
    const timestamp = request.headers['x-zendesk-webhook-signature-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string') {
      return reply.code(401).send(error('missing x-zendesk-webhook-signature or its timestamp'));
    }
    const expected = Buffer.from(zendeskSignature(secret, timestamp, request.rawBody ?? ''));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send(error('the signature does not match ZENDESK_WEBHOOK_SECRET'));
    }
    const signedAt = Date.parse(timestamp);
    if (Number.isNaN(signedAt) || Math.abs(+deps.clock() - signedAt) > TOLERANCE_MS) {
      return reply.code(401).send(error('the signature timestamp is more than 5 minutes from now'));
    }

    const parsed = webhookTicketEventSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(200).send({ ignored: `${issue.path.join('.') || 'event'} ${issue.message}` });
    }
    const { detail } = parsed.data;
    const stored = await storedTicket(deps.db.orm, detail.id);
    const organizationId = detail.organization_id || stored?.organization_id || null;
    const accountId = organizationId ? await accountOfOrganization(deps.db.orm, organizationId) : undefined;
    const createdAt = detail.created_at ?? stored?.created_at;
    if (accountId === undefined || !createdAt) {
      return reply.code(200).send({
        ignored: `ticket ${detail.id}: its organization is not linked to an account yet; the next export links it`,
      });
    }
    const changed = await deps.db.orm.transaction((tx) =>
      upsertTickets(tx, [
        {
          id: detail.id,
          status: detail.status as TicketRecord['status'],
          priority: detail.priority === undefined ? (stored?.priority ?? null) : detail.priority,
          subject: detail.subject === undefined ? (stored?.subject ?? null) : detail.subject,
          created_at: createdAt,
          updated_at: detail.updated_at,
          organization_id: organizationId,
          account_id: accountId,
        },
      ]),
    );
    await writeTicketFigures(deps, changed);
    await flagUrgentTickets(deps);
    return reply.code(200).send({ stored: 1 });
  });
}
