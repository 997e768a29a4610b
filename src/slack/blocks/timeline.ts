import type { KnownBlock, View } from '@slack/types';
import { BILLING_EVENT_TYPES } from '../../domain/billing-flags.ts';
import { isStoredMessage, type StoredText } from '../../domain/stored-text.ts';
import { isSlackUserId, type TimelineEvent } from '../../domain/timeline.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { NOTE } from '../constants.ts';
import { escapeMrkdwn, slackDate, truncate } from './format.ts';
import { moneyIn, relativeIn, storedTextIn } from './locale-format.ts';

/** Alerts whose detail carries no headline: the health rules' kinds. */
const HEALTH_ALERT_KINDS = new Set(['entered_red', 'fell_fast', 'renewal_at_risk']);
const BILLING_EVENTS = new Set<string>(BILLING_EVENT_TYPES);

/** A note's or comment's text is cut here on the timeline: twenty lines stay readable. */
const QUOTE_MAX = 200;

/** Who did it: a mention for a Slack user, "Pulse" for Pulse itself, a bot's name as text. */
export const who = (by: string, locale: Locale) =>
  isSlackUserId(by) ? `<@${by}>` : by === 'pulse' ? t(locale, 'tl.pulse') : escapeMrkdwn(by);

const quote = (text: string) => `“${escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), QUOTE_MAX))}”`;

/** A resolve note: a person's words quoted, Pulse's own sentence in the reader's language. */
const noteQuote = (note: StoredText, locale: Locale) =>
  isStoredMessage(note) ? `“${storedTextIn(locale, note)}”` : quote(note);

function alertLabel(e: { alertKind: string; headline: StoredText | null }, locale: Locale): string {
  if (e.alertKind === 'billing' && typeof e.headline === 'string' && BILLING_EVENTS.has(e.headline))
    return t(locale, 'tl.billing', { type: e.headline });
  if (e.headline) return storedTextIn(locale, e.headline);
  return HEALTH_ALERT_KINDS.has(e.alertKind)
    ? t(locale, 'tl.healthAlert', { kind: e.alertKind })
    : escapeMrkdwn(e.alertKind);
}

/** One line of the timeline, after its date. */
export function eventLine(e: TimelineEvent, locale: Locale): string {
  switch (e.kind) {
    case 'note':
      return t(locale, 'tl.note', {
        who: who(e.author, locale),
        quote: quote(e.text),
        link: e.permalink ? ` <${e.permalink}|${t(locale, 'tl.viewMessage')}>` : '',
      });
    case 'alert_raised':
      return t(locale, 'tl.alertRaised', { alert: alertLabel(e, locale) });
    case 'alert_resolved':
      return t(locale, 'tl.alertResolved', {
        who: who(e.by, locale),
        alert: alertLabel(e, locale),
        note: e.note ? ` — ${noteQuote(e.note, locale)}` : '',
      });
    case 'survey_answer':
      return t(locale, 'tl.surveyAnswer', {
        survey: e.survey.toUpperCase(),
        score: String(e.score),
        contact: escapeMrkdwn(e.contact),
        comment: e.comment ? `: ${quote(e.comment)}` : '',
      });
    case 'milestone':
      return t(locale, 'tl.milestone', { title: escapeMrkdwn(e.title) });
    case 'review_held':
      return t(locale, 'tl.reviewHeld', { review: e.review.toUpperCase() });
    case 'billing':
      return `:credit_card: ${t(locale, 'tl.billing', { type: e.type })}${
        e.amount === null ? '' : `, ${moneyIn(locale, e.amount, e.currency)}`
      }`;
    case 'owner_change':
      return e.to === null
        ? t(locale, 'tl.ownerRemoved', { from: who(e.from!, locale) })
        : e.from === null
          ? t(locale, 'tl.ownerSet', { to: who(e.to, locale) })
          : t(locale, 'tl.ownerChanged', { from: who(e.from, locale), to: who(e.to, locale) });
  }
}

/** Lines per section: twenty lines of at most ~300 characters stay under a section's 3,000. */
const LINES_PER_SECTION = 8;

/** `/cs timeline <account>`: one line per event, oldest first, each dated with Slack's date token. */
export function timelineBlocks(
  account: { key: string; name: string },
  events: TimelineEvent[],
  zone: string,
  locale: Locale,
): KnownBlock[] {
  const title: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: t(locale, 'tl.title', { name: escapeMrkdwn(account.name), key: `\`${account.key}\`` }),
    },
  };
  if (!events.length) {
    return [
      title,
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: t(locale, 'tl.empty', { key: account.key }) }],
      },
    ];
  }
  const lines = events.map((e) => `${slackDate(e.at, zone)} · ${eventLine(e, locale)}`);
  const sections: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) {
    sections.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(lines.slice(i, i + LINES_PER_SECTION).join('\n'), 3000) },
    });
  }
  return [title, ...sections];
}

/** The health card's last touch: "Last note 3 days ago by @ana". */
export const lastTouchLine = (note: { author: string; at: Date } | null, now: Date, locale: Locale) =>
  note
    ? t(locale, 'tl.lastNote', { when: relativeIn(locale, note.at, now), who: who(note.author, locale) })
    : t(locale, 'tl.noNotes');

/** What the shortcut's modal carries from the message to its submission. */
export interface NoteSource {
  channel: string;
  ts: string;
  author: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * "Log to account": the account (a menu of up to 100, else its key or name typed) and the message's text,
 * which the person may trim. The message's channel, time and author ride in `private_metadata`.
 */
export function noteModal(opts: {
  locale: Locale;
  source: NoteSource;
  text: string;
  accounts: Array<{ key: string; name: string }>;
  /** Some accounts did not fit the menu: the account is typed instead. */
  typed: boolean;
  preselected: { key: string; name: string } | null;
}): View {
  const { locale } = opts;
  const option = (a: { key: string; name: string }) => ({
    text: plain(truncate(`${a.name} (${a.key})`, 75)),
    value: a.key,
  });
  const accountElement = opts.typed
    ? {
        type: 'plain_text_input' as const,
        action_id: NOTE.accountInput,
        placeholder: plain(t(locale, 'tl.modal.typeAccount')),
        ...(opts.preselected && { initial_value: opts.preselected.key }),
      }
    : {
        type: 'static_select' as const,
        action_id: NOTE.accountInput,
        placeholder: plain(t(locale, 'tl.modal.pickAccount')),
        options: opts.accounts.map(option),
        ...(opts.preselected && { initial_option: option(opts.preselected) }),
      };
  return {
    type: 'modal',
    callback_id: NOTE.modal,
    title: plain(truncate(t(locale, 'tl.modal.title'), 24)),
    submit: plain(truncate(t(locale, 'tl.modal.submit'), 24)),
    close: plain(t(locale, 'label.cancel')),
    private_metadata: JSON.stringify(opts.source),
    blocks: [
      {
        type: 'input',
        block_id: NOTE.accountBlock,
        label: plain(t(locale, 'tl.modal.account')),
        element: accountElement,
      },
      {
        type: 'input',
        block_id: NOTE.textBlock,
        label: plain(t(locale, 'tl.modal.note')),
        element: {
          type: 'plain_text_input',
          action_id: NOTE.textInput,
          multiline: true,
          max_length: 3000,
          ...(opts.text.trim() && { initial_value: truncate(opts.text, 3000) }),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: t(locale, 'tl.modal.from', {
              who: who(opts.source.author, locale),
              channel: `<#${opts.source.channel}>`,
            }),
          },
        ],
      },
    ],
  };
}

/** A modal that only says something: a refusal, a portfolio without accounts, or the note logged. */
export const noticeModal = (text: string, locale: Locale): View => ({
  type: 'modal',
  title: plain(truncate(t(locale, 'tl.modal.title'), 24)),
  close: plain(t(locale, 'label.close')),
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});
