import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxWorkspace } from '../../sandbox/workspace.ts';
import { createAccess } from '../../src/slack/access.ts';
import { type SlackDouble, startSlackDouble, TEST_BOT_TOKEN } from '../helpers/slack.ts';

/** The access check against the Web API double of an Enterprise Grid workspace, with a moving clock. */
const BOT = 'U0PULSEBOT';
const HERE = 'U0HERE0001';
/** Home workspace: another one of the same organisation. */
const SISTER = 'U0SISTER01';
/** Slack Connect, in a channel shared with the app. */
const CUSTOMER = 'U0CUSTOMER';
/** Of another organisation, sharing no channel with the app. */
const STRANGER = 'U0STRANGER';
/** A colleague outside the CS team whose Slack speaks Portuguese. */
const VENDAS = 'U0VENDAS01';

const workspace: SandboxWorkspace = {
  team: { id: 'T0HOME0001', domain: 'beacon', name: 'Beacon' },
  enterprise: { id: 'E0BEACON01', name: 'Beacon Group' },
  users: [
    { id: HERE, name: 'ana', realName: 'Ana' },
    { id: SISTER, name: 'bo', realName: 'Bo', homeTeam: 'T0SISTER01' },
    { id: CUSTOMER, name: 'cy', realName: 'Cy', external: true },
    { id: STRANGER, name: 'di', realName: 'Di', external: true },
    { id: VENDAS, name: 'eva', realName: 'Eva', locale: 'pt-BR' },
  ],
  channels: [{ id: 'C0SHARED01', name: 'ext-cy', members: [HERE, CUSTOMER, BOT], shared: true }],
  userGroups: [{ id: 'S0TEAM0001', handle: 'cs', users: [HERE, CUSTOMER] }],
};

let slack: Awaited<ReturnType<typeof startSlackDouble>>;
let double: SlackDouble;
let client: WebClient;
let now = Date.parse('2030-01-07T09:00:00Z');
const deps = { clock: () => new Date(now), logger: pino({ level: 'silent' }) };
const lookups = (user: string) => double.callsTo('users.info').filter((c) => c.params.user === user).length;

beforeAll(async () => {
  slack = await startSlackDouble({ workspace, now: () => now });
  double = slack.double;
  client = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
afterAll(() => slack.close());

describe('the access check on Enterprise Grid', () => {
  it('lets a member of another workspace of the organisation in, never a Slack Connect user or a stranger', async () => {
    const access = createAccess(
      { team: { users: [], userGroup: 'S0TEAM0001' }, viewers: { users: [SISTER] } },
      deps,
    );
    expect(await access.canWrite(client, HERE)).toEqual({ allowed: true });
    expect(await access.canRead(client, SISTER)).toEqual({ allowed: true });
    expect(await access.canWrite(client, SISTER)).toMatchObject({ allowed: false, reason: 'read_only' });
    // In the CS team's user group, yet a customer.
    expect(await access.canRead(client, CUSTOMER)).toMatchObject({ allowed: false, reason: 'external' });
    expect(await access.canRead(client, STRANGER)).toMatchObject({ allowed: false, reason: 'external' });

    const answer = (user: string) =>
      double.callsTo('users.info').find((c) => c.params.user === user)!.response;
    expect(answer(SISTER)).toMatchObject({
      user: { team_id: 'T0SISTER01', enterprise_user: { enterprise_id: 'E0BEACON01' } },
    });
    expect(answer(CUSTOMER)).not.toMatchObject({ user: { is_stranger: true } });
    expect(answer(STRANGER)).toMatchObject({ user: { is_stranger: true } });
    expect(double.callsTo('auth.test').at(-1)!.response).toMatchObject({
      team_id: 'T0HOME0001',
      enterprise_id: 'E0BEACON01',
    });
  });
});

describe("the access check's caches", () => {
  it('share one users.info call between concurrent checks, and trust it ten minutes', async () => {
    const access = createAccess({}, deps);
    const before = lookups(HERE);
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => access.canRead(client, HERE)));
    expect(verdicts.every((v) => v.allowed)).toBe(true);
    expect(lookups(HERE) - before).toBe(1);
    now += 9 * 60_000;
    await access.canWrite(client, HERE);
    expect(lookups(HERE) - before).toBe(1);
    now += 2 * 60_000;
    await access.canRead(client, HERE);
    expect(lookups(HERE) - before).toBe(2);
  });

  it('ask auth.test once, and refuse everyone while it fails', async () => {
    const access = createAccess({}, deps);
    const before = double.callsTo('auth.test').length;
    double.failNext('auth.test', { error: 'fatal_error' });
    expect(await access.canRead(client, HERE)).toMatchObject({ allowed: false, reason: 'unknown' });
    expect(await access.canRead(client, HERE)).toEqual({ allowed: true });
    expect(await access.canRead(client, SISTER)).toEqual({ allowed: true });
    expect(double.callsTo('auth.test').length - before).toBe(2);
  });

  it('refuse the members of a user group Slack cannot list', async () => {
    const access = createAccess({ team: { users: [], userGroup: 'S0MISSING1' } }, deps);
    expect(await access.canRead(client, HERE)).toMatchObject({ allowed: false, reason: 'unknown' });
  });
});

describe("the refusal speaks the person's language", () => {
  it("in their Slack locale, else the team's (PULSE_LOCALE)", async () => {
    const access = createAccess({ team: { users: [HERE] } }, { ...deps, locale: 'pt-BR' });
    expect(await access.canRead(client, VENDAS)).toMatchObject({
      allowed: false,
      text: 'O Pulse mostra dados de clientes apenas ao time de CS; peça a uma liderança de CS que adicione você ao time de CS.',
    });
    expect(await access.localeOf(client, VENDAS)).toBe('pt-BR');
    // Her Slack says en-US: English, whatever the team's language.
    expect(await access.canRead(client, STRANGER)).toMatchObject({
      text: expect.stringMatching(/^Pulse shows customer data to the CS team only/),
    });
    expect(await access.localeOf(client, STRANGER)).toBe('en');
    // Slack cannot say who this is: the team's language.
    expect(await access.canRead(client, 'U0NOBODY01')).toMatchObject({
      reason: 'unknown',
      text: expect.stringMatching(/^O Pulse não conseguiu confirmar/),
    });
    expect(await access.localeOf(client, 'U0NOBODY01')).toBe('pt-BR');
  });
});
