import { describe, expect, it } from 'vitest';
import {
  isDirectConversation,
  isSharingFresh,
  SHARING_TTL_MS,
  sharedOutsideWorkspace,
} from '../../src/domain/channel-sharing.ts';

describe('sharedOutsideWorkspace', () => {
  it('is true for Slack Connect, a pending invitation and another workspace', () => {
    expect(sharedOutsideWorkspace({ is_shared: true, is_ext_shared: true })).toBe(true);
    expect(sharedOutsideWorkspace({ is_shared: false, is_pending_ext_shared: true })).toBe(true);
    expect(sharedOutsideWorkspace({ is_shared: true })).toBe(true);
    // Shared within an Enterprise Grid organisation, and with a customer too.
    expect(sharedOutsideWorkspace({ is_shared: true, is_org_shared: true, is_ext_shared: true })).toBe(true);
  });

  it('is false for an internal channel and one shared only within the Enterprise Grid organisation', () => {
    expect(sharedOutsideWorkspace({})).toBe(false);
    expect(
      sharedOutsideWorkspace({
        is_shared: false,
        is_ext_shared: false,
        is_pending_ext_shared: false,
        is_org_shared: false,
      }),
    ).toBe(false);
    expect(sharedOutsideWorkspace({ is_shared: true, is_org_shared: true, is_ext_shared: false })).toBe(
      false,
    );
  });
});

describe('isDirectConversation', () => {
  it('knows a DM and a person from a channel', () => {
    expect(['D0ACME0001', 'U0CSM00001', 'W0ENTERPRISE1'].map(isDirectConversation)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['C0CSALERTS', 'G0PRIVATE1', 'S0CSTEAM01', 'd0lower'].map(isDirectConversation)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('isSharingFresh', () => {
  it('trusts an answer for an hour', () => {
    const at = new Date('2030-01-07T10:00:00Z');
    expect(isSharingFresh(at, new Date(+at + SHARING_TTL_MS - 1))).toBe(true);
    expect(isSharingFresh(at, new Date(+at + SHARING_TTL_MS))).toBe(false);
  });
});
