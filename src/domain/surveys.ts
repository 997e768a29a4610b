/**
 * The survey rules of docs/cs-method.md, as pure decisions: who may be asked, when the NPS cadence comes
 * round, how long a survey stays open, and what an answer means for the CSM.
 */
import { npsCategory } from './survey-figures.ts';
import { DAY } from './time.ts';

export type SurveyKind = 'nps' | 'csat';
export type SurveyTrigger = 'cadence' | 'manual' | 'milestone' | 'review';
export type SurveyRoute = 'dm' | 'channel_ephemeral' | 'channel_mention';
export type SurveyStatus = 'pending' | 'sent' | 'answered' | 'expired' | 'undeliverable';

/** The one contact rule: never the same person twice within this many days, whatever triggered it. */
export const CONTACT_GAP_DAYS = 30;
/** An unanswered survey expires after this many days. */
export const SURVEY_LIFETIME_DAYS = 7;
/**
 * Days from the start of a champion's NPS slot during which the NPS may still go out (the contact rule
 * may hold it back for a while). Later than that, the slot is skipped rather than bunched up.
 */
export const NPS_SLOT_GRACE_DAYS = 7;
/** CSAT follows a milestone reached or a success review held within this many days. */
export const CSAT_WITHIN_DAYS = 3;

/** The scores a survey offers: NPS 0–10, CSAT 1–5. */
export function scoreScale(kind: SurveyKind): number[] {
  return kind === 'nps' ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 2, 3, 4, 5];
}

export const isValidScore = (kind: SurveyKind, score: number) =>
  Number.isInteger(score) && scoreScale(kind).includes(score);

export type Eligibility =
  | { eligible: true }
  | { eligible: false; reason: 'churned' }
  /** `until`: the first instant the person may be asked again. */
  | { eligible: false; reason: 'contacted_recently'; lastContactAt: Date; until: Date };

/**
 * May this person be surveyed now? `lastContactAt` is the latest survey that reached (or is about to
 * reach) the same person by any of their identities (contact, e-mail, Slack user), any kind, any account.
 */
export function surveyEligibility(input: {
  accountStatus: string;
  lastContactAt: Date | null;
  now: Date;
}): Eligibility {
  if (input.accountStatus === 'churned') return { eligible: false, reason: 'churned' };
  if (input.lastContactAt) {
    const until = new Date(+input.lastContactAt + CONTACT_GAP_DAYS * DAY);
    if (until > input.now)
      return { eligible: false, reason: 'contacted_recently', lastContactAt: input.lastContactAt, until };
  }
  return { eligible: true };
}

export const surveyExpiresAt = (sentAt: Date) => new Date(+sentAt + SURVEY_LIFETIME_DAYS * DAY);

/**
 * A stable offset in [0, interval) per contact, so champions' NPS dates spread evenly across the
 * interval instead of all falling on the same day (Knuth's multiplicative hash).
 */
export function cadenceOffsetDays(contactId: number, intervalDays: number): number {
  return Number((BigInt(contactId) * 2654435761n) % 4294967296n) % intervalDays;
}

const dayNumber = (at: Date) => Math.floor(+at / DAY);
const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * The contact's NPS slot that contains `now` (UTC days): its first day, as YYYY-MM-DD (the survey's
 * dedupe key), and whether the NPS is due: the slot started at most NPS_SLOT_GRACE_DAYS ago, and after
 * the day the contact was added (`addedOn`), so a newly known champion, or a whole portfolio loaded on
 * the first day, is asked in its own slot over the following interval instead of all at once.
 */
export function npsCadenceSlot(
  contactId: number,
  now: Date,
  intervalDays: number,
  addedOn: string,
): { slotStart: string; due: boolean } {
  const offset = cadenceOffsetDays(contactId, intervalDays);
  const today = dayNumber(now);
  const start = today - ((((today - offset) % intervalDays) + intervalDays) % intervalDays);
  const slotStart = isoDay(start);
  return { slotStart, due: today - start < NPS_SLOT_GRACE_DAYS && slotStart > addedOn };
}

export const surveyDedupeKey = {
  nps: (contactId: number, slotStart: string) => `nps:${contactId}:${slotStart}`,
  milestone: (milestoneId: number, contactId: number) => `csat:milestone:${milestoneId}:${contactId}`,
  review: (reviewId: number, contactId: number) => `csat:review:${reviewId}:${contactId}`,
  /** One per person, kind and day: a retried `/cs survey` finds the survey it already made. */
  manual: (kind: SurveyKind, contactId: number, now: Date) =>
    `manual:${kind}:${contactId}:${isoDay(dayNumber(now))}`,
};

/** Slack errors of a DM that mean "this person cannot be reached by DM", so the shared channel is tried. */
export const DM_REFUSALS = new Set([
  'invalid_user_combination',
  'user_not_visible',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
]);

/** How a survey reaches its recipient when the DM is refused, or why it cannot. */
export function fallbackRoute(input: {
  channelId: string | null;
  /** Whether the recipient is a member of that channel; undefined when it could not be read. */
  isMember: boolean | undefined;
  botIsMember: boolean | undefined;
}): { route: Exclude<SurveyRoute, 'dm'> } | { undeliverable: string } {
  if (!input.channelId) return { undeliverable: 'no_shared_channel' };
  if (input.botIsMember === false) return { undeliverable: 'not_in_channel' };
  return { route: input.isMember ? 'channel_ephemeral' : 'channel_mention' };
}

export interface OpenSurvey {
  kind: SurveyKind;
  status: SurveyStatus;
  recipientSlackId: string | null;
  expiresAt: Date | null;
}

export type ClickDecision = 'record' | 'not_recipient' | 'already_answered' | 'expired' | 'not_open';

/** A click counts only from the survey's recipient, only once, and only while the survey is open. */
export function decideScoreClick(survey: OpenSurvey, clicker: string, now: Date): ClickDecision {
  if (survey.recipientSlackId !== clicker) return 'not_recipient';
  if (survey.status === 'answered') return 'already_answered';
  if (survey.status === 'expired' || (survey.expiresAt && survey.expiresAt <= now)) return 'expired';
  if (survey.status !== 'sent') return 'not_open';
  return 'record';
}

/** What an answer means for the CSM: a red flag (detractor, CSAT ≤ 2), an advocacy chance, or nothing. */
export function answerSignal(kind: SurveyKind, score: number): 'detractor' | 'low_csat' | 'promoter' | null {
  if (kind === 'csat') return score <= 2 ? 'low_csat' : null;
  const category = npsCategory(score);
  return category === 'passive' ? null : category;
}
