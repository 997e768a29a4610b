import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import type { CsTeam } from '../cs-team.ts';
import { registerAlertButtons } from './alert-actions.ts';
import { registerResolveModal } from './resolve-modal.ts';

/** Every interactive listener (block actions and view submissions). */
export function registerActions(app: App, deps: Deps, team: CsTeam): void {
  registerAlertButtons(app, deps, team);
  registerResolveModal(app, deps, team);
}
