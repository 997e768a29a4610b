import type { KnownBlock } from '@slack/types';
import type { Band } from '../../domain/health.ts';
import type { HomeAccount } from '../../domain/home.ts';
import { ACCOUNT, ACCOUNTS_PAGE } from '../constants.ts';
import { BAND_EMOJI, count, counted, escapeMrkdwn, mention, signed, truncate } from './format.ts';

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
}

const line = (a: PortfolioRow) =>
  `${BAND_EMOJI[a.band ?? 'none']} *${escapeMrkdwn(a.name)}* \`${a.key}\` ${a.score === null ? 'no data' : `${a.score}/100`} (7d ${signed(a.change7d)})${
    a.openFlags ? ` · :rotating_light: ${counted(a.openFlags, 'open flag')}` : ''
  } · ${mention(a.ownerSlackId)}`;

/** `/cs accounts`: counts per band, then the accounts worst first, with "and N more" past the page. */
export function portfolioBlocks(data: PortfolioData): KnownBlock[] {
  const { counts } = data;
  const summary = `${BAND_EMOJI.red} ${counts.red} red  ${BAND_EMOJI.yellow} ${counts.yellow} yellow  ${BAND_EMOJI.green} ${counts.green} green${
    counts.no_data ? `  ${BAND_EMOJI.none} ${counts.no_data} no data` : ''
  }`;
  const title = data.band
    ? `${data.band[0]!.toUpperCase()}${data.band.slice(1)} accounts`
    : 'Portfolio health';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title } },
    { type: 'section', text: { type: 'mrkdwn', text: summary } },
  ];
  if (!data.accounts.length) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: data.band ? `No ${data.band} accounts.` : 'No accounts yet.' },
    });
    return blocks;
  }
  // Sections hold 3,000 characters: pack lines into as few sections as fit.
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const account of data.accounts) {
    const text = truncate(line(account), 500);
    if ([...chunk, text].join('\n').length > 3000) flush();
    chunk.push(text);
  }
  flush();
  const offset = data.offset ?? 0;
  const more = data.total - offset - data.accounts.length;
  if (more > 0 || offset > 0) {
    const shown = `${count(offset + 1)}–${count(offset + data.accounts.length)} of ${count(data.total)}`;
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text:
            more > 0
              ? `${shown}; …and ${count(more)} more. Narrow it down with \`/cs accounts red\` or \`/cs health <account>\`.`
              : `${shown}.`,
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
          text: { type: 'plain_text', text: `Next ${Math.min(more, ACCOUNTS_PAGE)}` },
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
