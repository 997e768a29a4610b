import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import {
  accountNotes,
  alertActions,
  alerts,
  billingEvents,
  contacts,
  milestones,
  successReviews,
  surveys,
} from '../../src/db/schema.ts';
import { pulseNote } from '../../src/domain/stored-text.ts';
import { storedMessage } from '../../src/i18n/index.ts';
import { eventLine } from '../../src/slack/blocks/timeline.ts';
import { upsertAccounts } from '../../src/store/accounts.ts';
import { resolveAlertsAsPulse } from '../../src/store/alerts/red-flags.ts';
import { loadHealthView } from '../../src/store/health-card.ts';
import { accountOfChannel, accountsToPick, addNote } from '../../src/store/notes.ts';
import { loadTimeline } from '../../src/store/timeline.ts';
import { freshDatabase } from '../helpers/database.ts';

let db: Database;
let drop: () => Promise<void>;
let acme: number;
let globex: number;
const at = (iso: string) => new Date(`2026-11-${iso}Z`);

const ownerChanges = (accountId: number) =>
  rows<{ from_owner: string | null; to_owner: string | null }>(
    db.orm,
    sql`select from_owner, to_owner from account_owner_changes where account_id = ${accountId} order by id`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  [acme = 0, globex = 0] = await upsertAccounts(
    db.orm,
    [
      { key: 'acme', name: 'Acme Corp', owner_slack_id: 'U0ANA00001', channel_id: 'C0ACME' },
      { key: 'globex', name: 'Globex', status: 'churned' },
    ],
    new Date(),
  );
});

afterAll(() => drop());

describe('owner changes', () => {
  it('records the first owner, then each change of owner, and nothing when the owner stays', async () => {
    await upsertAccounts(
      db.orm,
      [{ key: 'acme', name: 'Acme Corp', owner_slack_id: 'U0ANA00001' }],
      new Date(),
    );
    await upsertAccounts(db.orm, [{ key: 'acme', name: 'Acme Corp', seats: 40 }], new Date());
    await upsertAccounts(
      db.orm,
      [{ key: 'acme', name: 'Acme Corp', owner_slack_id: 'U0BEN00001' }],
      new Date(),
    );
    await upsertAccounts(db.orm, [{ key: 'globex', name: 'Globex', owner_slack_id: null }], new Date());
    expect(await ownerChanges(acme!)).toEqual([
      { from_owner: null, to_owner: 'U0ANA00001' },
      { from_owner: 'U0ANA00001', to_owner: 'U0BEN00001' },
    ]);
    expect(await ownerChanges(globex!)).toEqual([]);
    await upsertAccounts(db.orm, [{ key: 'acme', name: 'Acme Corp', owner_slack_id: null }], new Date());
    expect((await ownerChanges(acme!)).at(-1)).toEqual({ from_owner: 'U0BEN00001', to_owner: null });
  });
});

/** The last touch as the health card loads it. */
const lastTouch = async (accountId: number) =>
  (await loadHealthView(db.orm, accountId, new Date()))!.lastNote;

describe('notes', () => {
  it('logs a message once per account, and the newest note is the last touch', async () => {
    expect(await lastTouch(acme!)).toBeNull();
    const note = {
      accountId: acme!,
      text: 'They want SSO before renewal',
      author: 'U0CHAMP001',
      loggedBy: 'U0ANA00001',
      source: 'shortcut' as const,
      channelId: 'C0ACME',
      messageTs: '1795000000.000100',
      permalink: 'https://x.slack.com/archives/C0ACME/p1795000000000100',
      at: at('10T09:00:00'),
    };
    expect(await addNote(db.orm, note)).toBe(true);
    expect(await addNote(db.orm, { ...note, text: 'again' })).toBe(false);
    expect(await addNote(db.orm, { ...note, accountId: globex! })).toBe(true);
    expect(
      await addNote(db.orm, {
        accountId: acme!,
        text: 'Called Ana',
        author: 'U0BEN00001',
        loggedBy: 'U0BEN00001',
        source: 'command',
        at: at('12T15:00:00'),
      }),
    ).toBe(true);
    expect(await lastTouch(acme!)).toEqual({ author: 'U0BEN00001', at: at('12T15:00:00') });
  });

  it("finds the channel's account and lists it first among the accounts to pick, the person's own next", async () => {
    expect(await accountOfChannel(db.orm, 'C0ACME')).toMatchObject({ key: 'acme' });
    expect(await accountOfChannel(db.orm, 'C0NOBODY')).toBeNull();
    await upsertAccounts(
      db.orm,
      [
        { key: 'aardvark', name: 'Aardvark' },
        { key: 'zeta', name: 'Zeta', owner_slack_id: 'U0ZOE00001' },
      ],
      new Date(),
    );
    const picked = await accountsToPick(db.orm, { channelAccountId: acme!, userId: 'U0ZOE00001', limit: 2 });
    expect(picked).toEqual({
      accounts: [expect.objectContaining({ key: 'acme' }), expect.objectContaining({ key: 'zeta' })],
      more: true,
    });
    const all = await accountsToPick(db.orm, { channelAccountId: null, userId: 'U0NOBODY1', limit: 10 });
    // Churned accounts are not offered.
    expect(all).toEqual({
      accounts: ['aardvark', 'acme', 'zeta'].map((key) => expect.objectContaining({ key })),
      more: false,
    });
  });
});

describe('the timeline', () => {
  beforeAll(async () => {
    await db.orm.insert(billingEvents).values({
      accountId: acme!,
      externalId: 'in_1',
      type: 'payment_failed',
      occurredAt: at('05T08:00:00'),
      amount: '1200.00',
      currency: 'USD',
    });
    const [alert] = await db.orm
      .insert(alerts)
      .values({
        accountId: acme!,
        kind: 'billing',
        dedupeKey: 'billing:in_1',
        detail: { type: 'payment_failed', amount: '1200.00', currency: 'USD' },
        status: 'resolved',
        createdAt: at('05T08:01:00'),
      })
      .returning({ id: alerts.id });
    await db.orm.insert(alertActions).values({
      alertId: alert!.id,
      userId: 'U0BEN00001',
      action: 'resolved',
      detail: { note: 'Card updated on the call' },
      at: at('06T10:00:00'),
    });
    await db.orm.insert(alerts).values({
      accountId: acme!,
      kind: 'detractor',
      dedupeKey: 'detractor:1',
      detail: { kind: 'detractor', headline: 'NPS 3 from Ana', facts: [] },
      createdAt: at('07T11:00:00'),
    });
    const [contact] = await db.orm
      .insert(contacts)
      .values({ accountId: acme!, email: 'ana@acme.test', name: 'Ana Lima', role: 'champion' })
      .returning({ id: contacts.id });
    await db.orm.insert(surveys).values({
      accountId: acme!,
      contactId: contact!.id,
      kind: 'nps',
      trigger: 'cadence',
      dedupeKey: 'nps:1',
      locale: 'en',
      status: 'answered',
      score: 3,
      comment: 'Too slow',
      answeredAt: at('07T10:59:00'),
    });
    await db.orm.insert(milestones).values([
      { accountId: acme!, title: 'Kick-off held', reachedAt: at('02T12:00:00'), recordedBy: 'api' },
      { accountId: acme!, title: 'Go-live', plannedFor: '2026-12-20', recordedBy: 'api' },
    ]);
    await db.orm.insert(successReviews).values([
      {
        accountId: acme!,
        kind: 'rts',
        startsAt: at('08T14:00:00'),
        timezone: 'UTC',
        status: 'held',
        scheduledBy: 'U0BEN00001',
      },
      {
        accountId: acme!,
        kind: 'rts',
        startsAt: at('28T14:00:00'),
        timezone: 'UTC',
        status: 'scheduled',
        scheduledBy: 'U0BEN00001',
      },
    ]);
  });

  it('merges every source, oldest first: notes, alerts raised and resolved, answers, milestones, reviews held, billing, owners', async () => {
    const events = await loadTimeline(db.orm, acme!, 20);
    const kinds = events.map((e) => e.kind);
    // Owner changes were recorded at the database's now(), after every dated fact above.
    expect(kinds.slice(0, 9)).toEqual([
      'milestone',
      'billing',
      'alert_raised',
      'alert_resolved',
      'survey_answer',
      'alert_raised',
      'review_held',
      'note',
      'note',
    ]);
    expect(kinds.slice(9)).toEqual(['owner_change', 'owner_change', 'owner_change']);
    expect(events.map((e) => +e.at)).toEqual([...events.map((e) => +e.at)].sort((a, b) => a - b));
    expect(events[3]).toEqual({
      kind: 'alert_resolved',
      at: at('06T10:00:00'),
      alertKind: 'billing',
      headline: 'payment_failed',
      by: 'U0BEN00001',
      note: 'Card updated on the call',
    });
    expect(events[4]).toMatchObject({
      kind: 'survey_answer',
      survey: 'nps',
      score: 3,
      comment: 'Too slow',
      contact: 'Ana Lima',
    });
    expect(events[5]).toMatchObject({ alertKind: 'detractor', headline: 'NPS 3 from Ana' });
    expect(events[1]).toMatchObject({ type: 'payment_failed', amount: '1200.00', currency: 'USD' });
    expect(events[7]).toMatchObject({
      kind: 'note',
      author: 'U0CHAMP001',
      permalink: expect.stringContaining('/archives/C0ACME/'),
    });
  });

  it('keeps the newest events when there are more than it shows', async () => {
    const events = await loadTimeline(db.orm, acme!, 4);
    expect(events.map((e) => e.kind)).toEqual(['note', 'owner_change', 'owner_change', 'owner_change']);
    expect(await loadTimeline(db.orm, globex!, 20)).toEqual([
      expect.objectContaining({ kind: 'note', text: 'They want SSO before renewal' }),
    ]);
  });

  it('is empty for an account with no history', async () => {
    const [fresh] = await upsertAccounts(db.orm, [{ key: 'fresh', name: 'Fresh' }], new Date());
    expect(await loadTimeline(db.orm, fresh!, 20)).toEqual([]);
    expect(await db.orm.select().from(accountNotes).where(sql`account_id = ${fresh!}`)).toEqual([]);
  });
});

describe('sentences Pulse stored, read in each person’s language', () => {
  let initech: number;
  const lines = async (locale: 'en' | 'pt-BR') =>
    (await loadTimeline(db.orm, initech, 20)).map((e) => eventLine(e, locale));

  it('renders a red flag’s headline and Pulse’s resolve note at reading time', async () => {
    [initech = 0] = await upsertAccounts(db.orm, [{ key: 'initech', name: 'Initech' }], new Date());
    await db.orm.insert(alerts).values({
      accountId: initech,
      kind: 'review_overdue',
      dedupeKey: 'review_overdue:initech',
      detail: {
        headline: storedMessage('redFlag.headline.reviewOverdue', {
          review: 'rts',
          date: { day: '2026-11-02' },
        }),
        facts: [],
      },
      createdAt: at('03T09:00:00'),
    });
    await resolveAlertsAsPulse(db.orm, {
      kind: 'review_overdue',
      now: at('04T09:00:00'),
      reason: 'review_on_cadence',
    });
    expect(await lines('en')).toEqual([
      ':rotating_light: Alert raised: RTS was due by Mon 2 Nov 2026',
      ':white_check_mark: Alert resolved by Pulse: RTS was due by Mon 2 Nov 2026 — “A success review was scheduled or held since.”',
    ]);
    expect(await lines('pt-BR')).toEqual([
      ':rotating_light: Alerta aberto: a RTS deveria ter acontecido até seg., 2 de nov. de 2026',
      ':white_check_mark: Alerta resolvido por Pulse: a RTS deveria ter acontecido até seg., 2 de nov. de 2026 — “Uma revisão de sucesso foi agendada ou realizada desde então.”',
    ]);
  });

  it('turns the English notes Pulse stored before into its sentence (the migration), and leaves a person’s words', async () => {
    await db.orm.insert(alerts).values([
      {
        accountId: initech,
        kind: 'billing',
        dedupeKey: 'billing:old',
        detail: { type: 'payment_failed', amount: null, currency: null },
        status: 'resolved',
        statusBy: 'pulse',
        resolutionNote: 'The billing flag was cleared by a later payment.',
        createdAt: at('05T09:00:00'),
      },
      {
        accountId: initech,
        kind: 'billing',
        dedupeKey: 'billing:old-by-a-person',
        detail: { type: 'payment_failed', amount: null, currency: null },
        status: 'resolved',
        statusBy: 'U0BEN00001',
        resolutionNote: 'The billing flag was cleared by a later payment.',
        createdAt: at('05T09:00:00'),
      },
    ]);
    const dir = join(import.meta.dirname, '../../migrations');
    const file = readdirSync(dir).find((f) => f.endsWith('_pulse_notes_stored.sql'))!;
    const backfill = readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint')[1]!;
    await db.orm.execute(sql.raw(backfill));
    expect(
      await rows<{ dedupe_key: string; resolution_note: string | null; resolution_message: unknown }>(
        db.orm,
        sql`select dedupe_key, resolution_note, resolution_message from alerts
          where dedupe_key like 'billing:old%' order by dedupe_key`,
      ),
    ).toEqual([
      { dedupe_key: 'billing:old', resolution_note: null, resolution_message: pulseNote('flag_cleared') },
      {
        dedupe_key: 'billing:old-by-a-person',
        resolution_note: 'The billing flag was cleared by a later payment.',
        resolution_message: null,
      },
    ]);
  });
});
