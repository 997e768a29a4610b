import { describe, expect, it } from 'vitest';
import * as keys from '../../src/domain/outbox-keys.ts';

// Keys are stored in slack_outbox.dedupe_key: a key that changed shape would let a rerun after an upgrade
// send its message a second time. These are the shapes databases already hold.
describe('outbox dedupe keys', () => {
  it('keep the shapes already stored', () => {
    expect([
      keys.alertPostKey(42),
      keys.alertClearedUpdateKey(42),
      keys.alertClearedReplyKey(42),
      keys.alertSnoozeOverUpdateKey(42, Date.UTC(2026, 5, 30, 7)),
      keys.alertSnoozeOverReplyKey(42, Date.UTC(2026, 5, 30, 7)),
      keys.alertEscalationDmKey(42),
      keys.alertEscalationThreadKey(42),
      keys.alertRevisionKey(42, 2),
      keys.surveyPostKey(7),
      keys.surveyExpiredKey(7),
      keys.surveyUndeliverableKey(7),
      keys.surveyPromoterKey(7),
      keys.reviewBriefKey(3),
      keys.reviewOutcomeKey(3),
      keys.goalReportKey(5, '2026-06'),
      keys.digestPostKey(9),
      keys.milestoneCelebrationKey(11),
    ]).toEqual([
      'alert:42:post',
      'alert:42:cleared:update',
      'alert:42:cleared:reply',
      'alert:42:snooze-over:1782802800000:update',
      'alert:42:snooze-over:1782802800000:reply',
      'alert:42:escalate:dm',
      'alert:42:escalate:thread',
      'alert:42:revision:2',
      'survey:7:post',
      'survey:7:expired',
      'survey:7:undeliverable',
      'survey:7:promoter',
      'review:3:brief',
      'review:3:outcome',
      'goals:5:2026-06',
      'digest:9',
      'milestone:11:celebration',
    ]);
  });
});
