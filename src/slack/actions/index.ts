import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import type { CsTeam } from '../cs-team.ts';
import { registerAccountActions } from './account-actions.ts';
import { registerAlertButtons } from './alert-actions.ts';
import { registerMilestonePlan } from './milestone-plan.ts';
import { registerResolveModal } from './resolve-modal.ts';
import { registerReviewActions } from './review-actions.ts';
import { registerSurveyActions } from './survey-actions.ts';

/** Every interactive listener (block actions and view submissions). */
export function registerActions(app: App, deps: Deps, team: CsTeam): void {
  registerAlertButtons(app, deps, team);
  registerAccountActions(app, deps, team);
  registerResolveModal(app, deps, team);
  registerMilestonePlan(app, deps, team);
  registerSurveyActions(app, deps);
  registerReviewActions(app, deps, team);
}
