import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubspotDouble } from '../../sandbox/hubspot-double.ts';
import { loadConfig } from '../../src/config.ts';
import { runHubspotSync } from '../../src/connectors/hubspot/sync.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { pulseSchedules } from '../../src/jobs/scheduler.ts';
import { createMetrics } from '../../src/metrics.ts';
import { connectorStatus } from '../../src/services/connectors.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { freshDatabase } from '../helpers/database.ts';
import { startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

const TOKEN = 'pat-na1-hubspot-token-0123';
const PROPERTIES = 'renewal_date=contract_renewal,mrr=mrr,tier=cs_tier,stage=cs_stage,role=pulse_role';
/** Quick retries: the backoff is not what these tests measure (Retry-After is). */
const retry = { backoffMs: 10 };

let db: Database;
let drop: () => Promise<void>;
let hubspot: Awaited<ReturnType<typeof startHubspotDouble>>;
let slack: Awaited<ReturnType<typeof startSlackDouble>>;

function pulseDeps(): Deps {
  const config = loadConfig({
    HUBSPOT_TOKEN: TOKEN,
    HUBSPOT_API_URL: hubspot.url,
    HUBSPOT_PROPERTIES: PROPERTIES,
  });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const clock = () => new Date();
  const health = createHealthRecomputer({ db, clock, logger, metrics, config });
  const client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  return { config, db, clock, logger, metrics, health, slack: client };
}

let modified = Date.parse('2026-01-01T00:00:00Z');
function company(id: string, properties: Record<string, string | null>) {
  modified += 60_000;
  hubspot.company({
    id,
    properties: { hs_lastmodifieddate: new Date(modified).toISOString(), ...properties },
  });
}

function contact(id: string, properties: Record<string, string | null>) {
  modified += 60_000;
  hubspot.contact({
    id,
    properties: { hs_lastmodifieddate: new Date(modified).toISOString(), ...properties },
  });
}

/** The stored cursor: the latest modification of each kind stored. */
const cursorOf = async () =>
  JSON.parse((await hubspotState()).cursor!) as { companies: string; contacts: string };

const account = async (key: string) =>
  (
    await rows<Record<string, unknown>>(
      db.orm,
      sql`select name, tier, stage, mrr::text as mrr, owner_slack_id, to_char(renewal_date, 'YYYY-MM-DD') as renewal_date
          from accounts where key = ${key}`,
    )
  )[0];
const contactsOf = (key: string) =>
  rows<Record<string, unknown>>(
    db.orm,
    sql`select c.email, c.name, c.role from contacts c join accounts a on a.id = c.account_id
        where a.key = ${key} order by c.email`,
  );
const hubspotState = async () => (await connectorStatus(pulseDeps())).find((c) => c.name === 'hubspot')!;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  hubspot = await startHubspotDouble({ token: TOKEN });
  slack = await startSlackDouble();
  hubspot.owner({ id: '501', email: 'marina@pulse.example', firstName: 'Marina', lastName: 'Costa' });
  hubspot.owner({ id: '502', email: 'nobody@pulse.example', firstName: 'No', lastName: 'Slack' });
  company('1', {
    name: 'Acme Corp',
    domain: 'www.acme.com',
    hubspot_owner_id: '501',
    contract_renewal: '2027-03-31',
    mrr: '4500.50',
    cs_tier: 'High Touch',
    cs_stage: 'adoption',
  });
  company('2', { name: 'Globex', domain: 'globex.com', hubspot_owner_id: '502', mrr: '1200' });
  // A CRM always has bad rows: these are skipped with their reasons, the rest of the page stored.
  company('3', { name: 'Bad MRR Inc', domain: 'badmrr.com', mrr: 'lots' });
  company('4', { name: 'No Domain Ltd', domain: null });
  company('5', { name: 'Initech', domain: 'initech.com', cs_tier: 'gold' });
  contact('11', {
    email: 'Ana@Acme.com',
    firstname: 'Ana',
    lastname: 'Souza',
    associatedcompanyid: '1',
    pulse_role: 'champion',
  });
  contact('12', {
    email: 'bo@acme.com',
    firstname: 'Bo',
    lastname: null,
    associatedcompanyid: '1',
    pulse_role: 'Decision Maker',
  });
  contact('13', { email: 'not-an-email', firstname: 'X', associatedcompanyid: '2' });
  contact('14', { email: 'cy@globex.com', firstname: 'Cy', associatedcompanyid: '2' });
}, 60_000);

afterAll(async () => {
  await hubspot?.close();
  await slack?.close();
  await drop();
});

describe('the HubSpot sync', () => {
  it('makes accounts of companies and contacts of their contacts, skipping bad records with their reasons', async () => {
    // A first run on a page size of 100 reads all five companies in one page, then all four contacts in
    // one page of the contacts pass, which leaves alone those just stored or skipped with their company.
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run).toEqual({ pages: 2, stored: 5, skipped: 4, error: null });
    expect(await account('acme-com')).toEqual({
      name: 'Acme Corp',
      tier: 'high_touch',
      stage: 'adoption',
      mrr: '4500.50',
      owner_slack_id: 'U0CSM00001',
      renewal_date: '2027-03-31',
    });
    // Globex's owner has no Slack user with that e-mail: no owner, and the account is stored.
    expect(await account('globex-com')).toMatchObject({
      name: 'Globex',
      mrr: '1200.00',
      owner_slack_id: null,
    });
    expect(await contactsOf('acme-com')).toEqual([
      { email: 'ana@acme.com', name: 'Ana Souza', role: 'champion' },
      { email: 'bo@acme.com', name: 'Bo', role: 'decision_maker' },
    ]);
    expect(await contactsOf('globex-com')).toEqual([{ email: 'cy@globex.com', name: 'Cy', role: 'user' }]);
    const state = await hubspotState();
    expect(state).toMatchObject({ enabled: true, stored: 5, skipped: 4, lastError: null });
    expect(await cursorOf()).toEqual({
      companies: String(Date.parse('2026-01-01T00:00:00Z') + 5 * 60_000),
      contacts: String(modified),
    });
    expect(Object.fromEntries(state.lastSkipped.map((s) => [s.record, s.reason]))).toEqual({
      'company 3': 'mrr expected a number',
      'company 4': 'key is required',
      'company 5': 'tier must be one of: tech_touch, low_touch, mid_touch, high_touch, exclusive',
      'contact 13': 'email must be an email address, e.g. ana@acme.com',
    });
  });

  it('is incremental from the stored cursor, and a role set in Pulse is kept when HubSpot has none', async () => {
    await ingest(pulseDeps(), 'contacts', {
      account: 'globex-com',
      email: 'cy@globex.com',
      role: 'champion',
    });
    const { companies: since } = await cursorOf();
    company('2', { name: 'Globex Corporation', domain: 'globex.com', mrr: '1500' });
    const before = hubspot.searches.length;
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run).toMatchObject({ error: null, pages: 2 });
    const filter = (
      hubspot.searches[before]!.body.filterGroups as Array<{ filters: Array<{ value: string }> }>
    )[0]!.filters[0]!;
    expect(filter).toMatchObject({
      propertyName: 'hs_lastmodifieddate',
      operator: 'GTE',
      value: since,
    });
    expect(await account('globex-com')).toMatchObject({ name: 'Globex Corporation', mrr: '1500.00' });
    expect(await contactsOf('globex-com')).toEqual([
      { email: 'cy@globex.com', name: 'Cy', role: 'champion' },
    ]);
  });

  it('picks up a contact changed alone, through its company, from its own cursor', async () => {
    const { contacts: since } = await cursorOf();
    contact('12', {
      email: 'bo@acme.com',
      firstname: 'Bo',
      lastname: 'Brown',
      associatedcompanyid: '1',
      pulse_role: 'Champion',
    });
    contact('15', { email: 'dee@globex.com', firstname: 'Dee', associatedcompanyid: '2' });
    // Its company was skipped (its MRR is not a number): not an account, so the contact has none.
    contact('16', { email: 'eve@badmrr.com', firstname: 'Eve', associatedcompanyid: '3' });
    // No company: nobody's contact, left alone.
    contact('17', { email: 'solo@nowhere.example', firstname: 'Solo', associatedcompanyid: null });
    const before = hubspot.searches.length;
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run.error).toBeNull();
    const searches = hubspot.searches.slice(before);
    const byModified = searches.find(
      (s) =>
        s.type === 'contacts' && s.body.filterGroups?.[0]?.filters[0]?.propertyName === 'hs_lastmodifieddate',
    );
    expect(byModified?.body.filterGroups?.[0]?.filters[0]).toMatchObject({ operator: 'GTE', value: since });
    // Their companies are read by ID, to find each one's account key; not Globex, which (at the companies'
    // cursor) was read again with its contacts, Dee among them.
    expect(
      searches
        .find(
          (s) =>
            s.type === 'companies' && s.body.filterGroups?.[0]?.filters[0]?.propertyName === 'hs_object_id',
        )
        ?.body.filterGroups?.[0]?.filters[0]?.values?.sort(),
    ).toEqual(['1', '3']);
    expect(await contactsOf('acme-com')).toEqual([
      { email: 'ana@acme.com', name: 'Ana Souza', role: 'champion' },
      { email: 'bo@acme.com', name: 'Bo Brown', role: 'champion' },
    ]);
    expect(await contactsOf('globex-com')).toEqual([
      { email: 'cy@globex.com', name: 'Cy', role: 'champion' },
      { email: 'dee@globex.com', name: 'Dee', role: 'user' },
    ]);
    expect((await hubspotState()).lastSkipped[0]).toMatchObject({
      record: 'contact 16',
      reason: "its company's account badmrr-com is not in Pulse (the company was skipped, or not synced yet)",
    });
    expect((await cursorOf()).contacts).toBe(String(modified));
    expect(await rows(db.orm, sql`select 1 from contacts where email = 'solo@nowhere.example'`)).toEqual([]);
  });

  it("reads the contacts page after page, honouring a 429's Retry-After in their pass", async () => {
    for (let i = 0; i < 120; i++)
      contact(`6${i}`, { email: `p${i}@globex.com`, firstname: `P${i}`, associatedcompanyid: '2' });
    hubspot.fail({ status: 429, retryAfter: 1, on: { type: 'contacts', property: 'hs_lastmodifieddate' } });
    const started = Date.now();
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run.error).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // The companies' page, then two pages of contacts (121 with the one at the cursor, read again).
    expect(run.pages).toBe(3);
    expect(await contactsOf('globex-com')).toHaveLength(122);
    expect((await cursorOf()).contacts).toBe(String(modified));
  });

  it("honours a 429's Retry-After and retries a 5xx", async () => {
    company('6', { name: 'Hooli', domain: 'hooli.com' });
    hubspot.fail({ status: 429, retryAfter: 1 }, { status: 502 });
    const started = Date.now();
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run.error).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await account('hooli-com')).toMatchObject({ name: 'Hooli' });
  });

  it('stops with a clear error on a revoked token, losing nothing, and resumes when fixed', async () => {
    company('7', { name: 'Umbrella', domain: 'umbrella.com' });
    hubspot.revokeToken();
    const run = await runHubspotSync(pulseDeps(), { retry });
    expect(run.error).toMatch(
      /^HubSpot refused the credentials \(401 INVALID_AUTHENTICATION\): check HUBSPOT_TOKEN/,
    );
    expect((await hubspotState()).lastError).toBe(run.error);
    expect(await account('umbrella-com')).toBeUndefined();
    hubspot.restoreToken();
    expect((await runHubspotSync(pulseDeps(), { retry })).error).toBeNull();
    expect(await account('umbrella-com')).toMatchObject({ name: 'Umbrella' });
    expect((await hubspotState()).lastError).toBeNull();
  });

  it('reads page after page, moving the cursor with each', async () => {
    for (let i = 0; i < 150; i++) company(`9${i}`, { name: `Bulk ${i}`, domain: `bulk-${i}.example` });
    const run = await runHubspotSync(pulseDeps(), { retry });
    // 150 new, and the company and the contact at their cursors read again: GTE, so none modified in
    // its millisecond is missed.
    expect(run).toMatchObject({ pages: 3, stored: 152, error: null });
    expect((await cursorOf()).companies).toBe(String(modified));
    expect(await account('bulk-149-example')).toMatchObject({ name: 'Bulk 149' });
  });

  it('runs on HUBSPOT_SYNC_CRON, every 15 minutes by default', () => {
    expect(pulseSchedules(pulseDeps()).find((s) => s.name === 'hubspot-sync')?.expression).toBe(
      '*/15 * * * *',
    );
  });
});
