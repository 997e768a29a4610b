import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { createCsTeam } from '../cs-team.ts';
import { registerAlertButtons } from './alert-actions.ts';
import { registerResolveModal } from './resolve-modal.ts';

/** Every interactive listener (block actions and view submissions), sharing one CS team cache. */
export function registerActions(app: App, deps: Deps): void {
  const team = createCsTeam(deps.config.csTeam, deps.clock);
  registerAlertButtons(app, deps, team);
  registerResolveModal(app, deps, team);
}
