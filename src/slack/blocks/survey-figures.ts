import type { KnownBlock } from '@slack/types';
import type { SurveyFigure, SurveyFigures } from '../../domain/survey-figures.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { signedIn } from './locale-format.ts';

const rate = (f: SurveyFigure, locale: Locale) =>
  f.sent === 0
    ? t(locale, 'surveyFigures.noneSent')
    : t(locale, 'surveyFigures.rate', { responses: f.responses, sent: f.sent, rate: f.responseRate ?? 0 });

/** "NPS *+40* · 5 of 8 answered (63%)": every figure with its response count and rate beside it. */
export function figureLine(
  label: 'NPS' | 'CSAT',
  f: SurveyFigure,
  opts: { plain?: boolean; locale?: Locale } = {},
): string {
  const locale = opts.locale ?? 'en';
  const bold = (text: string) => (opts.plain ? text : `*${text}*`);
  const none = t(locale, 'surveyFigures.noAnswers');
  const value =
    f.value === null
      ? opts.plain
        ? none
        : `_${none}_`
      : bold(label === 'NPS' ? signedIn(locale, f.value) : `${f.value}%`);
  return `${label} ${value} · ${rate(f, locale)}`;
}

/**
 * The health card's survey section: the account's NPS and CSAT over the window, the portfolio's beside
 * them, in the reader's `locale`.
 */
export function surveyFiguresSection(input: {
  account: SurveyFigures;
  portfolio: SurveyFigures;
  windowDays: number;
  locale?: Locale;
}): KnownBlock {
  const locale = input.locale ?? 'en';
  const line = (label: 'NPS' | 'CSAT', key: 'nps' | 'csat') =>
    `• ${figureLine(label, input.account[key], { locale })}  _(${t(locale, 'surveyFigures.portfolio', {
      line: figureLine(label, input.portfolio[key], { plain: true, locale }),
    })})_`;
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `${t(locale, 'surveyFigures.title', { days: input.windowDays })}\n${line('NPS', 'nps')}\n${line('CSAT', 'csat')}`,
    },
  };
}
