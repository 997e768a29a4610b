import type { Button, KnownBlock, Overflow, View } from '@slack/types';
import type { AlertMessageData } from '../../domain/alerts.ts';
import { trendArrow } from '../../domain/health.ts';
import type { HomeData } from '../../domain/home.ts';
import type { CsmRollup } from '../../domain/retention-metrics.ts';
import { ACCOUNT, ACCOUNTS_PAGE } from '../constants.ts';
import { alertHeadline, homeIncidentActions } from './alert.ts';
import {
  BAND_EMOJI,
  calendarDate,
  count,
  counted,
  escapeMrkdwn,
  meetingTime,
  mention,
  money,
  scoreText,
  signed,
  slackDate,
  truncate,
} from './format.ts';

const SECTION_MAX = 3000;

/** Each entry does the thing in a modal (see account-actions.ts): the Home has no channel to answer in. */
function accountMenu(key: string): Overflow {
  const option = (what: string, text: string) => ({
    text: { type: 'plain_text' as const, text },
    value: `${what}:${key}`,
  });
  return {
    type: 'overflow',
    action_id: ACCOUNT.homeMenu,
    options: [
      option('card', 'Health card'),
      option('milestone', 'Log a milestone'),
      option('review', 'Schedule a review'),
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
const moreNote = (shown: number, total: number, hint: string) =>
  total > shown ? [note(`…and ${count(total - shown)} more. ${hint}`)] : [];

/** Where the accounts shown sit among all of them, and the buttons that turn the page. */
function accountPages(offset: number, shown: number, total: number): KnownBlock[] {
  const more = total - offset - shown;
  if (more <= 0 && offset === 0) return [];
  const buttons: Button[] = [];
  if (more > 0) {
    buttons.push({
      type: 'button',
      action_id: ACCOUNT.homeNext,
      text: { type: 'plain_text', text: `Next ${Math.min(more, ACCOUNTS_PAGE)}` },
      value: String(offset + shown),
    });
  }
  if (offset > 0) {
    buttons.push({
      type: 'button',
      action_id: ACCOUNT.homeFirst,
      text: { type: 'plain_text', text: `First ${ACCOUNTS_PAGE}` },
      value: '0',
    });
  }
  return [
    note(
      `Accounts ${count(offset + 1)}–${count(offset + shown)} of ${count(total)}.${
        more > 0 ? ' `/cs accounts red` lists every red account.' : ''
      }`,
    ),
    { type: 'actions', elements: buttons },
  ];
}

/**
 * One open incident: its account, headline (and how many other causes), state and owner, then the same
 * Acknowledge, Snooze, Resolve and Assign as its message.
 */
function incidentBlocks(incident: AlertMessageData): KnownBlock[] {
  const others = incident.otherCauses?.filter((c) => c.status !== 'resolved').length ?? 0;
  const owner = incident.assigneeSlackId ? mention(incident.assigneeSlackId) : '_nobody_';
  return [
    text(
      `*${escapeMrkdwn(incident.account.name)}* ${alertHeadline(incident.cause)}${others ? ` (and ${count(others)} more)` : ''}${
        incident.status === 'open' ? '' : ` _(${incident.status})_`
      } · owned by ${owner}`,
    ),
    homeIncidentActions(incident),
  ];
}

/** CSMs shown on a lead's Home; the rest are counted. */
const CSM_LINES = 15;

/** A CS lead's roll-up: one line per CSM, accounts, ARR, bands, last month's NRR, open alerts. */
function csmLines(csms: CsmRollup[]): KnownBlock[] {
  const line = (c: CsmRollup) => {
    const arr = c.arr.map((a) => money(a.amount, a.currency)).join(' + ') || money(0, null);
    const bands = (['red', 'yellow', 'green', 'none'] as const)
      .filter((b) => c.bands[b])
      .map((b) => `${BAND_EMOJI[b]} ${count(c.bands[b])}`)
      .join(' ');
    const nrr = c.nrr === null ? 'n/a' : `${(c.nrr * 100).toFixed(1)}%`;
    return `${c.owner ? mention(c.owner) : '_no owner_'} · ${counted(c.accounts, 'account')} · ARR ${arr} · ${bands} · NRR last month ${nrr} · ${counted(c.openIncidents, 'open incident')}`;
  };
  const shown = csms.slice(0, CSM_LINES);
  const rest = csms.length - shown.length;
  return [
    text(
      truncate(
        `*By CSM*\n${shown.map(line).join('\n')}${rest ? `\n_…and ${count(rest)} more_` : ''}`,
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
 * incidents and about 20 other blocks: ~65, within a view's 100.
 */
export function homeView(data: HomeData, opts: { now: Date; timezone: string; offset?: number }): View {
  const offset = opts.offset ?? 0;
  const { counts } = data;
  const lead = data.scope === 'portfolio';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: lead ? 'Portfolio health' : 'Your book of business' },
    },
    note(
      `${counted(data.accounts.total, 'active account')} · ${BAND_EMOJI.red} ${count(counts.red)} red · ${BAND_EMOJI.yellow} ${count(counts.yellow)} yellow · ${BAND_EMOJI.green} ${count(counts.green)} green${
        counts.no_data ? ` · ${BAND_EMOJI.none} ${count(counts.no_data)} no data` : ''
      } · updated ${slackDate(opts.now, opts.timezone)}`,
    ),
  ];

  if (data.csms?.length) blocks.push(...csmLines(data.csms));

  if (!data.accounts.items.length) {
    blocks.push(
      text(
        lead
          ? 'No active accounts yet.'
          : 'You own no active accounts. Accounts name their owner in `owner_slack_id` (ingestion API or CSV import); `/cs accounts` shows the whole portfolio.',
      ),
    );
  } else {
    blocks.push(text(lead ? '*Worst first*' : '*Your accounts*, worst first'));
    for (const a of data.accounts.items) {
      const trend = a.change7d === null ? '' : ` ${trendArrow(a.change7d)} ${signed(a.change7d)} in 7 days`;
      const flags = a.openFlags ? ` · :rotating_light: ${counted(a.openFlags, 'open flag')}` : '';
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `${BAND_EMOJI[a.band ?? 'none']} *${escapeMrkdwn(a.name)}* \`${a.key}\` ${scoreText(a.score, a.band)}${trend}${flags}`,
            SECTION_MAX,
          ),
        },
        accessory: accountMenu(a.key),
      });
    }
    blocks.push(...accountPages(offset, data.accounts.items.length, data.accounts.total));
  }

  blocks.push({ type: 'divider' });
  const { incidents, reviews, overdueMilestones } = data;
  blocks.push(
    text(
      `*${lead ? 'Open incidents' : 'Your open incidents'}* · ${count(incidents.total)}${incidents.items.length ? '' : '\nNone open. :tada:'}`,
    ),
    ...incidents.items.flatMap(incidentBlocks),
    ...moreNote(
      incidents.items.length,
      incidents.total,
      'Each incident is in its channel, with its buttons.',
    ),
    text(
      `*Next success reviews* · ${count(reviews.total)}\n${
        reviews.items.length
          ? reviews.items
              .map(
                (r) =>
                  `*${escapeMrkdwn(r.name)}* ${r.kind.toUpperCase()} ${meetingTime(new Date(r.startsAt), r.timezone)}`,
              )
              .join('\n')
          : "None scheduled. *Schedule a review* in an account's menu, or `/cs rts <account>`, books one."
      }`,
    ),
    ...moreNote(reviews.items.length, reviews.total, ''),
    text(
      `*Overdue milestones* · ${count(overdueMilestones.total)}\n${
        overdueMilestones.items.length
          ? overdueMilestones.items
              .map(
                (m) =>
                  `*${escapeMrkdwn(m.name)}* ${escapeMrkdwn(m.title)} (planned for ${calendarDate(m.plannedFor)})`,
              )
              .join('\n')
          : 'None: every planned milestone is on time.'
      }`,
    ),
    ...moreNote(
      overdueMilestones.items.length,
      overdueMilestones.total,
      '`/cs milestones <account>` shows a success plan.',
    ),
  );
  return { type: 'home', blocks };
}
