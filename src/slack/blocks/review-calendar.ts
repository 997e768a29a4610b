import { createEvent } from 'ics';
import type { SuccessReview } from '../../domain/reviews.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { escapeMrkdwn } from './format.ts';

export interface CalendarFile {
  filename: string;
  title: string;
  /** The upload's message (mrkdwn). */
  comment: string;
  content: string;
}

/**
 * The review as an iCalendar event. The UID stays the same across reschedules and SEQUENCE grows with
 * each change, so a calendar that imported the first file updates its event instead of adding another.
 */
export function reviewCalendarFile(
  review: SuccessReview,
  account: { key: string; name: string },
  locale: Locale,
): CalendarFile {
  const label = t(locale, 'rts.label', { kind: review.kind });
  const { error, value } = createEvent({
    uid: `pulse-review-${review.id}@pulse`,
    sequence: Math.max(0, Math.floor((+review.updatedAt - +review.createdAt) / 1000)),
    productId: 'pulse/success-reviews',
    start: +review.startsAt,
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: review.durationMinutes },
    title: `${review.kind.toUpperCase()}: ${account.name}`,
    description: [label, review.agenda].filter(Boolean).join('\n\n'),
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
  });
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  const day = review.startsAt.toISOString().slice(0, 10);
  // The title names the account by its key, a slug: nothing in it can be read as a mention or a link,
  // however Slack shows titles. The comment, a message, names it escaped.
  return {
    filename: `${account.key}-${review.kind}-${day}.ics`,
    title: `${review.kind.toUpperCase()} ${account.key} ${day}`,
    comment: t(locale, 'rts.file.comment', { label, name: escapeMrkdwn(account.name), day }),
    content: value,
  };
}
