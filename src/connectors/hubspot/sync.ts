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
 * ingestion schemas is skipped with its reason; the rest of its page is stored. Then the contacts
 * modified since their own cursor, each through its primary company to its account, so a contact that
 * changes alone is read too.
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
  const contactProperties = [
    'email',
    'firstname',
    'lastname',
    'associatedcompanyid',
    'hs_lastmodifieddate',
    ...(map.role ? [map.role] : []),
  ];

  const cursor = readCursor(await connectorCursor(deps.db.orm, HUBSPOT));
  if (cursor.companies === '0') log.info('first HubSpot sync: every company');
  /** Contacts stored or skipped with their company in this run: the contacts pass leaves them alone. */
  const handled = new Set<string>();
  try {
    await sweep('companies', companyProperties, async (companies) => {
      const contacts = await companyContacts(companies);
      const ownerIds = await slackOwners(companies);
      return deps.db.orm.transaction((tx) => storeCompanies(tx, companies, contacts, ownerIds));
    });
    // A contact can change without its company changing: its own pass, from its own cursor.
    await sweep('contacts', contactProperties, async (contacts) => {
      const fresh = contacts.filter((c) => !handled.has(c.id));
      const companies = await companiesById(fresh.map((c) => c.properties.associatedcompanyid));
      return deps.db.orm.transaction((tx) => storeContactsAlone(tx, contacts, fresh, companies));
    });
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

  /**
   * One kind of object modified since its cursor, through the search API by `hs_lastmodifieddate`,
   * oldest first, page after page; `store` stores a page and says where the cursor moves.
   */
  async function sweep(
    kind: keyof HubspotCursor,
    properties: string[],
    store: (records: CrmRecord[]) => Promise<StoredPage>,
  ): Promise<void> {
    const api = kind === 'companies' ? client.crm.companies.searchApi : client.crm.contacts.searchApi;
    // The query pages with `after` from where it started; only a new query starts from the moved cursor.
    let from = cursor[kind];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const found = await call(() =>
        api.doSearch({
          filterGroups: [
            { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE' as never, value: from }] },
          ],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }] as never,
          properties,
          limit: PAGE_SIZE,
          after,
        }),
      );
      const stored = await store(found.results as unknown as CrmRecord[]);
      run.pages++;
      run.stored += stored.stored;
      run.skipped += stored.skipped.length;
      for (const s of stored.skipped)
        log.warn({ record: s.record, reason: s.reason }, 'HubSpot record skipped');
      log.info(
        { kind, page: run.pages, stored: run.stored, skipped: run.skipped, total: found.total },
        `HubSpot ${kind} page stored`,
      );
      const next = found.paging?.next?.after;
      if (!next) break;
      // Past the search window a new query starts from the cursor, which this page has just moved.
      after = Number(next) + PAGE_SIZE > SEARCH_WINDOW ? undefined : next;
      if (after === undefined) from = cursor[kind];
    }
  }

  /** Moves one kind's cursor to the latest modification among these records, in the page's transaction. */
  async function advance(tx: Executor, kind: keyof HubspotCursor, records: CrmRecord[], stored: StoredPage) {
    const modified = records.map((r) => r.properties.hs_lastmodifieddate).filter((t): t is string => !!t);
    if (modified.length) cursor[kind] = String(Math.max(...modified.map((t) => Date.parse(t) || Number(t))));
    await advanceConnector(tx, {
      name: HUBSPOT,
      cursor: JSON.stringify(cursor),
      stored: stored.stored,
      skipped: stored.skipped,
    });
    return stored;
  }

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
          properties: contactProperties,
          limit: PAGE_SIZE,
          after: next,
        }),
      );
      all.push(...(found.results as unknown as CrmRecord[]));
      next = found.paging?.next?.after;
    } while (next);
    return all;
  }

  /** The companies with these IDs (a contact's primary company), every page of them. */
  async function companiesById(ids: Array<string | null | undefined>): Promise<Map<string, CrmRecord>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const companies = new Map<string, CrmRecord>();
    if (!wanted.length) return companies;
    let next: string | undefined;
    do {
      const found = await call(() =>
        client.crm.companies.searchApi.doSearch({
          filterGroups: [
            { filters: [{ propertyName: 'hs_object_id', operator: 'IN' as never, values: wanted }] },
          ],
          properties: companyProperties,
          limit: PAGE_SIZE,
          after: next,
        }),
      );
      for (const company of found.results as unknown as CrmRecord[]) companies.set(company.id, company);
      next = found.paging?.next?.after;
    } while (next);
    return companies;
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

  /** A page of companies as accounts, with their contacts. */
  async function storeCompanies(
    tx: Executor,
    companies: CrmRecord[],
    contacts: CrmRecord[],
    slackOf: Map<string, string | undefined>,
  ): Promise<StoredPage> {
    const at = deps.clock().toISOString();
    const skipped: SkippedRecord[] = [];
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
        skipped.push({ record: `company ${company.id}`, reason: reasonOf(checked.errors), at });
        continue;
      }
      accounts.push(checked.items[0]!);
      keyOfCompany.set(company.id, checked.items[0]!.key);
    }
    for (const id of await upsertAccounts(tx, accounts, deps.clock())) touched.add(id);
    const ids = await resolveAccountKeys(tx, [...keyOfCompany.values()]);
    const people = contacts.flatMap((contact) => {
      const key = keyOfCompany.get(contact.properties.associatedcompanyid ?? '');
      return key ? [{ contact, key, accountId: ids.get(key)! }] : [];
    });
    const stored = await storeContacts(tx, people, skipped);
    return advance(tx, 'companies', companies, { stored: accounts.length + stored, skipped });
  }

  /**
   * A page of contacts modified on their own: each reaches its account through its primary company
   * (`associatedcompanyid`), whose account key is read as the companies pass reads it. A contact with no
   * company is no customer's; one whose company is not an account in Pulse is skipped with the reason.
   */
  async function storeContactsAlone(
    tx: Executor,
    page: CrmRecord[],
    contacts: CrmRecord[],
    companies: Map<string, CrmRecord>,
  ): Promise<StoredPage> {
    const at = deps.clock().toISOString();
    const skipped: SkippedRecord[] = [];
    const keyOfContact = new Map<string, string>();
    for (const contact of contacts) {
      const companyId = contact.properties.associatedcompanyid;
      if (!companyId) continue;
      const company = companies.get(companyId);
      const key = company && accountFromCompany(company.properties, map).key;
      if (typeof key === 'string') keyOfContact.set(contact.id, key);
      else
        skipped.push({
          record: `contact ${contact.id}`,
          reason: company
            ? `its company ${companyId} has no account key (set the key property or the domain)`
            : `its company ${companyId} was not found in HubSpot`,
          at,
        });
    }
    const ids = await resolveAccountKeys(tx, [...keyOfContact.values()]);
    const people = contacts.flatMap((contact) => {
      const key = keyOfContact.get(contact.id);
      if (key === undefined) return [];
      const accountId = ids.get(key);
      if (accountId !== undefined) return [{ contact, key, accountId }];
      skipped.push({
        record: `contact ${contact.id}`,
        reason: `its company's account ${key} is not in Pulse (the company was skipped, or not synced yet)`,
        at,
      });
      return [];
    });
    const stored = await storeContacts(tx, people, skipped);
    return advance(tx, 'contacts', page, { stored, skipped });
  }

  /** Contacts of known accounts, validated by the ingestion schema; a role set in Pulse is kept when HubSpot has none. */
  async function storeContacts(
    tx: Executor,
    people: Array<{ contact: CrmRecord; key: string; accountId: number }>,
    skipped: SkippedRecord[],
  ): Promise<number> {
    const at = deps.clock().toISOString();
    const emailOf = (contact: CrmRecord) => contact.properties.email?.trim().toLowerCase();
    const roles = await contactRoles(
      tx,
      people.flatMap((p) => {
        const email = emailOf(p.contact);
        return email ? [{ account_id: p.accountId, email }] : [];
      }),
    );
    const records: Array<Omit<ContactUpsert, 'account'> & { account_id: number }> = [];
    for (const p of people) {
      handled.add(p.contact.id);
      const role = roles.get(`${p.accountId} ${emailOf(p.contact)}`);
      const checked = parseBatch('contacts', contactFromHubspot(p.contact.properties, p.key, map, role));
      if (!checked.ok) {
        skipped.push({ record: `contact ${p.contact.id}`, reason: reasonOf(checked.errors), at });
        continue;
      }
      const { account: _, ...contact } = checked.items[0]!;
      records.push({ ...contact, account_id: p.accountId });
      touched.add(p.accountId);
    }
    await upsertContacts(tx, records);
    return records.length;
  }
}

const reasonOf = (errors: Array<{ path: string; message: string }>) =>
  errors.map((e) => `${e.path} ${e.message}`).join('; ');

/** Where each kind's search resumes: the latest `hs_lastmodifieddate` stored, in epoch milliseconds. */
interface HubspotCursor {
  companies: string;
  contacts: string;
}

interface StoredPage {
  stored: number;
  skipped: SkippedRecord[];
}

/**
 * The stored cursor: `{"companies": …, "contacts": …}`. A bare number is the companies' cursor from
 * before contacts had their own pass: the contacts' then starts from the beginning, once.
 */
function readCursor(stored: string | null): HubspotCursor {
  if (!stored) return { companies: '0', contacts: '0' };
  if (!stored.startsWith('{')) return { companies: stored, contacts: '0' };
  const parsed = JSON.parse(stored) as Partial<HubspotCursor>;
  return { companies: parsed.companies ?? '0', contacts: parsed.contacts ?? '0' };
}
