import { describe, expect, it } from 'vitest';
import { type AccessFacts, accessVerdict, type SlackPerson, standingOf } from '../../src/domain/access.ts';
import { refusalText } from '../../src/slack/access.ts';

const HOME = { teamId: 'T0HOME' };
const GRID = { teamId: 'T0HOME', enterpriseId: 'E0ORG' };

describe('standingOf: what users.info and auth.test say about a person', () => {
  it('a full member of the workspace is a member', () => {
    expect(standingOf({ team_id: 'T0HOME' }, HOME)).toBe('member');
    expect(standingOf({ team_id: 'T0HOME', is_restricted: false, is_ultra_restricted: false }, HOME)).toBe(
      'member',
    );
  });

  it('someone of another workspace, or whose workspace Slack does not give, is external', () => {
    expect(standingOf({ team_id: 'T0CUSTOMER' }, HOME)).toBe('external');
    expect(standingOf({}, HOME)).toBe('external');
  });

  it('a stranger is external even when Slack gives the same team_id', () => {
    expect(standingOf({ team_id: 'T0HOME', is_stranger: true }, HOME)).toBe('external');
    expect(
      standingOf({ team_id: 'T0HOME', is_stranger: true, enterprise_user: { enterprise_id: 'E0ORG' } }, GRID),
    ).toBe('external');
  });

  it('multi-channel and single-channel guests are guests', () => {
    expect(standingOf({ team_id: 'T0HOME', is_restricted: true }, HOME)).toBe('guest');
    expect(standingOf({ team_id: 'T0HOME', is_restricted: true, is_ultra_restricted: true }, HOME)).toBe(
      'guest',
    );
    expect(standingOf({ team_id: 'T0HOME', is_ultra_restricted: true }, HOME)).toBe('guest');
  });

  it('an external guest is refused as external', () => {
    expect(standingOf({ team_id: 'T0CUSTOMER', is_restricted: true }, HOME)).toBe('external');
  });

  describe('on Enterprise Grid', () => {
    const otherWorkspace: SlackPerson = { team_id: 'T0SISTER', enterprise_user: { enterprise_id: 'E0ORG' } };

    it("a member of another workspace of the same organisation is one of us (enterprise_user's or top-level enterprise_id)", () => {
      expect(standingOf(otherWorkspace, GRID)).toBe('member');
      expect(standingOf({ team_id: 'T0SISTER', enterprise_id: 'E0ORG' }, GRID)).toBe('member');
    });

    it("but still a guest when they are one, and external when the organisation is another's", () => {
      expect(standingOf({ ...otherWorkspace, is_restricted: true }, GRID)).toBe('guest');
      expect(standingOf({ team_id: 'T0SISTER', enterprise_user: { enterprise_id: 'E0OTHER' } }, GRID)).toBe(
        'external',
      );
    });

    it('an enterprise_id means nothing when Pulse is not installed in an organisation', () => {
      expect(standingOf(otherWorkspace, HOME)).toBe('external');
      expect(standingOf({ team_id: 'T0SISTER' }, GRID)).toBe('external');
    });
  });
});

describe('accessVerdict', () => {
  const facts = (over: Partial<AccessFacts>): AccessFacts => ({
    standing: 'member',
    inTeam: null,
    inViewers: false,
    ...over,
  });

  it('with CS_TEAM unset, every member reads and writes', () => {
    expect(accessVerdict('read', facts({}))).toEqual({ allowed: true });
    expect(accessVerdict('write', facts({}))).toEqual({ allowed: true });
  });

  it('never lets an external person or a guest read or write, whatever lists name them', () => {
    for (const standing of ['external', 'guest'] as const) {
      for (const inTeam of [null, true, false]) {
        for (const inViewers of [true, false]) {
          for (const need of ['read', 'write'] as const) {
            expect(accessVerdict(need, { standing, inTeam, inViewers })).toEqual({
              allowed: false,
              reason: standing,
            });
          }
        }
      }
    }
  });

  it('with CS_TEAM set, its members read and write, CS_VIEWERS only read, others neither', () => {
    expect(accessVerdict('write', facts({ inTeam: true }))).toEqual({ allowed: true });
    expect(accessVerdict('read', facts({ inTeam: true, inViewers: true }))).toEqual({ allowed: true });
    expect(accessVerdict('read', facts({ inTeam: false, inViewers: true }))).toEqual({ allowed: true });
    expect(accessVerdict('write', facts({ inTeam: false, inViewers: true }))).toEqual({
      allowed: false,
      reason: 'read_only',
    });
    expect(accessVerdict('read', facts({ inTeam: false }))).toEqual({
      allowed: false,
      reason: 'not_in_team',
    });
    expect(accessVerdict('write', facts({ inTeam: false }))).toEqual({
      allowed: false,
      reason: 'not_in_team',
    });
  });
});

describe('refusalText', () => {
  it("names the CS team's user group as a mention, and only in mrkdwn", () => {
    expect(refusalText('external', { users: [], userGroup: 'S0CSTEAM' })).toEqual({
      text: 'Pulse shows customer data to the CS team only; ask a CS lead to add you to <!subteam^S0CSTEAM>.',
      plain: 'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.',
    });
  });

  it('says "the CS team" when CS_TEAM lists people or is unset', () => {
    const expected =
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to the CS team.';
    expect(refusalText('not_in_team', { users: ['U0CSM'] }).text).toBe(expected);
    expect(refusalText('guest', undefined).text).toBe(expected);
  });

  it('tells a viewer they may only read, and someone Slack could not identify to try again', () => {
    expect(refusalText('read_only', { users: [], userGroup: 'S0CSTEAM' }).text).toBe(
      'You can read account data but not change it; ask a CS lead to add you to <!subteam^S0CSTEAM>.',
    );
    expect(refusalText('unknown', undefined).text).toMatch(/could not check with Slack who you are/);
  });
});
