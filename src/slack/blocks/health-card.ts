import type { KnownBlock } from '@slack/types';
import type { AlertAccount } from '../../domain/alerts.ts';
import type { BillingFlag, BillingFlagType } from '../../domain/billing-flags.ts';
import {
  type Band,
  type ComponentLabels,
  type ComponentResult,
  HEALTH_COMPONENTS,
  type HealthComponent,
  sparkline,
  trendArrow,
} from '../../domain/health.ts';
import { slackErrorAdvice } from '../../domain/slack-errors.ts';
import { DAY } from '../../domain/time.ts';
import {
  BAND_EMOJI,
  calendarDate,
  count,
  counted,
  escapeMrkdwn,
  inlineCode,
  meetingTime,
  mention,
  money,
  relative,
  scoreText,
  signed,
  slackDate,
  truncate,
} from './format.ts';
import { type CardModel, explainedComponentLines, modelFootnote } from './health-model.ts';
import { addToPlanButton } from './milestones.ts';
import { surveyFiguresSection } from './survey-figures.ts';
import { lastTouchLine } from './timeline.ts';

export interface HealthCardData {
  account: AlertAccount & { stage: string; status: string };
  score: number | null;
  band: Band | null;
  change7d: number | null;
  change30d: number | null;
  /** Weekly scores, oldest first. */
  weekly: Array<number | null>;
  components: ComponentResult[];
  openFlags: BillingFlag[];
  dataAsOf: Date | null;
  nextReviewAt?: Date | null;
  /** The zone the next review was scheduled in. */
  nextReviewZone?: string | null;
  /** Without a scheduled review: when the tier's cadence says the next one is due (YYYY-MM-DD). */
  nextReviewDue?: string | null;
  /** The due date has passed in the account's zone (domain/reviews.ts isReviewOverdue). */
  nextReviewOverdue?: boolean;
  /** The account's own channel, when it is shared outside the workspace, and where its alerts go instead. */
  sharedChannel?: { channel: string; alertChannel?: string };
  /** Alerts whose post Slack refused for good, oldest first: the team never saw them. */
  undeliveredAlerts?: UndeliveredAlertLine[];
  /** The account's open incidents: the headline (mrkdwn, as `alertHeadline` writes it) and who owns it. */
  openIncidents?: Array<{ headline: string; ownerSlackId: string | null; causes: number }>;
  /** NPS and CSAT of the account and the portfolio over the survey window. */
  surveyFigures?: Parameters<typeof surveyFiguresSection>[0];
  /** The account's newest note on its timeline: the last touch. */
  lastNote?: { author: string; at: Date } | null;
  /** The model that scored it: each component then shows its weight, goals are listed, the model in small print. */
  model?: CardModel;
}

export interface UndeliveredAlertLine {
  /** mrkdwn, as `alertHeadline` writes it (data in it already escaped). */
  headline: string;
  /** Slack's error, as the outbox recorded it. */
  error: string;
  /** Where the alert was to be posted. */
  channel: string | null;
}

/** Undelivered alerts listed one by one; the rest are counted, so the section stays short. */
const UNDELIVERED_SHOWN = 5;

/** Data older than this is called stale on the card: silence is not health. */
const STALE_AFTER_MS = 3 * DAY;

export const COMPONENT_LABEL: Record<HealthComponent, string> = {
  usage: 'Usage',
  outcomes: 'Outcomes',
  sentiment: 'Sentiment',
  support: 'Support',
  billing: 'Billing',
  relationship: 'Relationship',
};

export const FLAG_LABEL: Record<BillingFlagType, string> = {
  payment_failed: 'Payment failed',
  invoice_overdue: 'Invoice overdue',
  card_expiring: 'Card expiring',
  subscription_canceled: 'Subscription canceled',
  subscription_downgraded: 'Subscription downgraded',
  dispute_opened: 'Dispute opened',
};

/** A built-in component's label, or the one a model's own component carries. */
export function componentLabel(c: { component: string; label?: ComponentLabels }): string {
  if (c.label) return c.label.en;
  return HEALTH_COMPONENTS.includes(c.component as HealthComponent)
    ? COMPONENT_LABEL[c.component as HealthComponent]
    : c.component;
}

const n = (v: unknown) => (typeof v === 'number' ? v : null);

/** Why a component scores what it does, in the CSM's words. */
export function componentReason(c: ComponentResult): string {
  if (c.score === null) return 'no data';
  const d = c.detail;
  switch (c.component) {
    case 'usage': {
      const active = n(d.activeUsers);
      const seats = n(d.seats);
      const change = n(d.changePct);
      const level =
        active === null
          ? null
          : seats
            ? `${counted(active, 'active user')} a day of ${counted(seats, 'seat')}`
            : `${counted(active, 'active user')} a day`;
      const trend = change === null ? null : `${signed(change)}% vs the 4 weeks before`;
      const dauMau = n(d.dauMau);
      const wauMau = n(d.wauMau);
      const sticky =
        dauMau === null
          ? null
          : `DAU/MAU ${dauMau.toFixed(2)}${wauMau === null ? '' : `, WAU/MAU ${wauMau.toFixed(2)}`} of ${n(d.mau)} monthly users`;
      return [level, sticky, trend].filter(Boolean).join(', ');
    }
    case 'support': {
      const long = n(d.longOpenTickets) ?? 0;
      return `${counted(n(d.openTickets) ?? 0, 'open ticket')}${long ? `, ${count(long)} open for 14+ days` : ''}`;
    }
    case 'billing': {
      const open = n(d.openFlags) ?? 0;
      return open ? counted(open, 'open billing flag') : 'no open billing flag';
    }
    case 'relationship': {
      const people = !n(d.contacts)
        ? null
        : n(d.champions)
          ? `${counted(n(d.champions)!, 'champion')} in place`
          : `no champion among ${counted(n(d.contacts)!, 'contact')}`;
      const review =
        typeof d.reviewDue !== 'string'
          ? null
          : d.reviewOverdue
            ? `success review overdue (due ${calendarDate(d.reviewDue)})`
            : `success reviews on cadence (next due ${calendarDate(d.reviewDue)})`;
      return [people, review].filter(Boolean).join('; ');
    }
    case 'outcomes':
      return `${counted(n(d.reached) ?? 0, 'milestone')} reached, ${count(n(d.overdue) ?? 0)} overdue`;
    case 'sentiment':
      return `from ${n(d.answers)} recent survey answers`;
    default:
      return c.goals
        ? `${count(n(d.met) ?? 0)} of ${counted(n(d.judged) ?? 0, 'goal')} met`
        : `value ${n(d.value)}`;
  }
}

export function flagLine(flag: BillingFlag): string {
  const parts = [`*${FLAG_LABEL[flag.type]}*`];
  if (flag.amount !== null) parts.push(money(flag.amount, flag.currency));
  if (flag.dueDate) parts.push(`due ${calendarDate(flag.dueDate)}`);
  if (flag.cardExpiresAt) parts.push(`card expires ${calendarDate(flag.cardExpiresAt)}`);
  parts.push(`since ${calendarDate(flag.occurredAt.toISOString().slice(0, 10))}`);
  return parts.join(' · ');
}

/** Why an alert is missing from Slack and what to do, in plain words. */
export function undeliveredLine(line: UndeliveredAlertLine): string {
  const advice = slackErrorAdvice(line.error);
  const where = line.channel ? ` in <#${line.channel}>` : '';
  // The outbox's own refusals (a channel shared outside the workspace) say where, and are not Slack's.
  const reason = line.error.startsWith('refused: ')
    ? `Pulse did not post it: ${escapeMrkdwn(line.error.slice('refused: '.length))}`
    : advice
      ? `${advice}${where}`
      : `Slack answered ${inlineCode(line.error)}${where}`;
  return `• *${truncate(line.headline, 200)}*: ${reason}`;
}

/** Why this account's alerts are not in its own channel. */
export function sharedChannelNote(shared: NonNullable<HealthCardData['sharedChannel']>): string {
  const because = `:lock: <#${shared.channel}> is shared with the customer, so`;
  return shared.alertChannel
    ? `${because} this account's alerts go to <#${shared.alertChannel}>.`
    : `${because} Pulse posts no alerts of this account there; set CS_ALERT_CHANNEL to receive them.`;
}

function undeliveredSection(lines: UndeliveredAlertLine[]): KnownBlock {
  const shown = lines.slice(0, UNDELIVERED_SHOWN).map(undeliveredLine);
  if (lines.length > UNDELIVERED_SHOWN) shown.push(`…and ${count(lines.length - UNDELIVERED_SHOWN)} more`);
  const title = `:warning: *${counted(lines.length, 'alert')} could not be posted*`;
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(`${title}\n${shown.join('\n')}`, 3000) } };
}

/**
 * "Data as of …" on the card and the alert message: the instant as Slack's date token, so each reader
 * sees it in their own zone (the fallback is written in `zone`).
 */
export function freshness(dataAsOf: Date | null, now: Date, zone: string): string {
  if (!dataAsOf) return ':warning: No data received for this account yet.';
  const when = `${slackDate(dataAsOf, zone)} (${relative(dataAsOf, now)})`;
  return +now - +dataAsOf > STALE_AFTER_MS ? `:warning: No fresh data since ${when}.` : `Data as of ${when}.`;
}

export function healthCardBlocks(card: HealthCardData, opts: { now: Date; timezone: string }): KnownBlock[] {
  const { account } = card;
  const band = card.band ?? 'none';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${account.name} (${account.key})`, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${BAND_EMOJI[band]} *${scoreText(card.score, card.band)}* ${trendArrow(card.change7d)}${
          account.status === 'churned' ? '  ·  _churned_' : ''
        }`,
      },
      fields: [
        { type: 'mrkdwn', text: `*Tier*\n${account.tier.replace('_', '-')} · ${account.stage}` },
        { type: 'mrkdwn', text: `*Owner*\n${mention(account.ownerSlackId)}` },
        { type: 'mrkdwn', text: `*MRR*\n${money(account.mrr, account.currency)}` },
        {
          type: 'mrkdwn',
          text: `*Renewal*\n${account.renewalDate ? calendarDate(account.renewalDate) : 'not set'}`,
        },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Trend* \`${sparkline(card.weekly)}\` last ${card.weekly.length} weeks · 7 days ${signed(card.change7d)} · 30 days ${signed(card.change30d)}`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          (card.model
            ? explainedComponentLines(card.components, card.model, {
                label: componentLabel,
                reason: componentReason,
              })
            : card.components.map(
                (c) =>
                  `• *${escapeMrkdwn(componentLabel(c))}* ${c.score === null ? '_no data_' : `${c.score}/100`}${c.score === null ? '' : ` — ${escapeMrkdwn(componentReason(c))}`}`,
              )
          ).join('\n'),
          3000,
        ),
      },
    },
  ];
  if (card.openFlags.length) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `:credit_card: *Open billing flags*\n${card.openFlags.map((f) => `• ${flagLine(f)}`).join('\n')}`,
          3000,
        ),
      },
    });
  }
  if (card.surveyFigures) blocks.push(surveyFiguresSection(card.surveyFigures));
  if (card.sharedChannel)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: sharedChannelNote(card.sharedChannel) } });
  if (card.undeliveredAlerts?.length) blocks.push(undeliveredSection(card.undeliveredAlerts));
  if (card.openIncidents?.length) blocks.push(openIncidentsSection(card.openIncidents));
  blocks.push({ type: 'actions', elements: [addToPlanButton(account.key)] });
  const context = [freshness(card.dataAsOf, opts.now, opts.timezone)];
  context.push(
    card.nextReviewAt
      ? `Next success review: ${meetingTime(card.nextReviewAt, card.nextReviewZone ?? opts.timezone)}`
      : card.nextReviewDue
        ? `No success review scheduled; the next is due by ${calendarDate(card.nextReviewDue)}${card.nextReviewOverdue ? ' (overdue)' : ''}.`
        : 'No success review scheduled.',
  );
  if (card.lastNote !== undefined) context.push(lastTouchLine(card.lastNote, opts.now));
  if (card.model) context.push(modelFootnote(card.model));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn' as const, text })) });
  return blocks;
}

export const healthCardText = (card: HealthCardData) =>
  `${escapeMrkdwn(card.account.name)}: ${scoreText(card.score, card.band)}`;

/** Who owns each open incident of the account: the people to ask, in the card itself. */
function openIncidentsSection(incidents: NonNullable<HealthCardData['openIncidents']>): KnownBlock {
  const lines = incidents.map(
    (i) =>
      `• ${i.headline}${i.causes > 1 ? ` (and ${i.causes - 1} more)` : ''} · owned by ${
        i.ownerSlackId ? mention(i.ownerSlackId) : 'nobody'
      }`,
  );
  const title = `:rotating_light: *${incidents.length === 1 ? 'Open incident' : `${incidents.length} open incidents`}*`;
  return { type: 'section', text: { type: 'mrkdwn', text: truncate([title, ...lines].join('\n'), 3000) } };
}
