import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE } from '../../sandbox/workspace.ts';
import { CATALOGUES } from '../../src/i18n/index.ts';
import { calendarDateIn, moneyIn } from '../../src/slack/blocks/locale-format.ts';
import { USAGE } from '../../src/slack/constants.ts';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';

const CSM = 'U0CSM00001';
/** A CSM whose Slack speaks Brazilian Portuguese: what only they see is in Portuguese. */
const CSM_PT = 'U0CSM00002';
const CHANNEL = 'C0CSALERTS';
const DAY = 86_400_000;

let app: PulseWithSlack;
const ingest = (route: string, body: unknown) => app.ingest(route, body);
const cs = (text: string, user = CSM) => app.sim.command({ user, channel: CHANNEL }, '/cs', text);

const textOf = (ack: unknown) => {
  const a = ack as { text?: string; blocks?: KnownBlock[] };
  return [a.text, JSON.stringify(a.blocks ?? [])].join('\n');
};

beforeAll(async () => {
  const users = DEFAULT_WORKSPACE.users.map((u) => (u.id === CSM_PT ? { ...u, locale: 'pt-BR' } : u));
  app = await startPulseWithSlack(
    { CS_ALERT_CHANNEL: CHANNEL },
    { workspace: { ...DEFAULT_WORKSPACE, users } },
  );
  const now = Date.now();
  await ingest('accounts', [
    {
      key: 'acme',
      name: 'Acme Corp',
      tier: 'high_touch',
      seats: 40,
      mrr: 4500,
      owner_slack_id: CSM,
      renewal_date: '2027-01-31',
    },
    { key: 'initech', name: 'Initech Global', tier: 'low_touch' },
    { key: 'initech-eu', name: 'Initech Global', tier: 'low_touch' },
  ]);
  await ingest('contacts', {
    account: 'acme',
    email: 'Ana.Souza@acme.example',
    role: 'champion',
    slack_user_id: 'U0ACME0001',
  });
  // 7 recent days at 14 active users, the 28 before at 20; one hour off the day boundaries.
  await ingest(
    'metrics',
    Array.from({ length: 35 }, (_, k) => ({
      account: 'acme',
      metric: 'active_users',
      value: k < 7 ? 14 : 20,
      at: new Date(now - k * DAY - 3_600_000).toISOString(),
    })),
  );
  await ingest('billing-events', {
    account: 'acme',
    external_id: 'in_e2e_1',
    type: 'payment_failed',
    occurred_at: new Date(now - 2 * DAY).toISOString(),
    amount: 1200,
    currency: 'USD',
  });
}, 90_000);

afterAll(() => app.close());

describe('/cs over signed HTTP, as Slack sends it', () => {
  it('answers /cs health acme with the card, ephemeral, within 3 seconds', async () => {
    // Health is recomputed in the background after each ingestion: ask until the last one (billing) shows.
    let answer = await cs('health acme');
    for (let i = 0; i < 50 && !textOf(answer.ack).includes('Payment failed'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await cs('health acme');
    }
    expect(answer.status).toBe(200);
    expect(answer.durationMs).toBeLessThan(3_000);
    const ack = answer.ack as { response_type: string; text: string };
    expect(ack.response_type).toBe('ephemeral');
    // usage (50 + 25) / 2 = 37.5 → 38; billing 20; relationship 100; support without data.
    // (30·38 + 15·20 + 10·100) / 55 = 44.4 → 44.
    expect(ack.text).toBe('Acme Corp: 44/100 red');
    const body = textOf(answer.ack);
    expect(body).toContain('*Usage* 38/100');
    expect(body).toContain('*Support* _no data_');
    expect(body).toContain('<@U0CSM00001>');
    expect(body).toContain('Payment failed');
    expect(body).toContain('$1,200.00');
  });

  it('finds the account by name, case-insensitively', async () => {
    expect((await cs('health ACME CORP')).ack).toMatchObject({ text: 'Acme Corp: 44/100 red' });
  });

  it('answers an unknown account with the closest matches', async () => {
    expect(textOf((await cs('health acm')).ack)).toContain(
      'No account matches `acm`. Did you mean `acme` (Acme Corp)?',
    );
  });

  it('answers an ambiguous name with the accounts it could be', async () => {
    expect(textOf((await cs('health initech global')).ack)).toContain(
      '`initech global` names several accounts: `initech` (Initech Global), `initech-eu` (Initech Global). Use the key.',
    );
    expect((await cs('health initech')).ack).toMatchObject({ text: 'Initech Global: no data' });
  });

  it('lists the portfolio worst first, and by band', async () => {
    const all = textOf((await cs('accounts')).ack);
    expect(all).toContain('Acme Corp');
    expect(all.indexOf('Acme Corp')).toBeLessThan(all.indexOf('Initech Global'));
    const red = textOf((await cs('accounts red')).ack);
    expect(red).toContain('Acme Corp');
    expect(red).not.toContain('Initech');
  });

  it('answers malformed input with the usage line', async () => {
    expect(textOf((await cs('health')).ack)).toContain('Usage: `/cs health <account>`');
    expect(textOf((await cs('accounts purple')).ack)).toContain('/cs accounts [red|yellow|green]');
    expect(textOf((await cs('frobnicate')).ack)).toContain('`frobnicate` is not a /cs subcommand.');
    const help = textOf((await cs('help')).ack);
    for (const usage of Object.values(USAGE).map((u) => u.usage)) expect(help).toContain(usage);
  });

  it('gives the same card to an en-US and a pt-BR user, each in their language', async () => {
    const [en, pt] = [await cs('health acme'), await cs('health acme', CSM_PT)];
    expect((en.ack as { text: string }).text).toBe('Acme Corp: 44/100 red');
    expect((pt.ack as { text: string }).text).toBe('Acme Corp: 44/100 vermelho');
    const [english, portuguese] = [textOf(en.ack), textOf(pt.ack)];
    // The same figures: score, MRR, the failed payment's amount and the renewal day, each as its locale writes it.
    for (const [body, locale] of [
      [english, 'en'],
      [portuguese, 'pt-BR'],
    ] as const) {
      expect(body).toContain('44/100');
      expect(body).toContain(moneyIn(locale, 4500, 'USD'));
      expect(body).toContain(moneyIn(locale, 1200, 'USD'));
      expect(body).toContain(calendarDateIn(locale, '2027-01-31'));
    }
    expect(portuguese).toContain('US$\u00a04.500,00');
    expect(portuguese).toContain('dom., 31 de jan. de 2027');
    for (const words of ['*Responsável*', '*Renovação*', '*Tendência*', 'Pagamento recusado', 'desde']) {
      expect(portuguese).toContain(words);
    }
    expect(portuguese).toContain(CATALOGUES['pt-BR']['ms.addToPlan']);
    // No English sentence of the card's own catalogue is left (the component lines are another surface's).
    for (const [key, english] of Object.entries(CATALOGUES.en)) {
      if (!/^(card|ms)\./.test(key) || !/[a-z]{3,} [a-z]{3,}/i.test(english) || /[{]/.test(english)) continue;
      expect(portuguese, key).not.toContain(english);
    }
    expect(portuguese).not.toContain('*Owner*');
    // The billing flag's own line (the open incident's headline is the alert's surface, i18n-posts).
    expect(portuguese).toContain('• *Pagamento recusado* · US$\u00a01.200,00');
  });

  it('speaks Portuguese to the pt-BR user: aliases, help, usage and suggestions', async () => {
    expect((await cs('saude acme', CSM_PT)).ack).toMatchObject({ text: 'Acme Corp: 44/100 vermelho' });
    expect((await cs('saúde acme', CSM_PT)).ack).toMatchObject({ text: 'Acme Corp: 44/100 vermelho' });
    const red = textOf((await cs('contas vermelho', CSM_PT)).ack);
    expect(red).toContain('Contas no vermelho');
    expect(red).toContain('Acme Corp');
    expect(red).not.toContain('Initech');
    const help = textOf((await cs('ajuda', CSM_PT)).ack);
    expect(help).toContain('`/cs health <conta>` (ou `/cs saude`)');
    expect(help).toContain('agenda a revisão de sucesso');
    expect(textOf((await cs('health', CSM_PT)).ack)).toContain('Como usar: `/cs health <conta>`');
    expect(textOf((await cs('helth acme', CSM_PT)).ack)).toContain(
      '`helth` não é um subcomando do /cs. Você quis dizer `/cs health acme`?',
    );
    expect(textOf((await cs('health acm', CSM_PT)).ack)).toContain(
      'Nenhuma conta corresponde a `acm`. Você quis dizer `acme` (Acme Corp)?',
    );
    // The English user still reads English, and English words still work for both.
    expect(textOf((await cs('health', CSM)).ack)).toContain('Usage: `/cs health <account>`');
  });

  it('refuses a wrong signature and a stale timestamp with 401, and answers nothing', async () => {
    const calls = app.double.calls.length;
    const body = 'command=%2Fcs&text=health+acme&user_id=U0CSM00001&channel_id=C0CSALERTS';
    const wrong = await app.sim.send('raw', body, 'application/x-www-form-urlencoded', {
      signingSecret: 'not-the-secret',
    });
    expect(wrong.status).toBe(401);
    const stale = await app.sim.send('raw', body, 'application/x-www-form-urlencoded', {
      timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.ack)).not.toContain('Acme');
    expect(app.double.calls.length).toBe(calls);
  });

  it('reports health and metrics', async () => {
    const health = await fetch(`${app.pulse.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const metrics = await (await fetch(`${app.pulse.url}/metrics`)).text();
    expect(metrics).toMatch(
      /pulse_http_requests_total\{method="POST",route="\/slack\/events",status="401"\} 2/,
    );
    expect(metrics).toMatch(/pulse_ingested_rows_total\{kind="metrics"\} 35/);
  });
});
