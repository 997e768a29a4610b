import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PulseWithSlack, startPulseWithSlack } from '../helpers/pulse-with-slack.ts';
import { waitUntil } from '../helpers/wait.ts';

const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';
const HOUR = 3_600_000;

/**
 * One component, the latest `adoption_pct` point as the score, so a point of 53 scores 53. Accounts up for
 * renewal are red up to 55; every other account up to 50, the default.
 */
const MODEL = `
name: Segment bands
components:
  - kind: metric
    name: adoption
    label: { en: Adoption, pt-BR: Adoção }
    metric: adoption_pct
    aggregation: last
    window_days: 7
    direction: higher_is_better
    scoring: { type: linear, floor: 0, target: 100 }
default:
  weights: { adoption: 1 }
segments:
  - name: renewal
    when: { stage: [renewal] }
    bands: { red_max: 55, yellow_max: 80 }
`;

let app: PulseWithSlack;
let dir: string;
const cs = (text: string) => app.sim.command({ user: CSM, channel: CHANNEL }, '/cs', text);
const textOf = (ack: unknown) => {
  const a = ack as { text?: string; blocks?: KnownBlock[] };
  return [a.text, JSON.stringify(a.blocks ?? [])].join('\n');
};
const adoption = (value: number, hoursAgo: number) =>
  ['renewing', 'steady'].map((account) => ({
    account,
    metric: 'adoption_pct',
    value,
    at: new Date(Date.now() - hoursAgo * HOUR).toISOString(),
  }));
/** Health is recomputed in the background after ingestion: ask for the card until it shows the score. */
const cardOnceScored = (key: string, score: number) =>
  waitUntil(`${key} scored ${score}`, async () => {
    const ack = (await cs(`health ${key}`)).ack as { text: string };
    return ack.text.includes(`${score}/100`) ? ack : undefined;
  });
const redAlerts = () =>
  app.double.messages(CHANNEL).filter((m) => !m.thread_ts && m.text.includes('Entered red'));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pulse-segment-bands-'));
  const file = join(dir, 'model.yaml');
  writeFileSync(file, MODEL);
  app = await startPulseWithSlack({ CS_ALERT_CHANNEL: CHANNEL, HEALTH_MODEL: file });
  await app.ingest('accounts', [
    { key: 'renewing', name: 'Renewing Co', tier: 'mid_touch', stage: 'renewal', owner_slack_id: CSM },
    { key: 'steady', name: 'Steady Co', tier: 'mid_touch', stage: 'adoption', owner_slack_id: CSM },
  ]);
  // Both yellow at 60, then both fall to 53 (7 points: no "fell fast").
  await app.ingest('metrics', adoption(60, 30));
  await cardOnceScored('renewing', 60);
  await cardOnceScored('steady', 60);
  await app.ingest('metrics', adoption(53, 1));
}, 90_000);

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("an account's band is its segment's, wherever Pulse names it", () => {
  it('53 is red on the card of an account up for renewal (red ≤ 55), yellow in the default segment', async () => {
    const renewing = await cardOnceScored('renewing', 53);
    expect(renewing.text).toBe('Renewing Co: 53/100 red');
    expect(textOf(renewing)).toContain('segment renewal');
    const steady = await cardOnceScored('steady', 53);
    expect(steady.text).toBe('Steady Co: 53/100 yellow');
  });

  it('lists only the renewing account under /cs accounts red', async () => {
    const red = textOf((await cs('accounts red')).ack);
    expect(red).toContain('Renewing Co');
    expect(red).not.toContain('Steady Co');
    expect(textOf((await cs('accounts yellow')).ack)).toContain('Steady Co');
  });

  it('raises "entered red" for the renewing account only, naming the band the card names', async () => {
    const [alert] = await waitUntil('the entered-red alert', () => {
      const found = redAlerts();
      return found.length ? found : undefined;
    });
    expect(alert!.text).toContain('Renewing Co');
    expect(redAlerts()).toHaveLength(1);
    expect(app.double.messages(CHANNEL).some((m) => m.text.includes('Steady Co'))).toBe(false);
  });
});
