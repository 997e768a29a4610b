import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT } from '../../src/slack/constants.ts';
import { blocksText } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import type { SlackClientSimulator, SlackDouble, SlackEphemeral } from '../helpers/slack.ts';

const CSM = 'U0CSM00001';
const OUTSIDER = 'U0SALES001';
const CHANNEL = 'C0CSALERTS';
const REFUSAL = 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';

let app: PulseInProcess;
let double: SlackDouble;
let sim: SlackClientSimulator;

/** Account keys in the order a page lists them. */
const keysIn = (blocks: unknown) => [...blocksText(blocks).matchAll(/`(acct-\d+)`/g)].map((m) => m[1]);

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM } });
  ({ double, sim } = app);
  // 60 accounts without data: listed by key, so the pages are predictable.
  await app.ingest(
    'accounts',
    Array.from({ length: 60 }, (_, i) => ({
      key: `acct-${String(i + 1).padStart(2, '0')}`,
      name: `Account ${i + 1}`,
      owner_slack_id: CSM,
    })),
  );
}, 90_000);

afterAll(() => app?.close());

describe('/cs accounts past its first 25', () => {
  it('turns the page in place with "Next 25", and the last page has no button', async () => {
    const first = await sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'accounts');
    const ack = first.ack as { blocks: unknown[] };
    expect(keysIn(ack.blocks)).toHaveLength(25);
    expect(keysIn(ack.blocks)[0]).toBe('acct-01');
    expect(blocksText(ack.blocks)).toContain('1–25 of 60; …and 35 more.');
    const answer = () => double.ephemerals(CSM).at(-1)! as SlackEphemeral;

    const second = await sim.click(answer(), ACCOUNT.portfolioNext, { user: CSM });
    const [page2] = (await second.waitForResponses()) as Array<{
      blocks: unknown[];
      replace_original: boolean;
    }>;
    expect(page2!.replace_original).toBe(true);
    expect(keysIn(page2!.blocks)).toEqual(Array.from({ length: 25 }, (_, i) => `acct-${i + 26}`));
    expect(blocksText(page2!.blocks)).toContain('26–50 of 60; …and 10 more.');
    expect(blocksText(page2!.blocks)).toContain('"text":"Next 10"');

    const third = await sim.click(answer(), ACCOUNT.portfolioNext, { user: CSM });
    const [page3] = (await third.waitForResponses()) as Array<{ blocks: unknown[] }>;
    expect(keysIn(page3!.blocks)).toEqual(Array.from({ length: 10 }, (_, i) => `acct-${i + 51}`));
    expect(blocksText(page3!.blocks)).toContain('51–60 of 60.');
    expect(blocksText(page3!.blocks)).not.toContain(ACCOUNT.portfolioNext);
  });
});

describe("the App Home's accounts past their first 25", () => {
  it('publishes the next 25 on "Next 25", and refuses it to someone outside the CS team', async () => {
    await sim.openHome(CSM);
    const home = await double.waitFor(() => double.homeViews(CSM).at(-1), 10_000);
    expect(keysIn(home.blocks)).toHaveLength(25);
    expect(blocksText(home.blocks)).toContain('Accounts 1–25 of 60.');
    const published = double.homeViews(CSM).length;
    await sim.click(home, ACCOUNT.homeNext, { user: CSM });
    const next = await double.waitFor(() =>
      double.homeViews(CSM).length > published ? double.homeViews(CSM).at(-1) : undefined,
    );
    expect(keysIn(next.blocks)[0]).toBe('acct-26');
    expect(blocksText(next.blocks)).toContain('Accounts 26–50 of 60.');
    expect(blocksText(next.blocks)).toContain('"text":"First 25"},"value":"0"');

    const views = double.views.length;
    await sim.click(next, ACCOUNT.homeNext, { user: OUTSIDER, blockId: undefined });
    const refusal = await double.waitFor(() => double.views.slice(views).find((v) => v.user === OUTSIDER));
    expect(blocksText(refusal.blocks)).toContain(REFUSAL);
  });
});
