import { z } from 'zod';
import { CONTACT_ROLES, type ContactRole } from './ingestion.ts';
import { DAY } from './time.ts';

/**
 * The messages of Segment's HTTP Tracking API (the Segment Spec) as Pulse reads them: only the fields
 * it uses are checked, every other field a CDP or SDK adds is let through. A message that fails is
 * refused alone, with its reason; the rest of its batch is stored.
 */

/** Segment's own request limits: a batch body, and one call (or one message of a batch). */
export const SEGMENT_BATCH_LIMIT = 500 * 1024;
export const SEGMENT_CALL_LIMIT = 32 * 1024;

/** How late an event may arrive and still land on its day; older ones are refused. */
export const LATE_EVENT_LIMIT = 7 * DAY;
/** Days the per-day user sets are kept: what a 30-day MAU needs, and a day of margin. */
export const ACTIVE_USER_DAYS = 31;

/** The metrics the source computes, besides one per counted event. */
export const SEGMENT_METRICS = ['active_users', 'wau', 'mau', 'logins'] as const;

export const SEGMENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** A user ID is a string; some SDKs send numbers, which Segment accepts and keeps as text. */
const id = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().trim().max(200, 'must be at most 200 characters'));

const traits = z.record(z.string(), z.unknown());

export const segmentMessageSchema = z.looseObject({
  type: z.enum(SEGMENT_TYPES),
  messageId: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  userId: id.nullish(),
  anonymousId: id.nullish(),
  groupId: id.nullish(),
  event: z.string().max(200, 'must be at most 200 characters').nullish(),
  timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).nullish(),
  traits: traits.nullish(),
  context: z.looseObject({ groupId: id.nullish(), traits: traits.nullish() }).nullish(),
});
export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

/** The reason a message is refused, or undefined when it can be read. */
export function checkMessage(
  raw: unknown,
): { ok: true; message: SegmentMessage } | { ok: false; reason: string } {
  const parsed = segmentMessageSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues
        .map((issue) => `${issue.path.length ? issue.path.join('.') : 'message'} ${issue.message}`)
        .join('; '),
    };
  }
  const message = parsed.data;
  if (!message.userId && !message.anonymousId) {
    return { ok: false, reason: 'has neither userId nor anonymousId' };
  }
  if (message.type === 'track' && !message.event)
    return { ok: false, reason: 'a track call names its event' };
  if (message.type === 'group' && !message.groupId)
    return { ok: false, reason: 'a group call has a groupId' };
  return { ok: true, message };
}

/**
 * The metric an event is counted under: its name in lower case, words joined by "_" (the metric-name
 * rule), e.g. "Order Completed" → `order_completed`; empty when the name has no letter to start with.
 */
export function eventMetricName(event: string): string {
  const slug = event
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '');
  return slug.slice(0, 100).replace(/_+$/, '');
}

/** When an event happened: its own timestamp, else when it was received. */
export const eventTime = (message: SegmentMessage, receivedAt: Date): Date =>
  message.timestamp ? new Date(message.timestamp) : receivedAt;

/** Why an event cannot be counted on its day, or undefined when it can. */
export function lateness(at: Date, now: Date): string | undefined {
  if (+now - +at > LATE_EVENT_LIMIT) return 'is more than 7 days old: its day is closed';
  if (+at - +now > DAY) return 'is dated more than a day in the future';
  return undefined;
}

/** The account a group call names: the trait SEGMENT_ACCOUNT_TRAIT when set, else its groupId. */
export function groupAccountKey(message: SegmentMessage, accountTrait: string | undefined): unknown {
  return accountTrait ? message.traits?.[accountTrait] : message.groupId;
}

/** Traits of a group call that map to account fields; absent traits leave the stored values. */
export function accountFromGroup(
  key: unknown,
  traits: Record<string, unknown>,
  storedName: string | undefined,
): Record<string, unknown> {
  const account: Record<string, unknown> = { key, name: traits.name ?? storedName ?? key };
  for (const field of ['tier', 'seats', 'mrr', 'currency'] as const) {
    if (traits[field] !== undefined) account[field] = traits[field];
  }
  return account;
}

/** What an identify call says of a person. */
export interface Person {
  email?: string;
  name?: string;
  role?: ContactRole;
}

export function personFromTraits(traits: Record<string, unknown>): Person {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const fullName = [text(traits.firstName), text(traits.lastName)].filter(Boolean).join(' ');
  const role = text(traits.role)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  return {
    email: text(traits.email)?.toLowerCase(),
    name: text(traits.name) ?? (fullName || undefined),
    role: CONTACT_ROLES.includes(role as ContactRole) ? (role as ContactRole) : undefined,
  };
}
