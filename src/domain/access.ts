/**
 * Who may see and change account data, as pure decisions from what Slack says about a person (users.info)
 * and about the installation (auth.test). External people and guests never read, whatever list or group
 * names them: a customer in a Slack Connect channel must not see another customer's figures.
 */

/** The fields of users.info's `user` that decide whether a person belongs to this workspace. */
export interface SlackPerson {
  team_id?: string;
  /** Set by Slack for someone of another organisation who shares no channel visible to the app. */
  is_stranger?: boolean;
  /** A guest (multi-channel); single-channel guests have `is_ultra_restricted` as well. */
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  enterprise_id?: string;
  enterprise_user?: { enterprise_id?: string };
  /** `pt-BR`, `en-US`…: only when users.info is asked with `include_locale`. */
  locale?: string;
}

/** The workspace (and Enterprise Grid organisation, if any) Pulse is installed in, from auth.test. */
export interface Installation {
  teamId: string;
  enterpriseId?: string;
}

/** A full member of the installation's workspace or organisation, someone of another one, or a guest. */
export type Standing = 'member' | 'external' | 'guest';

export function standingOf(person: SlackPerson, installation: Installation): Standing {
  if (person.is_stranger) return 'external';
  const enterprise = person.enterprise_user?.enterprise_id ?? person.enterprise_id;
  // On Enterprise Grid a person's home workspace may be another of the same organisation: still one of us.
  const sameOrganisation =
    installation.enterpriseId !== undefined && enterprise === installation.enterpriseId;
  if (!sameOrganisation && person.team_id !== installation.teamId) return 'external';
  if (person.is_restricted || person.is_ultra_restricted) return 'guest';
  return 'member';
}

export type Need = 'read' | 'write';

/** Why someone was refused: their standing, their absence from the lists, or reading being all they may do. */
export type Refusal = 'external' | 'guest' | 'not_in_team' | 'read_only';

export type Verdict = { allowed: true } | { allowed: false; reason: Refusal };

export interface AccessFacts {
  standing: Standing;
  /** Whether CS_TEAM names this person (its user IDs or its user group); null when CS_TEAM is unset. */
  inTeam: boolean | null;
  /** Whether CS_VIEWERS names them. */
  inViewers: boolean;
}

/**
 * Writers are CS_TEAM, or every member of the workspace when it is unset; readers are the writers and
 * CS_VIEWERS. Neither is ever an external person or a guest.
 */
export function accessVerdict(need: Need, facts: AccessFacts): Verdict {
  if (facts.standing !== 'member') return { allowed: false, reason: facts.standing };
  if (facts.inTeam ?? true) return { allowed: true };
  if (!facts.inViewers) return { allowed: false, reason: 'not_in_team' };
  return need === 'read' ? { allowed: true } : { allowed: false, reason: 'read_only' };
}
