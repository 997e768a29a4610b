import type { KnownBlock, PlainTextOption, SectionBlock } from '@slack/types';
import type { HealthAlertRecord } from '../../domain/alerts.ts';
import type { BillingFlag } from '../../domain/billing-flags.ts';
import {
  type AccountRef,
  DIGEST_TOP,
  type Digest,
  type RedFlag,
  type Shown,
  type SurveyFigures,
} from '../../domain/digest.ts';
import type { ResponseLine, ResponseTimes, Spread } from '../../domain/response-times.ts';
import type { DigestRetention } from '../../domain/retention-metrics.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { ACCOUNT } from '../constants.ts';
import { alertHeadline } from './alert.ts';
import { BAND_EMOJI, escapeMrkdwn, meetingTime, slackDate, truncate } from './format.ts';
import {
  calendarDateIn,
  countIn,
  mentionIn,
  moneyIn,
  percentIn,
  signedIn,
  weekOfIn,
} from './locale-format.ts';

/*
 * The weekly digest goes to a channel, read by the whole team: every word in `locale`, PULSE_LOCALE.
 */

/** Block Kit: a section's text holds 3,000 characters, an option's text 75. */
const SECTION_MAX = 3000;
const OPTION_MAX = 75;

const name = (a: AccountRef) => `*${escapeMrkdwn(a.name)}*`;
const more = (locale: Locale, list: Shown<unknown>) =>
  list.more ? `\n_${t(locale, 'digest.more', { count: countIn(locale, list.more) })}_` : '';

/** A health-card menu for the accounts a section lists: choosing one opens that account's card. */
function cardMenu(accounts: AccountRef[], locale: Locale): SectionBlock['accessory'] | undefined {
  const seen = new Set<string>();
  const options: PlainTextOption[] = [];
  for (const a of accounts) {
    if (seen.has(a.key)) continue;
    seen.add(a.key);
    options.push({ text: { type: 'plain_text', text: truncate(a.name, OPTION_MAX) }, value: a.key });
  }
  if (!options.length) return undefined;
  return {
    type: 'static_select',
    action_id: ACCOUNT.healthCard,
    placeholder: { type: 'plain_text', text: t(locale, 'digest.cardMenu') },
    options,
  };
}

function section(locale: Locale, text: string, accounts: AccountRef[] = []): SectionBlock {
  const accessory = cardMenu(accounts, locale);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) },
    ...(accessory && { accessory }),
  };
}

/** The flag in one line, in mrkdwn: billing with its amount, health with its rule, the others by kind. */
export function flagHeadline(flag: RedFlag, locale: Locale = 'en'): string {
  if (flag.kind === 'billing') {
    const detail = flag.detail as unknown as Omit<BillingFlag, 'occurredAt'> & { occurredAt: string };
    return alertHeadline(
      { kind: 'billing', flag: { ...detail, occurredAt: new Date(detail.occurredAt) } },
      locale,
    );
  }
  if (flag.kind === 'entered_red' || flag.kind === 'fell_fast' || flag.kind === 'renewal_at_risk') {
    return alertHeadline({ kind: 'health', health: flag.detail as unknown as HealthAlertRecord }, locale);
  }
  return t(locale, 'digest.flag.kind', { kind: flag.kind });
}

function surveyLine(locale: Locale, label: string, f: SurveyFigures): string {
  const nps =
    f.nps === null
      ? t(locale, 'digest.nps.none')
      : t(locale, 'digest.nps', { nps: signedIn(locale, f.nps), count: f.npsResponses });
  const csat =
    f.csat === null
      ? t(locale, 'digest.csat.none')
      : t(locale, 'digest.csat', { csat: `${countIn(locale, f.csat)}%`, count: f.csatResponses });
  return `${label}: ${nps} · ${csat}`;
}

const bandOf = (b: Digest['bands'][number]) => (b.band === 'no_data' ? 'none' : b.band);

/** Plain text of the digest: the notification and what screen readers say. */
export const digestText = (d: Digest, locale: Locale) =>
  t(locale, 'digest.text', {
    bands: d.bands
      .filter((b) => b.band !== 'no_data' || b.count)
      .map((b) => t(locale, 'digest.bandCount', { count: countIn(locale, b.count), band: b.band }))
      .join(', '),
    flags: d.flags.openCount,
  });

/** Month to date against last month, and the ARR of red and yellow accounts (docs/retention.md). */
function retentionLine(r: DigestRetention, locale: Locale): string {
  const [now, last] = [r.monthToDate, r.lastMonth];
  const others = r.otherCurrencies.length
    ? ` · ${t(locale, 'digest.retention.otherCurrencies', { currencies: r.otherCurrencies.map(escapeMrkdwn).join(', ') })}`
    : '';
  const atRisk = (band: 'red' | 'yellow') =>
    `${BAND_EMOJI[band]} ${moneyIn(locale, r.arrAtRisk[band].arr, r.currency)} (${t(locale, 'label.accounts', { count: r.arrAtRisk[band].accounts })})`;
  return [
    t(locale, 'digest.retention', {
      nrr: percentIn(locale, now.nrr),
      lastNrr: percentIn(locale, last.nrr),
      grr: percentIn(locale, now.grr),
      lastGrr: percentIn(locale, last.grr),
      churn: percentIn(locale, now.logo_churn_rate),
      lastChurn: percentIn(locale, last.logo_churn_rate),
      mrr: moneyIn(locale, now.mrrEnd, r.currency),
    }),
    `${t(locale, 'digest.arrAtRisk')} · ${atRisk('red')}  ${atRisk('yellow')}${others}`,
  ].join('\n');
}

/** The digest message: one section per subject, each account in it reachable through its health-card menu. */
export function digestBlocks(d: Digest, opts: { timezone: string; locale: Locale }): KnownBlock[] {
  const { locale } = opts;
  const n = (value: number) => countIn(locale, value);
  const week = weekOfIn(locale, d.weekStart, opts.timezone);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t(locale, 'digest.title', { week }) } },
  ];

  const bands = d.bands
    .filter((b) => b.band !== 'no_data' || b.count || b.change)
    .map(
      (b) =>
        `${BAND_EMOJI[bandOf(b)]} *${n(b.count)}* ${t(locale, 'label.band', { band: b.band })} (${signedIn(locale, b.change)})`,
    )
    .join('   ');
  // The accounts in red by name, worst first: a count alone hides which customers are at risk.
  const red = d.red.items.length
    ? `\n${BAND_EMOJI.red} ${d.red.items.map((a) => `${name(a)} ${a.score}`).join(', ')}${
        d.red.more ? ` ${t(locale, 'digest.more', { count: n(d.red.more) })}` : ''
      }`
    : '';
  blocks.push(
    section(
      locale,
      `${t(locale, 'digest.portfolio', { accounts: d.accounts })}\n${bands}${red}`,
      d.red.items,
    ),
  );

  const moverLine = (m: Digest['movers']['up']['items'][number]) =>
    `${name(m)} ${m.score}/100 (${signedIn(locale, m.change)})`;
  const { up, down } = d.movers;
  blocks.push(
    section(
      locale,
      `*${t(locale, 'digest.moversUp')}*\n${up.items.length ? up.items.map(moverLine).join('\n') : t(locale, 'digest.moversUp.none')}${more(locale, up)}`,
      up.items,
    ),
    section(
      locale,
      `*${t(locale, 'digest.moversDown')}*\n${down.items.length ? down.items.map(moverLine).join('\n') : t(locale, 'digest.moversDown.none')}${more(locale, down)}`,
      down.items,
    ),
    { type: 'divider' },
  );

  const { flags } = d;
  const amounts = flags.billingAmounts.map((a) => moneyIn(locale, a.amount, a.currency)).join(' + ');
  const flagLine = (f: RedFlag) =>
    `${f.isNew ? ':new: ' : ''}${name(f)} ${flagHeadline(f, locale)}${
      f.status === 'open' ? '' : ` _(${t(locale, 'digest.flag.status', { status: f.status })})_`
    }`;
  const billing = flags.billing
    ? ` · :credit_card: ${t(locale, 'digest.flags.billing', { count: flags.billing })}${amounts ? ` (${amounts})` : ''}`
    : '';
  blocks.push(
    section(
      locale,
      `${t(locale, 'digest.flags', { open: flags.openCount, fresh: flags.newThisWeek })}${billing}\n${
        flags.open.items.length ? flags.open.items.map(flagLine).join('\n') : t(locale, 'digest.flags.none')
      }${more(locale, flags.open)}`,
      flags.open.items,
    ),
    section(
      locale,
      `*${t(locale, 'digest.sentiment')}*\n${surveyLine(locale, t(locale, 'digest.sentiment.week'), d.surveys.week)}\n${surveyLine(locale, t(locale, 'digest.sentiment.quarter'), d.surveys.last90Days)}`,
    ),
    { type: 'divider' },
  );

  const { reviews, renewals } = d;
  blocks.push(
    section(
      locale,
      `${t(locale, 'digest.reviews', { in30: n(reviews.within30), in60: n(reviews.within60) })}\n${
        reviews.upcoming.items.length
          ? reviews.upcoming.items
              .map(
                (r) =>
                  `${name(r)} ${t(locale, 'label.reviewShort', { kind: r.kind })} ${meetingTime(new Date(r.startsAt), r.timezone)}`,
              )
              .join('\n')
          : t(locale, 'digest.reviews.none')
      }${more(locale, reviews.upcoming)}`,
      reviews.upcoming.items,
    ),
    section(
      locale,
      `${t(locale, 'digest.overdue', { count: n(reviews.overdue.items.length + reviews.overdue.more) })}\n${
        reviews.overdue.items.length
          ? reviews.overdue.items
              .map(
                (r) =>
                  `${name(r)} ${t(locale, 'digest.overdue.line', { date: calendarDateIn(locale, r.dueOn), days: r.daysOverdue })}`,
              )
              .join('\n')
          : t(locale, 'digest.overdue.none')
      }${more(locale, reviews.overdue)}`,
      reviews.overdue.items,
    ),
    section(
      locale,
      `${t(locale, 'digest.renewals', { in30: n(renewals.within30), in60: n(renewals.within60) })}\n${
        renewals.upcoming.items.length
          ? renewals.upcoming.items
              .map(
                (r) =>
                  `${BAND_EMOJI[r.band ?? 'none']} ${name(r)} ${calendarDateIn(locale, r.renewalDate)}${
                    r.mrr === null
                      ? ''
                      : ` · ${t(locale, 'digest.renewals.perMonth', { amount: moneyIn(locale, r.mrr, r.currency) })}`
                  }`,
              )
              .join('\n')
          : t(locale, 'digest.renewals.none')
      }${more(locale, renewals.upcoming)}`,
      renewals.upcoming.items,
    ),
    { type: 'divider' },
  );

  if (d.retention) blocks.push(section(locale, retentionLine(d.retention, locale)), { type: 'divider' });

  const { reached, firstValue, portfolioTtfv } = d.milestones;
  blocks.push(
    section(
      locale,
      `${t(locale, 'digest.milestones', { count: n(reached.items.length + reached.more) })}${reached.items.length ? ' :tada:' : ''}\n${
        reached.items.length
          ? reached.items.map((m) => `:trophy: ${name(m)} ${escapeMrkdwn(m.title)}`).join('\n')
          : t(locale, 'digest.milestones.none')
      }${more(locale, reached)}`,
      reached.items,
    ),
    section(
      locale,
      [
        `${t(locale, 'digest.ttfv', { count: firstValue.count })}${
          firstValue.medianDays === null
            ? ''
            : `, ${t(locale, 'digest.ttfv.median', { days: firstValue.medianDays })}`
        }`,
        ...firstValue.items.map((f) => `${name(f)} ${t(locale, 'label.days', { days: f.ttfvDays })}`),
        ...(firstValue.more ? [`_${t(locale, 'digest.more', { count: n(firstValue.more) })}_`] : []),
        portfolioTtfv.medianDays === null
          ? t(locale, 'digest.ttfv.portfolioNone')
          : t(locale, 'digest.ttfv.portfolio', {
              days: portfolioTtfv.medianDays,
              accounts: portfolioTtfv.accounts,
            }),
      ].join('\n'),
      firstValue.items,
    ),
    ...responseSection(d.responseTimes, locale),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: t(locale, 'digest.footer', { at: slackDate(new Date(d.asOf), opts.timezone) }),
        },
      ],
    },
  );
  return blocks;
}

/** "45 min", "5 h", "3 d": a response time rounded to what a team lead reads at a glance. */
function duration(ms: number | null): string {
  if (ms === null) return '–';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
}

const spreadText = (s: Spread) => (s.count ? `${duration(s.medianMs)} · ${duration(s.p90Ms)}` : '–');

/** Time to acknowledge and to resolve, per CSM and per tier (median · p90), the most incidents first. */
function responseSection(figures: ResponseTimes | undefined, locale: Locale): KnownBlock[] {
  if (!figures) return [];
  const line = (who: string, l: ResponseLine) =>
    t(locale, 'digest.response.line', {
      who,
      count: l.incidents,
      acknowledge: spreadText(l.acknowledge),
      resolve: spreadText(l.resolve),
    });
  const csms = figures.byCsm.slice(0, DIGEST_TOP);
  const text = figures.byCsm.length
    ? [
        t(locale, 'digest.response', { days: figures.days }),
        ...csms.map((l) => line(l.who ? mentionIn(locale, l.who) : t(locale, 'digest.response.nobody'), l)),
        ...(figures.byCsm.length > csms.length
          ? [`_${t(locale, 'digest.more', { count: countIn(locale, figures.byCsm.length - csms.length) })}_`]
          : []),
        ...figures.byTier.map((l) => line(`_${l.who!.replace('_', '-')}_`, l)),
      ]
    : [t(locale, 'digest.response.none', { days: figures.days })];
  return [{ type: 'divider' }, section(locale, text.join('\n'))];
}
