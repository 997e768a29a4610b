import type { KnownBlock } from '@slack/types';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../demo/load.ts';
import { rows } from '../../src/db/client.ts';
import type { GoalResult } from '../../src/domain/health.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';

const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';
/** The accounts whose stories put them at risk (demo/data/accounts.ts): each sells less. */
const AT_RISK = ['bluth', 'cyberdyne', 'jabuti', 'oscorp', 'umbrella', 'virtucon'];

let app: PulseInProcess;
const cs = (text: string) => app.sim.command({ user: CSM, channel: CHANNEL }, '/cs', text);
const textOf = (ack: unknown) => {
  const a = ack as { text?: string; blocks?: KnownBlock[] };
  return [a.text, JSON.stringify(a.blocks ?? [])].join('\n');
};

beforeAll(async () => {
  // The demo portfolio under the sandbox's e-commerce model, as `HEALTH_MODEL=… npm start` shows it.
  app = await startPulseInProcess({
    env: { CS_ALERT_CHANNEL: CHANNEL, HEALTH_MODEL: 'sandbox/health-models/e-commerce.yaml' },
  });
  await loadDemoData(app.pulse.deps);
}, 120_000);

afterAll(() => app?.close());

describe('the demo portfolio under the e-commerce model', () => {
  it("shows on acme's card the goals it meets and misses, each with its value", async () => {
    const card = textOf((await cs('health acme')).ack);
    expect(card).toContain('Success goals');
    expect(card).toContain('3 of 5 goals met');
    expect(card).toMatch(/:white_check_mark: Logs in every day: 1 \(goal ≥ 0\.9\)/);
    expect(card).toMatch(/:white_check_mark: At least one sale a day: [\d.]+ \(goal ≥ 1\)/);
    expect(card).toContain(':x: Invoices issued correctly: 2 (goal ≤ 0)');
    expect(card).toMatch(/:white_check_mark: A report at least monthly: \d+ \(goal ≥ 1\)/);
    expect(card).toContain(':x: New products announced: 0 (goal ≥ 1)');
    expect(card).toContain('Health model E-commerce platform');
  });

  it('/cs health-model shows the model in effect: components, and per segment the weights, bands and goals', async () => {
    const shown = textOf((await cs('health-model')).ack);
    expect(shown).toContain('E-commerce platform');
    expect(shown).toContain('Catalogue growth');
    expect(shown).toContain('Bands: red ≤ 55, yellow ≤ 80');
    expect(shown).toContain('At least one sale a day');
  });

  it('has thriving accounts meeting 5 of 5, some meeting 3, and the accounts at risk 2 or fewer', async () => {
    const scored = await rows<{ key: string; status: string; goals: GoalResult[] }>(
      app.pulse.deps.db.orm,
      sql`select a.key, a.status, c->'goals' as goals
        from accounts a join account_health h on h.account_id = a.id, jsonb_array_elements(h.components) c
        where c->>'component' = 'goals' order by a.key`,
    );
    const met = Object.fromEntries(
      scored.filter((s) => s.status === 'active').map((s) => [s.key, s.goals.filter((g) => g.met).length]),
    );
    const meeting = (n: number) => Object.keys(met).filter((k) => met[k] === n);
    expect(meeting(5).length).toBeGreaterThanOrEqual(10);
    expect(meeting(3).length).toBeGreaterThanOrEqual(5);
    for (const key of AT_RISK) expect(met[key], key).toBeLessThanOrEqual(key === 'jabuti' ? 1 : 2);
  });
});
