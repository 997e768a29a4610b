import type { KnownBlock } from '@slack/types';
import type { AlertAccount } from '../../domain/alerts.ts';
import type { BillingFlag } from '../../domain/billing-flags.ts';
import {
  type Band,
  type ComponentLabels,
  type ComponentResult,
  sparkline,
  trendArrow,
} from '../../domain/health.ts';
import { type ChannelRefusal, type OutboxRefusal, parseRefusal } from '../../domain/outbox-refusals.ts';
import { slackErrorAdvice } from '../../domain/slack-errors.ts';
import { DAY } from '../../domain/time.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { BAND_EMOJI, escapeMrkdwn, inlineCode, meetingTime, slackDate, truncate } from './format.ts';
import { type CardModel, explainedComponentLines, modelFootnote } from './health-model.ts';
import {
  calendarDateIn,
  countIn,
  mentionIn,
  moneyIn,
  relativeIn,
  scoreTextIn,
  signedIn,
} from './locale-format.ts';
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

/** A built-in component's label, or the one a model's own component carries, in the locale. */
export function componentLabel(locale: Locale, c: { component: string; label?: ComponentLabels }): string {
  return c.label ? c.label[locale] : t(locale, 'label.component', { component: c.component });
}

const n = (v: unknown) => (typeof v === 'number' ? v : null);

/** Why a component scores what it does, in the CSM's words. */
export function componentReason(c: ComponentResult, locale: Locale): string {
  if (c.score === null) return t(locale, 'label.noData');
  const d = c.detail;
  const ratio = (x: number) => (locale === 'en' ? x.toFixed(2) : x.toFixed(2).replace('.', ','));
  switch (c.component) {
    case 'usage': {
      const active = n(d.activeUsers);
      const seats = n(d.seats);
      const change = n(d.changePct);
      const level =
        active === null
          ? null
          : seats
            ? t(locale, 'component.usage.levelOfSeats', { active, seats })
            : t(locale, 'component.usage.level', { active });
      const trend =
        change === null ? null : t(locale, 'component.usage.trend', { change: signedIn(locale, change) });
      const dauMau = n(d.dauMau);
      const wauMau = n(d.wauMau);
      const mau = n(d.mau) ?? 0;
      const sticky =
        dauMau === null
          ? null
          : wauMau === null
            ? t(locale, 'component.usage.sticky', { dauMau: ratio(dauMau), mau })
            : t(locale, 'component.usage.stickyWithWau', {
                dauMau: ratio(dauMau),
                wauMau: ratio(wauMau),
                mau,
              });
      return [level, sticky, trend].filter(Boolean).join(', ');
    }
    case 'support': {
      const open = n(d.openTickets) ?? 0;
      const long = n(d.longOpenTickets) ?? 0;
      return long
        ? t(locale, 'component.support.long', { open, long })
        : t(locale, 'component.support', { open });
    }
    case 'billing': {
      const open = n(d.openFlags) ?? 0;
      return open ? t(locale, 'component.billing.open', { open }) : t(locale, 'component.billing.none');
    }
    case 'relationship': {
      const contacts = n(d.contacts);
      const champions = n(d.champions);
      const people = !contacts
        ? null
        : champions
          ? t(locale, 'component.relationship.champions', { champions })
          : t(locale, 'component.relationship.noChampion', { contacts });
      const review =
        typeof d.reviewDue !== 'string'
          ? null
          : t(
              locale,
              d.reviewOverdue
                ? 'component.relationship.reviewOverdue'
                : 'component.relationship.reviewOnCadence',
              { date: calendarDateIn(locale, d.reviewDue) },
            );
      return [people, review].filter(Boolean).join('; ');
    }
    case 'outcomes':
      return t(locale, 'component.outcomes', { reached: n(d.reached) ?? 0, overdue: n(d.overdue) ?? 0 });
    case 'sentiment':
      return t(locale, 'component.sentiment', { answers: n(d.answers) ?? 0 });
    default:
      return c.goals
        ? t(locale, 'healthModel.goalsMet', { met: n(d.met) ?? 0, judged: n(d.judged) ?? 0 })
        : t(locale, 'healthModel.value', { value: n(d.value) ?? 0 });
  }
}

/** A billing flag on one line: what, how much, due when, since when. Alerts show it too (English by default). */
export function flagLine(flag: BillingFlag, locale: Locale = 'en'): string {
  const parts = [`*${t(locale, 'card.flag', { type: flag.type })}*`];
  if (flag.amount !== null) parts.push(moneyIn(locale, flag.amount, flag.currency));
  if (flag.dueDate) parts.push(t(locale, 'card.flag.due', { date: calendarDateIn(locale, flag.dueDate) }));
  if (flag.cardExpiresAt) {
    parts.push(t(locale, 'card.flag.cardExpires', { date: calendarDateIn(locale, flag.cardExpiresAt) }));
  }
  const since = calendarDateIn(locale, flag.occurredAt.toISOString().slice(0, 10));
  parts.push(t(locale, 'card.flag.since', { date: since }));
  return parts.join(' · ');
}

/** Slack's errors that a person can fix, by the advice the catalogue gives (domain/slack-errors.ts). */
export const adviceKind = slackErrorAdvice;

const channelRefusalIn = (locale: Locale, { channel, unknown }: ChannelRefusal) =>
  unknown === undefined
    ? t(locale, 'card.undelivered.shared', { channel: `<#${channel}>` })
    : t(locale, 'card.undelivered.sharingUnknown', { channel: `<#${channel}>`, error: inlineCode(unknown) });

const refusalIn = (locale: Locale, { refused, fallback }: OutboxRefusal) =>
  channelRefusalIn(locale, refused) +
  (fallback ? t(locale, 'card.undelivered.fallback', { problem: channelRefusalIn(locale, fallback) }) : '');

/** Why an alert is missing from Slack and what to do, in plain words. */
export function undeliveredLine(line: UndeliveredAlertLine, locale: Locale = 'en'): string {
  const kind = adviceKind(line.error);
  const where = line.channel ? t(locale, 'card.undelivered.where', { channel: `<#${line.channel}>` }) : '';
  // The outbox's own refusals (a channel shared outside the workspace) say where, and are not Slack's.
  const refusal = parseRefusal(line.error);
  const reason = refusal
    ? t(locale, 'card.undelivered.refused', { reason: refusalIn(locale, refusal) })
    : kind
      ? `${t(locale, 'card.undelivered.advice', { kind })}${where}`
      : t(locale, 'card.undelivered.slackAnswered', { error: inlineCode(line.error), where });
  return `• *${truncate(line.headline, 200)}*: ${reason}`;
}

/** Why this account's alerts are not in its own channel. */
export function sharedChannelNote(
  shared: NonNullable<HealthCardData['sharedChannel']>,
  locale: Locale = 'en',
): string {
  const channel = `<#${shared.channel}>`;
  return shared.alertChannel
    ? t(locale, 'card.shared.toAlertChannel', { channel, alertChannel: `<#${shared.alertChannel}>` })
    : t(locale, 'card.shared.nowhere', { channel });
}

function undeliveredSection(lines: UndeliveredAlertLine[], locale: Locale): KnownBlock {
  const shown = lines.slice(0, UNDELIVERED_SHOWN).map((line) => undeliveredLine(line, locale));
  if (lines.length > UNDELIVERED_SHOWN) {
    shown.push(t(locale, 'label.andMoreLine', { count: lines.length - UNDELIVERED_SHOWN }));
  }
  const title = t(locale, 'card.undelivered.title', { count: lines.length });
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(`${title}\n${shown.join('\n')}`, 3000) } };
}

/**
 * "Data as of …" on the card and the alert message: the instant as Slack's date token, so each reader
 * sees it in their own zone (the fallback is written in `zone`).
 */
export function freshness(dataAsOf: Date | null, now: Date, zone: string, locale: Locale = 'en'): string {
  if (!dataAsOf) return t(locale, 'card.freshness.none');
  const when = `${slackDate(dataAsOf, zone)} (${relativeIn(locale, dataAsOf, now)})`;
  return t(locale, +now - +dataAsOf > STALE_AFTER_MS ? 'card.freshness.stale' : 'card.freshness.asOf', {
    when,
  });
}

/** The card in the reader's language: `/cs health`, the Health card buttons. */
export function healthCardBlocks(
  card: HealthCardData,
  opts: { now: Date; timezone: string; locale: Locale },
): KnownBlock[] {
  const { account } = card;
  const { locale } = opts;
  const band = card.band ?? 'none';
  const stage = t(locale, 'card.stage', { stage: account.stage });
  const renewal = account.renewalDate
    ? calendarDateIn(locale, account.renewalDate)
    : t(locale, 'label.notSet');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${account.name} (${account.key})`, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${BAND_EMOJI[band]} *${scoreTextIn(locale, card.score, card.band)}* ${trendArrow(card.change7d)}${
          account.status === 'churned' ? `  ·  ${t(locale, 'card.churned')}` : ''
        }`,
      },
      fields: [
        {
          type: 'mrkdwn',
          text: t(locale, 'card.field.tier', { tier: account.tier.replace('_', '-'), stage }),
        },
        {
          type: 'mrkdwn',
          text: t(locale, 'card.field.owner', { owner: mentionIn(locale, account.ownerSlackId) }),
        },
        {
          type: 'mrkdwn',
          text: t(locale, 'card.field.mrr', { mrr: moneyIn(locale, account.mrr, account.currency) }),
        },
        { type: 'mrkdwn', text: t(locale, 'card.field.renewal', { date: renewal }) },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: t(locale, 'card.trend', {
          sparkline: sparkline(card.weekly),
          weeks: countIn(locale, card.weekly.length),
          change7d: signedIn(locale, card.change7d),
          change30d: signedIn(locale, card.change30d),
        }),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          (card.model
            ? explainedComponentLines(card.components, card.model, {
                label: (c) => componentLabel(locale, c),
                reason: (c) => componentReason(c, locale),
              })
            : card.components.map(
                (c) =>
                  `• *${escapeMrkdwn(componentLabel(locale, c))}* ${c.score === null ? `_${t(locale, 'label.noData')}_` : `${c.score}/100`}${c.score === null ? '' : ` — ${escapeMrkdwn(componentReason(c, locale))}`}`,
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
          `${t(locale, 'card.flags.title')}\n${card.openFlags.map((f) => `• ${flagLine(f, locale)}`).join('\n')}`,
          3000,
        ),
      },
    });
  }
  if (card.surveyFigures) blocks.push(surveyFiguresSection({ ...card.surveyFigures, locale }));
  if (card.sharedChannel) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: sharedChannelNote(card.sharedChannel, locale) },
    });
  }
  if (card.undeliveredAlerts?.length) blocks.push(undeliveredSection(card.undeliveredAlerts, locale));
  if (card.openIncidents?.length) blocks.push(openIncidentsSection(card.openIncidents, locale));
  blocks.push({ type: 'actions', elements: [addToPlanButton(account.key, locale)] });
  const context = [freshness(card.dataAsOf, opts.now, opts.timezone, locale)];
  context.push(
    card.nextReviewAt
      ? t(locale, 'card.review.next', {
          when: meetingTime(card.nextReviewAt, card.nextReviewZone ?? opts.timezone),
        })
      : card.nextReviewDue
        ? t(locale, card.nextReviewOverdue ? 'card.review.overdue' : 'card.review.due', {
            date: calendarDateIn(locale, card.nextReviewDue),
          })
        : t(locale, 'card.review.none'),
  );
  if (card.lastNote !== undefined) context.push(lastTouchLine(card.lastNote, opts.now, locale));
  if (card.model) context.push(modelFootnote(card.model));
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn' as const, text })) });
  return blocks;
}

export const healthCardText = (card: HealthCardData, locale: Locale) =>
  t(locale, 'card.text', {
    name: escapeMrkdwn(card.account.name),
    score: scoreTextIn(locale, card.score, card.band),
  });

/** Who owns each open incident of the account: the people to ask, in the card itself. */
function openIncidentsSection(
  incidents: NonNullable<HealthCardData['openIncidents']>,
  locale: Locale,
): KnownBlock {
  const lines = incidents.map((i) =>
    t(locale, 'card.incidents.line', {
      headline: i.headline,
      more: i.causes > 1 ? t(locale, 'card.incidents.more', { count: i.causes - 1 }) : '',
      owner: i.ownerSlackId ? mentionIn(locale, i.ownerSlackId) : t(locale, 'label.nobody'),
    }),
  );
  const title = t(locale, 'card.incidents.title', { count: incidents.length });
  return { type: 'section', text: { type: 'mrkdwn', text: truncate([title, ...lines].join('\n'), 3000) } };
}
