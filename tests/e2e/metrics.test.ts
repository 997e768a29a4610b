import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksText } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SlackDouble, SlackEphemeral, SlackMessage } from '../helpers/slack.ts';

/** In CS_TEAM; the outsider is not. */
const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
const CHANNEL = 'C0CSALERTS';

const CHART_WAIT_MS = 15_000;
const clock = new Date('2026-12-05T12:00:00Z');
let app: PulseInProcess;
let double: SlackDouble;

/** The person's answer to a command: the acknowledgement, or what followed "Working on it…". */
async function answer(text: string, user = CSM): Promise<SlackEphemeral> {
  const before = double.ephemerals(user).length;
  await app.sim.command({ user, channel: CHANNEL }, '/cs', text);
  return double.waitFor(() =>
    double
      .ephemerals(user)
      .slice(before)
      .find((e) => !e.text.includes('Working on it')),
  );
}

/** A PNG's width and height, from its IHDR chunk, after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM }, clock: () => clock });
  double = app.double;
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', owner_slack_id: CSM },
    { key: 'globex', name: 'Globex' },
    { key: 'initech', name: 'Initech' },
  ]);
  await app.ingest('mrr-changes', [
    { account: 'acme', at: '2026-10-15T12:00:00Z', mrr: 1000 },
    { account: 'acme', at: '2026-11-10T12:00:00Z', mrr: 1200 },
    { account: 'globex', at: '2026-09-01T12:00:00Z', mrr: 500 },
    { account: 'initech', at: '2026-12-02T12:00:00Z', mrr: 300 },
  ]);
  await app.ingest('accounts', [
    { key: 'globex', name: 'Globex', status: 'churned', churned_at: '2026-11-20T12:00:00Z' },
  ]);
  await app.ingest('contacts', [
    { account: 'acme', email: 'ana@acme.example', role: 'champion' },
    { account: 'globex', email: 'bo@globex.example', role: 'champion' },
  ]);
  // November's answers: Acme (the CSM's) a promoter and satisfied, Globex a detractor and unsatisfied.
  await app.pulse.deps.db.orm.execute(sql`
    insert into surveys (account_id, contact_id, kind, trigger, dedupe_key, locale, status, score, sent_at, answered_at)
    select c.account_id, c.id, v.kind, 'cadence', v.kind || c.email, 'en', 'answered', v.score,
      '2026-11-12T12:00:00Z', '2026-11-12T13:00:00Z'
    from contacts c join (values
      ('ana@acme.example', 'nps', 10), ('ana@acme.example', 'csat', 5),
      ('bo@globex.example', 'nps', 0), ('bo@globex.example', 'csat', 1)
    ) v(email, kind, score) on v.email = c.email`);
}, 90_000);

afterAll(() => app?.close());

describe('/cs metrics', () => {
  it('answers the month’s figures beside the previous month’s, ephemeral, and charts 12 months in the DM', async () => {
    const reply = await answer('metrics 2026-11');
    // November: s = 1000 (acme) + 500 (globex); acme +200, globex churned: NRR 1200 ÷ 1500, GRR 1000 ÷ 1500.
    expect(reply.text).toBe('Retention November 2026: NRR 80.0%, GRR 66.7%, logo churn 50.0%.');
    const text = blocksText(reply.blocks);
    expect(text).toContain('NRR: *80.0%*  (October 2026: 100.0%)');
    expect(text).toContain('Expansion: *$200.00 (1)*');
    expect(text).toContain('Churned: *$500.00 (1)*  (October 2026: $0.00 (0))');
    expect(text).toContain('New + reactivated: *$0.00 (0)*  (October 2026: $1,000.00 (1))');
    expect(text).toContain('*NPS* 0 (2 answers)  *CSAT* 50% (2 answers), surveys sent in the period');

    // The first chart loads echarts (a second or more of CPU) before it draws: more than the double's 5 s
    // on a busy machine.
    const file = await double.waitFor(
      () => double.files.find((f) => f.name === 'retention-2026-11-30.png' && f.shared),
      CHART_WAIT_MS,
    );
    expect(pngSize(file.content!)).toEqual({ width: 1200, height: 800 });
    expect(file.content!.length).toBeGreaterThan(10_000);
    expect(double.callsTo('files.completeUploadExternal').at(-1)!.params.channel_id).toBe(
      double.dmWith(CSM).id,
    );
    expect(
      double.messages(double.dmWith(CSM).id).some((m: SlackMessage) => m.files?.[0]?.id === file.id),
    ).toBe(true);
    expect(double.messages(CHANNEL).some((m: SlackMessage) => m.files?.length)).toBe(false);
  });

  it('narrows to an owner’s accounts, NPS and CSAT too', async () => {
    const reply = await answer(`metrics 2026-11 <@${CSM}|ana>`);
    expect(reply.text).toBe('Retention November 2026: NRR 120.0%, GRR 100.0%, logo churn 0.0%.');
    expect(blocksText(reply.blocks)).toContain(
      '*NPS* 100 (1 answer)  *CSAT* 100% (1 answer), surveys sent in the period',
    );
    await double.waitFor(
      () => double.files.filter((f) => f.name.endsWith('.png') && f.shared).length === 2,
      CHART_WAIT_MS,
    );
  });

  it('answers the back-test', async () => {
    const reply = await answer('metrics backtest 30');
    expect(reply.text).toMatch(/^Health back-test \(30 days\)/);
    expect(blocksText(reply.blocks)).toContain('Of 1 account churned in the last 12 months');
  });

  it('refuses someone outside the CS team, naming no figure', async () => {
    const files = double.files.length;
    const reply = await answer('metrics 2026-11', OUTSIDER);
    expect(reply.text).not.toMatch(/NRR|%|\$/);
    expect(blocksText(reply.blocks ?? [])).not.toMatch(/NRR|%|\$/);
    expect(double.files.length).toBe(files);
  });
});
