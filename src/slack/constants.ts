/** Every action_id, block_id and callback_id Pulse puts in Block Kit: blocks and listeners share these. */
export const ACTION = {
  alertAcknowledge: 'alert_acknowledge',
  alertSnooze: 'alert_snooze',
  alertResolve: 'alert_resolve',
  alertHealthCard: 'alert_health_card',
  resolveNote: 'alert_resolve_note_input',
} as const;

export const BLOCK = {
  alertActions: 'alert_actions',
  resolveNote: 'alert_resolve_note',
} as const;

export const CALLBACK = {
  alertResolveModal: 'alert_resolve_modal',
} as const;

/** The Snooze menu's choices, in days. */
export const SNOOZE_DAYS = [1, 7] as const;
