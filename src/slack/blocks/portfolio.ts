import type { KnownBlock } from '@slack/types';
import type { Band } from '../../domain/health.ts';
import type { HomeAccount } from '../../domain/home.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { ACCOUNT, ACCOUNTS_PAGE } from '../constants.ts';
import { BAND_EMOJI, escapeMrkdwn, truncate } from './format.ts';
import { countIn, mentionIn, signedIn } from './locale-format.ts';

export interface PortfolioRow extends HomeAccount {
  ownerSlackId: string | null;
}

export interface PortfolioData {
  band?: Band;
  /** Accounts before this page (0 for the first). */
  offset?: number;
  total: number;
  counts: Record<Band | 'no_data', number>;
  accounts: PortfolioRow[];
  locale: Locale;
}

const line = (a: PortfolioRow, locale: Locale) =>
  t(locale, 'portfolio.line', {
    emoji: BAND_EMOJI[a.band ?? 'none'],
    name: escapeMrkdwn(a.name),
    key: a.key,
    score: a.score === null ? t(locale, 'label.noData') : `${a.score}/100`,
    change: signedIn(locale, a.change7d),
    flags: a.openFlags ? t(locale, 'portfolio.flags', { count: a.openFlags }) : '',
    owner: mentionIn(locale, a.ownerSlackId),
  });

/** `/cs accounts`: counts per band, then the accounts worst first, with "and N more" past the page. */
export function portfolioBlocks(data: PortfolioData): KnownBlock[] {
  const { counts, locale } = data;
  const n = (value: number) => countIn(locale, value);
  const summary = `${t(locale, 'portfolio.summary', { red: n(counts.red), yellow: n(counts.yellow), green: n(counts.green) })}${
    counts.no_data ? t(locale, 'portfolio.summary.noData', { count: n(counts.no_data) }) : ''
  }`;
  const band = data.band ?? 'all';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: t(locale, 'portfolio.title', { band }) } },
    { type: 'section', text: { type: 'mrkdwn', text: summary } },
  ];
  if (!data.accounts.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: t(locale, 'portfolio.empty', { band }) } });
    return blocks;
  }
  // Sections hold 3,000 characters: pack lines into as few sections as fit.
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const account of data.accounts) {
    const text = truncate(line(account, locale), 500);
    if ([...chunk, text].join('\n').length > 3000) flush();
    chunk.push(text);
  }
  flush();
  const offset = data.offset ?? 0;
  const more = data.total - offset - data.accounts.length;
  if (more > 0 || offset > 0) {
    const shown = t(locale, 'portfolio.shown', {
      from: n(offset + 1),
      to: n(offset + data.accounts.length),
      total: n(data.total),
    });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            more > 0
              ? t(locale, 'portfolio.more', { shown, more: n(more) })
              : t(locale, 'portfolio.end', { shown }),
        },
      ],
    });
  }
  if (more > 0) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACCOUNT.portfolioNext,
          text: {
            type: 'plain_text',
            text: t(locale, 'portfolio.next', { count: Math.min(more, ACCOUNTS_PAGE) }),
          },
          value: JSON.stringify({
            ...(data.band && { band: data.band }),
            offset: offset + data.accounts.length,
          }),
        },
      ],
    });
  }
  return blocks;
}
