import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { HealthBacktest } from '../../domain/health-backtest.ts';
import type { Period } from '../../domain/metric-periods.ts';
import type { RetentionMetrics } from '../../domain/retention-metrics.ts';
import { formatPercent } from '../../i18n/format.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { BAND_EMOJI, escapeMrkdwn } from './format.ts';
import { calendarDateIn, countIn, mentionIn, moneyIn } from './locale-format.ts';

const percent = (locale: Locale, ratio: number | null) =>
  ratio === null
    ? t(locale, 'label.notAvailable')
    : locale === 'en'
      ? `${(ratio * 100).toFixed(1)}%`
      : formatPercent(locale, ratio, 1);
const days = (locale: Locale, n: number | null) =>
  n === null ? t(locale, 'label.notAvailable') : t(locale, 'met.days', { days: countIn(locale, n) });

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** How a person of the locale names the period: "December 2026" / "dezembro de 2026", "Q4 2026" / "4º tri 2026". */
export function periodLabel(locale: Locale, period: Period): string {
  if (locale === 'en') return period.label;
  const quarter = /^Q(\d) (\d{4})$/.exec(period.label);
  if (quarter) return t(locale, 'met.quarter', { quarter: quarter[1]!, year: quarter[2]! });
  if (/^\d{4}$/.test(period.label)) return period.label;
  return DateTime.fromISO(period.from, { zone: 'utc' }).setLocale(locale).toFormat("LLLL 'de' yyyy");
}

type Label =
  | 'mrr'
  | 'new'
  | 'expansion'
  | 'contraction'
  | 'churned'
  | 'nrr'
  | 'grr'
  | 'logoChurn'
  | 'expansionRate'
  | 'arpa'
  | 'ltv'
  | 'onboard';

/**
 * `/cs metrics`: the period's retention figures with the previous period's beside them, ARR at risk and
 * the renewals due, time to onboard, NPS and CSAT. The chart follows in the person's DM.
 */
export function metricsBlocks(m: RetentionMetrics, owner: string | undefined, locale: Locale): KnownBlock[] {
  const [now, before] = [m.current, m.previous];
  const cur = now.currency;
  const cash = (amount: number | null) => moneyIn(locale, amount, cur);
  const pct = (ratio: number | null) => percent(locale, ratio);
  const previous = escapeMrkdwn(periodLabel(locale, m.previousPeriod));
  const row = (label: Label, value: (r: typeof now) => string) =>
    t(locale, 'met.row', {
      label: t(locale, 'met.label', { label }),
      now: value(now),
      previous,
      before: value(before),
    });
  const n = (value: number) => countIn(locale, value);

  const bridge = [
    row('mrr', (r) => `${cash(r.mrr.start)} → ${cash(r.mrr.end)}`),
    row(
      'new',
      (r) => `${cash(r.mrr.new + r.mrr.reactivation)} (${n(r.accounts.new + r.accounts.reactivated)})`,
    ),
    row('expansion', (r) => `${cash(r.mrr.expansion)} (${n(r.accounts.expanded)})`),
    row('contraction', (r) => `${cash(r.mrr.contraction)} (${n(r.accounts.contracted)})`),
    row('churned', (r) => `${cash(r.mrr.churned)} (${n(r.accounts.churned)})`),
  ];
  const ratios = [
    row('nrr', (r) => pct(r.nrr)),
    row('grr', (r) => pct(r.grr)),
    row('logoChurn', (r) => pct(r.logo_churn_rate)),
    row('expansionRate', (r) => pct(r.expansion_rate)),
    row('arpa', (r) => cash(r.arpa)),
    row('ltv', (r) => (r.ltv === null ? t(locale, 'met.ltvNoChurn') : cash(r.ltv))),
    row('onboard', (r) => days(locale, r.time_to_onboard.median_days)),
  ];
  const risk = now.arr_at_risk;
  const renewals = risk.renewals.map((w) => {
    const bands = (['red', 'yellow', 'green', 'none'] as const).filter((b) => w[b].accounts > 0);
    const total = bands.reduce((sum, b) => sum + w[b].accounts, 0);
    const detail = bands.map((b) => `${BAND_EMOJI[b]} ${n(w[b].accounts)} (${cash(w[b].arr)})`).join('  ');
    return t(locale, 'met.renewals', {
      days: w.within_days,
      count: total,
      detail: detail ? `  ${detail}` : '',
    });
  });
  const { nps, csat } = m.surveys;
  const notAvailable = t(locale, 'label.notAvailable');
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: t(locale, 'met.header', { period: periodLabel(locale, m.period) }).slice(0, 150),
      },
    },
    context(
      t(locale, 'met.scope', {
        from: calendarDateIn(locale, m.period.from),
        to: calendarDateIn(locale, m.period.to),
        owner: owner ? t(locale, 'met.ownerScope', { owner: mentionIn(locale, owner) }) : '',
        currency: cur,
        previous,
      }),
    ),
    section(bridge.join('\n')),
    section(ratios.join('\n')),
    section(
      [
        t(locale, 'met.atRisk', {
          redArr: cash(risk.red.arr),
          red: risk.red.accounts,
          yellowArr: cash(risk.yellow.arr),
          yellow: risk.yellow.accounts,
        }),
        ...renewals,
      ].join('\n'),
    ),
    section(
      t(locale, 'met.surveys', {
        nps: nps.value === null ? notAvailable : String(nps.value),
        npsAnswers: nps.responses,
        csat: csat.value === null ? notAvailable : `${csat.value}%`,
        csatAnswers: csat.responses,
      }),
    ),
  ];
  const notes = [t(locale, 'met.chartInDm')];
  if (m.otherCurrencies.length) {
    notes.push(
      t(locale, 'met.otherCurrencies', {
        currencies: m.otherCurrencies.map(escapeMrkdwn).join(', '),
        first: m.otherCurrencies[0]!,
      }),
    );
  }
  blocks.push(context(notes.join(' ')));
  return blocks;
}

/** The answer's text: what a notification or a screen reader says. */
export const metricsText = (m: RetentionMetrics, locale: Locale) =>
  t(locale, 'met.text', {
    period: periodLabel(locale, m.period),
    nrr: percent(locale, m.current.nrr),
    grr: percent(locale, m.current.grr),
    churn: percent(locale, m.current.logo_churn_rate),
  });

/** `/cs metrics backtest`: whether the health score saw the churn coming. */
export function backtestBlocks(b: HealthBacktest, locale: Locale): KnownBlock[] {
  const c = b.churned;
  const bands = (['red', 'yellow', 'green'] as const)
    .map((band) => {
      const r = b.churn_rate_by_band[band];
      return t(locale, 'met.bt.band', {
        emoji: BAND_EMOJI[band],
        rate: percent(locale, r.churn_rate),
        accounts: r.accounts,
      });
    })
    .join('  ');
  return [
    { type: 'header', text: { type: 'plain_text', text: t(locale, 'met.bt.header') } },
    section(
      t(locale, 'met.bt.summary', {
        churned: c.accounts,
        scored: countIn(locale, c.scored),
        days: b.horizon_days,
        red: percent(locale, c.red_share),
        redOrYellow: percent(locale, c.red_or_yellow_share),
      }),
    ),
    section(t(locale, 'met.bt.byBand', { date: calendarDateIn(locale, b.band_day), bands })),
    context(t(locale, 'met.bt.advice')),
  ];
}

export const backtestText = (b: HealthBacktest, locale: Locale) =>
  t(locale, 'met.bt.text', { days: b.horizon_days, share: percent(locale, b.churned.red_share) });
