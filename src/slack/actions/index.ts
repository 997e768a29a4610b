import type { Deps } from '../../deps.ts';
import type { Access } from '../access.ts';
import type { Listeners } from '../listeners.ts';
import { registerAccountActions } from './account-actions.ts';
import { registerAlertButtons } from './alert-actions.ts';
import { registerLogToAccount } from './log-to-account.ts';
import { registerMilestoneChoice } from './milestone-choice.ts';
import { registerMilestonePlan } from './milestone-plan.ts';
import { registerResolveModal } from './resolve-modal.ts';
import { registerReviewActions } from './review-actions.ts';
import { registerSurveyActions } from './survey-actions.ts';

/** Every interactive listener (block actions and view submissions). */
export function registerActions(app: Listeners, deps: Deps, access: Access): void {
  registerAlertButtons(app, deps, access);
  registerAccountActions(app, deps, access);
  registerResolveModal(app, deps, access);
  registerMilestonePlan(app, deps, access);
  registerMilestoneChoice(app, deps, access);
  registerSurveyActions(app, deps, access);
  registerReviewActions(app, deps, access);
  registerLogToAccount(app, deps, access);
}
