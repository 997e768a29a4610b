import { DateTime } from 'luxon';
import { editDistance } from '../../domain/closest-names.ts';
import type { Band } from '../../domain/health.ts';
import type { PeriodChoice } from '../../domain/metric-periods.ts';
import { inlineCode } from '../blocks/format.ts';
import { type Subcommand, USAGE } from '../constants.ts';

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

/** The subcommand a mistyped word was most likely meant to be: within a typo or two of it, else none. */
function closestSubcommand(word: string): Subcommand | undefined {
  const budget = Math.max(1, Math.floor(word.length / 3));
  const [best] = (Object.keys(USAGE) as Subcommand[])
    .map((s) => ({ s, distance: editDistance(word, s) }))
    .filter((c) => c.distance <= budget)
    .sort((a, b) => a.distance - b.distance);
  return best?.s;
}

const fail = (subcommand: Subcommand, problem: string): ParseResult => ({
  ok: false,
  subcommand,
  problem,
  usage: USAGE[subcommand].usage,
});

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}\/\d{1,2}\/\d{2,4}$/;
const isCalendarDay = (s: string) => ISO_DAY.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid;

/** `<account> <title…> [--date YYYY-MM-DD | YYYY-MM-DD]`: a trailing date is the day it was reached. */
function parseMilestone(rest: string[]): ParseResult {
  const words = [...rest];
  let date: string | undefined;
  const flag = words.findIndex((w) => w.toLowerCase() === '--date');
  if (flag >= 0) {
    date = words[flag + 1];
    if (date === undefined) return fail('milestone', 'Give the date after --date, as YYYY-MM-DD.');
    words.splice(flag, 2);
  } else if (words.length >= 2 && DATE_LIKE.test(words.at(-1)!)) {
    date = words.pop();
  }
  if (date !== undefined && !isCalendarDay(date)) {
    return fail(
      'milestone',
      ISO_DAY.test(date)
        ? `${date} is not a day of the calendar.`
        : `\`${date}\` is not a date: write it as YYYY-MM-DD.`,
    );
  }
  const [account, ...title] = words;
  if (!account || !title.length) {
    return fail(
      'milestone',
      'Name the account and the milestone (and `--date YYYY-MM-DD` for one reached before today).',
    );
  }
  return {
    ok: true,
    command: { kind: 'milestone', account, title: title.join(' '), ...(date !== undefined && { date }) },
  };
}

const MENTION = /^<@([A-Z][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;
const PERIOD_WORDS = new Set(['month', 'quarter', 'year']);

/** `[month|quarter|year|YYYY-MM] [@owner] [currency]` in any order, or `backtest [days]`. */
function parseMetrics(rest: string[]): ParseResult {
  if (rest[0]?.toLowerCase() === 'backtest') {
    const days = rest[1];
    if (rest.length > 2 || (days !== undefined && !/^\d{1,3}$/.test(days))) {
      return fail('metrics', 'After `backtest`, give the horizon in days (1–365), or nothing for 90.');
    }
    const horizon = days === undefined ? 90 : Number(days);
    if (horizon < 1 || horizon > 365) return fail('metrics', 'The horizon is 1 to 365 days.');
    return { ok: true, command: { kind: 'metrics', backtest: true, horizon } };
  }
  let period: PeriodChoice | undefined;
  let owner: string | undefined;
  let currency: string | undefined;
  for (const word of rest) {
    const mention = MENTION.exec(word);
    if (PERIOD_WORDS.has(word.toLowerCase()) && !period) {
      period = { kind: word.toLowerCase() as 'month' | 'quarter' | 'year' };
    } else if (/^\d{4}-\d{2}$/.test(word) && !period) {
      if (!DateTime.fromISO(`${word}-01`, { zone: 'utc' }).isValid) {
        return fail('metrics', `${word} is not a month of the calendar.`);
      }
      period = { kind: 'named-month', month: word };
    } else if (mention && !owner) {
      owner = (mention[1] ?? mention[2])!;
    } else if (/^[A-Z]{3}$/.test(word) && !currency) {
      currency = word;
    } else {
      return fail('metrics', `${inlineCode(word)} is not a period, an owner or a currency.`);
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

export function parseCsCommand(encoded: string): ParseResult {
  const text = decodeSlackEntities(encoded);
  const [first, ...rest] = tokenize(text.trim());
  const word = first?.toLowerCase();
  if (word === undefined || word === 'help') return { ok: true, command: { kind: 'help' } };
  if (!isSubcommand(word)) {
    const meant = closestSubcommand(word);
    const rest = afterTokens(text, 1).trim();
    return {
      ok: false,
      problem: `${inlineCode(first!)} is not a /cs subcommand.${
        meant ? ` Did you mean ${inlineCode(`/cs ${meant}${rest ? ` ${rest}` : ''}`)}?` : ''
      }`,
      usage: USAGE.help.usage,
    };
  }
  const all = rest.join(' ');
  switch (word) {
    case 'health':
    case 'milestones':
    case 'timeline':
      if (!rest.length) return fail(word, 'Name the account.');
      return { ok: true, command: { kind: word, account: all } };
    case 'accounts': {
      if (!rest.length) return { ok: true, command: { kind: 'accounts' } };
      const band = all.toLowerCase();
      if (rest.length > 1 || !['red', 'yellow', 'green'].includes(band)) {
        return fail(word, `${inlineCode(all)} is not a band: use red, yellow or green.`);
      }
      return { ok: true, command: { kind: 'accounts', band: band as Band } };
    }
    case 'milestone':
      return parseMilestone(rest);
    case 'rts': {
      if (!rest.length) return fail(word, 'Name the account.');
      if (rest.length >= 2 && rest.at(-1)!.toLowerCase() === 'brief') {
        return { ok: true, command: { kind: 'rts', account: rest.slice(0, -1).join(' '), brief: true } };
      }
      const [date, time] = rest.slice(-2);
      const hasDate = rest.length >= 3 && /^\d{4}-\d{2}-\d{2}$/.test(date!) && /^\d{1,2}:\d{2}$/.test(time!);
      if (!hasDate && rest.some((t) => /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}:\d{2}$/.test(t))) {
        return fail(word, 'Give the date and time as YYYY-MM-DD HH:MM, after the account.');
      }
      if (!hasDate) return { ok: true, command: { kind: 'rts', account: all } };
      return { ok: true, command: { kind: 'rts', account: rest.slice(0, -2).join(' '), date, time } };
    }
    case 'survey': {
      const kind = rest.at(-1)?.toLowerCase();
      if (rest.length < 2) return fail(word, 'Name the account, then nps or csat.');
      if (kind !== 'nps' && kind !== 'csat') {
        return fail(word, `${inlineCode(rest.at(-1)!)} is not a survey: use nps or csat.`);
      }
      return { ok: true, command: { kind: 'survey', account: rest.slice(0, -1).join(' '), survey: kind } };
    }
    case 'note': {
      // The note is kept as typed, spaces and quotes included: only the account is a token.
      const [account] = rest;
      const note = afterTokens(text, 2).trim();
      if (!account || !note) return fail(word, 'Name the account, then write the note.');
      return { ok: true, command: { kind: 'note', account, text: note } };
    }
    case 'digest':
      if (rest.length) return fail(word, '`/cs digest` takes no arguments.');
      return { ok: true, command: { kind: 'digest' } };
    case 'health-model':
      if (rest.length) return fail(word, '`/cs health-model` takes no arguments.');
      return { ok: true, command: { kind: 'health-model' } };
    case 'connectors':
      if (rest.length) return fail(word, '`/cs connectors` takes no arguments.');
      return { ok: true, command: { kind: 'connectors' } };
    case 'metrics':
      return parseMetrics(rest);
    default:
      return { ok: true, command: { kind: 'help' } };
  }
}
