/**
 * Every outbox dedupe key Pulse writes, one function per kind of message. A key names the decision that
 * causes the message, so enqueuing the same decision twice is one message (`slack_outbox.dedupe_key` is
 * unique). Keys are stored: a key whose shape changes lets a rerun after an upgrade send its message again.
 *
 * A key is for deduplication only. What points at a message is a column: `incidents.post_outbox_id` and
 * `surveys.post_outbox_id` name the outbox row of their post.
 */

/** An incident's post, keyed by the alert that opened it: its row keeps the message's channel and `ts`, which every later message reuses. */
export const alertPostKey = (alertId: number) => `alert:${alertId}:post`;
/** Pulse resolved a delivered alert: the message is updated in place, and a thread reply says why. */
export const alertClearedUpdateKey = (alertId: number) => `alert:${alertId}:cleared:update`;
export const alertClearedReplyKey = (alertId: number) => `alert:${alertId}:cleared:reply`;
/** A snooze ended (keyed by its end, so each snooze ends once): the message updated, and a broadcast reply. */
export const alertSnoozeOverUpdateKey = (alertId: number, snoozedUntilMs: number) =>
  `alert:${alertId}:snooze-over:${snoozedUntilMs}:update`;
export const alertSnoozeOverReplyKey = (alertId: number, snoozedUntilMs: number) =>
  `alert:${alertId}:snooze-over:${snoozedUntilMs}:reply`;
/** Nobody acted in time: a DM to the account's owner and a reply in the alert's thread, once per alert. */
export const alertEscalationDmKey = (alertId: number) => `alert:${alertId}:escalate:dm`;
export const alertEscalationThreadKey = (alertId: number) => `alert:${alertId}:escalate:thread`;
/** Still unacknowledged later: a DM to each CS lead and a reply in the thread, once per incident (its first alert). */
export const alertLeadEscalationDmKey = (alertId: number, leadId: string) =>
  `alert:${alertId}:escalate:lead:${leadId}`;
export const alertLeadEscalationThreadKey = (alertId: number) => `alert:${alertId}:escalate:leads:thread`;
/** An alert joined an open incident: its message is updated, and a thread reply says what was added. */
export const alertAddedUpdateKey = (alertId: number) => `alert:${alertId}:added:update`;
export const alertAddedReplyKey = (alertId: number) => `alert:${alertId}:added:reply`;
/** An incident was assigned to someone (keyed by the assignment's first audit row): a thread reply names them. */
export const incidentAssignedReplyKey = (incidentId: number, actionId: number) =>
  `incident:${incidentId}:assigned:${actionId}`;
/** A red flag's headline or facts changed after its post was delivered: one update per revision. */
export const alertRevisionKey = (alertId: number, revision: number) =>
  `alert:${alertId}:revision:${revision}`;

/** A survey's question to its person. */
export const surveyPostKey = (surveyId: number) => `survey:${surveyId}:post`;
/** The question's message updated to say the survey closed. */
export const surveyExpiredKey = (surveyId: number) => `survey:${surveyId}:expired`;
/** The CSM told that Pulse gave up on a survey. */
export const surveyUndeliverableKey = (surveyId: number) => `survey:${surveyId}:undeliverable`;
/** The CSM told that a promoter answered. */
export const surveyPromoterKey = (surveyId: number) => `survey:${surveyId}:promoter`;

/** The brief sent to the owner before a success review. */
export const reviewBriefKey = (reviewId: number) => `review:${reviewId}:brief`;
/** The reminder to record a held review's outcome. */
export const reviewOutcomeKey = (reviewId: number) => `review:${reviewId}:outcome`;
/** The monthly report on an account's review goals; `month` is `YYYY-MM` in the account's zone. */
export const goalReportKey = (accountId: number, month: string) => `goals:${accountId}:${month}`;

/** A digest's post (the `digests` row decides once per week and channel). */
export const digestPostKey = (digestId: number) => `digest:${digestId}`;

/** The celebration posted in the account's channel when a milestone is first reached. */
export const milestoneCelebrationKey = (milestoneId: number) => `milestone:${milestoneId}:celebration`;
