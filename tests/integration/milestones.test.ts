import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/api/csv.ts';
import { registerIngestionRoutes } from '../../src/api/routes.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import type { RedFlagFact } from '../../src/domain/alerts.ts';
import type { Problem } from '../../src/domain/problems.ts';
import { pulseNote, type StoredText } from '../../src/domain/stored-text.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { runFirstValueCheck } from '../../src/services/milestones.ts';
import { storedTextIn } from '../../src/slack/blocks/locale-format.ts';
import {
  accountsWithoutFirstValue,
  logReachedMilestone,
  planMilestone,
  portfolioTimeToFirstValue,
} from '../../src/store/milestones.ts';
import { freshDatabase } from '../helpers/database.ts';
import { serveRoutes } from '../helpers/http.ts';

const TOKEN = 'test-ingest-token-0123456789';
const NOW = new Date('2026-12-01T12:00:00Z');

let db: Database;
let drop: () => Promise<void>;
let deps: Deps;
let base: string;
let close: () => Promise<void>;
const accountId: Record<string, number> = {};

async function post(
  body: unknown,
  token: string | null = TOKEN,
): Promise<{ status: number; body: { stored?: number; errors?: Problem[] } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/api/v1/milestones`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const milestonesOf = (key: string) =>
  rows<{ title: string; planned_for: string | null; reached_at: string | null; recorded_by: string }>(
    db.orm,
    sql`select m.title, to_char(m.planned_for, 'YYYY-MM-DD') as planned_for,
          to_char(m.reached_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as reached_at, m.recorded_by
        from milestones m join accounts a on a.id = m.account_id where a.key = ${key} order by lower(m.title)`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  ({
    url: base,
    deps,
    close,
  } = await serveRoutes(
    db,
    { INGEST_TOKEN: TOKEN, PULSE_TIMEZONE: 'America/Sao_Paulo' },
    () => NOW,
    registerIngestionRoutes,
  ));
  const seeded = await ingest(deps, 'accounts', [
    { key: 'acme', name: 'Acme', stage: 'adoption', contract_start: '2026-06-01' },
    {
      key: 'globex',
      name: 'Globex',
      stage: 'onboarding',
      contract_start: '2026-10-01',
      channel_id: 'C0GLOBEX',
    },
    { key: 'hooli', name: 'Hooli', stage: 'onboarding', contract_start: '2026-11-01', channel_id: 'C0HOOLI' },
    { key: 'initech', name: 'Initech', stage: 'onboarding', contract_start: '2026-09-01', status: 'churned' },
    { key: 'umbrella', name: 'Umbrella', stage: 'onboarding', contract_start: '2026-10-31', timezone: 'UTC' },
    { key: 'stark', name: 'Stark', stage: 'onboarding', contract_start: '2026-08-01', channel_id: 'C0STARK' },
  ]);
  expect(seeded).toMatchObject({ ok: true, stored: 6 });
  for (const r of await rows<{ id: number; key: string }>(db.orm, sql`select id, key from accounts`)) {
    accountId[r.key] = r.id;
  }
});

afterAll(async () => {
  await deps?.health.idle();
  await close?.();
  await drop?.();
});

describe('POST /api/v1/milestones', () => {
  it('refuses a missing or wrong token with 401 and stores nothing', async () => {
    for (const token of [null, 'wrong-token-0123456789']) {
      const reply = await post(
        { account: 'acme', title: 'Kick-off', reached_at: '2026-06-10T12:00:00Z' },
        token,
      );
      expect(reply.status).toBe(401);
    }
    expect(await milestonesOf('acme')).toEqual([]);
  });

  it('answers 400 with every problem and its path, unknown accounts included, and stores nothing', async () => {
    const reply = await post([
      { account: 'acme', title: 'Kick-off', reached_at: '2026-06-10' },
      { account: 'acme', title: '  ', planned_for: '2026-02-30' },
      { account: 'nobody', title: 'Go-live' },
      { account: 'acme', title: 'Go-live', due: '2026-12-01' },
    ]);
    expect(reply).toEqual({
      status: 400,
      body: {
        errors: [
          {
            path: '[0].reached_at',
            message:
              'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
          },
          { path: '[1].title', message: 'must not be empty' },
          {
            path: '[1].planned_for',
            message: 'must be a date, YYYY-MM-DD (e.g. 2024-05-01), or an ISO 8601 date-time',
          },
          { path: '[2].account', message: 'unknown account "nobody"' },
          {
            path: '[3].due',
            message: 'unknown field; the fields are: account, title, planned_for, reached_at',
          },
        ],
      },
    });
    expect(await post({ account: 'nobody', title: 'Go-live' })).toEqual({
      status: 400,
      body: { errors: [{ path: 'account', message: 'unknown account "nobody"' }] },
    });
    expect(await milestonesOf('acme')).toEqual([]);
  });

  it('stores planned and reached milestones, and a re-send changes nothing', async () => {
    const batch = [
      { account: 'acme', title: 'Kick-off', reached_at: '2026-06-10T09:00:00-03:00' },
      { account: 'acme', title: 'Go-live', planned_for: '2026-07-15' },
      { account: 'acme', title: 'Board report', planned_for: '2027-01-10T10:00:00Z' },
    ];
    expect(await post(batch)).toEqual({ status: 200, body: { stored: 3 } });
    const stored = await milestonesOf('acme');
    expect(stored).toEqual([
      { title: 'Board report', planned_for: '2027-01-10', reached_at: null, recorded_by: 'api' },
      { title: 'Go-live', planned_for: '2026-07-15', reached_at: null, recorded_by: 'api' },
      { title: 'Kick-off', planned_for: null, reached_at: '2026-06-10T12:00:00Z', recorded_by: 'api' },
    ]);
    expect(await post(batch)).toEqual({ status: 200, body: { stored: 3 } });
    expect(await milestonesOf('acme')).toEqual(stored);
  });

  it('marks a planned milestone reached by its title, whatever its case, keeping its target day', async () => {
    expect(await post({ account: 'acme', title: 'GO-LIVE', reached_at: '2026-07-20T15:00:00Z' })).toEqual({
      status: 200,
      body: { stored: 1 },
    });
    expect((await milestonesOf('acme'))[1]).toEqual({
      title: 'Go-live',
      planned_for: '2026-07-15',
      reached_at: '2026-07-20T15:00:00Z',
      recorded_by: 'api',
    });
  });

  it('changes only the fields named, applies repeats in order, and clears a field sent as null', async () => {
    expect(
      await post([
        { account: 'acme', title: 'Board report', planned_for: '2027-02-01' },
        { account: 'acme', title: 'board report', planned_for: '2027-03-01' },
        { account: 'acme', title: 'Go-live', planned_for: null },
      ]),
    ).toEqual({ status: 200, body: { stored: 3 } });
    const stored = await milestonesOf('acme');
    expect(stored[0]).toMatchObject({ title: 'Board report', planned_for: '2027-03-01', reached_at: null });
    expect(stored[1]).toMatchObject({
      title: 'Go-live',
      planned_for: null,
      reached_at: '2026-07-20T15:00:00Z',
    });
  });
});

describe('CSV import of milestones', () => {
  it('stores a good file through the same rules', async () => {
    const csv = [
      'account,title,planned_for,reached_at',
      'globex,Kick-off,2026-10-05,2026-10-08T14:00:00Z',
      'globex,"Reports, first batch",2026-12-20,',
    ].join('\n');
    expect(await importCsv(deps, 'milestones', csv)).toEqual({ ok: true, stored: 2 });
    expect(await milestonesOf('globex')).toEqual([
      {
        title: 'Kick-off',
        planned_for: '2026-10-05',
        reached_at: '2026-10-08T14:00:00Z',
        recorded_by: 'api',
      },
      { title: 'Reports, first batch', planned_for: '2026-12-20', reached_at: null, recorded_by: 'api' },
    ]);
  });

  it('reports every problem with its line and stores nothing', async () => {
    const csv = [
      'account,title,reached_at',
      'hooli,Kick-off,2026-11-05T10:00:00Z',
      'hooli,,2026-11-05T10:00:00Z',
      'nobody,Go-live,2026-11-05T10:00:00Z',
      'hooli,Data imported,yesterday',
    ].join('\n');
    expect(await importCsv(deps, 'milestones', csv)).toEqual({
      ok: false,
      errors: [
        'line 3, title: is required',
        'line 4, account: unknown account "nobody"',
        'line 5, reached_at: must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
      ],
      problems: 3,
    });
    expect(await milestonesOf('hooli')).toEqual([]);
  });
});

describe('the store', () => {
  it('logs a reached milestone once; logging it again reports when it was reached', async () => {
    const first = await logReachedMilestone(db.orm, {
      accountId: accountId.acme!,
      title: 'board REPORT',
      reachedAt: NOW,
      recordedBy: 'U0CSM00001',
    });
    expect(first).toMatchObject({
      newlyReached: true,
      milestone: { title: 'Board report', plannedFor: '2027-03-01', reachedAt: NOW },
    });
    const again = await logReachedMilestone(db.orm, {
      accountId: accountId.acme!,
      title: 'Board report',
      reachedAt: new Date(+NOW + 3_600_000),
      recordedBy: 'U0CSM00002',
    });
    expect(again).toEqual({ newlyReached: false, milestone: first.milestone });
  });

  it('plans a milestone, moves its target day, and leaves a reached one alone', async () => {
    const plan = (title: string, plannedFor: string) =>
      planMilestone(db.orm, { accountId: accountId.hooli!, title, plannedFor, recordedBy: 'U0CSM00001' });
    expect(await plan('Go-live', '2026-12-15')).toMatchObject({
      kind: 'added',
      milestone: { plannedFor: '2026-12-15' },
    });
    expect(await plan('go-live', '2026-12-22')).toMatchObject({
      kind: 'rescheduled',
      milestone: { title: 'Go-live', plannedFor: '2026-12-22' },
    });
    expect(await plan('Kick-off', '2026-12-22')).toMatchObject({ kind: 'added' });
    await logReachedMilestone(db.orm, {
      accountId: accountId.hooli!,
      title: 'Kick-off',
      reachedAt: NOW,
      recordedBy: 'U0CSM00001',
    });
    expect(await plan('Kick-off', '2027-01-05')).toMatchObject({
      kind: 'already_reached',
      milestone: { plannedFor: '2026-12-22', reachedAt: NOW },
    });
  });

  it('computes every active account TTFV in its zone and the portfolio median', async () => {
    expect(await portfolioTimeToFirstValue(db.orm, { now: NOW, timezone: 'America/Sao_Paulo' })).toEqual({
      accounts: [
        // 2026-06-10T12:00Z is the 10th in São Paulo: 9 days after 2026-06-01.
        { accountId: accountId.acme, key: 'acme', name: 'Acme', days: 9 },
        { accountId: accountId.globex, key: 'globex', name: 'Globex', days: 7 },
        { accountId: accountId.hooli, key: 'hooli', name: 'Hooli', days: 30 },
      ],
      medianDays: 9,
    });
  });
});

describe('the no-first-value red flag', () => {
  const check = (now: Date, days = 30) =>
    runFirstValueCheck({
      db,
      clock: () => now,
      config: { ...deps.config, ttfvAlertDays: days, alertChannel: 'C0CSALERTS' },
    });
  const flags = () =>
    rows<{
      key: string;
      kind: string;
      dedupe_key: string;
      detail: { headline: StoredText; facts: RedFlagFact[] };
    }>(
      db.orm,
      sql`select a.key, al.kind, al.dedupe_key, al.detail from alerts al join accounts a on a.id = al.account_id
          where al.kind = 'no_first_value' order by a.key`,
    );

  it('finds active onboarding accounts past the threshold without a milestone reached, in their zone', async () => {
    await ingest(deps, 'milestones', { account: 'stark', title: 'Kick-off', planned_for: '2026-08-20' });
    // Umbrella counts its days in UTC, its own zone: its 30th day starts at midnight UTC, when it is still
    // the 29th in São Paulo (PULSE_TIMEZONE).
    const late = await accountsWithoutFirstValue(db.orm, {
      now: new Date('2026-11-30T01:00:00Z'),
      timezone: 'America/Sao_Paulo',
      afterDays: 30,
    });
    expect(late).toEqual([
      {
        accountId: accountId.stark,
        key: 'stark',
        name: 'Stark',
        ownerSlackId: null,
        contractStart: '2026-08-01',
        days: 120,
        open: 1,
        overdue: 1,
      },
      expect.objectContaining({ key: 'umbrella', days: 30, open: 0, overdue: 0 }),
    ]);
    const dayBefore = await accountsWithoutFirstValue(db.orm, {
      now: new Date('2026-11-29T23:00:00Z'),
      timezone: 'America/Sao_Paulo',
      afterDays: 30,
    });
    expect(dayBefore.map((a) => a.key)).toEqual(['stark']);
  });

  it('raises one alert per account, with its post, and nothing more on the next runs', async () => {
    const raised = await check(NOW);
    expect(raised).toHaveLength(2);
    expect(await flags()).toEqual([
      {
        key: 'stark',
        kind: 'no_first_value',
        dedupe_key: `no_first_value:${accountId.stark}`,
        detail: expect.objectContaining({
          headline: { key: 'redFlag.headline.noFirstValue', values: { days: 122, after: 30 } },
        }),
      },
      expect.objectContaining({ key: 'umbrella', dedupe_key: `no_first_value:${accountId.umbrella}` }),
    ]);
    // Stored as keys and values: each reader gets it in their language.
    const [stark] = await flags();
    const shown = (locale: 'en' | 'pt-BR') => [
      storedTextIn(locale, stark!.detail.headline),
      ...stark!.detail.facts.map((f) => `${storedTextIn(locale, f.label)}: ${storedTextIn(locale, f.value)}`),
    ];
    expect(shown('en')).toEqual([
      '122 days since the contract start without a milestone (alert after 30)',
      'Contract start: Sat 1 Aug 2026',
      'Success plan: 1 planned, none reached, 1 overdue',
    ]);
    expect(shown('pt-BR')).toEqual([
      '122 dias desde o início do contrato sem nenhum marco de sucesso (alerta após 30)',
      'Início do contrato: sáb., 1 de ago. de 2026',
      'Plano de sucesso: 1 planejado, nenhum atingido, 1 atrasado',
    ]);
    const posts = await rows<{ payload: { channel: string } }>(
      db.orm,
      sql`select o.payload from slack_outbox o join alerts al on o.dedupe_key = 'alert:' || al.id || ':post'
          where al.kind = 'no_first_value' order by al.id`,
    );
    expect(posts.map((p) => p.payload.channel).sort()).toEqual(['C0CSALERTS', 'C0STARK']);
    expect(await check(NOW)).toEqual([]);
    expect(await check(new Date(+NOW + 86_400_000))).toEqual([]);
    expect(await flags()).toHaveLength(2);
  });

  it('leaves alone accounts with a milestone reached, churned ones, and those still within the threshold', async () => {
    const keys = (await flags()).map((f) => f.key);
    expect(keys).not.toContain('globex');
    expect(keys).not.toContain('hooli');
    expect(keys).not.toContain('initech');
    expect(keys).not.toContain('acme');
  });

  it('is resolved by Pulse once the account reaches a milestone, and its waiting post shows it', async () => {
    await ingest(deps, 'milestones', {
      account: 'stark',
      title: 'Kick-off',
      reached_at: '2026-12-01T10:00:00Z',
    });
    await deps.health.schedule([accountId.stark!]);
    const [stark] = await rows<{
      id: number;
      status: string;
      status_by: string;
      resolution_note: string | null;
      resolution_message: unknown;
    }>(
      db.orm,
      sql`select al.id::int as id, al.status, al.status_by, al.resolution_note, al.resolution_message from alerts al
          where al.dedupe_key = ${`no_first_value:${accountId.stark}`}`,
    );
    expect(stark).toEqual({
      id: expect.any(Number),
      status: 'resolved',
      status_by: 'pulse',
      // Pulse's note is a sentence of the catalogue, said in each reader's language.
      resolution_note: null,
      resolution_message: pulseNote('first_value_reached'),
    });
    const [action] = await rows<{ user_id: string; detail: unknown }>(
      db.orm,
      sql`select user_id, detail from alert_actions where alert_id = ${stark!.id}`,
    );
    expect(action).toEqual({ user_id: 'pulse', detail: { reason: 'first_value_reached' } });
    const [post] = await rows<{ payload: { text: string; blocks: unknown[] } }>(
      db.orm,
      sql`select payload from slack_outbox where dedupe_key = ${`alert:${stark!.id}:post`}`,
    );
    expect(JSON.stringify(post!.payload.blocks)).toContain('Resolved');
    const open = await rows<{ status: string }>(
      db.orm,
      sql`select al.status from alerts al where al.dedupe_key = ${`no_first_value:${accountId.umbrella}`}`,
    );
    expect(open).toEqual([{ status: 'open' }]);
  });
});
