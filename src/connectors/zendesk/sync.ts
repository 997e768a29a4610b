import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import type { SkippedRecord } from '../../domain/connectors.ts';
import {
  checkTicket,
  exportPageSchema,
  linkableDomains,
  type Organization,
  organizationSchema,
} from '../../domain/zendesk-tickets.ts';
import { writeTicketFigures } from '../../services/ticket-figures.ts';
import { flagUrgentTickets } from '../../services/urgent-tickets.ts';
import { resolveAccountKeys } from '../../store/accounts.ts';
import { advanceConnector, connectorCursor, finishConnectorRun } from '../../store/connector-state.ts';
import { accountsByContactDomain, type TicketRecord, upsertTickets } from '../../store/zendesk-tickets.ts';
import { SourceError, type SourceRequestOptions, sourceRequest } from '../source-http.ts';

export const ZENDESK = 'zendesk';
/** Every 15 minutes, as the incremental export's rate limit (10 requests a minute) easily allows. */
export const ZENDESK_SYNC_CRON = '*/15 * * * *';
/** Pages one run reads at most; a backlog longer than that continues at the next run, from the cursor. */
const MAX_PAGES = 200;

export type ZendeskDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'health'> & {
  config: Pick<Config, 'timezone' | 'alertChannel'> & { zendesk?: Config['zendesk'] };
};

export interface ZendeskRun {
  pages: number;
  stored: number;
  skipped: number;
  error: string | null;
}

/**
 * One run of the Zendesk sync: the incremental ticket export from the stored cursor (from the start
 * on the first run), page after page until the end of the stream. Each page's tickets and the cursor
 * after it are stored in one transaction, so a stop at any point (a revoked token, an outage, a restart)
 * loses nothing and the next run resumes there. Tickets reach an account through their organization,
 * and each version read goes into the tickets' status history. Once the stream is read, each account's
 * `tickets_open` and `tickets_open_14_days` are written as metric points (today's, and the past days'
 * the new history changed, rebuilt from it) and its health recomputed, and the urgent-ticket red flags
 * raised and resolved.
 */
export async function runZendeskSync(
  deps: ZendeskDeps,
  options: { nextRunAt?: Date | null; retry?: Partial<SourceRequestOptions> } = {},
): Promise<ZendeskRun> {
  const settings = deps.config.zendesk;
  if (!settings) throw new Error('the Zendesk sync runs only with its settings');
  const log = deps.logger.child({ connector: ZENDESK });
  const run: ZendeskRun = { pages: 0, stored: 0, skipped: 0, error: null };
  const request: SourceRequestOptions = {
    source: 'Zendesk',
    credentialsHint: 'check ZENDESK_EMAIL and ZENDESK_TOKEN (an API token of an agent who can read tickets)',
    logger: log,
    ...options.retry,
  };
  const authorization = `Basic ${Buffer.from(`${settings.email}/token:${settings.token}`).toString('base64')}`;
  let cursor = await connectorCursor(deps.db.orm, ZENDESK);
  /** The accounts whose ticket history this run changed, and from when: their past days are rebuilt. */
  const changed = new Map<number, Date>();
  if (!cursor) log.info('first Zendesk sync: exporting every ticket');
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL(`${settings.apiUrl}/api/v2/incremental/tickets/cursor.json`);
      if (cursor) url.searchParams.set('cursor', cursor);
      else url.searchParams.set('start_time', '0');
      url.searchParams.set('include', 'organizations');
      const response = await sourceRequest(
        url.toString(),
        { headers: { authorization, accept: 'application/json' } },
        request,
      );
      const parsed = exportPageSchema.safeParse(await response.json());
      if (!parsed.success)
        throw new SourceError(
          `Zendesk's export page was not as documented: ${parsed.error.issues[0]?.message}`,
        );
      const stored = await storePage(deps, parsed.data, cursor, changed);
      run.pages++;
      run.stored += stored.stored;
      run.skipped += stored.skipped;
      cursor = parsed.data.after_cursor ?? cursor;
      log.info({ page: run.pages, stored: run.stored, skipped: run.skipped }, 'Zendesk tickets page stored');
      if (parsed.data.end_of_stream) break;
    }
  } catch (error) {
    run.error = error instanceof SourceError ? error.message : `sync failed: ${(error as Error).message}`;
    log.error({ err: error }, 'Zendesk sync stopped; the next run resumes from the stored cursor');
  }
  // The pages stored before a stop changed the history too: their days are rebuilt now, as the next
  // run would not see those changes as new.
  try {
    await writeTicketFigures(deps, changed);
    const flags = await flagUrgentTickets(deps);
    if (flags.raised || flags.resolved) log.info(flags, 'urgent-ticket red flags raised and resolved');
  } catch (error) {
    run.error ??= `ticket figures failed: ${(error as Error).message}`;
    log.error({ err: error }, 'Zendesk ticket figures or red flags failed');
  }
  await finishConnectorRun(deps.db.orm, {
    name: ZENDESK,
    at: deps.clock(),
    error: run.error,
    nextRunAt: options.nextRunAt ?? null,
  });
  return run;
}

/** Links a page's tickets to accounts and stores them with the cursor after them, in one transaction. */
async function storePage(
  deps: ZendeskDeps,
  page: { tickets: unknown[]; organizations?: unknown[]; after_cursor?: string | null },
  cursorBefore: string | null,
  changed: Map<number, Date>,
): Promise<{ stored: number; skipped: number }> {
  const at = deps.clock().toISOString();
  const organizations = new Map<number, Organization>();
  for (const raw of page.organizations ?? []) {
    const parsed = organizationSchema.safeParse(raw);
    if (parsed.success) organizations.set(parsed.data.id, parsed.data);
  }
  return deps.db.orm.transaction(async (tx) => {
    const accountOf = await linkOrganizations(tx, [...organizations.values()]);
    const records: TicketRecord[] = [];
    const skipped: SkippedRecord[] = [];
    page.tickets.forEach((raw, i) => {
      const checked = checkTicket(raw);
      const id = (raw as { id?: unknown } | null)?.id;
      const record = `ticket ${typeof id === 'number' ? id : `#${i + 1} of its page`}`;
      if (!checked.ok) {
        skipped.push({ record, reason: checked.reason, at });
        return;
      }
      const { ticket } = checked;
      const organization =
        ticket.organization_id == null ? undefined : organizations.get(ticket.organization_id);
      const accountId = ticket.organization_id == null ? undefined : accountOf.get(ticket.organization_id);
      if (accountId === undefined) {
        skipped.push({ record, reason: unlinkedReason(ticket.organization_id, organization), at });
        return;
      }
      records.push({
        id: ticket.id,
        status: ticket.status,
        priority: ticket.priority ?? null,
        subject: ticket.subject ?? null,
        created_at: ticket.created_at,
        updated_at: ticket.updated_at,
        organization_id: ticket.organization_id ?? null,
        account_id: accountId,
      });
    });
    for (const [account, since] of await upsertTickets(tx, records))
      changed.set(account, new Date(Math.min(+since, +(changed.get(account) ?? since))));
    await advanceConnector(tx, {
      name: ZENDESK,
      cursor: page.after_cursor ?? cursorBefore,
      stored: records.length,
      skipped,
    });
    return { stored: records.length, skipped: skipped.length };
  });
}

/**
 * The account of each organization: its `external_id` when that is an account key, else the one account
 * whose contacts have e-mail addresses at its domains (never a free-mail domain; two accounts: none).
 */
async function linkOrganizations(
  tx: Parameters<typeof resolveAccountKeys>[0],
  organizations: Organization[],
): Promise<Map<number, number>> {
  const byKey = await resolveAccountKeys(
    tx,
    organizations.flatMap((o) => (o.external_id ? [o.external_id] : [])),
  );
  const byDomain = await accountsByContactDomain(tx, organizations.flatMap(linkableDomains));
  const links = new Map<number, number>();
  for (const organization of organizations) {
    const keyed = organization.external_id ? byKey.get(organization.external_id) : undefined;
    if (keyed !== undefined) {
      links.set(organization.id, keyed);
      continue;
    }
    const candidates = new Set(linkableDomains(organization).flatMap((d) => byDomain.get(d) ?? []));
    if (candidates.size === 1) links.set(organization.id, [...candidates][0]!);
  }
  return links;
}

function unlinkedReason(
  organizationId: number | null | undefined,
  organization: Organization | undefined,
): string {
  if (organizationId == null) return 'has no organization, so no account';
  if (!organization) return `its organization ${organizationId} was not in the export page`;
  const name = organization.name ? `"${organization.name}"` : String(organization.id);
  return `organization ${name} links to no account: set its external_id to the account key, or give it a domain the account's contacts use`;
}
