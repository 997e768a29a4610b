import type { Button, KnownBlock, Overflow, View } from '@slack/types';
import type { AlertMessageData } from '../../domain/alerts.ts';
import { trendArrow } from '../../domain/health.ts';
import type { HomeData } from '../../domain/home.ts';
import type { CsmRollup } from '../../domain/retention-metrics.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { ACCOUNT, ACCOUNTS_PAGE } from '../constants.ts';
import { alertHeadline, homeIncidentActions } from './alert.ts';
import { BAND_EMOJI, escapeMrkdwn, meetingTime, slackDate, truncate } from './format.ts';
import {
  calendarDateIn,
  countIn,
  mentionIn,
  moneyIn,
  percentIn,
  scoreTextIn,
  signedIn,
} from './locale-format.ts';

const SECTION_MAX = 3000;

/** Each entry does the thing in a modal (see account-actions.ts): the Home has no channel to answer in. */
function accountMenu(key: string, locale: Locale): Overflow {
  const option = (what: string, text: string) => ({
    text: { type: 'plain_text' as const, text },
    value: `${what}:${key}`,
  });
  return {
    type: 'overflow',
    action_id: ACCOUNT.homeMenu,
    options: [
      option('card', t(locale, 'label.healthCard')),
      option('milestone', t(locale, 'label.logMilestone')),
      option('review', t(locale, 'label.scheduleReview')),
    ],
  };
}

const text = (t: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(t, SECTION_MAX) },
});
const note = (t: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(t, SECTION_MAX) }],
});
const moreNote = (locale: Locale, shown: number, total: number, hint: string) =>
  total > shown
    ? [note(`${t(locale, 'home.more', { count: countIn(locale, total - shown) })}${hint ? ` ${hint}` : ''}`)]
    : [];

/** Where the accounts shown sit among all of them, and the buttons that turn the page. */
function accountPages(locale: Locale, offset: number, shown: number, total: number): KnownBlock[] {
  const more = total - offset - shown;
  if (more <= 0 && offset === 0) return [];
  const buttons: Button[] = [];
  if (more > 0) {
    buttons.push({
      type: 'button',
      action_id: ACCOUNT.homeNext,
      text: { type: 'plain_text', text: t(locale, 'home.next', { count: Math.min(more, ACCOUNTS_PAGE) }) },
      value: String(offset + shown),
    });
  }
  if (offset > 0) {
    buttons.push({
      type: 'button',
      action_id: ACCOUNT.homeFirst,
      text: { type: 'plain_text', text: t(locale, 'home.first', { count: ACCOUNTS_PAGE }) },
      value: '0',
    });
  }
  const pages = t(locale, 'home.pages', {
    from: countIn(locale, offset + 1),
    to: countIn(locale, offset + shown),
    total: countIn(locale, total),
  });
  return [
    note(more > 0 ? `${pages} ${t(locale, 'home.pagesRed')}` : pages),
    { type: 'actions', elements: buttons },
  ];
}

/**
 * One open incident: its account, headline (and how many other causes), state and owner, then the same
 * Acknowledge, Snooze, Resolve and Assign as its message.
 */
function incidentBlocks(incident: AlertMessageData, locale: Locale): KnownBlock[] {
  const others = incident.otherCauses?.filter((c) => c.status !== 'resolved').length ?? 0;
  const owner = incident.assigneeSlackId
    ? mentionIn(locale, incident.assigneeSlackId)
    : `_${t(locale, 'label.nobody')}_`;
  return [
    text(
      `*${escapeMrkdwn(incident.account.name)}* ${alertHeadline(incident.cause, locale)}${
        others ? ` ${t(locale, 'label.andMore', { count: countIn(locale, others) })}` : ''
      }${
        incident.status === 'open'
          ? ''
          : ` _(${t(locale, 'home.incident.status', { status: incident.status })})_`
      } · ${t(locale, 'home.incident.ownedBy', { owner })}`,
    ),
    homeIncidentActions(incident, locale),
  ];
}

/** CSMs shown on a lead's Home; the rest are counted. */
const CSM_LINES = 15;

/** A CS lead's roll-up: one line per CSM, accounts, ARR, bands, last month's NRR, open alerts. */
function csmLines(csms: CsmRollup[], locale: Locale): KnownBlock[] {
  const line = (c: CsmRollup) => {
    const arr =
      c.arr.map((a) => moneyIn(locale, a.amount, a.currency)).join(' + ') || moneyIn(locale, 0, null);
    const bands = (['red', 'yellow', 'green', 'none'] as const)
      .filter((b) => c.bands[b])
      .map((b) => `${BAND_EMOJI[b]} ${countIn(locale, c.bands[b])}`)
      .join(' ');
    return t(locale, 'home.csmLine', {
      owner: c.owner ? mentionIn(locale, c.owner) : `_${t(locale, 'home.noOwner')}_`,
      accounts: c.accounts,
      arr,
      bands,
      nrr: percentIn(locale, c.nrr),
      incidents: c.openIncidents,
    });
  };
  const shown = csms.slice(0, CSM_LINES);
  const rest = csms.length - shown.length;
  return [
    text(
      truncate(
        `*${t(locale, 'home.byCsm')}*\n${shown.map(line).join('\n')}${
          rest ? `\n_${t(locale, 'label.andMoreLine', { count: countIn(locale, rest) })}_` : ''
        }`,
        SECTION_MAX,
      ),
    ),
    { type: 'divider' },
  ];
}

/**
 * The App Home: the person's book of business (the whole portfolio for a CS lead), worst first, each
 * account with a menu for its health card, a milestone or a review; then their open incidents (two
 * blocks each: the line and its buttons), next reviews and overdue milestones. At most 25 accounts, 8
 * incidents and about 20 other blocks: ~65, within a view's 100. Only its person sees it: `locale` is
 * their Slack locale.
 */
export function homeView(
  data: HomeData,
  opts: { now: Date; timezone: string; locale: Locale; offset?: number },
): View {
  const { locale } = opts;
  const offset = opts.offset ?? 0;
  const { counts } = data;
  const lead = data.scope === 'portfolio';
  const summary = [
    t(locale, 'home.summary', {
      accounts: data.accounts.total,
      red: BAND_EMOJI.red,
      redCount: countIn(locale, counts.red),
      yellow: BAND_EMOJI.yellow,
      yellowCount: countIn(locale, counts.yellow),
      green: BAND_EMOJI.green,
      greenCount: countIn(locale, counts.green),
    }),
    ...(counts.no_data
      ? [t(locale, 'home.summaryNoData', { none: BAND_EMOJI.none, count: countIn(locale, counts.no_data) })]
      : []),
    t(locale, 'home.updated', { at: slackDate(opts.now, opts.timezone) }),
  ];
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: t(locale, lead ? 'home.title.portfolio' : 'home.title.mine') },
    },
    note(summary.join(' · ')),
  ];

  if (data.csms?.length) blocks.push(...csmLines(data.csms, locale));

  if (!data.accounts.items.length) {
    blocks.push(text(t(locale, lead ? 'home.noAccounts.portfolio' : 'home.noAccounts.mine')));
  } else {
    blocks.push(text(t(locale, lead ? 'home.worstFirst.portfolio' : 'home.worstFirst.mine')));
    for (const a of data.accounts.items) {
      const trend =
        a.change7d === null
          ? ''
          : ` ${t(locale, 'home.trend', { arrow: trendArrow(a.change7d), change: signedIn(locale, a.change7d) })}`;
      const flags = a.openFlags
        ? ` · :rotating_light: ${t(locale, 'home.openFlags', { count: a.openFlags })}`
        : '';
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `${BAND_EMOJI[a.band ?? 'none']} *${escapeMrkdwn(a.name)}* \`${a.key}\` ${scoreTextIn(locale, a.score, a.band)}${trend}${flags}`,
            SECTION_MAX,
          ),
        },
        accessory: accountMenu(a.key, locale),
      });
    }
    blocks.push(...accountPages(locale, offset, data.accounts.items.length, data.accounts.total));
  }

  blocks.push({ type: 'divider' });
  const { incidents, reviews, overdueMilestones } = data;
  blocks.push(
    text(
      `*${t(locale, lead ? 'home.incidents.portfolio' : 'home.incidents.mine')}* · ${countIn(locale, incidents.total)}${
        incidents.items.length ? '' : `\n${t(locale, 'home.incidents.none')}`
      }`,
    ),
    ...incidents.items.flatMap((incident) => incidentBlocks(incident, locale)),
    ...moreNote(locale, incidents.items.length, incidents.total, t(locale, 'home.incidents.hint')),
    text(
      `*${t(locale, 'home.reviews')}* · ${countIn(locale, reviews.total)}\n${
        reviews.items.length
          ? reviews.items
              .map(
                (r) =>
                  `*${escapeMrkdwn(r.name)}* ${t(locale, 'label.reviewShort', { kind: r.kind })} ${meetingTime(new Date(r.startsAt), r.timezone)}`,
              )
              .join('\n')
          : t(locale, 'home.reviews.none')
      }`,
    ),
    ...moreNote(locale, reviews.items.length, reviews.total, ''),
    text(
      `*${t(locale, 'home.milestones')}* · ${countIn(locale, overdueMilestones.total)}\n${
        overdueMilestones.items.length
          ? overdueMilestones.items
              .map(
                (m) =>
                  `*${escapeMrkdwn(m.name)}* ${escapeMrkdwn(m.title)} ${t(locale, 'home.milestones.plannedFor', { date: calendarDateIn(locale, m.plannedFor) })}`,
              )
              .join('\n')
          : t(locale, 'home.milestones.none')
      }`,
    ),
    ...moreNote(
      locale,
      overdueMilestones.items.length,
      overdueMilestones.total,
      t(locale, 'home.milestones.hint'),
    ),
  );
  return { type: 'home', blocks };
}
