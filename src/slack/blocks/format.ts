import type { Band } from '../../domain/health.ts';
import { DAY, HOUR, MINUTE } from '../../domain/time.ts';

/*
 * Escaping. Every string that comes from data (account and contact names, milestone titles, goals,
 * survey comments, resolve notes, agendas, Slack's own error codes) reaches mrkdwn (blocks, a message's
 * top-level `text`, which Slack shows in notifications, an upload's `initial_comment`) only through
 * `escapeMrkdwn`, or `inlineCode` between backticks, exactly once: what it returns is mrkdwn and is never
 * escaped again. plain_text objects (headers, buttons, options, modal titles) and input values are shown
 * as they are and never parsed, so they take the raw value. Pulse never sets `link_names` or
 * `parse: 'full'`: a bare `@channel` stays text, and only `<…>` sequences mention or link.
 */

/**
 * Slack's three control characters as the entities it decodes for display: `<!channel>`, `<@U…>`,
 * `<#C…>`, `<!subteam^…>`, `<!date^…>` and `<url|label>` arrive as plain text.
 */
const escapeControl = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Look-alikes for mrkdwn's formatting marks, which Slack offers no escape for. A zero-width joiner beside
 * a mark is no letter either, so Slack's "formatting only at word edges" rule (and the sandbox's
 * renderer) still finds an edge there and formats through it; a look-alike can neither open nor close
 * anything, and reads the same.
 */
const LOOK_ALIKE: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };
const WORDY = /[\p{L}\p{N}]/u;

/**
 * A data value for mrkdwn: control characters escaped, formatting marks neutralised. A `*`, `_` or `~`
 * between two letters or digits (`acme_corp`, `AT*T`) is no edge and formats nothing, so it is kept.
 */
export const escapeMrkdwn = (text: string) =>
  escapeControl(text).replace(/[*_~`]/g, (mark, at: number, all: string) =>
    mark !== '`' && WORDY.test(all[at - 1] ?? '') && WORDY.test(all[at + 1] ?? '') ? mark : LOOK_ALIKE[mark]!,
  );

/** A data value as inline code: formatting is off inside it, and only a backtick could end it early. */
export const inlineCode = (text: string) => `\`${escapeControl(text).replace(/`/g, LOOK_ALIKE['`']!)}\``;

export const BAND_EMOJI: Record<Band | 'none', string> = {
  red: ':red_circle:',
  yellow: ':large_yellow_circle:',
  green: ':large_green_circle:',
  none: ':white_circle:',
};

const englishPlurals = new Intl.PluralRules('en-US');

/** A count as people read it, with grouping: "1,200". */
export const count = (n: number) => n.toLocaleString('en-US');

/**
 * A count and its noun, which agrees with it through Intl.PluralRules: "1 champion", "0 champions",
 * "1,200 accounts". `many` is the plural when it is not the noun plus "s".
 */
export const counted = (n: number, one: string, many = `${one}s`) =>
  `${count(n)} ${englishPlurals.select(n) === 'one' ? one : many}`;

/** A signed change, with a real minus sign: "+3", "−12", "±0". */
export const signed = (n: number | null) => (n === null ? 'n/a' : n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0');

// Building an Intl formatter costs far more than using one: keep one per currency.
const currencyFormats = new Map<string, Intl.NumberFormat>();

export function money(amount: string | number | null, currency: string | null): string {
  if (amount === null || amount === undefined) return 'n/a';
  const value = typeof amount === 'string' ? Number(amount) : amount;
  const code = currency ?? 'USD';
  let format = currencyFormats.get(code);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    } catch {
      return `${value.toFixed(2)} ${code}`;
    }
    currencyFormats.set(code, format);
  }
  return format.format(value);
}

/*
 * Instants through Intl formatters kept per zone: a card formats a dozen dates, and luxon parsed each
 * and built its zone's formatter again for every one (a third of the card's rendering). The output is
 * luxon's English: `ccc d LLL yyyy` and `yyyy-LL-dd HH:mm ZZZZ`.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The parts of `at` in `zone`: the numeric date and time, and the zone's short name. */
function partsIn(at: Date, zone: string): Record<Intl.DateTimeFormatPartTypes, string> {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    dateFormats.set(zone, format);
  }
  const parts = {} as Record<Intl.DateTimeFormatPartTypes, string>;
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  return parts;
}

/** Intl's en-US names, read once: `names({ weekday: 'short' }, days)`. */
const names = (options: Intl.DateTimeFormatOptions, instants: number[]) => {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...options });
  return instants.map((at) => format.format(at));
};
// 1 January 2023 was a Sunday.
const WEEKDAYS = names(
  { weekday: 'short' },
  [0, 1, 2, 3, 4, 5, 6].map((d) => Date.UTC(2023, 0, 1 + d)),
);
const MONTHS = names(
  { month: 'short' },
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((m) => Date.UTC(2023, m, 1)),
);

/**
 * A calendar date (YYYY-MM-DD) as people read it: "Mon 30 Mar 2027". A UTC date needs no zone, so it is
 * read off the Date's UTC fields (Intl's en-US names), not through a formatter's parts.
 */
export function calendarDate(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(+at)) throw new Error(`not a calendar date: ${date}`);
  return `${WEEKDAYS[at.getUTCDay()]} ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/** "2026-12-05 09:30 EST": the instant in `zone`, with the zone's short name. */
export function instant(at: Date, zone: string): string {
  const p = partsIn(at, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/**
 * An instant as Slack's date token: each reader sees it in their own zone and language ("Yesterday at
 * 10:30"); clients that cannot render the token show the fallback, written in `zone`.
 */
export const slackDate = (at: Date, zone: string) =>
  `<!date^${Math.floor(+at / 1000)}^{date_short_pretty} {time}|${instant(at, zone)}>`;

/**
 * A meeting's start: Slack's date token (the reader's own zone), then the time in the meeting's zone, so
 * a CSM in another zone than the customer's sees both: "Dec 15 at 5:30 PM (10:30 America/Phoenix)".
 */
export function meetingTime(at: Date, zone: string): string {
  const p = partsIn(at, zone);
  return `${slackDate(at, zone)} (${p.hour}:${p.minute} ${zone})`;
}

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
];

/** "3 days ago", "in 2 months": for freshness and deadlines, in the largest whole unit. */
export function relative(at: Date, now: Date): string {
  const ms = +at - +now;
  const [unit, size] = UNITS.find(([, size]) => Math.abs(ms) >= size) ?? ['second', 1000];
  return relativeFormat.format(Math.trunc(ms / size), unit);
}

/** Keeps text within a Block Kit limit (3,000 for a section, 150 for a header, 75 for a button). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
