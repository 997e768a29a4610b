import type { RespondFn } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import type { Need } from '../../domain/access.ts';
import { type Locale, t } from '../../i18n/index.ts';
import type { Access } from '../access.ts';
import { helpBlocks, usageBlocks } from '../blocks/help.ts';
import { SUBCOMMAND_ALIASES, USAGE } from '../constants.ts';
import type { Listeners } from '../listeners.ts';
import { portfolioAnswer } from './accounts.ts';
import { type CommandAnswer, type CommandContext, ephemeral, failureText } from './answer.ts';
import { connectorsAnswer } from './connectors.ts';
import { digestAnswer } from './digest.ts';
import { healthAnswer } from './health.ts';
import { healthModelAnswer } from './health-model.ts';
import { metricsAnswer } from './metrics.ts';
import { milestoneAnswer } from './milestone.ts';
import { milestonesAnswer } from './milestones.ts';
import { noteAnswer } from './note.ts';
import { type CsCommand, type ParseResult, parseCsCommand } from './parser.ts';
import { rtsAnswer } from './rts.ts';
import { surveyAnswer } from './survey.ts';
import { timelineAnswer } from './timeline.ts';

/** Answers that take longer than this are acknowledged at once and delivered through the response_url. */
const INLINE_ANSWER_MS = 1_500;

/** One handler per subcommand of the contract's grammar: the type makes a missing one a compile error. */
type Handlers = {
  [K in CsCommand['kind']]: (
    command: Extract<CsCommand, { kind: K }>,
    deps: Deps,
    context: CommandContext,
  ) => Promise<CommandAnswer>;
};
const HANDLERS: Handlers = {
  help: async (_command, _deps, { locale }) => ephemeral(t(locale, 'cs.help.text'), helpBlocks(locale)),
  health: healthAnswer,
  'health-model': healthModelAnswer,
  accounts: portfolioAnswer,
  digest: digestAnswer,
  milestone: milestoneAnswer,
  milestones: milestonesAnswer,
  survey: surveyAnswer,
  rts: rtsAnswer,
  connectors: connectorsAnswer,
  note: noteAnswer,
  timeline: timelineAnswer,
  metrics: metricsAnswer,
};

/**
 * What each subcommand needs of the person: help is open to all, the others show account data, and some
 * change it. The type makes a subcommand without an entry a compile error, so none is open by omission.
 */
const NEEDS: { [K in CsCommand['kind']]: (command: Extract<CsCommand, { kind: K }>) => Need | 'anyone' } = {
  help: () => 'anyone',
  health: () => 'read',
  'health-model': () => 'read',
  accounts: () => 'read',
  milestones: () => 'read',
  rts: (command) => (command.brief ? 'read' : 'write'),
  milestone: () => 'write',
  survey: () => 'write',
  digest: () => 'write',
  // The CS team's: skipped records name customers' people and accounts.
  connectors: () => 'write',
  note: () => 'write',
  timeline: () => 'read',
  metrics: () => 'read',
};

/**
 * Answers `/cs` in the person's language. The access check comes before the language is asked for: it
 * asks Slack who the person is (users.info) and keeps the answer, so the language costs no second call,
 * and a person Slack cannot vouch for is refused rather than answered on a second try.
 */
export async function answerCsCommand(
  text: string,
  deps: Deps,
  asked: Omit<CommandContext, 'locale'>,
  spoken: { locale: Locale } = { locale: deps.config.locale },
): Promise<CommandAnswer> {
  const language = async () => {
    spoken.locale = await asked.access.localeOf(asked.client, asked.userId);
    return spoken.locale;
  };
  const parsed = parseCsCommand(text);
  if (!parsed.ok) {
    const locale = await language();
    const { problem, usage } = parseCsCommand(text, locale) as Extract<ParseResult, { ok: false }>;
    return ephemeral(
      t(locale, 'cs.usage.text.answer', { problem, usage }),
      usageBlocks(locale, problem, usage),
    );
  }
  const need = (NEEDS[parsed.command.kind] as (command: CsCommand) => Need | 'anyone')(parsed.command);
  // Before any account lookup: a refusal names no account, not even whether a typed name exists.
  if (need !== 'anyone') {
    const verdict = await asked.access.check(asked.client, asked.userId, need);
    if (!verdict.allowed) return ephemeral(verdict.text);
  }
  const context: CommandContext = { ...asked, locale: await language() };
  const handler = HANDLERS[parsed.command.kind];
  // TypeScript cannot correlate the handler with its command's kind: the map above keeps them paired.
  return (handler as (command: CsCommand, deps: Deps, context: CommandContext) => Promise<CommandAnswer>)(
    parsed.command,
    deps,
    context,
  );
}

/** Slack gets an answer within 3 s, always: inline when it is quick, else "working on it" and the response_url. */
async function answerInTime(
  work: Promise<CommandAnswer>,
  ack: (a: CommandAnswer) => Promise<void>,
  respond: RespondFn,
  working: () => string,
) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), INLINE_ANSWER_MS);
  });
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== 'late') return ack(first);
  await ack(ephemeral(working()));
  await respond({ ...(await work), replace_original: true });
}

export function registerCommands(app: Listeners, deps: Deps, access: Access): void {
  app.command('/cs', async ({ command, ack, respond, client }) => {
    // The person's language, once Slack has said who they are; until then, the team's.
    const spoken = { locale: deps.config.locale };
    const asked = {
      userId: command.user_id,
      channelId: command.channel_id,
      triggerId: command.trigger_id,
      client,
      access,
    };
    const work = answerCsCommand(command.text, deps, asked, spoken).catch((error) => {
      // The text can name people or accounts: the log gets its subcommand and length only.
      const word = command.text.trim().split(/\s+/)[0]!.toLowerCase();
      const subcommand = Object.hasOwn(USAGE, word)
        ? word
        : Object.hasOwn(SUBCOMMAND_ALIASES, word)
          ? SUBCOMMAND_ALIASES[word]
          : 'other';
      deps.logger.error(
        { err: error, subcommand, length: command.text.length, user: command.user_id },
        '/cs failed',
      );
      return ephemeral(failureText(spoken.locale));
    });
    await answerInTime(
      work,
      (a) => ack(a),
      respond,
      () => t(spoken.locale, 'cs.working'),
    );
  });
}
