import type { KnownBlock, PlainTextOption, SectionBlock } from '@slack/types';
import { DateTime } from 'luxon';
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
import { ACCOUNT } from '../constants.ts';
import { alertHeadline } from './alert.ts';
import {
  BAND_EMOJI,
  calendarDate,
  count,
  counted,
  escapeMrkdwn,
  meetingTime,
  mention,
  money,
  signed,
  slackDate,
  truncate,
} from './format.ts';

/** Block Kit: a section's text holds 3,000 characters, an option's text 75. */
const SECTION_MAX = 3000;
const OPTION_MAX = 75;

const name = (a: AccountRef) => `*${escapeMrkdwn(a.name)}*`;
const more = (list: Shown<unknown>) => (list.more ? `\n_…and ${count(list.more)} more_` : '');

/** A health-card menu for the accounts a section lists: choosing one opens that account's card. */
function cardMenu(accounts: AccountRef[]): SectionBlock['accessory'] | undefined {
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
    placeholder: { type: 'plain_text', text: 'Health card…' },
    options,
  };
}

function section(text: string, accounts: AccountRef[] = []): SectionBlock {
  const accessory = cardMenu(accounts);
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) },
    ...(accessory && { accessory }),
  };
}

const FLAG_KIND_LABEL: Record<string, string> = {
  detractor: 'NPS detractor',
  low_csat: 'Low CSAT',
  no_first_value: 'No first value yet',
  review_overdue: 'Success review overdue',
  urgent_ticket: 'Urgent ticket open over 24 h',
};

/** The flag in one line, in mrkdwn: billing with its amount, health with its rule, the others by kind. */
export function flagHeadline(flag: RedFlag): string {
  if (flag.kind === 'billing') {
    const detail = flag.detail as unknown as Omit<BillingFlag, 'occurredAt'> & { occurredAt: string };
    return alertHeadline({ kind: 'billing', flag: { ...detail, occurredAt: new Date(detail.occurredAt) } });
  }
  if (flag.kind === 'entered_red' || flag.kind === 'fell_fast' || flag.kind === 'renewal_at_risk') {
    return alertHeadline({ kind: 'health', health: flag.detail as unknown as HealthAlertRecord });
  }
  return FLAG_KIND_LABEL[flag.kind] ?? flag.kind.replace(/_/g, ' ');
}

function surveyLine(label: string, f: SurveyFigures): string {
  const nps =
    f.nps === null ? 'NPS no answers' : `NPS *${signed(f.nps)}* (${counted(f.npsResponses, 'response')})`;
  const csat =
    f.csat === null ? 'CSAT no answers' : `CSAT *${f.csat}%* (${counted(f.csatResponses, 'response')})`;
  return `${label}: ${nps} · ${csat}`;
}

const BAND_LABEL = { red: 'red', yellow: 'yellow', green: 'green', no_data: 'no data' } as const;

/** Plain text of the digest: the notification and what screen readers say. */
export const digestText = (d: Digest) =>
  `Weekly digest: ${d.bands
    .filter((b) => b.band !== 'no_data' || b.count)
    .map((b) => `${count(b.count)} ${BAND_LABEL[b.band]}`)
    .join(', ')}; ${counted(d.flags.openCount, 'open red flag')}`;

/** The digest message: one section per subject, each account in it reachable through its health-card menu. */
const percent = (ratio: number | null) => (ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`);

/** Month to date against last month, and the ARR of red and yellow accounts (docs/retention.md). */
function retentionLine(r: DigestRetention): string {
  const [now, last] = [r.monthToDate, r.lastMonth];
  const others = r.otherCurrencies.length
    ? ` · also billed in ${r.otherCurrencies.map(escapeMrkdwn).join(', ')}: \`/cs metrics <currency>\``
    : '';
  return [
    `*Retention* · month to date: NRR ${percent(now.nrr)} (last month ${percent(last.nrr)}), GRR ${percent(now.grr)} (${percent(last.grr)}), logo churn ${percent(now.logo_churn_rate)} (${percent(last.logo_churn_rate)}) · MRR ${money(now.mrrEnd, r.currency)}`,
    `*ARR at risk* · ${BAND_EMOJI.red} ${money(r.arrAtRisk.red.arr, r.currency)} (${counted(r.arrAtRisk.red.accounts, 'account')})  ${BAND_EMOJI.yellow} ${money(r.arrAtRisk.yellow.arr, r.currency)} (${counted(r.arrAtRisk.yellow.accounts, 'account')})${others}`,
  ].join('\n');
}

export function digestBlocks(d: Digest, opts: { timezone: string }): KnownBlock[] {
  const week = DateTime.fromISO(d.weekStart, { zone: opts.timezone }).toFormat('ccc d LLL yyyy');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Weekly digest · week of ${week}` } },
  ];

  const bands = d.bands
    .filter((b) => b.band !== 'no_data' || b.count || b.change)
    .map(
      (b) =>
        `${BAND_EMOJI[b.band === 'no_data' ? 'none' : b.band]} *${count(b.count)}* ${BAND_LABEL[b.band]} (${signed(b.change)})`,
    )
    .join('   ');
  // The accounts in red by name, worst first: a count alone hides which customers are at risk.
  const red = d.red.items.length
    ? `\n${BAND_EMOJI.red} ${d.red.items.map((a) => `${name(a)} ${a.score}`).join(', ')}${
        d.red.more ? ` …and ${count(d.red.more)} more` : ''
      }`
    : '';
  blocks.push(
    section(
      `*Portfolio health* · ${counted(d.accounts, 'active account')}, change since last week\n${bands}${red}`,
      d.red.items,
    ),
  );

  const moverLine = (m: Digest['movers']['up']['items'][number]) =>
    `${name(m)} ${m.score}/100 (${signed(m.change)})`;
  const { up, down } = d.movers;
  blocks.push(
    section(
      `*Biggest movers up*\n${up.items.length ? up.items.map(moverLine).join('\n') : 'No account rose this week.'}${more(up)}`,
      up.items,
    ),
    section(
      `*Biggest movers down*\n${down.items.length ? down.items.map(moverLine).join('\n') : 'No account fell this week.'}${more(down)}`,
      down.items,
    ),
    { type: 'divider' },
  );

  const { flags } = d;
  const amounts = flags.billingAmounts.map((a) => money(a.amount, a.currency)).join(' + ');
  const flagLine = (f: RedFlag) =>
    `${f.isNew ? ':new: ' : ''}${name(f)} ${flagHeadline(f)}${f.status === 'open' ? '' : ` _(${f.status})_`}`;
  blocks.push(
    section(
      `*Red flags* · ${counted(flags.openCount, 'open flag')}, ${count(flags.newThisWeek)} new this week${
        flags.billing
          ? ` · :credit_card: ${counted(flags.billing, 'billing flag')}${amounts ? ` (${amounts})` : ''}`
          : ''
      }\n${flags.open.items.length ? flags.open.items.map(flagLine).join('\n') : 'No open red flags. :tada:'}${more(flags.open)}`,
      flags.open.items,
    ),
    section(
      `*Customer sentiment*\n${surveyLine('This week', d.surveys.week)}\n${surveyLine('Last 90 days', d.surveys.last90Days)}`,
    ),
    { type: 'divider' },
  );

  const { reviews, renewals } = d;
  blocks.push(
    section(
      `*Success reviews ahead* · ${count(reviews.within30)} in 30 days, ${count(reviews.within60)} in 60 days\n${
        reviews.upcoming.items.length
          ? reviews.upcoming.items
              .map(
                (r) => `${name(r)} ${r.kind.toUpperCase()} ${meetingTime(new Date(r.startsAt), r.timezone)}`,
              )
              .join('\n')
          : 'None scheduled.'
      }${more(reviews.upcoming)}`,
      reviews.upcoming.items,
    ),
    section(
      `*Overdue success reviews* · ${count(reviews.overdue.items.length + reviews.overdue.more)}\n${
        reviews.overdue.items.length
          ? reviews.overdue.items
              .map(
                (r) => `${name(r)} due ${calendarDate(r.dueOn)} (${counted(r.daysOverdue, 'day')} overdue)`,
              )
              .join('\n')
          : 'None: every review is on cadence.'
      }${more(reviews.overdue)}`,
      reviews.overdue.items,
    ),
    section(
      `*Renewals ahead* · ${count(renewals.within30)} in 30 days, ${count(renewals.within60)} in 60 days\n${
        renewals.upcoming.items.length
          ? renewals.upcoming.items
              .map(
                (r) =>
                  `${BAND_EMOJI[r.band ?? 'none']} ${name(r)} ${calendarDate(r.renewalDate)}${r.mrr === null ? '' : ` · ${money(r.mrr, r.currency)}/mo`}`,
              )
              .join('\n')
          : 'No renewal in the next 60 days.'
      }${more(renewals.upcoming)}`,
      renewals.upcoming.items,
    ),
    { type: 'divider' },
  );

  if (d.retention) blocks.push(section(retentionLine(d.retention)), { type: 'divider' });

  const { reached, firstValue, portfolioTtfv } = d.milestones;
  blocks.push(
    section(
      `*Milestones reached this week* · ${count(reached.items.length + reached.more)}${reached.items.length ? ' :tada:' : ''}\n${
        reached.items.length
          ? reached.items.map((m) => `:trophy: ${name(m)} ${escapeMrkdwn(m.title)}`).join('\n')
          : 'No milestone reached this week.'
      }${more(reached)}`,
      reached.items,
    ),
    section(
      [
        `*Time to first value* · ${counted(firstValue.count, 'account')} reached first value this week${
          firstValue.medianDays === null ? '' : `, median ${counted(firstValue.medianDays, 'day')}`
        }`,
        ...firstValue.items.map((f) => `${name(f)} ${counted(f.ttfvDays, 'day')}`),
        ...(firstValue.more ? [`_…and ${count(firstValue.more)} more_`] : []),
        portfolioTtfv.medianDays === null
          ? 'Portfolio median: no account has reached first value yet.'
          : `Portfolio median: ${counted(portfolioTtfv.medianDays, 'day')} over ${counted(portfolioTtfv.accounts, 'account')}`,
      ].join('\n'),
      firstValue.items,
    ),
    ...responseSection(d.responseTimes),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Figures as of ${slackDate(new Date(d.asOf), opts.timezone)}. Pick an account in a menu to open its health card; \`/cs digest\` posts this digest now.`,
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
function responseSection(figures: ResponseTimes | undefined): KnownBlock[] {
  if (!figures) return [];
  const line = (label: string, l: ResponseLine) =>
    `${label} · ${counted(l.incidents, 'incident')} · acknowledged ${spreadText(l.acknowledge)} · resolved ${spreadText(l.resolve)}`;
  const csms = figures.byCsm.slice(0, DIGEST_TOP);
  const text = figures.byCsm.length
    ? [
        `*Response times* · incidents opened in the last ${counted(figures.days, 'day')}, median · p90`,
        ...csms.map((l) => line(l.who ? mention(l.who) : 'Nobody', l)),
        ...(figures.byCsm.length > csms.length
          ? [`_…and ${count(figures.byCsm.length - csms.length)} more_`]
          : []),
        ...figures.byTier.map((l) => line(`_${l.who!.replace('_', '-')}_`, l)),
      ]
    : [`*Response times* · no incident opened in the last ${counted(figures.days, 'day')}.`];
  return [{ type: 'divider' }, section(text.join('\n'))];
}
