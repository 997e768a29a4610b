import { Client } from '@hubspot/api-client';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { SkippedRecord } from '../../domain/connectors.ts';
import { accountFromCompany, contactFromHubspot, type Properties } from '../../domain/hubspot-records.ts';
import type { AccountUpsert, ContactUpsert } from '../../domain/ingestion.ts';
import { parseBatch } from '../../domain/ingestion-batch.ts';
import { resolveAccountKeys, upsertAccounts } from '../../store/accounts.ts';
import { advanceConnector, connectorCursor, finishConnectorRun } from '../../store/connector-state.ts';
import { contactRoles, upsertContacts } from '../../store/contacts.ts';
import { SourceError, type SourceFailure, type SourceRequestOptions, sourceCall } from '../source-http.ts';

export const HUBSPOT = 'hubspot';
const PAGE_SIZE = 100;
/** HubSpot's search returns at most 10,000 results per query: past that, a new query from the cursor. */
const SEARCH_WINDOW = 10_000;
const MAX_PAGES = 500;

export type HubspotDeps = Pick<Deps, 'db' | 'clock' | 'logger' | 'health' | 'slack'> & {
  config: { hubspot?: Config['hubspot'] };
};

export interface HubspotRun {
  pages: number;
  stored: number;
  skipped: number;
  error: string | null;
}

interface CrmRecord {
  id: string;
  properties: Properties;
}

/** What an error of the HubSpot client says: its status, and the Retry-After HubSpot sent. */
const hubspotFailure = (error: unknown): SourceFailure => {
  const e = error as { code?: unknown; headers?: Record<string, string>; body?: unknown; message?: string };
  return typeof e.code === 'number'
    ? {
        status: e.code,
        statusText: (e.body as { category?: string } | undefined)?.category ?? 'error',
        retryAfter: e.headers?.['retry-after'],
        body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body),
      }
    : { status: 0, statusText: e.message ?? String(error) };
};

/**
 * One run of the HubSpot sync: the companies modified since the stored cursor (every company on the
 * first run), through the CRM search API by `hs_lastmodifieddate`, page after page. Each page becomes
 * accounts (key from a property or the domain; owner matched to a Slack user by e-mail), its companies'
 * contacts become contacts, and the cursor moves, all in one transaction. A record that fails the
 * ingestion schemas is skipped with its reason; the rest of its page is stored.
 */
export async function runHubspotSync(
  deps: HubspotDeps,
  options: { nextRunAt?: Date | null; retry?: Partial<SourceRequestOptions> } = {},
): Promise<HubspotRun> {
  const settings = deps.config.hubspot;
  if (!settings) throw new Error('the HubSpot sync runs only with its settings');
  const log = deps.logger.child({ connector: HUBSPOT });
  const client = new Client({ accessToken: settings.token, basePath: settings.apiUrl });
  const policy: SourceRequestOptions = {
    source: 'HubSpot',
    credentialsHint:
      'check HUBSPOT_TOKEN (a private app token with the crm.objects.companies.read, contacts.read and owners scopes)',
    logger: log,
    ...options.retry,
  };
  const call = <T>(f: () => Promise<T>) => sourceCall(f, hubspotFailure, policy);
  const run: HubspotRun = { pages: 0, stored: 0, skipped: 0, error: null };
  const touched = new Set<number>();
  const owners = new Map<string, string | undefined>();
  const map = settings.properties;
  const companyProperties = [
    'name',
    'domain',
    'hubspot_owner_id',
    'hs_lastmodifieddate',
    map.key,
    map.mrr,
    map.renewal_date,
    map.tier,
    map.stage,
    map.seats,
  ].filter((p): p is string => !!p);

  let cursor = (await connectorCursor(deps.db.orm, HUBSPOT)) ?? '0';
  if (cursor === '0') log.info('first HubSpot sync: every company');
  // The query pages with `after` from where it started; only a new query starts from the moved cursor.
  let from = cursor;
  let after: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const found = await call(() =>
        client.crm.companies.searchApi.doSearch({
          filterGroups: [
            { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE' as never, value: from }] },
          ],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as never,
          properties: companyProperties,
          limit: PAGE_SIZE,
          after,
        }),
      );
      const companies = found.results as unknown as CrmRecord[];
      const contacts = await companyContacts(companies);
      const ownerIds = await slackOwners(companies);
      const stored = await deps.db.orm.transaction((tx) => storePage(tx, companies, contacts, ownerIds));
      run.pages++;
      run.stored += stored.stored;
      run.skipped += stored.skipped;
      for (const s of stored.skippedRecords)
        log.warn({ record: s.record, reason: s.reason }, 'HubSpot record skipped');
      cursor = stored.cursor ?? cursor;
      log.info(
        { page: run.pages, stored: run.stored, skipped: run.skipped, total: found.total },
        'HubSpot companies page stored',
      );
      const next = found.paging?.next?.after;
      if (!next) break;
      // Past the search window a new query starts from the cursor, which this page has just moved.
      after = Number(next) + PAGE_SIZE > SEARCH_WINDOW ? undefined : next;
      if (after === undefined) from = cursor;
    }
  } catch (error) {
    run.error = error instanceof SourceError ? error.message : `sync failed: ${(error as Error).message}`;
    log.error({ err: error }, 'HubSpot sync stopped; the next run resumes from the stored cursor');
  }
  if (touched.size) await deps.health.schedule([...touched]);
  await finishConnectorRun(deps.db.orm, {
    name: HUBSPOT,
    at: deps.clock(),
    error: run.error,
    nextRunAt: options.nextRunAt ?? null,
  });
  return run;

  /** The contacts of these companies (their primary company), every page of them. */
  async function companyContacts(companies: CrmRecord[]): Promise<CrmRecord[]> {
    if (!companies.length) return [];
    const all: CrmRecord[] = [];
    let next: string | undefined;
    do {
      const found = await call(() =>
        client.crm.contacts.searchApi.doSearch({
          filterGroups: [
            {
              filters: [
                {
                  propertyName: 'associatedcompanyid',
                  operator: 'IN' as never,
                  values: companies.map((c) => c.id),
                },
              ],
            },
          ],
          properties: [
            'email',
            'firstname',
            'lastname',
            'associatedcompanyid',
            ...(map.role ? [map.role] : []),
          ],
          limit: PAGE_SIZE,
          after: next,
        }),
      );
      all.push(...(found.results as unknown as CrmRecord[]));
      next = found.paging?.next?.after;
    } while (next);
    return all;
  }

  /** Each company owner's Slack user, through the owner's e-mail and users.lookupByEmail. */
  async function slackOwners(companies: CrmRecord[]): Promise<Map<string, string | undefined>> {
    for (const ownerId of new Set(
      companies.map((c) => c.properties.hubspot_owner_id).filter((id): id is string => !!id),
    )) {
      if (owners.has(ownerId)) continue;
      const owner = await call(() => client.crm.owners.ownersApi.getById(Number(ownerId)));
      let slackId: string | undefined;
      if (owner.email && deps.slack) {
        try {
          slackId = (await deps.slack.users.lookupByEmail({ email: owner.email })).user?.id;
        } catch (error) {
          log.warn({ owner: ownerId, err: error }, 'HubSpot owner has no Slack user with their e-mail');
        }
      }
      owners.set(ownerId, slackId);
    }
    return owners;
  }

  async function storePage(
    tx: Executor,
    companies: CrmRecord[],
    contacts: CrmRecord[],
    slackOf: Map<string, string | undefined>,
  ) {
    const at = deps.clock().toISOString();
    const skippedRecords: SkippedRecord[] = [];
    const accounts: AccountUpsert[] = [];
    const keyOfCompany = new Map<string, string>();
    for (const company of companies) {
      const item = accountFromCompany(company.properties, map);
      const owner = company.properties.hubspot_owner_id
        ? slackOf.get(company.properties.hubspot_owner_id)
        : undefined;
      if (owner) item.owner_slack_id = owner;
      const checked = parseBatch('accounts', item);
      if (!checked.ok) {
        const reason = checked.errors.map((e) => `${e.path} ${e.message}`).join('; ');
        skippedRecords.push({ record: `company ${company.id}`, reason, at });
        continue;
      }
      accounts.push(checked.items[0]!);
      keyOfCompany.set(company.id, checked.items[0]!.key);
    }
    for (const id of await upsertAccounts(tx, accounts, deps.clock())) touched.add(id);
    const ids = await resolveAccountKeys(tx, [...keyOfCompany.values()]);

    const people = contacts.flatMap((contact) => {
      const key = keyOfCompany.get(contact.properties.associatedcompanyid ?? '');
      const email = contact.properties.email?.trim().toLowerCase();
      return key ? [{ contact, key, accountId: ids.get(key)!, email }] : [];
    });
    const roles = await contactRoles(
      tx,
      people.flatMap((p) => (p.email ? [{ account_id: p.accountId, email: p.email }] : [])),
    );
    const records: Array<Omit<ContactUpsert, 'account'> & { account_id: number }> = [];
    for (const p of people) {
      const item = contactFromHubspot(
        p.contact.properties,
        p.key,
        map,
        roles.get(`${p.accountId} ${p.email}`),
      );
      const checked = parseBatch('contacts', item);
      if (!checked.ok) {
        const reason = checked.errors.map((e) => `${e.path} ${e.message}`).join('; ');
        skippedRecords.push({ record: `contact ${p.contact.id}`, reason, at });
        continue;
      }
      const { account: _, ...contact } = checked.items[0]!;
      records.push({ ...contact, account_id: p.accountId });
    }
    await upsertContacts(tx, records);

    const modified = companies.map((c) => c.properties.hs_lastmodifieddate).filter((t): t is string => !!t);
    const latest = modified.length
      ? String(Math.max(...modified.map((t) => Date.parse(t) || Number(t))))
      : undefined;
    await advanceConnector(tx, {
      name: HUBSPOT,
      cursor: latest,
      stored: accounts.length + records.length,
      skipped: skippedRecords,
    });
    return {
      stored: accounts.length + records.length,
      skipped: skippedRecords.length,
      skippedRecords,
      cursor: latest,
    };
  }
}
