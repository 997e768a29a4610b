/**
 * A sentence Pulse stores now and shows later (a red flag's headline and facts, Pulse's own resolve note):
 * a catalogue key and its values, so each reader gets it in their own language when it is shown, not in
 * the language of the moment it was written. A plain string is text as written: a person's own words
 * (a comment, a ticket's subject), or a row stored before sentences were kept this way; it is shown as
 * it is.
 */
export type StoredText = string | StoredMessage;

export interface StoredMessage {
  /** A key of the team catalogue (src/i18n/team). */
  key: string;
  values?: Record<string, StoredValue>;
}

/**
 * A value of a stored sentence: text (data, escaped when shown), a number (formatted by the message), or
 * a calendar day (`YYYY-MM-DD`), written the reader's way when shown.
 */
export type StoredValue = string | number | { day: string };

export const isStoredMessage = (text: unknown): text is StoredMessage =>
  typeof text === 'object' && text !== null && typeof (text as StoredMessage).key === 'string';

/**
 * Why Pulse resolved an alert itself, as its resolve note: one sentence per reason (`flag_cleared`,
 * `condition_cleared`, `first_value_reached`, `review_on_cadence`, `ticket_no_longer_urgent`), the reason
 * `alert_actions` records too.
 */
export const pulseNote = (reason: string): StoredMessage => ({ key: 'alert.pulseNote', values: { reason } });
