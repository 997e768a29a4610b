import type { BillingEventType } from './billing-flags.ts';
import type { ReviewKind } from './reviews.ts';
import type { StoredText } from './stored-text.ts';
import type { SurveyKind } from './surveys.ts';

/** How many events `/cs timeline` shows: the newest ones, read oldest first. */
export const TIMELINE_LENGTH = 20;

/**
 * One thing that happened to an account, as its timeline shows it. `by` and `author` are Slack user IDs,
 * "pulse" when Pulse did it itself, or a bot's name for a message a bot wrote.
 */
export type TimelineEvent = { at: Date } & (
  | { kind: 'note'; text: string; author: string; permalink: string | null }
  | { kind: 'alert_raised'; alertKind: string; headline: StoredText | null }
  | {
      kind: 'alert_resolved';
      alertKind: string;
      headline: StoredText | null;
      by: string;
      /** The person's words, or Pulse's note as a stored sentence. */
      note: StoredText | null;
    }
  | { kind: 'survey_answer'; survey: SurveyKind; score: number; comment: string | null; contact: string }
  | { kind: 'milestone'; title: string }
  | { kind: 'review_held'; review: ReviewKind }
  | { kind: 'billing'; type: BillingEventType; amount: string | null; currency: string | null }
  | { kind: 'owner_change'; from: string | null; to: string | null }
);

/** A Slack user ID (`U…`, or `W…` in Enterprise Grid), as opposed to a bot's name or "pulse". */
export const isSlackUserId = (who: string) => /^[UW][A-Z0-9]{2,}$/.test(who);
