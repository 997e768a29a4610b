import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../demo/prng.ts';
import { BODY_LIMIT } from '../../src/http/server.ts';
import {
  ACCOUNT,
  ACTION,
  BLOCK,
  CALLBACK,
  MILESTONE,
  REVIEW,
  SURVEY_ACTION,
  SURVEY_BLOCK,
  SURVEY_CALLBACK,
} from '../../src/slack/constants.ts';
import { type PulseInProcess, startPulseInProcess } from '../helpers/pulse-in-process.ts';
import { eventCallbackBody, interactivityBody } from '../helpers/slack.ts';

/**
 * A bounded fuzz of what Slack can send Pulse: a few thousand signed slash commands, interactions and
 * events, random but drawn from a seeded generator, so a failure is reproduced by running this file with
 * the FUZZ_SEED it prints. Pulse must answer each below 500, leave no promise rejected unhandled, and
 * still answer `/cs help` afterwards.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_511);
const COMMANDS = 1_100;
const RAW_COMMANDS = 250;
const INTERACTIONS = 1_000;
const EVENTS = 250;
const IN_FLIGHT = 6;
/** Slack gives up after 3 s; a request still unanswered after this is a hang. */
const ANSWER_MS = 10_000;

const CSM = 'U0CSM00001';
const CHANNEL = 'C0CSALERTS';

/** The demo's seeded generator, with the picks this test makes. */
function generator(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

type Rng = ReturnType<typeof generator>;

const KNOWN_ACTIONS = [
  ...Object.values(ACTION),
  ...Object.values(BLOCK),
  MILESTONE.addToPlanAction,
  MILESTONE.titleInput,
  MILESTONE.dateInput,
  MILESTONE.logTitleInput,
  MILESTONE.logDateInput,
  `${SURVEY_ACTION.scorePrefix}7`,
  `${SURVEY_ACTION.scorePrefix}11`,
  SURVEY_ACTION.tellUsWhy,
  SURVEY_ACTION.comment,
  REVIEW.rescheduleAction,
  REVIEW.cancelAction,
  REVIEW.outcomeAction,
  ACCOUNT.healthCard,
  ACCOUNT.homeMenu,
];
const KNOWN_CALLBACKS = [
  ...Object.values(CALLBACK),
  ...Object.values(SURVEY_CALLBACK),
  MILESTONE.planModal,
  MILESTONE.logModal,
  REVIEW.scheduleModal,
  REVIEW.outcomeModal,
];
const KNOWN_BLOCKS = [
  ...Object.values(SURVEY_BLOCK),
  MILESTONE.titleBlock,
  MILESTONE.dateBlock,
  MILESTONE.logTitleBlock,
  MILESTONE.logDateBlock,
  REVIEW.dateBlock,
  REVIEW.timeBlock,
  REVIEW.durationBlock,
  REVIEW.attendeesBlock,
  REVIEW.agendaBlock,
  `${REVIEW.goalPrefix}0_description`,
  BLOCK.resolveNote,
];
const SUBCOMMANDS = ['help', 'health', 'accounts', 'milestone', 'milestones', 'rts', 'survey', 'digest'];
const WORDS = [
  'acme',
  'globex',
  'Acme Corp',
  'red',
  'green',
  'nps',
  'csat',
  '--date',
  '2030-02-30',
  '2031-01-15',
  '10:30',
  '25:61',
  '"Acme Corp"',
  '“Globex”',
  '<!channel>',
  '<@U0CSM00001>',
  '*bold*',
  '1e309',
  '-0',
  'null',
  '{}',
];

/** Text a person, a script or an attacker might send: ordinary, unicode, control characters, huge. */
function nastyString(rng: Rng, maxLength = 5_000): string {
  switch (rng.int(12)) {
    case 0:
      return '';
    case 1:
      return rng.pick(WORDS);
    case 2:
      return rng.pick([
        'Ação',
        'Zürich',
        '東京',
        'مرحبا',
        'e\u0301',
        '\u200b',
        '\u202e',
        '🚀',
        '👩🏽‍💻',
        '\ufeff',
      ]);
    case 3:
      return `a\u0000${rng.pick(WORDS)}`;
    case 4:
      return rng.pick(['\ud800', '\udfff', 'x\ud83d', '\ude80x', '\ud83d\ud83d']);
    case 5:
      return rng.pick(WORDS).repeat(1 + rng.int(maxLength / 4));
    case 6: {
      // Any character of the basic plane but the surrogates (case 4 has those).
      const noise = () =>
        String.fromCharCode(((c) => (c >= 0xd800 ? c + 0x800 : c))(rng.int(0x10000 - 0x800)));
      return Array.from({ length: 1 + rng.int(40) }, noise).join('');
    }
    case 7:
      return ' \t\n'.repeat(1 + rng.int(5));
    case 8:
      return String(rng.pick([0, -1, 1e21, Number.MAX_SAFE_INTEGER, Math.PI]));
    case 9:
      return JSON.stringify({ key: rng.pick(WORDS) });
    case 10:
      return `${rng.pick(WORDS)} ${rng.pick(WORDS)}`;
    default:
      return `${rng.pick(WORDS)}-${rng.int(1_000)}`;
  }
}

/** Any JSON value, of any type where a string or an object is expected. */
function nastyValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.int(1_000_000) - 500_000;
    case 2:
      return rng.chance(0.5);
    case 3:
    case 4:
      return nastyString(rng);
    case 5:
      return Array.from({ length: rng.int(4) }, () => nastyValue(rng, depth + 1));
    case 6:
      return Object.fromEntries(
        Array.from({ length: rng.int(4) }, () => [nastyString(rng, 20), nastyValue(rng, depth + 1)]),
      );
    default: {
      let deep: unknown = nastyString(rng);
      for (let i = 0; i < 50 + rng.int(100); i++) deep = [deep];
      return deep;
    }
  }
}

/** Usually the plausible value; now and then odd text instead. */
const often = <T>(rng: Rng, plausible: T, odd = 0.15): T | string =>
  rng.chance(odd) ? nastyString(rng) : plausible;

/** Now and then, a field left out or replaced by a value of another type. */
function mangle(rng: Rng, object: Record<string, unknown>): Record<string, unknown> {
  const result = { ...object };
  for (const key of Object.keys(result)) {
    const roll = rng.next();
    if (roll < 0.04) delete result[key];
    else if (roll < 0.08) result[key] = nastyValue(rng);
  }
  return result;
}

let app: PulseInProcess;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  app = await startPulseInProcess({ env: { CS_ALERT_CHANNEL: CHANNEL, CS_TEAM: CSM } });
  await app.ingest('accounts', [
    { key: 'acme', name: 'Acme Corp', tier: 'high_touch', owner_slack_id: CSM, channel_id: CHANNEL },
    { key: 'globex', name: 'Globex', tier: 'low_touch' },
  ]);
  await app.ingest('contacts', {
    account: 'acme',
    email: 'ana@acme.example',
    role: 'champion',
    slack_user_id: 'U0ACME0001',
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  process.off('unhandledRejection', onRejection);
});

const answerWithin = <T>(ms: number, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

interface Attempt {
  label: string;
  send: () => Promise<{ status: number; ack: unknown }>;
}

function slashCommand(rng: Rng, i: number): Attempt {
  const words = [rng.chance(0.85) ? rng.pick(SUBCOMMANDS) : nastyString(rng, 40)];
  if (rng.chance(0.6)) words.push(rng.pick(['acme', 'globex', 'ACME', '"Acme Corp"', 'nobody']));
  for (let n = rng.int(4); n > 0; n--) words.push(rng.chance(0.5) ? rng.pick(WORDS) : nastyString(rng));
  const text = words.join(rng.pick([' ', '  ', '\t', '\n']));
  const user = rng.chance(0.8) ? CSM : rng.pick(['U0SALES001', 'U0ACME0001']);
  return {
    label: `command #${i}: ${JSON.stringify(text.slice(0, 200))}`,
    send: () => app.sim.command({ user, channel: CHANNEL }, '/cs', text),
  };
}

function rawCommand(rng: Rng, i: number): Attempt {
  const fields = mangle(rng, {
    token: 'sandboxVerificationTok',
    team_id: app.double.team.id,
    team_domain: app.double.team.domain,
    channel_id: rng.chance(0.7) ? CHANNEL : nastyString(rng, 20),
    channel_name: 'cs-alerts',
    user_id: rng.chance(0.7) ? CSM : nastyString(rng, 20),
    user_name: 'ana',
    command: rng.chance(0.8) ? '/cs' : nastyString(rng, 20),
    text: often(rng, `${rng.pick(SUBCOMMANDS)} ${rng.pick(WORDS)}`, 0.5),
    api_app_id: app.double.bot.appId,
    response_url: rng.chance(0.7) ? app.double.responseUrl(CHANNEL, CSM) : 'http://127.0.0.1:9/nowhere',
    trigger_id: rng.chance(0.7) ? app.double.triggerId(CSM) : nastyString(rng, 30),
    ...(rng.chance(0.1) && { payload: nastyString(rng) }),
  });
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
  return {
    label: `raw command #${i}: ${form.slice(0, 300)}`,
    send: () => app.sim.send('slash_command', form, 'application/x-www-form-urlencoded'),
  };
}

function interaction(rng: Rng, i: number): Attempt {
  const type = rng.pick([
    'block_actions',
    'block_actions',
    'view_submission',
    'view_closed',
    'shortcut',
    'x',
  ]);
  const user = rng.chance(0.8) ? CSM : rng.pick(['U0SALES001', 'U0ACME0001']);
  const actionId = often(rng, rng.pick(KNOWN_ACTIONS));
  const blockId = often(rng, rng.pick(KNOWN_BLOCKS));
  const value = rng.pick([
    'acme',
    `card:${rng.pick(['acme', 'globex', 'nobody'])}`,
    `milestone:acme`,
    `review:${rng.int(5)}`,
    String(rng.int(100)),
    `${rng.int(5)}:${rng.int(12)}`,
    nastyString(rng),
  ]);
  const action = mangle(rng, {
    type: rng.pick(['button', 'static_select', 'overflow', 'datepicker', 'plain_text_input', 'users_select']),
    action_id: actionId,
    block_id: blockId,
    value,
    selected_option: { value, text: { type: 'plain_text', text: 'x' } },
    selected_date: often(rng, rng.pick(['2030-01-01', '2030-02-30', '1999-01-01'])),
    action_ts: '1715000000.000100',
  });
  const stateValues = Object.fromEntries(
    Array.from({ length: 1 + rng.int(4) }, () => [
      often(rng, rng.pick(KNOWN_BLOCKS), 0.1),
      {
        [often(rng, rng.pick(KNOWN_ACTIONS), 0.1)]: mangle(rng, {
          type: rng.pick(['plain_text_input', 'datepicker', 'timepicker', 'static_select']),
          value: often(rng, rng.pick(WORDS), 0.3),
          selected_date: often(rng, rng.pick(['2030-01-01', '2020-01-01'])),
          selected_time: often(rng, rng.pick(['10:30', '99:99'])),
          selected_option: { value: often(rng, rng.pick(['30', '60', 'acme', '1'])) },
        }),
      },
    ]),
  );
  const view = mangle(rng, {
    id: `V${rng.int(1e6)}`,
    type: 'modal',
    callback_id: often(rng, rng.pick(KNOWN_CALLBACKS), 0.1),
    private_metadata: rng.pick([
      'acme',
      JSON.stringify({ alertId: rng.int(5), reviewId: rng.int(5), surveyId: rng.int(5), account: 'acme' }),
      String(rng.int(5)),
      nastyString(rng),
    ]),
    state: { values: stateValues },
    hash: 'h',
  });
  const payload = mangle(rng, {
    type,
    user: { id: user, username: 'ana', name: 'ana', team_id: app.double.team.id },
    api_app_id: app.double.bot.appId,
    token: 'sandboxVerificationTok',
    container: { type: rng.pick(['message', 'view']), message_ts: '1715000000.000100', channel_id: CHANNEL },
    trigger_id: rng.chance(0.7) ? app.double.triggerId(user) : nastyString(rng, 30),
    team: { id: app.double.team.id, domain: app.double.team.domain },
    channel: { id: CHANNEL, name: 'cs-alerts' },
    response_url: rng.chance(0.7) ? app.double.responseUrl(CHANNEL, user) : 'http://127.0.0.1:9/nowhere',
    actions: rng.chance(0.9) ? [action] : nastyValue(rng),
    view,
    callback_id: rng.pick(KNOWN_CALLBACKS),
  });
  // Now and then the payload is not the JSON object Slack sends at all.
  const raw = rng.chance(0.05)
    ? new URLSearchParams({
        payload: rng.pick(['null', '[]', '42', '"x"', '{', 'not json', '{"type":']),
      }).toString()
    : interactivityBody(payload);
  return {
    label: `interaction #${i}: ${raw.slice(0, 300)}`,
    send: () => app.sim.send('block_actions', raw, 'application/x-www-form-urlencoded'),
  };
}

function event(rng: Rng, i: number): Attempt {
  const inner = mangle(rng, {
    type: rng.pick([
      'app_home_opened',
      'app_home_opened',
      'message',
      'channel_shared',
      'member_joined_channel',
      'x',
    ]),
    user: often(rng, CSM),
    channel: often(rng, CHANNEL),
    tab: often(rng, rng.pick(['home', 'messages'])),
    text: often(rng, rng.pick(WORDS), 0.5),
    event_ts: '1715000000.000100',
    view: rng.chance(0.3) ? nastyValue(rng) : undefined,
  }) as Record<string, unknown> & { type: string };
  const envelope = mangle(
    rng,
    eventCallbackBody({
      teamId: app.double.team.id,
      apiAppId: app.double.bot.appId,
      botUserId: app.double.bot.userId,
      event: inner,
      eventId: rng.chance(0.9) ? `Ev0FUZZ${SEED}x${i}` : nastyString(rng, 20),
      eventTimeSeconds: 1_715_000_000,
    }),
  );
  const body = rng.chance(0.05)
    ? rng.pick([
        JSON.stringify({ type: 'url_verification', challenge: nastyString(rng) }),
        JSON.stringify({ type: 'ssl_check', ssl_check: '1' }),
        'null',
        '[1,2]',
        '"event"',
      ])
    : JSON.stringify(envelope);
  return {
    label: `event #${i}: ${body.slice(0, 300)}`,
    send: () => app.sim.send('event_callback', body, 'application/json'),
  };
}

/** Bodies at the size limit, and just over it. */
function huge(rng: Rng, i: number): Attempt {
  const size = i % 2 ? BODY_LIMIT - 2_000 : BODY_LIMIT + 10;
  const text = rng.pick(['x', '🚀', 'a\u0000']).repeat(size / 4);
  const form = new URLSearchParams({ command: '/cs', text: `health ${text}`, user_id: CSM }).toString();
  return {
    label: `huge #${i}: ${form.length} bytes`,
    send: () => app.sim.send('slash_command', form.slice(0, size), 'application/x-www-form-urlencoded'),
  };
}

describe(`fuzz (FUZZ_SEED=${SEED})`, () => {
  it('answers thousands of odd signed requests below 500, rejects nothing unhandled, and still works', async () => {
    const rng = generator(SEED);
    const attempts: Attempt[] = [
      ...Array.from({ length: COMMANDS }, (_, i) => slashCommand(rng, i)),
      ...Array.from({ length: RAW_COMMANDS }, (_, i) => rawCommand(rng, i)),
      ...Array.from({ length: INTERACTIONS }, (_, i) => interaction(rng, i)),
      ...Array.from({ length: EVENTS }, (_, i) => event(rng, i)),
      ...Array.from({ length: 6 }, (_, i) => huge(rng, i)),
    ];
    // Shuffled, so each kind meets the others in flight.
    for (let i = attempts.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [attempts[i], attempts[j]] = [attempts[j]!, attempts[i]!];
    }

    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < attempts.length) {
        const attempt = attempts[next++]!;
        try {
          const { status, ack } = await answerWithin(ANSWER_MS, attempt.send());
          if (status >= 500)
            failures.push(`${attempt.label} → ${status} ${JSON.stringify(ack).slice(0, 200)}`);
        } catch (error) {
          failures.push(`${attempt.label} → ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    // Work acknowledged early (events, slow commands) finishes after the answer: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const reproduce = `reproduce with FUZZ_SEED=${SEED} npx vitest run tests/e2e/fuzz.test.ts`;
    expect(failures.slice(0, 20), reproduce).toEqual([]);
    expect(rejections.map(String).slice(0, 20), reproduce).toEqual([]);
    const help = await app.sim.command({ user: CSM, channel: CHANNEL }, '/cs', 'help');
    expect(help.status, reproduce).toBe(200);
    expect(help.ack, reproduce).toMatchObject({ response_type: 'ephemeral', text: 'What Pulse can do' });
  }, 120_000);
});
