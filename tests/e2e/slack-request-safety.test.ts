import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpenedEvent } from '../../sandbox/slack-requests.ts';
import { rows } from '../../src/db/client.ts';
import { MILESTONE } from '../../src/slack/constants.ts';
import { COMMAND_TEXT_REFUSAL, FIELD_REFUSAL } from '../../src/slack/unstorable-text.ts';
import { blocksOf } from '../helpers/blocks.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { eventCallbackBody, slashCommandBody } from '../helpers/slack.ts';

const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';

let app: PulseInProcess;
const cs = (text: string) => app.sim.command({ user: CSM, channel: CHANNEL }, '/cs', text);
const db = () => app.pulse.deps.db.orm;
const seenKeys = async (prefix: string) =>
  (
    await rows<{ key: string }>(
      db(),
      sql`select key from slack_seen_requests where key like ${`${prefix}%`} order by key`,
    )
  ).map((r) => r.key);
const milestones = async (title?: string) =>
  (
    await rows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from milestones where ${title ?? null}::text is null or title = ${title ?? null}`,
    )
  )[0]!.n;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** A request as it went over the wire to Pulse: what someone who captured it could send again. */
interface Captured {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Runs `action` and returns the first request it sent to /slack/events, exactly as sent. */
async function capture(action: () => Promise<unknown>): Promise<Captured> {
  const realFetch = globalThis.fetch;
  let request: Captured | undefined;
  globalThis.fetch = async (input, init) => {
    if (!request && String(input).endsWith('/slack/events')) {
      request = {
        url: String(input),
        headers: init!.headers as Record<string, string>,
        body: String(init!.body),
      };
    }
    return realFetch(input, init);
  };
  try {
    await action();
  } finally {
    globalThis.fetch = realFetch;
  }
  return request!;
}

const replay = async ({ url, headers, body }: Captured) => {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
};

beforeAll(async () => {
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM } });
  await app.ingest('accounts', [{ key: 'acme', name: 'Acme Corp', owner_slack_id: CSM }]);
}, 90_000);

afterAll(() => app?.close());

describe('signed requests from Slack', () => {
  const command = (text: string) =>
    slashCommandBody({
      team: app.double.team,
      apiAppId: app.double.bot.appId,
      channel: { id: CHANNEL, name: 'cs-alerts' },
      user: { id: CSM, name: 'csm' },
      command: '/cs',
      text,
      responseUrl: app.double.responseUrl(CHANNEL, CSM),
      triggerId: app.double.triggerId(CSM),
    });
  const nowSeconds = () => Math.floor(+app.pulse.deps.clock() / 1000);

  it('refuses a timestamp more than 5 minutes ahead with 401, like a stale one, and runs nothing', async () => {
    const calls = app.double.calls.length;
    const ahead = await app.sim.send(
      'slash_command',
      command('milestone acme Dated ahead'),
      'application/x-www-form-urlencoded',
      {
        // Half a minute past the 5 minutes, so a slow second between signing and checking cannot bring it inside.
        timestampSeconds: nowSeconds() + 330,
      },
    );
    expect(ahead.status).toBe(401);
    expect(ahead.ack).toEqual({ error: 'invalid_signature' });
    const aYearAhead = await app.sim.send(
      'slash_command',
      command('milestone acme Dated ahead'),
      'application/x-www-form-urlencoded',
      {
        timestampSeconds: nowSeconds() + 365 * 86_400,
      },
    );
    expect(aYearAhead.status).toBe(401);
    expect(await milestones('Dated ahead')).toBe(0);
    expect(app.double.calls.length).toBe(calls);

    // Within the window, ahead is fine: Slack's clock and ours differ a little.
    const slightly = await app.sim.send(
      'slash_command',
      command('milestone acme Dated ahead'),
      'application/x-www-form-urlencoded',
      {
        timestampSeconds: nowSeconds() + 240,
      },
    );
    expect(slightly.status).toBe(200);
    expect(await milestones('Dated ahead')).toBe(1);
  });

  it('answers a replayed slash command empty and runs nothing the second time', async () => {
    let first: Awaited<ReturnType<typeof cs>> | undefined;
    const request = await capture(async () => {
      first = await cs('health acme');
    });
    expect((first!.ack as { text: string }).text).toContain('Acme Corp');
    const signature = request.headers['x-slack-signature']!;
    expect(await seenKeys('sig:')).toContain(`sig:${signature}`);

    const calls = app.double.calls.length;
    expect(await replay(request)).toEqual({ status: 200, text: '' });
    await settle();
    expect(app.double.calls.length).toBe(calls);
  });

  it('refuses a replay whose signature was altered after its hash with 401, and runs nothing', async () => {
    const request = await capture(() => cs('milestone acme Replayed altered'));
    expect(await milestones('Replayed altered')).toBe(1);
    const signature = request.headers['x-slack-signature']!;
    // Each variant is a new key for the replay guard: only the exact signature may verify.
    for (const altered of [
      `${signature}=x`,
      `${signature}=`,
      signature.toUpperCase().replace('V0=', 'v0='),
    ]) {
      const answer = await replay({
        ...request,
        headers: { ...request.headers, 'x-slack-signature': altered },
      });
      expect(answer, altered).toEqual({ status: 401, text: JSON.stringify({ error: 'invalid_signature' }) });
    }
    await settle();
    expect(await milestones('Replayed altered')).toBe(1);
  });

  it('ignores a replayed click: the modal it opens is opened once', async () => {
    await cs('health acme');
    const card = app.double
      .ephemerals(CSM)
      .filter((e) => blocksOf(e).includes(MILESTONE.addToPlanAction))
      .at(-1)!;
    const opened = app.double.callsTo('views.open').length;
    const request = await capture(() => app.sim.click(card, MILESTONE.addToPlanAction, { user: CSM }));
    await app.double.waitFor(() =>
      app.double.openViews(CSM).find((v) => v.callback_id === MILESTONE.planModal),
    );
    expect(app.double.callsTo('views.open')).toHaveLength(opened + 1);
    const calls = app.double.calls.length;

    expect(await replay(request)).toEqual({ status: 200, text: '' });
    await settle();
    expect(app.double.calls.length).toBe(calls);
    await app.sim.close(app.double.openViews(CSM).at(-1)!);
  });

  it('processes an event once when Slack re-delivers it with a new signature', async () => {
    const publishes = () => app.double.callsTo('views.publish').length;
    const before = publishes();
    const event = appHomeOpenedEvent({
      user: CSM,
      channel: app.double.dmWith(CSM).id,
      tab: 'home',
      eventTs: `${nowSeconds()}.000100`,
    });
    const body = JSON.stringify(
      eventCallbackBody({
        teamId: app.double.team.id,
        apiAppId: app.double.bot.appId,
        botUserId: app.double.bot.userId,
        event,
        eventId: 'Ev0REDELIVER1',
        eventTimeSeconds: nowSeconds(),
      }),
    );
    const first = await app.sim.send('event_callback', body, 'application/json');
    expect(first.status).toBe(200);
    await app.double.waitFor(() => publishes() === before + 1);

    // Slack's retry: the same event, signed anew a little later, with X-Slack-Retry-Num.
    const retry = await app.sim.send('event_callback', body, 'application/json', {
      timestampSeconds: nowSeconds() + 2,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    // Another event after it is processed: the retry in between was not.
    await app.sim.openHome(CSM);
    await app.double.waitFor(() => publishes() === before + 2);
    await settle();
    expect(publishes()).toBe(before + 2);
    expect(await seenKeys('event:Ev0REDELIVER1')).toEqual(['event:Ev0REDELIVER1']);
  });
});

describe('bodies that are no Slack request', () => {
  it('answers a payload or event that is not a JSON object with 400, promptly', async () => {
    for (const payload of ['null', '[]', '42', '"x"', '{']) {
      const form = new URLSearchParams({ payload }).toString();
      const answer = await app.sim.send('block_actions', form, 'application/x-www-form-urlencoded');
      expect(answer, payload).toMatchObject({ status: 400, ack: { error: 'unreadable_body' } });
    }
    for (const body of ['null', '[1]', 'true']) {
      const answer = await app.sim.send('event_callback', body, 'application/json');
      expect(answer, body).toMatchObject({ status: 400, ack: { error: 'unreadable_body' } });
    }
  });
});

describe('text the database cannot store', () => {
  it('answers /cs with a NUL character ephemerally, naming the command text, and stores nothing', async () => {
    const stored = await milestones();
    const answer = await cs('milestone acme Go\u0000live');
    expect(answer.status).toBe(200);
    expect(answer.ack).toEqual({ response_type: 'ephemeral', text: COMMAND_TEXT_REFUSAL });
    expect(await milestones()).toBe(stored);
  });

  it('shows the error under the modal field that holds a broken character, and stores nothing', async () => {
    await cs('health acme');
    const card = app.double
      .ephemerals(CSM)
      .filter((e) => blocksOf(e).includes(MILESTONE.addToPlanAction))
      .at(-1)!;
    await app.sim.click(card, MILESTONE.addToPlanAction, { user: CSM });
    const modal = await app.double.waitFor(() =>
      app.double.openViews(CSM).find((v) => v.callback_id === MILESTONE.planModal),
    );
    const stored = await milestones();
    const due = new Date(+app.pulse.deps.clock() + 10 * 86_400_000).toISOString().slice(0, 10);
    for (const title of ['Go\ud800live', 'Go\u0000live', 'Go\udc00live']) {
      const submitted = await app.sim.submit(modal, {
        [MILESTONE.titleBlock]: title,
        [MILESTONE.dateBlock]: due,
      });
      expect(submitted.status).toBe(200);
      expect(submitted.errors).toEqual({ [MILESTONE.titleBlock]: FIELD_REFUSAL });
    }
    expect(await milestones()).toBe(stored);
    // A surrogate pair (an emoji) is text like any other.
    const fine = await app.sim.submit(modal, {
      [MILESTONE.titleBlock]: 'Go-live 🚀',
      [MILESTONE.dateBlock]: due,
    });
    expect(fine.errors).toBeUndefined();
    expect(await milestones('Go-live 🚀')).toBe(1);
  });
});
