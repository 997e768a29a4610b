import type { ActionsBlock, Button, KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { type ComponentChange, DEFAULT_HEALTH_ALERT_THRESHOLDS } from '../../domain/alert-rules.ts';
import type { AlertCause, AlertMessageData, HealthAlertRecord, RedFlagKind } from '../../domain/alerts.ts';
import { ACTION, BLOCK, CALLBACK, SNOOZE_DAYS } from '../constants.ts';
import {
  BAND_EMOJI,
  calendarDate,
  escapeMrkdwn,
  inlineCode,
  mention,
  money,
  scoreText,
  signed,
  truncate,
} from './format.ts';
import { componentLabel, FLAG_LABEL, flagLine, freshness } from './health-card.ts';

const RED_FLAG_LABEL: Record<RedFlagKind, string> = {
  detractor: 'NPS detractor',
  low_csat: 'Low CSAT',
  no_first_value: 'No first value',
  review_overdue: 'Success review overdue',
  urgent_ticket: 'Urgent ticket open over 24 h',
};

/** Why the method counts it as a red flag, for the alert's context line. */
const RED_FLAG_RULE: Record<RedFlagKind, string> = {
  detractor: 'Sentiment red flag: an NPS answer of 0–6.',
  low_csat: 'Sentiment red flag: a CSAT answer of 2 or less.',
  no_first_value: 'Outcomes red flag: no success milestone reached in the expected time.',
  review_overdue: 'Relationship red flag: the success review is overdue for the tier.',
  urgent_ticket:
    'Support red flag: an urgent ticket open more than 24 hours on a high-touch or exclusive account.',
};

/** Everything an alert message shows; built by the store from the alert, its account and its health. */
export const RESOLVE_NOTE_MAX = 500;

/** "Entered red: 48/100 (was 56)", "Fell 18 points in 7 days (66 → 48)", "Renewal in 41 days (…) while yellow". */
function healthHeadline(h: HealthAlertRecord): string {
  switch (h.kind) {
    case 'entered_red':
      return `Entered red: ${h.score}/100${h.previousScore === null ? '' : ` (was ${h.previousScore})`}`;
    case 'fell_fast':
      return `Fell ${h.fall} points in ${DEFAULT_HEALTH_ALERT_THRESHOLDS.fallWindowDays} days (${h.peakScore} → ${h.score})`;
    case 'renewal_at_risk': {
      const days = h.daysToRenewal === 1 ? '1 day' : `${h.daysToRenewal} days`;
      return `Renewal in ${days} (${calendarDate(h.renewalDate)}) while ${h.band}`;
    }
  }
}

/** The alert message names the components that moved most, not every one. */
const CHANGES_SHOWN = 3;

/** "Usage 80 → 40 (−40) · Billing 100 → 60 (−40)": what changed, the biggest fall first. */
export function changesLine(changes: ComponentChange[]): string {
  if (!changes.length) return 'No component changed.';
  const side = (n: number | null) => (n === null ? 'no data' : String(n));
  return changes
    .slice(0, CHANGES_SHOWN)
    .map(
      (c) =>
        `${escapeMrkdwn(componentLabel(c))} ${side(c.from)} → ${side(c.to)}${c.change === null ? '' : ` (${signed(c.change)})`}`,
    )
    .join(' · ');
}

/** "Payment failed: $1,200.00, due Mon 30 Nov 2026": what happened, in one line. */
export function alertHeadline(cause: AlertCause): string {
  if (cause.kind === 'health') return healthHeadline(cause.health);
  if (cause.kind === 'red_flag')
    return `${RED_FLAG_LABEL[cause.redFlag.kind]}: ${escapeMrkdwn(cause.redFlag.headline)}`;
  const { flag } = cause;
  const parts: string[] = [];
  if (flag.amount !== null) parts.push(money(flag.amount, flag.currency));
  if (flag.dueDate) parts.push(`due ${calendarDate(flag.dueDate)}`);
  if (flag.cardExpiresAt) parts.push(`card expires ${calendarDate(flag.cardExpiresAt)}`);
  return parts.length ? `${FLAG_LABEL[flag.type]}: ${parts.join(', ')}` : FLAG_LABEL[flag.type];
}

/** The message's top-level text: Slack's notification, so escaped like the blocks. */
export function alertText(alert: AlertMessageData): string {
  const more = alert.otherCauses?.filter((c) => c.status !== 'resolved').length ?? 0;
  return `${escapeMrkdwn(alert.account.name)}: ${alertHeadline(alert.cause)}${more ? ` (and ${more} more)` : ''}`;
}

/** An incident's other causes, one line each, most severe first; a resolved one says so. */
function otherCausesBlock(alert: AlertMessageData): KnownBlock[] {
  if (!alert.otherCauses?.length) return [];
  const lines = alert.otherCauses.map((c) =>
    [
      `• ${alertHeadline(c.cause)}${c.status === 'resolved' ? ' :white_check_mark: resolved' : ''}`,
      ...factLines(c.cause).map((line) => `    ${line}`),
    ].join('\n'),
  );
  return [{ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Also*\n${lines.join('\n')}`, 3000) } }];
}

const causeLine = (cause: AlertCause) =>
  cause.kind === 'billing'
    ? flagLine(cause.flag)
    : cause.kind === 'health'
      ? changesLine(cause.health.changes)
      : RED_FLAG_RULE[cause.redFlag.kind];

/** A red flag's facts, one per line ("*Comment*: …"); they are the capability's words, so escaped. */
const factLines = (cause: AlertCause) =>
  cause.kind === 'red_flag'
    ? cause.redFlag.facts.map((f) => `*${escapeMrkdwn(f.label)}*: ${escapeMrkdwn(f.value)}`)
    : [];

function factsBlock(cause: AlertCause): KnownBlock[] {
  const lines = factLines(cause);
  if (!lines.length) return [];
  return [{ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } }];
}

const by = (userId: string | null) => (userId === 'pulse' || !userId ? 'Pulse' : mention(userId));
const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');
const day = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL HH:mm');

/** "Acknowledged by <@U…> at 14:05": the alert's state, or null while nobody has acted. */
export function alertStatusLine(alert: AlertMessageData, zone: string): string | null {
  const at = alert.statusAt;
  if (!at) return null;
  // Only Pulse puts an alert back to open: its snooze ended and the condition still holds.
  if (alert.status === 'open') return `:alarm_clock: Snooze ended ${day(at, zone)}: ${stillLine(alert)}`;
  if (alert.status === 'acknowledged')
    return `:eyes: Acknowledged by ${by(alert.statusBy)} at ${clock(at, zone)}`;
  if (alert.status === 'snoozed')
    return `:zzz: Snoozed by ${by(alert.statusBy)} until ${day(alert.snoozedUntil ?? at, zone)}`;
  const note = alert.resolutionNote ? `: ${escapeMrkdwn(alert.resolutionNote)}` : '';
  return `:white_check_mark: Resolved by ${by(alert.statusBy)} at ${clock(at, zone)}${note}`;
}

/** What still holds when a snooze ends, in the cause's terms. */
function stillLine(alert: AlertMessageData): string {
  switch (alert.cause.kind) {
    case 'billing':
      return 'still open, no payment has cleared it.';
    case 'health':
      return `the condition still holds (${scoreText(alert.score, alert.band)}).`;
    case 'red_flag':
      return 'still open, nobody has resolved it.';
  }
}

const button = (actionId: string, text: string, value: string, style?: 'primary'): Button => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text },
  value,
  ...(style && { style }),
});

/** Block Kit's limit on a button's text. */
const BUTTON_TEXT_MAX = 75;

/**
 * What to do about a cause, as a button, when there is one: schedule the overdue review, log the first
 * milestone, open the ticket in Zendesk, open the customer in Stripe (when linked), reply to a detractor
 * (a DM when they are in Slack, else the account's channel, which may be shared with the customer).
 * Opening a modal reuses the App Home's account
 * actions (`review:<key>`, `milestone:<key>`).
 */
function nextStep(cause: AlertCause, account: AlertMessageData['account']): Button | undefined {
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'review_overdue')
    return button(ACTION.alertScheduleReview, 'Schedule review', `review:${account.key}`);
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'no_first_value')
    return button(ACTION.alertLogMilestone, 'Log a milestone', `milestone:${account.key}`);
  if (cause.kind === 'red_flag' && cause.redFlag.link)
    return {
      type: 'button',
      action_id: ACTION.alertOpenSource,
      text: { type: 'plain_text', text: cause.redFlag.link.text },
      url: cause.redFlag.link.url,
    };
  if (
    cause.kind === 'billing' &&
    (cause.flag.type === 'payment_failed' || cause.flag.type === 'invoice_overdue') &&
    account.stripeCustomerId
  )
    return {
      type: 'button',
      action_id: ACTION.alertOpenStripe,
      text: { type: 'plain_text', text: 'Open in Stripe' },
      url: `https://dashboard.stripe.com/customers/${encodeURIComponent(account.stripeCustomerId)}`,
    };
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'detractor' && cause.redFlag.contact) {
    const to = cause.redFlag.contact.slackUserId ?? account.channelId;
    if (!to) return undefined;
    return {
      type: 'button',
      action_id: ACTION.alertReply,
      text: { type: 'plain_text', text: truncate(`Reply to ${cause.redFlag.contact.name}`, BUTTON_TEXT_MAX) },
      // Slack's redirect opens the conversation with that ID in the reader's client: a DM for a user.
      url: `https://slack.com/app_redirect?channel=${encodeURIComponent(to)}`,
    };
  }
  return undefined;
}

/** The next steps of the incident's unresolved causes, most severe first, each once. */
function nextSteps(alert: AlertMessageData): Button[] {
  const causes = [
    alert.cause,
    ...(alert.otherCauses ?? []).filter((c) => c.status !== 'resolved').map((c) => c.cause),
  ];
  const steps = new Map<string, Button>();
  for (const cause of causes) {
    const step = nextStep(cause, alert.account);
    if (step) steps.set(step.action_id + (step.value ?? ''), step);
  }
  return [...steps.values()];
}

type Control = ActionsBlock['elements'][number];

/** Acknowledge, Snooze, Resolve and Assign, as the incident's state allows; the message and the App Home share them. */
function controls(alert: AlertMessageData) {
  const id = String(alert.id);
  const open = alert.status !== 'resolved';
  const acknowledge: Control[] =
    alert.status === 'open' || alert.status === 'snoozed'
      ? [button(ACTION.alertAcknowledge, 'Acknowledge', id, 'primary')]
      : [];
  const snooze: Control[] = open
    ? [
        {
          type: 'static_select',
          action_id: ACTION.alertSnooze,
          placeholder: { type: 'plain_text', text: 'Snooze' },
          options: SNOOZE_DAYS.map((days) => ({
            text: { type: 'plain_text', text: days === 1 ? '1 day' : `${days} days` },
            value: `${id}:${days}`,
          })),
        },
      ]
    : [];
  // Not `danger`: resolving is the good outcome, and Slack paints danger red.
  const resolve: Control[] = open ? [button(ACTION.alertResolve, 'Resolve', id)] : [];
  const assign: Control[] = open
    ? [
        {
          type: 'users_select',
          action_id: ACTION.alertAssign,
          placeholder: { type: 'plain_text', text: 'Assign to…' },
          ...(alert.assigneeSlackId && { initial_user: alert.assigneeSlackId }),
        },
      ]
    : [];
  return { acknowledge, snooze, resolve, assign };
}

/** The buttons that still make sense: a resolved alert only keeps its health card. */
function alertActions(alert: AlertMessageData): ActionsBlock {
  const c = controls(alert);
  const elements: Control[] = [
    ...c.acknowledge,
    ...(alert.status === 'resolved' ? [] : nextSteps(alert)),
    ...c.snooze,
    ...c.resolve,
    button(ACTION.alertHealthCard, 'Health card', String(alert.id)),
    ...c.assign,
  ];
  return { type: 'actions', block_id: BLOCK.alertActions, elements };
}

/**
 * An open incident's controls on the App Home, as on its message. The block's id names the incident's
 * alert (`BLOCK.homeIncidentPrefix` + id): the Assign select carries no value, and a view's block ids
 * must differ.
 */
export function homeIncidentActions(alert: AlertMessageData): ActionsBlock {
  const c = controls(alert);
  return {
    type: 'actions',
    block_id: `${BLOCK.homeIncidentPrefix}${alert.id}`,
    elements: [...c.acknowledge, ...c.snooze, ...c.resolve, ...c.assign],
  };
}

/** The alert message; the same builder renders every later state of it (chat.update replaces it whole). */
export function alertBlocks(alert: AlertMessageData, opts: { now: Date; timezone: string }): KnownBlock[] {
  const { account } = alert;
  const icon = alert.status === 'resolved' ? ':white_check_mark:' : ':rotating_light:';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${icon} *${escapeMrkdwn(account.name)}*: ${alertHeadline(alert.cause)}`, 3000),
      },
      fields: [
        { type: 'mrkdwn', text: `*Tier*\n${account.tier.replace('_', '-')}` },
        { type: 'mrkdwn', text: `*MRR*\n${money(account.mrr, account.currency)}` },
        { type: 'mrkdwn', text: `*Owner*\n${mention(account.ownerSlackId)}` },
        {
          type: 'mrkdwn',
          text: `*Renewal*\n${account.renewalDate ? calendarDate(account.renewalDate) : 'not set'}`,
        },
        {
          type: 'mrkdwn',
          text: `*Health*\n${BAND_EMOJI[alert.band ?? 'none']} ${scoreText(alert.score, alert.band)}`,
        },
        { type: 'mrkdwn', text: `*Account*\n${inlineCode(account.key)}` },
      ],
    },
    ...factsBlock(alert.cause),
    ...otherCausesBlock(alert),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: truncate(causeLine(alert.cause), 3000) },
        { type: 'mrkdwn', text: freshness(alert.dataAsOf, opts.now, opts.timezone) },
      ],
    },
  ];
  const status = alertStatusLine(alert, opts.timezone);
  if (status) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(status, 3000) } });
  blocks.push(alertActions(alert));
  return blocks;
}

/** Where the Resolve modal's answer goes: the alert, and the message to update. */
export interface ResolveContext {
  alertId: number;
  channel: string;
  ts: string;
  /** Opened from the App Home: the person's Home is published again once resolved. */
  home?: boolean;
}

export function resolveModal(alert: AlertMessageData, context: ResolveContext): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.alertResolveModal,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: 'Resolve alert' },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${escapeMrkdwn(alert.account.name)}*: ${alertHeadline(alert.cause)}`, 3000),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.resolveNote,
        label: { type: 'plain_text', text: 'What was done?' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.resolveNote,
          multiline: true,
          max_length: RESOLVE_NOTE_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. Card updated by the customer; invoice paid.' },
        },
      },
    ],
  };
}

const hours = (n: number) => (n === 1 ? '1 hour' : `${n} hours`);

/** The owner's DM when nobody acted on an alert in time: what it is and where to find it. */
export const escalationDmText = (alert: AlertMessageData, channel: string, afterHours: number) =>
  `:rotating_light: Nobody has acted on this alert for ${hours(afterHours)}: *${escapeMrkdwn(alert.account.name)}*: ${alertHeadline(alert.cause)}. It is in <#${channel}>; ${
    alert.assigneeSlackId && alert.assigneeSlackId !== alert.account.ownerSlackId
      ? 'it is assigned to you.'
      : 'you own this account.'
  }`;

/** The thread reply of an escalation: whoever owns the incident (its assignee, else the account's owner) was told. */
export const escalationReplyText = (alert: AlertMessageData, afterHours: number) => {
  const owner = alert.assigneeSlackId === undefined ? alert.account.ownerSlackId : alert.assigneeSlackId;
  return `:rotating_light: Escalated: nobody acted on this alert for ${hours(afterHours)}. ${
    owner ? `${mention(owner)} was sent a direct message.` : 'The account has no owner to notify.'
  }`;
};

/** A CS lead's DM when an incident is still unacknowledged after its owner's escalation. */
export const leadEscalationDmText = (alert: AlertMessageData, channel: string, afterHours: number) =>
  `:rotating_light: Still unacknowledged ${hours(afterHours)} after its owner was told: *${escapeMrkdwn(alert.account.name)}*: ${alertHeadline(alert.cause)}. It is in <#${channel}>; you are a CS lead.`;

/** The thread reply of the second escalation, to the CS leads. */
export const leadEscalationReplyText = (leads: readonly string[], afterHours: number) =>
  `:rotating_light: Escalated to the CS leads: still unacknowledged ${hours(afterHours)} after the owner was told. ${leads
    .map((lead) => mention(lead))
    .join(', ')} ${leads.length === 1 ? 'was' : 'were'} sent a direct message.`;

/**
 * The thread reply when a snooze ends and the alert is open again; it is also broadcast to the channel,
 * where it stands alone, so it names the account.
 */
export const snoozeOverReplyText = (alert: AlertMessageData) =>
  `:alarm_clock: Snooze over, still open: *${escapeMrkdwn(alert.account.name)}*: ${alertHeadline(alert.cause)}.`;

/** The thread reply when a cause joins an open incident: what was added (the message shows it too). */
export const addedReplyText = (alert: AlertMessageData) =>
  `:heavy_plus_sign: Added to this incident: ${alertHeadline(alert.cause)}.`;

/** The thread reply of an assignment: the one place the new assignee is mentioned. */
export const assignedReplyText = (assignee: string, by: string) =>
  `:bust_in_silhouette: ${mention(by)} assigned this incident to ${mention(assignee)}.`;
