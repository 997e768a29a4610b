import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';

/** How long the user group's member list is trusted: membership changes are rare, clicks are not. */
const GROUP_CACHE_MS = 60_000;

export interface CsTeam {
  /** Whether this user may act on Pulse's data: CS_TEAM's users or its user group's members; everyone when unset. */
  includes(client: WebClient, userId: string): Promise<boolean>;
}

export function createCsTeam(team: Config['csTeam'], clock: Clock): CsTeam {
  let cached: { members: Set<string>; until: number } | undefined;
  let loading: Promise<Set<string>> | undefined;

  const groupMembers = async (client: WebClient, group: string) => {
    if (cached && cached.until > +clock()) return cached.members;
    // Concurrent clicks share one usergroups.users.list call.
    loading ??= client.usergroups.users
      .list({ usergroup: group })
      .then((answer) => {
        const members = new Set(answer.users ?? []);
        cached = { members, until: +clock() + GROUP_CACHE_MS };
        return members;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return {
    async includes(client, userId) {
      if (!team) return true;
      if (team.users.includes(userId)) return true;
      return team.userGroup ? (await groupMembers(client, team.userGroup)).has(userId) : false;
    },
  };
}
