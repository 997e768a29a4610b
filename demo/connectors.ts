import type { CrmObject, HubspotOwner } from '../sandbox/hubspot-double.ts';
import type { ZendeskOrganization, ZendeskTicket } from '../sandbox/zendesk-double.ts';
import {
  DEMO_COMPANIES,
  DEMO_CRM_CONTACTS,
  DEMO_HUBSPOT_OWNERS,
  DEMO_ORGANIZATIONS,
  DEMO_TICKETS,
} from './data/connectors.ts';

const DAY = 86_400_000;

export interface DemoSources {
  hubspot: { companies: CrmObject[]; contacts: CrmObject[]; owners: HubspotOwner[] };
  /** Every version of every ticket, oldest change first: the order Zendesk's export returns them in. */
  zendesk: { organizations: ZendeskOrganization[]; tickets: ZendeskTicket[] };
}

/**
 * The sandbox's HubSpot and Zendesk records (demo/data/connectors.ts) dated relative to `now`: each
 * ticket once per status it went through (the first at its creation), as Zendesk's incremental export returns a ticket again after
 * each change.
 */
export function demoSources(now: Date): DemoSources {
  const at = (daysAgo: number) => new Date(+now - daysAgo * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
  const modified = (record: {
    id: string;
    properties: Record<string, string | null>;
    modifiedDaysAgo: number;
  }) => ({
    id: record.id,
    properties: { ...record.properties, hs_lastmodifieddate: at(record.modifiedDaysAgo) },
  });
  const tickets = DEMO_TICKETS.flatMap((t) => {
    const base = {
      id: t.id,
      priority: t.priority,
      organization_id: t.organizationId,
      subject: t.subject,
      created_at: at(t.createdDaysAgo),
    };
    return t.history.map((h) => ({ ...base, status: h.status, updated_at: at(h.daysAgo) }));
  }).sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at));
  return {
    hubspot: {
      companies: DEMO_COMPANIES.map(modified),
      contacts: DEMO_CRM_CONTACTS.map(modified),
      owners: DEMO_HUBSPOT_OWNERS,
    },
    zendesk: { organizations: DEMO_ORGANIZATIONS, tickets },
  };
}
