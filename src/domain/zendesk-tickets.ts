import { z } from 'zod';

/**
 * Zendesk's incremental ticket export (cursor-based), as Pulse reads it: a page of tickets, the
 * organizations sideloaded with them, and the cursor of the next page. Only the fields Pulse uses are
 * checked; a ticket that fails is skipped with its reason and the rest of the page is stored.
 */

export const exportPageSchema = z.looseObject({
  tickets: z.array(z.unknown()),
  organizations: z.array(z.unknown()).optional(),
  after_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});

export const TICKET_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'] as const;
/** Statuses in which a ticket is still waiting on the support team or the customer. */
export const OPEN_STATUSES = ['new', 'open', 'pending', 'hold'] as const;
export const TICKET_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

const zendeskInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const ticketSchema = z.looseObject({
  id: z.int().positive(),
  status: z.enum(TICKET_STATUSES, { error: `must be one of: ${TICKET_STATUSES.join(', ')}` }),
  priority: z.enum(TICKET_PRIORITIES, { error: `must be one of: ${TICKET_PRIORITIES.join(', ')}` }).nullish(),
  organization_id: z.int().nullish(),
  subject: z.string().nullish(),
  created_at: zendeskInstant,
  updated_at: zendeskInstant,
});
export type Ticket = z.infer<typeof ticketSchema>;

export const organizationSchema = z.looseObject({
  id: z.int(),
  name: z.string().nullish(),
  external_id: z.string().nullish(),
  domain_names: z.array(z.string()).nullish(),
});
export type Organization = z.infer<typeof organizationSchema>;

/** Days a ticket stays open before it counts in `tickets_open_14_days`. */
export const LONG_OPEN_DAYS = 14;

/**
 * Mail providers anyone can have an address at: a domain among them says nothing about which customer
 * a person works for, so it never links an organization to an account.
 */
export const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
  'hey.com',
  'fastmail.com',
  'uol.com.br',
  'bol.com.br',
  'terra.com.br',
  'qq.com',
  '163.com',
]);

/** The domains of an organization that may link it to an account: lower case, free-mail ones left out. */
export const linkableDomains = (organization: Organization): string[] =>
  (organization.domain_names ?? [])
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d.length > 0 && !FREE_MAIL_DOMAINS.has(d));

/** The reason a ticket cannot be read, as a person would fix it at the source. */
export function checkTicket(raw: unknown): { ok: true; ticket: Ticket } | { ok: false; reason: string } {
  const parsed = ticketSchema.safeParse(raw);
  if (parsed.success) return { ok: true, ticket: parsed.data };
  return {
    ok: false,
    reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'ticket'} ${i.message}`).join('; '),
  };
}

const lowerCase = (values: readonly string[]) =>
  z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values as [string, ...string[]], { error: `must be one of: ${values.join(', ')}` }));
/** Zendesk's event webhooks send IDs as text ("35436", "0" for none). */
const textId = z.union([z.int(), z.string().regex(/^\d+$/)]).transform(Number);

/**
 * A ticket event of Zendesk's webhooks (`zen:event-type:ticket.*`): the ticket as it is after the
 * change, in `detail`. Zendesk sends IDs as text and statuses and priorities in capitals (`OPEN`,
 * `URGENT`); a field an event leaves out is kept as stored.
 */
export const webhookTicketEventSchema = z.looseObject({
  type: z.string().startsWith('zen:event-type:ticket.', { error: 'is not a ticket event' }),
  detail: z.looseObject({
    id: textId,
    status: lowerCase(TICKET_STATUSES),
    priority: lowerCase(TICKET_PRIORITIES).nullish().catch(undefined),
    organization_id: textId.nullish(),
    subject: z.string().nullish(),
    created_at: zendeskInstant.optional(),
    updated_at: zendeskInstant,
  }),
});
export type WebhookTicketEvent = z.infer<typeof webhookTicketEventSchema>;
