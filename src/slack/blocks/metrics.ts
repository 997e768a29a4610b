import type { KnownBlock } from '@slack/types';
import type { HealthBacktest } from '../../domain/health-backtest.ts';
import type { RetentionMetrics } from '../../domain/retention-metrics.ts';
import { BAND_EMOJI, calendarDate, escapeMrkdwn, mention, money } from './format.ts';

const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`);
const days = (n: number | null) => (n === null ? 'n/a' : `${n} days`);
const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/**
 * `/cs metrics`: the period's retention figures with the previous period's beside them, ARR at risk and
 * the renewals due, time to onboard, NPS and CSAT. The chart follows in the person's DM.
 */
export function metricsBlocks(m: RetentionMetrics, owner: string | undefined): KnownBlock[] {
  const [now, before] = [m.current, m.previous];
  const cur = now.currency;
  const cash = (amount: number | null) => money(amount, cur);
  const row = (label: string, value: (r: typeof now) => string) =>
    `${label}: *${value(now)}*  (${escapeMrkdwn(m.previousPeriod.label)}: ${value(before)})`;
  const to = m.period.to;
  const scope = owner ? ` for ${mention(owner)}'s accounts` : '';

  const bridge = [
    row('MRR at the start → end', (r) => `${cash(r.mrr.start)} → ${cash(r.mrr.end)}`),
    row(
      'New + reactivated',
      (r) => `${cash(r.mrr.new + r.mrr.reactivation)} (${r.accounts.new + r.accounts.reactivated})`,
    ),
    row('Expansion', (r) => `${cash(r.mrr.expansion)} (${r.accounts.expanded})`),
    row('Contraction', (r) => `${cash(r.mrr.contraction)} (${r.accounts.contracted})`),
    row('Churned', (r) => `${cash(r.mrr.churned)} (${r.accounts.churned})`),
  ];
  const ratios = [
    row('NRR', (r) => percent(r.nrr)),
    row('GRR', (r) => percent(r.grr)),
    row('Logo churn', (r) => percent(r.logo_churn_rate)),
    row('Expansion rate', (r) => percent(r.expansion_rate)),
    row('ARPA', (r) => cash(r.arpa)),
    row('LTV', (r) => (r.ltv === null ? 'n/a (no churn)' : cash(r.ltv))),
    row('Time to onboard (median)', (r) => days(r.time_to_onboard.median_days)),
  ];
  const risk = now.arr_at_risk;
  const renewals = risk.renewals.map((w) => {
    const bands = (['red', 'yellow', 'green', 'none'] as const).filter((b) => w[b].accounts > 0);
    const total = bands.reduce((n, b) => n + w[b].accounts, 0);
    const detail = bands.map((b) => `${BAND_EMOJI[b]} ${w[b].accounts} (${cash(w[b].arr)})`).join('  ');
    return `Within ${w.within_days} days: ${plural(total, 'renewal')}${detail ? `  ${detail}` : ''}`;
  });
  const { nps, csat } = m.surveys;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `Retention: ${m.period.label}`.slice(0, 150) },
    },
    context(
      `${calendarDate(m.period.from)} to ${calendarDate(to)}${scope}, in ${cur}; beside each figure, ${escapeMrkdwn(m.previousPeriod.label)}.`,
    ),
    section(bridge.join('\n')),
    section(ratios.join('\n')),
    section(
      [
        `*ARR at risk now*: ${BAND_EMOJI.red} ${cash(risk.red.arr)} (${plural(risk.red.accounts, 'account')})  ${BAND_EMOJI.yellow} ${cash(risk.yellow.arr)} (${plural(risk.yellow.accounts, 'account')})`,
        ...renewals,
      ].join('\n'),
    ),
    section(
      `*NPS* ${nps.value ?? 'n/a'} (${plural(nps.responses, 'answer')})  *CSAT* ${csat.value === null ? 'n/a' : `${csat.value}%`} (${plural(csat.responses, 'answer')}), surveys sent in the period`,
    ),
  ];
  const notes = [':bar_chart: The last 12 months are charted in your DM with Pulse.'];
  if (m.otherCurrencies.length) {
    notes.push(
      `Accounts also bill in ${m.otherCurrencies.map(escapeMrkdwn).join(', ')}: not converted; add the currency, e.g. \`/cs metrics ${m.otherCurrencies[0]}\`.`,
    );
  }
  blocks.push(context(notes.join(' ')));
  return blocks;
}

/** The answer's text: what a notification or a screen reader says. */
export const metricsText = (m: RetentionMetrics) =>
  `Retention ${m.period.label}: NRR ${percent(m.current.nrr)}, GRR ${percent(m.current.grr)}, logo churn ${percent(m.current.logo_churn_rate)}.`;

/** `/cs metrics backtest`: whether the health score saw the churn coming. */
export function backtestBlocks(b: HealthBacktest): KnownBlock[] {
  const c = b.churned;
  const byBand = (['red', 'yellow', 'green'] as const)
    .map((band) => {
      const r = b.churn_rate_by_band[band];
      return `${BAND_EMOJI[band]} ${percent(r.churn_rate)} of ${plural(r.accounts, 'account')}`;
    })
    .join('  ');
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Did the health score predict churn?' } },
    section(
      `Of ${plural(c.accounts, 'account')} churned in the last 12 months, ${c.scored} had a score ${b.horizon_days} days before: *${percent(c.red_share)}* were red, *${percent(c.red_or_yellow_share)}* red or yellow.`,
    ),
    section(`Churned since ${calendarDate(b.band_day)}, by the band they were in that day: ${byBand}`),
    context(
      'A score that predicts churn has a high red share and a red churn rate well above green. Tune the weights and bands with this.',
    ),
  ];
}

export const backtestText = (b: HealthBacktest) =>
  `Health back-test (${b.horizon_days} days): ${percent(b.churned.red_share)} of churned accounts were red before.`;
