import type { KnownBlock } from '@slack/types';
import type { SurveyFigure, SurveyFigures } from '../../domain/survey-figures.ts';
import { signed } from './format.ts';

const rate = (f: SurveyFigure) =>
  f.sent === 0 ? 'none sent' : `${f.responses} of ${f.sent} answered (${f.responseRate}%)`;

/** "NPS *+40* · 5 of 8 answered (63%)": every figure with its response count and rate beside it. */
export function figureLine(label: 'NPS' | 'CSAT', f: SurveyFigure, opts: { plain?: boolean } = {}): string {
  const bold = (text: string) => (opts.plain ? text : `*${text}*`);
  const value =
    f.value === null
      ? opts.plain
        ? 'no answers'
        : '_no answers_'
      : bold(label === 'NPS' ? signed(f.value) : `${f.value}%`);
  return `${label} ${value} · ${rate(f)}`;
}

/** The health card's survey section: the account's NPS and CSAT over the window, the portfolio's beside them. */
export function surveyFiguresSection(input: {
  account: SurveyFigures;
  portfolio: SurveyFigures;
  windowDays: number;
}): KnownBlock {
  const line = (label: 'NPS' | 'CSAT', key: 'nps' | 'csat') =>
    `• ${figureLine(label, input.account[key])}  _(portfolio: ${figureLine(label, input.portfolio[key], { plain: true })})_`;
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*Surveys* (last ${input.windowDays} days)\n${line('NPS', 'nps')}\n${line('CSAT', 'csat')}`,
    },
  };
}
