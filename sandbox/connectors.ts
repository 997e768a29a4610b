import { randomBytes } from 'node:crypto';
import { type CrmObject, type HubspotOwner, startHubspotDouble } from './hubspot-double.ts';
import { startZendeskDouble, type ZendeskOrganization, type ZendeskTicket } from './zendesk-double.ts';

export { startHubspotDouble } from './hubspot-double.ts';
export { startZendeskDouble } from './zendesk-double.ts';

/**
 * The write key the sandbox's Segment-compatible source takes, unless SEGMENT_WRITE_KEY says otherwise:
 * fixed, so `npm run demo:segment` reaches a sandbox started with no settings.
 */
export const SANDBOX_SEGMENT_WRITE_KEY = 'sandbox-segment-write-key';

export interface SandboxSourceRecords {
  hubspot: { companies: CrmObject[]; contacts: CrmObject[]; owners: HubspotOwner[] };
  zendesk: { organizations: ZendeskOrganization[]; tickets: ZendeskTicket[] };
}

export interface SandboxSources {
  /** The settings that point Pulse's connectors at the local sources, for those `env` leaves unset. */
  env: Record<string, string>;
  hubspot?: Awaited<ReturnType<typeof startHubspotDouble>>;
  zendesk?: Awaited<ReturnType<typeof startZendeskDouble>>;
  close(): Promise<void>;
}

const given = (env: NodeJS.ProcessEnv, names: string[]) => names.some((name) => env[name]?.trim());

/**
 * A connected workspace on this machine: a local HubSpot and a local Zendesk (the doubles the tests use)
 * holding `records`, each started only when none of its connector's settings is given, and the settings
 * that point Pulse at them. A connector configured explicitly talks to its real source instead.
 */
export async function startSandboxSources(
  env: NodeJS.ProcessEnv,
  records: SandboxSourceRecords,
  hubspotProperties: string,
): Promise<SandboxSources> {
  const settings: Record<string, string> = {};
  const hubspot = given(env, ['HUBSPOT_TOKEN', 'HUBSPOT_API_URL'])
    ? undefined
    : await startHubspotDouble({ token: `pat-sandbox-${randomBytes(8).toString('hex')}` });
  if (hubspot) {
    for (const company of records.hubspot.companies) hubspot.company(company);
    for (const contact of records.hubspot.contacts) hubspot.contact(contact);
    for (const owner of records.hubspot.owners) hubspot.owner(owner);
    Object.assign(settings, {
      HUBSPOT_TOKEN: hubspot.token,
      HUBSPOT_API_URL: hubspot.url,
      HUBSPOT_PROPERTIES: env.HUBSPOT_PROPERTIES ?? hubspotProperties,
    });
  }
  const zendeskEmail = 'cs-ops@sandbox.example';
  const zendesk = given(env, ['ZENDESK_SUBDOMAIN', 'ZENDESK_EMAIL', 'ZENDESK_TOKEN', 'ZENDESK_API_URL'])
    ? undefined
    : await startZendeskDouble({
        email: zendeskEmail,
        token: randomBytes(12).toString('hex'),
        pageSize: 100,
      });
  if (zendesk) {
    for (const organization of records.zendesk.organizations) zendesk.organization(organization);
    zendesk.put(...records.zendesk.tickets);
    Object.assign(settings, {
      ZENDESK_SUBDOMAIN: 'sandbox',
      ZENDESK_EMAIL: zendeskEmail,
      ZENDESK_TOKEN: zendesk.token,
      ZENDESK_API_URL: zendesk.url,
    });
  }
  if (!given(env, ['SEGMENT_WRITE_KEY'])) {
    settings.SEGMENT_WRITE_KEY = SANDBOX_SEGMENT_WRITE_KEY;
    settings.SEGMENT_METRIC_EVENTS = env.SEGMENT_METRIC_EVENTS ?? 'Report Exported';
  }
  return {
    env: settings,
    hubspot,
    zendesk,
    close: async () => {
      await Promise.all([hubspot?.close(), zendesk?.close()]);
    },
  };
}
