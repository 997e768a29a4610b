import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskDouble, type ZendeskTicket } from '../../sandbox/zendesk-double.ts';
import { loadConfig } from '../../src/config.ts';
import { runZendeskSync } from '../../src/connectors/zendesk/sync.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { escapeMrkdwn } from '../../src/slack/blocks/format.ts';
import { storedTextIn } from '../../src/slack/blocks/locale-format.ts';
import type { RedFlagDetail } from '../../src/store/alerts/red-flags.ts';
import { freshDatabase } from '../helpers/database.ts';

const EMAIL = 'cs-ops@pulse.example';
const TOKEN = 'zendesk-api-token-0123';
const HOUR = 3_600_000;
const NOW = new Date('2026-12-05T15:00:00Z');
const hoursAgo = (hours: number) => new Date(+NOW - hours * HOUR).toISOString().replace(/\.\d+Z$/, 'Z');

let db: Database;
let drop: () => Promise<void>;
let zendesk: Awaited<ReturnType<typeof startZendeskDouble>>;
let clockAt = NOW;

function pulseDeps(): Deps {
  const config = loadConfig({
    ZENDESK_SUBDOMAIN: 'acme-support',
    ZENDESK_EMAIL: EMAIL,
    ZENDESK_TOKEN: TOKEN,
    ZENDESK_API_URL: zendesk.url,
    CS_ALERT_CHANNEL: 'C0CSALERTS',
    PULSE_TIMEZONE: 'UTC',
  });
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const clock = () => clockAt;
  const health = createHealthRecomputer({ db, clock, logger, metrics, config });
  return { config, db, clock, logger, metrics, health };
}

const ticket = (fields: Partial<ZendeskTicket> & { id: number; organization_id: number }): ZendeskTicket => ({
  status: 'open',
  priority: 'urgent',
  created_at: hoursAgo(30),
  updated_at: hoursAgo(1),
  subject: `Ticket ${fields.id}`,
  ...fields,
});

const flags = () =>
  rows<{
    id: number;
    key: string;
    dedupe_key: string;
    status: string;
    status_by: string | null;
    detail: RedFlagDetail;
  }>(
    db.orm,
    sql`select al.id::int as id, a.key, al.dedupe_key, al.status, al.status_by, al.detail
        from alerts al join accounts a on a.id = al.account_id where al.kind = 'urgent_ticket' order by al.id`,
  );
const post = async (alertId: number) => {
  const [found] = await rows<{ payload: { channel: string; blocks: unknown[] } }>(
    db.orm,
    sql`select payload from slack_outbox where dedupe_key = ${`alert:${alertId}:post`}`,
  );
  return found?.payload;
};
const sync = async () => {
  const run = await runZendeskSync(pulseDeps(), { retry: { backoffMs: 10 } });
  expect(run.error).toBeNull();
  return run;
};

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  zendesk = await startZendeskDouble({ email: EMAIL, token: TOKEN, pageSize: 10 });
  await ingest(pulseDeps(), 'accounts', [
    { key: 'acme', name: 'Acme', tier: 'high_touch' },
    { key: 'globex', name: 'Globex', tier: 'exclusive' },
    { key: 'initech', name: 'Initech', tier: 'tech_touch' },
  ]);
  zendesk.organization({ id: 1, name: 'Acme', external_id: 'acme' });
  zendesk.organization({ id: 2, name: 'Globex', external_id: 'globex' });
  zendesk.organization({ id: 3, name: 'Initech', external_id: 'initech' });
  zendesk.put(
    ticket({ id: 11, organization_id: 1, subject: 'Checkout *down* for EU users' }),
    // Not a red flag: open 23 hours, high priority, solved, or on a tech-touch account.
    ticket({ id: 12, organization_id: 1, created_at: hoursAgo(23) }),
    ticket({ id: 13, organization_id: 1, priority: 'high' }),
    ticket({ id: 14, organization_id: 1, status: 'solved' }),
    ticket({ id: 15, organization_id: 3 }),
    ticket({ id: 21, organization_id: 2, status: 'pending', created_at: hoursAgo(75) }),
  );
}, 60_000);

afterAll(async () => {
  await zendesk?.close();
  await drop();
});

describe('the urgent-ticket red flag', () => {
  it('is raised after a sync for each urgent ticket open over 24 h on a high-touch or exclusive account', async () => {
    await sync();
    const raised = await flags();
    expect(raised.map((f) => [f.key, f.dedupe_key, f.status])).toEqual([
      ['acme', 'urgent_ticket:11', 'open'],
      ['globex', 'urgent_ticket:21', 'open'],
    ]);
    // Stored as keys and values, the subject as the customer wrote it: each reader gets it in their language.
    const shown = (detail: (typeof raised)[number]['detail'], locale: 'en' | 'pt-BR') => ({
      headline: storedTextIn(locale, detail.headline),
      facts: detail.facts.map((f) => `${storedTextIn(locale, f.label)}: ${storedTextIn(locale, f.value)}`),
      link: detail.link && storedTextIn(locale, detail.link.text, { plain: true }),
    });
    expect(raised[0]!.detail.facts[0]!.value).toBe('Checkout *down* for EU users');
    expect(raised[0]!.detail.link?.url).toBe('https://acme-support.zendesk.com/agent/tickets/11');
    expect(shown(raised[0]!.detail, 'en')).toEqual({
      headline: '#11 open for 30 hours',
      facts: [
        `Subject: ${escapeMrkdwn('Checkout *down* for EU users')}`,
        'Opened: Fri 4 Dec 2026',
        'Status: open',
      ],
      link: 'Open in Zendesk',
    });
    expect(shown(raised[0]!.detail, 'pt-BR')).toEqual({
      headline: '#11 aberto há 30 horas',
      facts: [
        `Assunto: ${escapeMrkdwn('Checkout *down* for EU users')}`,
        'Aberto em: sex., 4 de dez. de 2026',
        'Status: aberto',
      ],
      link: 'Abrir no Zendesk',
    });
    expect(shown(raised[1]!.detail, 'en').headline).toBe('#21 open for 3 days 3 hours');
    // The alert goes out through the outbox, with the ticket's link as a button and its subject escaped.
    const message = await post(raised[0]!.id);
    expect(message?.channel).toBe('C0CSALERTS');
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain('Urgent ticket open over 24 h: #11 open for 30 hours');
    expect(blocks).toContain('"url":"https://acme-support.zendesk.com/agent/tickets/11"');
    expect(blocks).toContain('"action_id":"alert_open_source"');
    expect(blocks).not.toContain('*down*');
  });

  it('is not raised again by the next sync, and a ticket that crosses 24 h since is', async () => {
    clockAt = new Date(+NOW + 2 * HOUR);
    await sync();
    expect((await flags()).map((f) => f.dedupe_key)).toEqual([
      'urgent_ticket:11',
      'urgent_ticket:21',
      'urgent_ticket:12',
    ]);
    const outbox = await rows<{ n: number }>(
      db.orm,
      sql`select count(*)::int as n from slack_outbox where dedupe_key like 'alert:%:post'`,
    );
    // Acme's two tickets are causes of one incident: one post for Acme (updated), one for Globex.
    expect(outbox[0]!.n).toBe(2);
  });

  it('is resolved by Pulse when the ticket is solved, or its priority lowered', async () => {
    clockAt = new Date(+NOW + 3 * HOUR);
    zendesk.put(
      ticket({ id: 11, organization_id: 1, status: 'solved', updated_at: hoursAgo(-3) }),
      ticket({ id: 21, organization_id: 2, status: 'pending', priority: 'normal', updated_at: hoursAgo(-3) }),
    );
    await sync();
    expect((await flags()).map((f) => [f.dedupe_key, f.status, f.status_by])).toEqual([
      ['urgent_ticket:11', 'resolved', 'pulse'],
      ['urgent_ticket:21', 'resolved', 'pulse'],
      ['urgent_ticket:12', 'open', null],
    ]);
    const [action] = await rows<{ detail: unknown }>(
      db.orm,
      sql`select detail from alert_actions where alert_id = (select id from alerts where dedupe_key = 'urgent_ticket:21')`,
    );
    expect(action?.detail).toEqual({ reason: 'ticket_no_longer_urgent' });
    // Another sync changes nothing: the resolved flags stay resolved, the open one is not raised twice.
    await sync();
    expect((await flags()).map((f) => f.status)).toEqual(['resolved', 'resolved', 'open']);
  });
});
