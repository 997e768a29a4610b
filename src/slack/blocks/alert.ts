import type { ActionsBlock, Button, KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { type ComponentChange, DEFAULT_HEALTH_ALERT_THRESHOLDS } from '../../domain/alert-rules.ts';
import type { AlertCause, AlertMessageData, HealthAlertRecord } from '../../domain/alerts.ts';
import type { BillingFlag } from '../../domain/billing-flags.ts';
import { DAY } from '../../domain/time.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { ACTION, BLOCK, CALLBACK, SNOOZE_DAYS } from '../constants.ts';
import { BAND_EMOJI, escapeMrkdwn, inlineCode, slackDate, truncate } from './format.ts';
import { componentLabel } from './health-card.ts';
import {
  calendarDateIn,
  dayTimeIn,
  mentionIn,
  moneyIn,
  relativeIn,
  scoreTextIn,
  signedIn,
} from './locale-format.ts';

/** Everything an alert message shows; built by the store from the alert, its account and its health. */
export const RESOLVE_NOTE_MAX = 500;

/** Data older than this is called stale: silence is not health. */
const STALE_AFTER_MS = 3 * DAY;

/** "Entered red: 48/100 (was 56)", "Fell 18 points in 7 days (66 → 48)", "Renewal in 41 days (…) while yellow". */
function healthHeadline(h: HealthAlertRecord, locale: Locale): string {
  switch (h.kind) {
    case 'entered_red':
      return h.previousScore === null
        ? t(locale, 'alert.health.enteredRed', { score: h.score })
        : t(locale, 'alert.health.enteredRedFrom', { score: h.score, previous: h.previousScore });
    case 'fell_fast':
      return t(locale, 'alert.health.fellFast', {
        fall: h.fall,
        days: DEFAULT_HEALTH_ALERT_THRESHOLDS.fallWindowDays,
        peak: h.peakScore,
        score: h.score,
      });
    case 'renewal_at_risk':
      return t(locale, 'alert.health.renewalAtRisk', {
        days: h.daysToRenewal,
        date: calendarDateIn(locale, h.renewalDate),
        band: h.band,
      });
  }
}

/** The alert message names the components that moved most, not every one. */
const CHANGES_SHOWN = 3;

/** "Usage 80 → 40 (−40) · Billing 100 → 60 (−40)": what changed, the biggest fall first. */
export function changesLine(changes: ComponentChange[], locale: Locale = 'en'): string {
  if (!changes.length) return t(locale, 'alert.changes.none');
  const side = (n: number | null) => (n === null ? t(locale, 'label.noData') : String(n));
  return changes
    .slice(0, CHANGES_SHOWN)
    .map(
      (c) =>
        `${escapeMrkdwn(componentLabel(locale, c))} ${side(c.from)} → ${side(c.to)}${c.change === null ? '' : ` (${signedIn(locale, c.change)})`}`,
    )
    .join(' · ');
}

/** A billing flag's amount and dates: "$1,200.00, due Mon 30 Nov 2026". */
function billingParts(flag: BillingFlag, locale: Locale): string[] {
  const parts: string[] = [];
  if (flag.amount !== null) parts.push(moneyIn(locale, flag.amount, flag.currency));
  if (flag.dueDate)
    parts.push(t(locale, 'alert.billing.due', { date: calendarDateIn(locale, flag.dueDate) }));
  if (flag.cardExpiresAt)
    parts.push(t(locale, 'alert.billing.cardExpires', { date: calendarDateIn(locale, flag.cardExpiresAt) }));
  return parts;
}

/** "Payment failed: $1,200.00, due Mon 30 Nov 2026": what happened, in one line. */
export function alertHeadline(cause: AlertCause, locale: Locale = 'en'): string {
  if (cause.kind === 'health') return healthHeadline(cause.health, locale);
  if (cause.kind === 'red_flag')
    return `${t(locale, 'label.redFlag', { kind: cause.redFlag.kind })}: ${escapeMrkdwn(cause.redFlag.headline)}`;
  const { flag } = cause;
  const label = t(locale, 'label.billingFlag', { type: flag.type });
  const parts = billingParts(flag, locale);
  return parts.length ? `${label}: ${parts.join(', ')}` : label;
}

/** The message's top-level text: Slack's notification, so escaped like the blocks. */
export function alertText(alert: AlertMessageData, locale: Locale = 'en'): string {
  const more = alert.otherCauses?.filter((c) => c.status !== 'resolved').length ?? 0;
  return `${escapeMrkdwn(alert.account.name)}: ${alertHeadline(alert.cause, locale)}${more ? ` ${t(locale, 'label.andMore', { count: more })}` : ''}`;
}

/** An incident's other causes, one line each, most severe first; a resolved one says so. */
function otherCausesBlock(alert: AlertMessageData, locale: Locale): KnownBlock[] {
  if (!alert.otherCauses?.length) return [];
  const lines = alert.otherCauses.map((c) =>
    [
      `• ${alertHeadline(c.cause, locale)}${c.status === 'resolved' ? ` :white_check_mark: ${t(locale, 'alert.causeResolved')}` : ''}`,
      ...factLines(c.cause).map((line) => `    ${line}`),
    ].join('\n'),
  );
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*${t(locale, 'alert.also')}*\n${lines.join('\n')}`, 3000) },
    },
  ];
}

/** A billing flag in one line: "*Payment failed* · $1,200.00 · due Mon 30 Nov 2026 · since …". */
function flagLine(flag: BillingFlag, locale: Locale): string {
  return [
    `*${t(locale, 'label.billingFlag', { type: flag.type })}*`,
    ...billingParts(flag, locale),
    t(locale, 'alert.billing.since', {
      date: calendarDateIn(locale, flag.occurredAt.toISOString().slice(0, 10)),
    }),
  ].join(' · ');
}

const causeLine = (cause: AlertCause, locale: Locale) =>
  cause.kind === 'billing'
    ? flagLine(cause.flag, locale)
    : cause.kind === 'health'
      ? changesLine(cause.health.changes, locale)
      : t(locale, 'alert.rule', { kind: cause.redFlag.kind });

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

/**
 * "Data as of …": the instant as Slack's date token, so each reader sees it in their own zone (the
 * fallback is written in `zone`), and how long ago.
 */
export function freshnessLine(dataAsOf: Date | null, now: Date, zone: string, locale: Locale): string {
  if (!dataAsOf) return t(locale, 'alert.freshness.none');
  const when = `${slackDate(dataAsOf, zone)} (${relativeIn(locale, dataAsOf, now)})`;
  return +now - +dataAsOf > STALE_AFTER_MS
    ? t(locale, 'alert.freshness.stale', { when })
    : t(locale, 'alert.freshness.asOf', { when });
}

/** Pulse's own changes are signed with its name; a person's with their mention. */
const PULSE = 'Pulse';
const by = (locale: Locale, userId: string | null) =>
  userId === 'pulse' || !userId ? PULSE : mentionIn(locale, userId);
const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');

/** "Acknowledged by <@U…> at 14:05": the alert's state, or null while nobody has acted. */
export function alertStatusLine(alert: AlertMessageData, zone: string, locale: Locale = 'en'): string | null {
  const at = alert.statusAt;
  if (!at) return null;
  // Only Pulse puts an alert back to open: its snooze ended and the condition still holds.
  if (alert.status === 'open')
    return t(locale, 'alert.status.snoozeEnded', {
      at: dayTimeIn(locale, at, zone),
      still: stillLine(alert, locale),
    });
  if (alert.status === 'acknowledged')
    return t(locale, 'alert.status.acknowledged', { who: by(locale, alert.statusBy), time: clock(at, zone) });
  if (alert.status === 'snoozed')
    return t(locale, 'alert.status.snoozed', {
      who: by(locale, alert.statusBy),
      until: dayTimeIn(locale, alert.snoozedUntil ?? at, zone),
    });
  const note = alert.resolutionNote ? `: ${escapeMrkdwn(alert.resolutionNote)}` : '';
  return `${t(locale, 'alert.status.resolved', { who: by(locale, alert.statusBy), time: clock(at, zone) })}${note}`;
}

/** What still holds when a snooze ends, in the cause's terms. */
function stillLine(alert: AlertMessageData, locale: Locale): string {
  switch (alert.cause.kind) {
    case 'billing':
      return t(locale, 'alert.still.billing');
    case 'health':
      return t(locale, 'alert.still.health', { score: scoreTextIn(locale, alert.score, alert.band) });
    case 'red_flag':
      return t(locale, 'alert.still.redFlag');
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
function nextStep(
  cause: AlertCause,
  account: AlertMessageData['account'],
  locale: Locale,
): Button | undefined {
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'review_overdue')
    return button(
      ACTION.alertScheduleReview,
      t(locale, 'alert.button.scheduleReview'),
      `review:${account.key}`,
    );
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'no_first_value')
    return button(ACTION.alertLogMilestone, t(locale, 'label.logMilestone'), `milestone:${account.key}`);
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
      text: { type: 'plain_text', text: t(locale, 'alert.button.openStripe') },
      url: `https://dashboard.stripe.com/customers/${encodeURIComponent(account.stripeCustomerId)}`,
    };
  if (cause.kind === 'red_flag' && cause.redFlag.kind === 'detractor' && cause.redFlag.contact) {
    const to = cause.redFlag.contact.slackUserId ?? account.channelId;
    if (!to) return undefined;
    return {
      type: 'button',
      action_id: ACTION.alertReply,
      text: {
        type: 'plain_text',
        text: truncate(
          t(locale, 'alert.button.reply', { name: cause.redFlag.contact.name }),
          BUTTON_TEXT_MAX,
        ),
      },
      // Slack's redirect opens the conversation with that ID in the reader's client: a DM for a user.
      url: `https://slack.com/app_redirect?channel=${encodeURIComponent(to)}`,
    };
  }
  return undefined;
}

/** The next steps of the incident's unresolved causes, most severe first, each once. */
function nextSteps(alert: AlertMessageData, locale: Locale): Button[] {
  const causes = [
    alert.cause,
    ...(alert.otherCauses ?? []).filter((c) => c.status !== 'resolved').map((c) => c.cause),
  ];
  const steps = new Map<string, Button>();
  for (const cause of causes) {
    const step = nextStep(cause, alert.account, locale);
    if (step) steps.set(step.action_id + (step.value ?? ''), step);
  }
  return [...steps.values()];
}

type Control = ActionsBlock['elements'][number];

/** Acknowledge, Snooze, Resolve and Assign, as the incident's state allows; the message and the App Home share them. */
function controls(alert: AlertMessageData, locale: Locale) {
  const id = String(alert.id);
  const open = alert.status !== 'resolved';
  const acknowledge: Control[] =
    alert.status === 'open' || alert.status === 'snoozed'
      ? [button(ACTION.alertAcknowledge, t(locale, 'alert.button.acknowledge'), id, 'primary')]
      : [];
  const snooze: Control[] = open
    ? [
        {
          type: 'static_select',
          action_id: ACTION.alertSnooze,
          placeholder: { type: 'plain_text', text: t(locale, 'alert.button.snooze') },
          options: SNOOZE_DAYS.map((days) => ({
            text: { type: 'plain_text', text: t(locale, 'label.days', { days }) },
            value: `${id}:${days}`,
          })),
        },
      ]
    : [];
  // Not `danger`: resolving is the good outcome, and Slack paints danger red.
  const resolve: Control[] = open ? [button(ACTION.alertResolve, t(locale, 'alert.button.resolve'), id)] : [];
  const assign: Control[] = open
    ? [
        {
          type: 'users_select',
          action_id: ACTION.alertAssign,
          placeholder: { type: 'plain_text', text: t(locale, 'alert.assign') },
          ...(alert.assigneeSlackId && { initial_user: alert.assigneeSlackId }),
        },
      ]
    : [];
  return { acknowledge, snooze, resolve, assign };
}

/** The buttons that still make sense: a resolved alert only keeps its health card. */
function alertActions(alert: AlertMessageData, locale: Locale): ActionsBlock {
  const c = controls(alert, locale);
  const elements: Control[] = [
    ...c.acknowledge,
    ...(alert.status === 'resolved' ? [] : nextSteps(alert, locale)),
    ...c.snooze,
    ...c.resolve,
    button(ACTION.alertHealthCard, t(locale, 'label.healthCard'), String(alert.id)),
    ...c.assign,
  ];
  return { type: 'actions', block_id: BLOCK.alertActions, elements };
}

/**
 * An open incident's controls on the App Home, as on its message. The block's id names the incident's
 * alert (`BLOCK.homeIncidentPrefix` + id): the Assign select carries no value, and a view's block ids
 * must differ.
 */
export function homeIncidentActions(alert: AlertMessageData, locale: Locale): ActionsBlock {
  const c = controls(alert, locale);
  return {
    type: 'actions',
    block_id: `${BLOCK.homeIncidentPrefix}${alert.id}`,
    elements: [...c.acknowledge, ...c.snooze, ...c.resolve, ...c.assign],
  };
}

const field = (label: string, value: string) => ({ type: 'mrkdwn' as const, text: `*${label}*\n${value}` });

/**
 * The alert message; the same builder renders every later state of it (chat.update replaces it whole).
 * It goes to a channel: `locale` is the team's (PULSE_LOCALE).
 */
export function alertBlocks(
  alert: AlertMessageData,
  opts: { now: Date; timezone: string; locale: Locale },
): KnownBlock[] {
  const { account } = alert;
  const { locale } = opts;
  const icon = alert.status === 'resolved' ? ':white_check_mark:' : ':rotating_light:';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `${icon} *${escapeMrkdwn(account.name)}*: ${alertHeadline(alert.cause, locale)}`,
          3000,
        ),
      },
      fields: [
        field(t(locale, 'alert.field.tier'), account.tier.replace('_', '-')),
        field(t(locale, 'alert.field.mrr'), moneyIn(locale, account.mrr, account.currency)),
        field(t(locale, 'alert.field.owner'), mentionIn(locale, account.ownerSlackId)),
        field(
          t(locale, 'alert.field.renewal'),
          account.renewalDate ? calendarDateIn(locale, account.renewalDate) : t(locale, 'label.notSet'),
        ),
        field(
          t(locale, 'alert.field.health'),
          `${BAND_EMOJI[alert.band ?? 'none']} ${scoreTextIn(locale, alert.score, alert.band)}`,
        ),
        field(t(locale, 'alert.field.account'), inlineCode(account.key)),
      ],
    },
    ...factsBlock(alert.cause),
    ...otherCausesBlock(alert, locale),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: truncate(causeLine(alert.cause, locale), 3000) },
        { type: 'mrkdwn', text: freshnessLine(alert.dataAsOf, opts.now, opts.timezone, locale) },
      ],
    },
  ];
  const status = alertStatusLine(alert, opts.timezone, locale);
  if (status) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(status, 3000) } });
  blocks.push(alertActions(alert, locale));
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

/** The Resolve modal, in the language of the person who clicked. */
export function resolveModal(alert: AlertMessageData, context: ResolveContext, locale: Locale): View {
  return {
    type: 'modal',
    callback_id: CALLBACK.alertResolveModal,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: truncate(t(locale, 'alert.resolveModal.title'), 24) },
    submit: { type: 'plain_text', text: truncate(t(locale, 'alert.button.resolve'), 24) },
    close: { type: 'plain_text', text: truncate(t(locale, 'alert.resolveModal.cancel'), 24) },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `*${escapeMrkdwn(alert.account.name)}*: ${alertHeadline(alert.cause, locale)}`,
            3000,
          ),
        },
      },
      {
        type: 'input',
        block_id: BLOCK.resolveNote,
        label: { type: 'plain_text', text: t(locale, 'alert.resolveModal.label') },
        element: {
          type: 'plain_text_input',
          action_id: ACTION.resolveNote,
          multiline: true,
          max_length: RESOLVE_NOTE_MAX,
          placeholder: { type: 'plain_text', text: t(locale, 'alert.resolveModal.placeholder') },
        },
      },
    ],
  };
}

/** The owner's DM when nobody acted on an alert in time: what it is and where to find it (their locale). */
export const escalationDmText = (
  alert: AlertMessageData,
  channel: string,
  afterHours: number,
  locale: Locale,
) =>
  t(locale, 'alert.dm.escalation', {
    hours: afterHours,
    name: escapeMrkdwn(alert.account.name),
    headline: alertHeadline(alert.cause, locale),
    channel: `<#${channel}>`,
    why: alert.assigneeSlackId && alert.assigneeSlackId !== alert.account.ownerSlackId ? 'assigned' : 'owner',
  });

/** The thread reply of an escalation: whoever owns the incident (its assignee, else the account's owner) was told. */
export const escalationReplyText = (alert: AlertMessageData, afterHours: number, locale: Locale) => {
  const owner = alert.assigneeSlackId === undefined ? alert.account.ownerSlackId : alert.assigneeSlackId;
  return owner
    ? t(locale, 'alert.reply.escalated', { hours: afterHours, owner: mentionIn(locale, owner) })
    : t(locale, 'alert.reply.escalatedNoOwner', { hours: afterHours });
};

/** A CS lead's DM when an incident is still unacknowledged after its owner's escalation (their locale). */
export const leadEscalationDmText = (
  alert: AlertMessageData,
  channel: string,
  afterHours: number,
  locale: Locale,
) =>
  t(locale, 'alert.dm.leadEscalation', {
    hours: afterHours,
    name: escapeMrkdwn(alert.account.name),
    headline: alertHeadline(alert.cause, locale),
    channel: `<#${channel}>`,
  });

/** The thread reply of the second escalation, to the CS leads. */
export const leadEscalationReplyText = (leads: readonly string[], afterHours: number, locale: Locale) =>
  t(locale, 'alert.reply.escalatedToLeads', {
    hours: afterHours,
    leads: leads.map((lead) => mentionIn(locale, lead)).join(', '),
    count: leads.length,
  });

/**
 * The thread reply when a snooze ends and the alert is open again; it is also broadcast to the channel,
 * where it stands alone, so it names the account.
 */
export const snoozeOverReplyText = (alert: AlertMessageData, locale: Locale) =>
  t(locale, 'alert.reply.snoozeOver', {
    name: escapeMrkdwn(alert.account.name),
    headline: alertHeadline(alert.cause, locale),
  });

/** The thread reply when a cause joins an open incident: what was added (the message shows it too). */
export const addedReplyText = (alert: AlertMessageData, locale: Locale) =>
  t(locale, 'alert.reply.added', { headline: alertHeadline(alert.cause, locale) });

/** The thread reply of an assignment: the one place the new assignee is mentioned. */
export const assignedReplyText = (assignee: string, by: string, locale: Locale) =>
  t(locale, 'alert.reply.assigned', { by: mentionIn(locale, by), assignee: mentionIn(locale, assignee) });
