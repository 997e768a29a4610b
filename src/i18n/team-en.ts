/**
 * What the CS team reads, in English (ICU MessageFormat, see index.ts). Channel posts use PULSE_LOCALE;
 * what only one person sees uses their Slack locale.
 */
export const teamEn = {
  'access.notReader':
    'Pulse shows customer data to the CS team only; ask a CS lead to add you to {who, select, group {{group}} other {the CS team}}.',
  'access.readOnly':
    'You can read account data but not change it; ask a CS lead to add you to {who, select, group {{group}} other {the CS team}}.',
  'access.unknown':
    'Pulse could not check with Slack who you are, so it shows no customer data; try again in a minute.',
} as const;

export type TeamKey = keyof typeof teamEn;
