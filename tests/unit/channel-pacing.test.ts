import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../src/domain/channel-pacing.ts';

const pacing = { perSecond: 1, burst: 2, cushionMs: 250 };

describe('channel pacing', () => {
  it('does not cap anything before Slack has rate-limited a post', () => {
    const pacer = new ChannelPacer(pacing);
    for (let i = 0; i < 5; i++) pacer.take('C1', 0);
    expect(pacer.allowances(0)).toBeUndefined();
    expect(pacer.nextTokenAt(0)).toBeUndefined();
  });

  it('after a 429, holds that channel for Retry-After and a cushion, then allows one post per second', () => {
    const pacer = new ChannelPacer(pacing);
    pacer.hold('C1', 1_000, 10_000);
    expect(pacer.allowances(10_000)).toEqual({ channels: { C1: 0 }, otherwise: 2 });
    expect(pacer.allowances(11_249)?.channels.C1).toBe(0);
    expect(pacer.nextTokenAt(10_000)).toBe(11_250);
    expect(pacer.allowances(11_250)?.channels.C1).toBe(1);
    pacer.take('C1', 11_250);
    expect(pacer.allowances(11_750)?.channels.C1).toBe(0);
    expect(pacer.nextTokenAt(11_750)).toBe(12_250);
    // Idle, the bucket fills up to the burst; full, the channel is capped like any other.
    expect(pacer.allowances(20_000)).toEqual({ channels: {}, otherwise: 2 });
  });

  it('starts pacing from what each channel really sent before, without debt', () => {
    const pacer = new ChannelPacer(pacing);
    for (let i = 0; i < 5; i++) pacer.take('C2', 1_000);
    pacer.take('C3', 1_000);
    pacer.hold('C1', 1_000, 1_000);
    // C2 sent five (Slack took them): empty, not three posts in debt; C3 sent one of its two.
    expect(pacer.allowances(1_500)).toEqual({ channels: { C1: 0, C2: 0, C3: 1 }, otherwise: 2 });
    expect(pacer.allowances(2_000)?.channels.C2).toBe(1);
    expect(pacer.nextTokenAt(1_500)).toBe(2_000);
  });

  it('a later 429 of a channel never shortens its hold', () => {
    const pacer = new ChannelPacer(pacing);
    pacer.hold('C1', 5_000, 0);
    pacer.hold('C1', 1_000, 100);
    expect(pacer.allowances(4_000)?.channels.C1).toBe(0);
    expect(pacer.nextTokenAt(4_000)).toBe(5_250);
  });
});
