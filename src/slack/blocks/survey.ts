/**
 * The survey as the customer sees it, in their language (every string from src/i18n): the question with
 * its buttons, the thanks with "Tell us why", the closed survey, and the comment modal.
 */
import type { KnownBlock, View } from '@slack/types';
import { type SurveyKind, scoreScale } from '../../domain/surveys.ts';
import { localDate, t } from '../../i18n/index.ts';
import { SURVEY_ACTION, SURVEY_BLOCK, SURVEY_CALLBACK } from '../constants.ts';
import { escapeMrkdwn, truncate } from './format.ts';

export interface SurveyMessageInput {
  surveyId: number;
  kind: SurveyKind;
  locale: string;
  /** The name in the question: the product or the company. */
  product: string;
  recipientName: string | null;
  /** Set when the survey is posted in a shared channel: the person it is for, mentioned. */
  mentionUserId?: string;
  expiresAt: Date;
  timezone: string;
}

export interface SlackMessageBody {
  text: string;
  blocks: KnownBlock[];
}

const firstName = (name: string | null) => name?.trim().split(/\s+/)[0] ?? '';

const scoreActionId = (score: number) => `${SURVEY_ACTION.scorePrefix}${score}`;
export const SCORE_ACTION_PATTERN = new RegExp(`^${SURVEY_ACTION.scorePrefix}\\d+$`);

/** The question, the buttons (one actions block, NPS 0–10 or CSAT 1–5) and a note on the scale's ends. */
export function surveyMessage(input: SurveyMessageInput): SlackMessageBody {
  const { locale, kind } = input;
  const product = escapeMrkdwn(input.product);
  const question = t(locale, kind === 'nps' ? 'survey.nps.question' : 'survey.csat.question', { product });
  const name = firstName(input.recipientName);
  const opening = input.mentionUserId
    ? t(locale, 'survey.forYou', { mention: `<@${input.mentionUserId}>` })
    : name
      ? t(locale, 'survey.greeting', { name: escapeMrkdwn(name) })
      : '';
  return {
    text: t(locale, 'survey.fallbackText', { product }),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(`${opening ? `${opening}\n` : ''}*${question}*`, 3000) },
      },
      {
        type: 'actions',
        block_id: SURVEY_BLOCK.scores,
        elements: scoreScale(kind).map((score) => ({
          type: 'button' as const,
          text: { type: 'plain_text' as const, text: String(score) },
          action_id: scoreActionId(score),
          value: `${input.surveyId}:${score}`,
        })),
      },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: t(locale, kind === 'nps' ? 'survey.nps.scale' : 'survey.csat.scale') },
          {
            type: 'mrkdwn',
            text: t(locale, 'survey.expiresOn', {
              date: localDate(locale, input.expiresAt, input.timezone),
            }),
          },
        ],
      },
    ],
  };
}

/** After the score: thanks, the recorded answer, and "Tell us why" until a comment came. */
export function answeredMessage(input: {
  surveyId: number;
  locale: string;
  score: number;
  commented: boolean;
}): SlackMessageBody {
  const { locale } = input;
  const thanks = t(locale, 'survey.thanks', { score: input.score });
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: thanks } }];
  if (input.commented) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t(locale, 'survey.commentThanks') }] });
  } else {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: t(locale, 'survey.tellUsWhyHint') },
      accessory: {
        type: 'button',
        text: { type: 'plain_text', text: truncate(t(locale, 'survey.tellUsWhy'), 75) },
        action_id: SURVEY_ACTION.tellUsWhy,
        value: String(input.surveyId),
      },
    });
  }
  return { text: thanks.replace(/\*/g, ''), blocks };
}

/** What an unanswered survey becomes after its week: no buttons. */
export function expiredMessage(locale: string): SlackMessageBody {
  const text = t(locale, 'survey.expired');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Where the "Tell us why" click came from, so the submission can update that message. */
export interface CommentContext {
  surveyId: number;
  channel?: string;
  ts?: string;
  /** An ephemeral survey is only reachable through its response_url. */
  responseUrl?: string;
}

const COMMENT_MAX_LENGTH = 2_000;

export function commentModal(locale: string, context: CommentContext): View {
  return {
    type: 'modal',
    callback_id: SURVEY_CALLBACK.commentModal,
    private_metadata: JSON.stringify(context),
    title: { type: 'plain_text', text: truncate(t(locale, 'survey.modal.title'), 24) },
    submit: { type: 'plain_text', text: truncate(t(locale, 'survey.modal.submit'), 24) },
    close: { type: 'plain_text', text: truncate(t(locale, 'survey.modal.close'), 24) },
    blocks: [
      {
        type: 'input',
        block_id: SURVEY_BLOCK.comment,
        label: { type: 'plain_text', text: t(locale, 'survey.modal.label') },
        element: {
          type: 'plain_text_input',
          action_id: SURVEY_ACTION.comment,
          multiline: true,
          max_length: COMMENT_MAX_LENGTH,
          placeholder: { type: 'plain_text', text: t(locale, 'survey.modal.placeholder') },
        },
      },
    ],
  };
}
