import { describe, expect, it } from 'vitest';
import {
  answerSignal,
  cadenceOffsetDays,
  decideScoreClick,
  fallbackRoute,
  isValidScore,
  NPS_SLOT_GRACE_DAYS,
  npsCadenceSlot,
  scoreScale,
  surveyEligibility,
  surveyExpiresAt,
} from '../../src/domain/surveys.ts';
import { sharedChannel } from '../../src/services/surveys.ts';

const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00Z');
const daysAgo = (n: number) => new Date(+now - n * DAY);

describe('the contact rule and churn', () => {
  it('never asks the same person twice within 30 days, whatever the last survey was', () => {
    const last = daysAgo(29);
    const decision = surveyEligibility({ accountStatus: 'active', lastContactAt: last, now });
    expect(decision).toEqual({
      eligible: false,
      reason: 'contacted_recently',
      lastContactAt: last,
      until: new Date(+last + 30 * DAY),
    });
  });
  it('asks again once 30 days have passed, and asks someone never asked', () => {
    expect(surveyEligibility({ accountStatus: 'active', lastContactAt: daysAgo(30), now })).toEqual({
      eligible: true,
    });
    expect(surveyEligibility({ accountStatus: 'active', lastContactAt: null, now })).toEqual({
      eligible: true,
    });
  });
  it('never surveys a churned account, even someone never asked', () => {
    expect(surveyEligibility({ accountStatus: 'churned', lastContactAt: null, now })).toEqual({
      eligible: false,
      reason: 'churned',
    });
  });
});

describe('a survey open for a week', () => {
  const sent = {
    kind: 'nps' as const,
    status: 'sent' as const,
    recipientSlackId: 'U1',
    expiresAt: surveyExpiresAt(now),
  };

  it('expires 7 days after it was sent', () => {
    expect(surveyExpiresAt(now)).toEqual(new Date(+now + 7 * DAY));
  });
  it('takes a click from its recipient while open, once', () => {
    expect(decideScoreClick(sent, 'U1', new Date(+now + 7 * DAY - 1))).toBe('record');
    expect(decideScoreClick({ ...sent, status: 'answered' }, 'U1', now)).toBe('already_answered');
  });
  it('refuses anyone else, even after it closed', () => {
    expect(decideScoreClick(sent, 'U2', now)).toBe('not_recipient');
    expect(decideScoreClick({ ...sent, status: 'expired' }, 'U2', now)).toBe('not_recipient');
  });
  it('accepts nothing once expired, even before the expiry run marked it', () => {
    expect(decideScoreClick(sent, 'U1', new Date(+now + 7 * DAY))).toBe('expired');
    expect(decideScoreClick({ ...sent, status: 'expired' }, 'U1', now)).toBe('expired');
    expect(decideScoreClick({ ...sent, status: 'undeliverable' }, 'U1', now)).toBe('not_open');
  });
});

describe('scores and what they mean', () => {
  it('offers NPS 0–10 and CSAT 1–5, and nothing else counts', () => {
    expect(scoreScale('nps')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(scoreScale('csat')).toEqual([1, 2, 3, 4, 5]);
    expect(isValidScore('csat', 0)).toBe(false);
    expect(isValidScore('nps', 11)).toBe(false);
    expect(isValidScore('nps', 7.5)).toBe(false);
  });
  it('raises a red flag for a detractor (0–6) and a CSAT of 2 or less; tells of a promoter (9–10)', () => {
    expect([0, 6, 7, 8, 9, 10].map((s) => answerSignal('nps', s))).toEqual([
      'detractor',
      'detractor',
      null,
      null,
      'promoter',
      'promoter',
    ]);
    expect([1, 2, 3, 4, 5].map((s) => answerSignal('csat', s))).toEqual([
      'low_csat',
      'low_csat',
      null,
      null,
      null,
    ]);
  });
});

describe('the NPS cadence', () => {
  it('spreads champions across the interval instead of one day', () => {
    const offsets = Array.from({ length: 900 }, (_, i) => cadenceOffsetDays(i + 1, 90));
    const perDay = new Map<number, number>();
    for (const o of offsets) perDay.set(o, (perDay.get(o) ?? 0) + 1);
    expect(perDay.size).toBe(90);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(20);
  });
  it('comes round every interval for each contact, due for a week from its slot start', () => {
    const contact = 42;
    const start = npsCadenceSlot(contact, now, 90, '2020-01-01').slotStart;
    const startAt = new Date(`${start}T00:00:00Z`);
    for (let day = 0; day < 90; day++) {
      const at = new Date(+startAt + day * DAY + 3_600_000);
      expect(npsCadenceSlot(contact, at, 90, '2020-01-01')).toEqual({
        slotStart: start,
        due: day < NPS_SLOT_GRACE_DAYS,
      });
    }
    const next = npsCadenceSlot(contact, new Date(+startAt + 90 * DAY), 90, '2020-01-01');
    expect(next).toEqual({ slotStart: new Date(+startAt + 90 * DAY).toISOString().slice(0, 10), due: true });
    // A longer interval: the same slot until its last day, the next one due the day after.
    const longStart = npsCadenceSlot(contact, now, 180, '2020-01-01').slotStart;
    const longStartAt = new Date(`${longStart}T00:00:00Z`);
    expect(npsCadenceSlot(contact, new Date(+longStartAt + 179 * DAY), 180, '2020-01-01')).toEqual({
      slotStart: longStart,
      due: false,
    });
    expect(npsCadenceSlot(contact, new Date(+longStartAt + 180 * DAY), 180, '2020-01-01')).toEqual({
      slotStart: new Date(+longStartAt + 180 * DAY).toISOString().slice(0, 10),
      due: true,
    });
  });
  it('waits for the first slot that starts after the contact was added', () => {
    const start = npsCadenceSlot(7, now, 90, '2020-01-01').slotStart;
    const at = new Date(`${start}T08:00:00Z`);
    expect(npsCadenceSlot(7, at, 90, start).due).toBe(false);
    const dayBefore = new Date(+at - DAY).toISOString().slice(0, 10);
    expect(npsCadenceSlot(7, at, 90, dayBefore).due).toBe(true);
  });
});

describe('when the DM is refused', () => {
  it('falls back to the shared channel: ephemeral for a member, a mention otherwise', () => {
    expect(fallbackRoute({ channelId: 'C1', isMember: true, botIsMember: true })).toEqual({
      route: 'channel_ephemeral',
    });
    expect(fallbackRoute({ channelId: 'C1', isMember: false, botIsMember: true })).toEqual({
      route: 'channel_mention',
    });
  });
  it('has no route without a shared channel, or when Pulse is not in it', () => {
    expect(fallbackRoute({ channelId: null, isMember: undefined, botIsMember: undefined })).toEqual({
      undeliverable: 'no_shared_channel',
    });
    expect(fallbackRoute({ channelId: 'C1', isMember: true, botIsMember: false })).toEqual({
      undeliverable: 'not_in_channel',
    });
  });
});

describe('the channel a refused DM falls back to', () => {
  const botIn = new Set(['C0ACCOUNT', 'C0EXTB', 'C0EXTA', 'C0GENERAL']);
  const ext = (id: string) => ({ id, isExtShared: true });
  const internal = (id: string) => ({ id, isExtShared: false });

  it('is the account’s channel when the person is in it', () => {
    expect(sharedChannel('C0ACCOUNT', [ext('C0EXTA'), internal('C0ACCOUNT')], botIn)).toBe('C0ACCOUNT');
  });
  it('else one shared with their organisation, the same one every time, before any internal one', () => {
    expect(sharedChannel('C0ACCOUNT', [internal('C0GENERAL'), ext('C0EXTB'), ext('C0EXTA')], botIn)).toBe(
      'C0EXTA',
    );
    expect(sharedChannel(null, [internal('C0GENERAL')], botIn)).toBe('C0GENERAL');
  });
  it('is none where Pulse is not a member, since Pulse could not post there', () => {
    expect(sharedChannel('C0ACCOUNT', [ext('C0ELSEWHERE')], botIn)).toBeUndefined();
    expect(sharedChannel('C0ELSEWHERE', [ext('C0ELSEWHERE')], botIn)).toBeUndefined();
    expect(sharedChannel('C0ACCOUNT', [], botIn)).toBeUndefined();
  });
});
