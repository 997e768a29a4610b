import type { KnownBlock, View } from '@slack/types';
import type { BillingEventType } from '../../domain/billing-flags.ts';
import { isSlackUserId, type TimelineEvent } from '../../domain/timeline.ts';
import { NOTE } from '../constants.ts';
import { escapeMrkdwn, money, relative, slackDate, truncate } from './format.ts';

const BILLING_EVENT_LABEL: Record<BillingEventType, string> = {
  payment_failed: 'Payment failed',
  payment_succeeded: 'Payment succeeded',
  invoice_overdue: 'Invoice overdue',
  invoice_paid: 'Invoice paid',
  card_expiring: 'Card expiring',
  subscription_canceled: 'Subscription canceled',
  subscription_downgraded: 'Subscription downgraded',
  dispute_opened: 'Dispute opened',
};

/** Alerts whose detail carries no headline: the health rules' kinds. */
const HEALTH_ALERT_LABEL: Record<string, string> = {
  entered_red: 'Entered red',
  fell_fast: 'Health fell fast',
  renewal_at_risk: 'Renewal at risk',
};

/** A note's or comment's text is cut here on the timeline: twenty lines stay readable. */
const QUOTE_MAX = 200;

/** Who did it: a mention for a Slack user, "Pulse" for Pulse itself, a bot's name as text. */
export const who = (by: string) =>
  isSlackUserId(by) ? `<@${by}>` : by === 'pulse' ? 'Pulse' : escapeMrkdwn(by);

const quote = (text: string) => `“${escapeMrkdwn(truncate(text.replace(/\s+/g, ' ').trim(), QUOTE_MAX))}”`;

function alertLabel(e: { alertKind: string; headline: string | null }): string {
  if (e.alertKind === 'billing' && e.headline && e.headline in BILLING_EVENT_LABEL)
    return BILLING_EVENT_LABEL[e.headline as BillingEventType];
  if (e.headline) return escapeMrkdwn(e.headline);
  return HEALTH_ALERT_LABEL[e.alertKind] ?? escapeMrkdwn(e.alertKind);
}

/** One line of the timeline, after its date. */
export function eventLine(e: TimelineEvent): string {
  switch (e.kind) {
    case 'note':
      return `:memo: Note by ${who(e.author)}: ${quote(e.text)}${e.permalink ? ` <${e.permalink}|view message>` : ''}`;
    case 'alert_raised':
      return `:rotating_light: Alert raised: ${alertLabel(e)}`;
    case 'alert_resolved':
      return `:white_check_mark: Alert resolved by ${who(e.by)}: ${alertLabel(e)}${e.note ? ` — ${quote(e.note)}` : ''}`;
    case 'survey_answer':
      return `:speech_balloon: ${e.survey.toUpperCase()} ${e.score} from ${escapeMrkdwn(e.contact)}${e.comment ? `: ${quote(e.comment)}` : ''}`;
    case 'milestone':
      return `:tada: Milestone reached: *${escapeMrkdwn(e.title)}*`;
    case 'review_held':
      return `:handshake: Success review (${e.review.toUpperCase()}) held`;
    case 'billing':
      return `:credit_card: ${BILLING_EVENT_LABEL[e.type]}${e.amount === null ? '' : `, ${money(e.amount, e.currency)}`}`;
    case 'owner_change':
      return e.to === null
        ? `:bust_in_silhouette: Owner removed (was ${who(e.from!)})`
        : e.from === null
          ? `:bust_in_silhouette: Owner set to ${who(e.to)}`
          : `:bust_in_silhouette: Owner changed from ${who(e.from)} to ${who(e.to)}`;
  }
}

/** Lines per section: twenty lines of at most ~300 characters stay under a section's 3,000. */
const LINES_PER_SECTION = 8;

/** `/cs timeline <account>`: one line per event, oldest first, each dated with Slack's date token. */
export function timelineBlocks(
  account: { key: string; name: string },
  events: TimelineEvent[],
  zone: string,
): KnownBlock[] {
  const title: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `*Timeline of ${escapeMrkdwn(account.name)}* (\`${account.key}\`)` },
  };
  if (!events.length) {
    return [
      title,
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Nothing on it yet. Add a note with \`/cs note ${account.key} <text>\` or the *Log to account* message shortcut.`,
          },
        ],
      },
    ];
  }
  const lines = events.map((e) => `${slackDate(e.at, zone)} · ${eventLine(e)}`);
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
export const lastTouchLine = (note: { author: string; at: Date } | null, now: Date) =>
  note ? `Last note ${relative(note.at, now)} by ${who(note.author)}.` : 'No notes yet.';

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
  source: NoteSource;
  text: string;
  accounts: Array<{ key: string; name: string }>;
  /** Some accounts did not fit the menu: the account is typed instead. */
  typed: boolean;
  preselected: { key: string; name: string } | null;
}): View {
  const option = (a: { key: string; name: string }) => ({
    text: plain(truncate(`${a.name} (${a.key})`, 75)),
    value: a.key,
  });
  const accountElement = opts.typed
    ? {
        type: 'plain_text_input' as const,
        action_id: NOTE.accountInput,
        placeholder: plain('The account’s key or name'),
        ...(opts.preselected && { initial_value: opts.preselected.key }),
      }
    : {
        type: 'static_select' as const,
        action_id: NOTE.accountInput,
        placeholder: plain('Pick an account'),
        options: opts.accounts.map(option),
        ...(opts.preselected && { initial_option: option(opts.preselected) }),
      };
  return {
    type: 'modal',
    callback_id: NOTE.modal,
    title: plain('Log to account'),
    submit: plain('Log'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(opts.source),
    blocks: [
      { type: 'input', block_id: NOTE.accountBlock, label: plain('Account'), element: accountElement },
      {
        type: 'input',
        block_id: NOTE.textBlock,
        label: plain('Note'),
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
            text: `From ${who(opts.source.author)}’s message in <#${opts.source.channel}>. Only the CS team sees the timeline; nothing is posted in the channel.`,
          },
        ],
      },
    ],
  };
}

/** A modal that only says something: a refusal, a portfolio without accounts, or the note logged. */
export const noticeModal = (text: string): View => ({
  type: 'modal',
  title: plain('Log to account'),
  close: plain('Close'),
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});
