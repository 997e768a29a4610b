import { DateTime } from 'luxon';
import { editDistance } from '../../domain/closest-names.ts';
import type { Band } from '../../domain/health.ts';
import type { PeriodChoice } from '../../domain/metric-periods.ts';
import { type Locale, type MessageValues, type TeamKey, t } from '../../i18n/index.ts';
import { inlineCode } from '../blocks/format.ts';
import { usageLine } from '../blocks/help.ts';
import { BAND_ALIASES, PERIOD_ALIASES, SUBCOMMAND_ALIASES, type Subcommand, USAGE } from '../constants.ts';

export type CsCommand =
  | { kind: 'help' }
  | { kind: 'health'; account: string }
  | { kind: 'health-model' }
  | { kind: 'accounts'; band?: Band }
  /** `date`: the day it was reached (YYYY-MM-DD, a real calendar day), when not today. */
  | { kind: 'milestone'; account: string; title: string; date?: string }
  | { kind: 'milestones'; account: string }
  | { kind: 'rts'; account: string; date?: string; time?: string; brief?: true }
  | { kind: 'survey'; account: string; survey: 'nps' | 'csat' }
  | { kind: 'digest' }
  | { kind: 'connectors' }
  | { kind: 'note'; account: string; text: string }
  | { kind: 'timeline'; account: string }
  /** The retention figures of a period, for one owner and currency when named. */
  | { kind: 'metrics'; period: PeriodChoice; owner?: string; currency?: string }
  /** Whether the health score predicted churn, `horizon` days ahead. */
  | { kind: 'metrics'; backtest: true; horizon: number };

export type ParseResult =
  | { ok: true; command: CsCommand }
  | { ok: false; subcommand?: Subcommand; problem: string; usage: string };

const isSubcommand = (word: string): word is Subcommand => Object.hasOwn(USAGE, word);

/** The subcommand a word names: its English name or a Portuguese alias. */
const subcommandOf = (word: string): Subcommand | undefined =>
  isSubcommand(word) ? word : Object.hasOwn(SUBCOMMAND_ALIASES, word) ? SUBCOMMAND_ALIASES[word] : undefined;

/**
 * Splits on spaces, keeping "quoted phrases" (straight or the curly quotes Slack clients type) together,
 * so an account name with spaces can precede more arguments: `/cs milestone "Acme Corp" Go-live`.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/[“"]([^”"]*)[”"]|(\S+)/g)) tokens.push((match[1] ?? match[2])!);
  return tokens;
}

/** What follows the first `count` tokens of the text, exactly as typed. */
function afterTokens(text: string, count: number): string {
  const token = /\s*(?:[“"][^”"]*[”"]|\S+)/y;
  let end = 0;
  for (let i = 0; i < count && token.exec(text); i += 1) end = token.lastIndex;
  return text.slice(end);
}

/**
 * The word a mistyped one was most likely meant to be, a subcommand or its Portuguese alias: within a typo
 * or two of it, else none.
 */
function closestSubcommand(word: string): string | undefined {
  const budget = Math.max(1, Math.floor(word.length / 3));
  const [best] = [...Object.keys(USAGE), ...Object.keys(SUBCOMMAND_ALIASES)]
    .map((s) => ({ s, distance: editDistance(word, s) }))
    .filter((c) => c.distance <= budget)
    .sort((a, b) => a.distance - b.distance);
  return best?.s;
}

/** A malformed command's answer: the problem and the subcommand's usage line, in the person's language. */
type Fail = (subcommand: Subcommand, problem: TeamKey, values?: MessageValues) => ParseResult;

const failIn =
  (locale: Locale): Fail =>
  (subcommand, problem, values) => ({
    ok: false,
    subcommand,
    problem: t(locale, problem, values),
    usage: usageLine(locale, subcommand),
  });

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}\/\d{1,2}\/\d{2,4}$/;
const isCalendarDay = (s: string) => ISO_DAY.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;

/** `<account> <title…> [--date YYYY-MM-DD | YYYY-MM-DD]`: a trailing date is the day it was reached. */
function parseMilestone(rest: string[], fail: Fail): ParseResult {
  const words = [...rest];
  let date: string | undefined;
  const flag = words.findIndex((w) => w.toLowerCase() === '--date');
  if (flag >= 0) {
    date = words[flag + 1];
    if (date === undefined) return fail('milestone', 'cs.parse.dateAfterFlag');
    words.splice(flag, 2);
  } else if (words.length >= 2 && DATE_LIKE.test(words.at(-1)!)) {
    date = words.pop();
  }
  if (date !== undefined && !isCalendarDay(date)) {
    return ISO_DAY.test(date)
      ? fail('milestone', 'cs.parse.notCalendarDay', { date })
      : fail('milestone', 'cs.parse.notADate', { date: inlineCode(date) });
  }
  const [account, ...title] = words;
  if (!account || !title.length) return fail('milestone', 'cs.parse.milestoneMissing');
  return {
    ok: true,
    command: { kind: 'milestone', account, title: title.join(' '), ...(date !== undefined && { date }) },
  };
}

const MENTION = /^<@([A-Z][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;
const PERIOD_WORDS = new Set(['month', 'quarter', 'year']);

/** A period's word, English or Portuguese: `month`, `mes`, `mês`… */
const periodOf = (word: string) =>
  PERIOD_WORDS.has(word)
    ? (word as 'month' | 'quarter' | 'year')
    : Object.hasOwn(PERIOD_ALIASES, word)
      ? PERIOD_ALIASES[word]
      : undefined;

/** `[month|quarter|year|YYYY-MM] [@owner] [currency]` in any order, or `backtest [days]`. */
function parseMetrics(rest: string[], fail: Fail): ParseResult {
  if (rest[0]?.toLowerCase() === 'backtest') {
    const days = rest[1];
    if (rest.length > 2 || (days !== undefined && !/^\d{1,3}$/.test(days))) {
      return fail('metrics', 'cs.parse.horizonWord');
    }
    const horizon = days === undefined ? 90 : Number(days);
    if (horizon < 1 || horizon > 365) return fail('metrics', 'cs.parse.horizonRange');
    return { ok: true, command: { kind: 'metrics', backtest: true, horizon } };
  }
  let period: PeriodChoice | undefined;
  let owner: string | undefined;
  let currency: string | undefined;
  for (const word of rest) {
    const mention = MENTION.exec(word);
    const periodWord = periodOf(word.toLowerCase());
    if (periodWord && !period) {
      period = { kind: periodWord };
    } else if (/^\d{4}-\d{2}$/.test(word) && !period) {
      if (!DateTime.fromISO(`${word}-01`, { zone: 'utc' }).isValid) {
        return fail('metrics', 'cs.parse.notCalendarMonth', { month: word });
      }
      period = { kind: 'named-month', month: word };
    } else if (mention && !owner) {
      owner = (mention[1] ?? mention[2])!;
    } else if (/^[A-Z]{3}$/.test(word) && !currency) {
      currency = word;
    } else {
      return fail('metrics', 'cs.parse.notPeriod', { word: inlineCode(word) });
    }
  }
  return {
    ok: true,
    command: {
      kind: 'metrics',
      period: period ?? { kind: 'month' },
      ...(owner && { owner }),
      ...(currency && { currency }),
    },
  };
}

/**
 * Slack sends the command's text with `&`, `<` and `>` as HTML entities: decoded here, so a title typed
 * as "Q&A" is stored as typed (and escaped again, once, wherever it is shown).
 */
const decodeSlackEntities = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Parses `/cs`'s text; what is wrong with it is said in `locale`. Portuguese aliases are understood. */
export function parseCsCommand(encoded: string, locale: Locale = 'en'): ParseResult {
  const fail = failIn(locale);
  const text = decodeSlackEntities(encoded);
  const [first, ...rest] = tokenize(text.trim());
  const typed = first?.toLowerCase();
  if (typed === undefined) return { ok: true, command: { kind: 'help' } };
  const word = subcommandOf(typed);
  if (word === undefined) {
    const meant = closestSubcommand(typed);
    const after = afterTokens(text, 1).trim();
    const problem = [t(locale, 'cs.parse.unknown', { word: inlineCode(first!) })];
    if (meant) {
      const suggestion = inlineCode(`/cs ${meant}${after ? ` ${after}` : ''}`);
      problem.push(t(locale, 'cs.parse.didYouMean', { suggestion }));
    }
    return { ok: false, problem: problem.join(' '), usage: usageLine(locale, 'help') };
  }
  const all = rest.join(' ');
  switch (word) {
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'health':
    case 'milestones':
    case 'timeline':
      if (!rest.length) return fail(word, 'cs.parse.nameAccount');
      return { ok: true, command: { kind: word, account: all } };
    case 'accounts': {
      if (!rest.length) return { ok: true, command: { kind: 'accounts' } };
      const typedBand = all.toLowerCase();
      const band = Object.hasOwn(BAND_ALIASES, typedBand) ? BAND_ALIASES[typedBand] : typedBand;
      if (rest.length > 1 || !['red', 'yellow', 'green'].includes(band!)) {
        return fail(word, 'cs.parse.notBand', { typed: inlineCode(all) });
      }
      return { ok: true, command: { kind: 'accounts', band: band as Band } };
    }
    case 'milestone':
      return parseMilestone(rest, fail);
    case 'rts': {
      if (!rest.length) return fail(word, 'cs.parse.nameAccount');
      if (rest.length >= 2 && rest.at(-1)!.toLowerCase() === 'brief') {
        return { ok: true, command: { kind: 'rts', account: rest.slice(0, -1).join(' '), brief: true } };
      }
      const [date, time] = rest.slice(-2);
      const hasDate = rest.length >= 3 && /^\d{4}-\d{2}-\d{2}$/.test(date!) && /^\d{1,2}:\d{2}$/.test(time!);
      if (!hasDate && rest.some((t) => /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}:\d{2}$/.test(t))) {
        return fail(word, 'cs.parse.rtsDateTime');
      }
      if (!hasDate) return { ok: true, command: { kind: 'rts', account: all } };
      return { ok: true, command: { kind: 'rts', account: rest.slice(0, -2).join(' '), date, time } };
    }
    case 'survey': {
      const kind = rest.at(-1)?.toLowerCase();
      if (rest.length < 2) return fail(word, 'cs.parse.surveyMissing');
      if (kind !== 'nps' && kind !== 'csat') {
        return fail(word, 'cs.parse.notSurvey', { typed: inlineCode(rest.at(-1)!) });
      }
      return { ok: true, command: { kind: 'survey', account: rest.slice(0, -1).join(' '), survey: kind } };
    }
    case 'note': {
      // The note is kept as typed, spaces and quotes included: only the account is a token.
      const [account] = rest;
      const note = afterTokens(text, 2).trim();
      if (!account || !note) return fail(word, 'cs.parse.noteMissing');
      return { ok: true, command: { kind: 'note', account, text: note } };
    }
    case 'digest':
      if (rest.length) return fail(word, 'cs.parse.noArguments', { command: '`/cs digest`' });
      return { ok: true, command: { kind: 'digest' } };
    case 'health-model':
      if (rest.length) return fail(word, 'cs.parse.noArguments', { command: '`/cs health-model`' });
      return { ok: true, command: { kind: 'health-model' } };
    case 'connectors':
      if (rest.length) return fail(word, 'cs.parse.noArguments', { command: '`/cs connectors`' });
      return { ok: true, command: { kind: 'connectors' } };
    case 'metrics':
      return parseMetrics(rest, fail);
  }
}
