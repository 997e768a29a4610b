/**
 * What Pulse tells the CS team about surveys: advocacy chances, surveys it could not deliver (in the
 * reader's locale).
 */
import type { KnownBlock } from '@slack/types';
import { slackErrorAdvice } from '../../domain/slack-errors.ts';
import type { SurveyKind } from '../../domain/surveys.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { escapeMrkdwn, inlineCode } from './format.ts';
import { mentionIn } from './locale-format.ts';

export const KIND_LABEL: Record<SurveyKind, string> = { nps: 'NPS', csat: 'CSAT' };

/** A person as the CSM knows them: name (or e-mail) and their Slack user when known. */
export function personLabel(p: { name: string | null; email: string; slackUserId?: string | null }): string {
  const name = escapeMrkdwn(p.name ?? p.email);
  return p.slackUserId ? `${name} (<@${p.slackUserId}>)` : name;
}

/** The reasons Pulse names itself (the catalogue's `surveyNote.reason`); any other is Slack's error code. */
const KNOWN_REASONS = new Set([
  'no_slack_user',
  'no_shared_channel',
  'not_in_channel',
  'no_route',
  'account_churned',
]);

const body = (text: string): { text: string; blocks: KnownBlock[] } => ({
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** Why a survey could not reach its person, in `locale`. */
function undeliverableReasonIn(locale: Locale, reason: string): string {
  if (KNOWN_REASONS.has(reason)) return t(locale, 'surveyNote.reason', { reason, code: '' });
  return (
    slackErrorAdvice(reason) ?? t(locale, 'surveyNote.reason', { reason: 'other', code: inlineCode(reason) })
  );
}

/** The owner's note (their DM, else the alert channel) about a survey Pulse gave up on, in `locale`. */
export function undeliverableNote(
  s: {
    kind: SurveyKind;
    reason: string;
    accountName: string;
    contactName: string | null;
    email: string;
    ownerSlackId: string | null;
  },
  locale: Locale,
) {
  return body(
    t(locale, 'surveyNote.undeliverable', {
      owner: s.ownerSlackId ? mentionIn(locale, s.ownerSlackId) : 'none',
      kind: s.kind,
      person: personLabel({ name: s.contactName, email: s.email }),
      email: `&lt;${escapeMrkdwn(s.email)}&gt;`,
      account: escapeMrkdwn(s.accountName),
      reason: undeliverableReasonIn(locale, s.reason),
    }),
  );
}

/** The owner's news (their DM, else the alert channel) of a promoter's answer, in `locale`. */
export function promoterNote(
  s: {
    score: number;
    accountName: string;
    contactName: string | null;
    email: string;
    slackUserId: string | null;
  },
  locale: Locale,
) {
  return body(
    t(locale, 'surveyNote.promoter', {
      person: personLabel({ name: s.contactName, email: s.email, slackUserId: s.slackUserId }),
      account: escapeMrkdwn(s.accountName),
      score: s.score,
    }),
  );
}
