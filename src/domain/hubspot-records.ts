import type { ContactRole } from './ingestion.ts';

/**
 * HubSpot CRM records as Pulse maps them: a company becomes an account, its contacts the account's
 * contacts. Which HubSpot property holds each Pulse field is a setting (HUBSPOT_PROPERTIES); the objects
 * built here are then validated by the ingestion schemas, so a bad value skips its record with the
 * schema's reason.
 */

export type Properties = Record<string, string | null | undefined>;
export type PropertyMap = Partial<
  Record<'key' | 'mrr' | 'renewal_date' | 'tier' | 'stage' | 'seats' | 'role', string>
>;

/** A company's domain as an account key: `www.acme.com` → `acme-com`. */
export function keyFromDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/.*$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const value = (properties: Properties, name: string | undefined) => {
  const v = name ? properties[name] : undefined;
  return v === null || v === undefined || v.trim() === '' ? undefined : v.trim();
};

/** The number a HubSpot number property holds (HubSpot sends numbers as text); text that is not one stays text. */
const numberOf = (text: string) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** The account a company describes, before validation; `owner_slack_id` is added by the caller. */
export function accountFromCompany(properties: Properties, map: PropertyMap): Record<string, unknown> {
  const domain = value(properties, 'domain');
  const key = value(properties, map.key) ?? (domain ? keyFromDomain(domain) : undefined);
  const account: Record<string, unknown> = { key, name: value(properties, 'name') ?? domain ?? key };
  const mrr = value(properties, map.mrr);
  if (mrr !== undefined) account.mrr = numberOf(mrr);
  const seats = value(properties, map.seats);
  if (seats !== undefined) account.seats = numberOf(seats);
  const renewal = value(properties, map.renewal_date);
  if (renewal !== undefined) account.renewal_date = renewal;
  const tier = value(properties, map.tier);
  if (tier !== undefined) account.tier = tier.toLowerCase().replace(/[\s-]+/g, '_');
  const stage = value(properties, map.stage);
  if (stage !== undefined) account.stage = stage.toLowerCase();
  return account;
}

/** The contact a HubSpot contact describes for an account, before validation. */
export function contactFromHubspot(
  properties: Properties,
  account: string,
  map: PropertyMap,
  storedRole: ContactRole | undefined,
): Record<string, unknown> {
  const name = [value(properties, 'firstname'), value(properties, 'lastname')].filter(Boolean).join(' ');
  const role = value(properties, map.role)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  return {
    account,
    email: value(properties, 'email'),
    ...(name ? { name } : {}),
    role: role ?? storedRole ?? 'user',
  };
}
