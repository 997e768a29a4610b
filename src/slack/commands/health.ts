import type { Deps } from '../../deps.ts';
import { undeliveredAlerts } from '../../store/alerts.ts';
import { loadHealthView } from '../../store/health.ts';
import { nextReview } from '../../store/reviews.ts';
import { emptySurveyFigures, loadSurveyFigures } from '../../store/surveys.ts';
import { alertHeadline } from '../blocks/alert.ts';
import { healthCardBlocks, healthCardText } from '../blocks/health-card.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

/** `/cs health <account>`: the health card, only to the person who asked. */
export async function healthAnswer(command: { account: string }, deps: Deps): Promise<CommandAnswer> {
  const resolved = await resolveAccount(deps.db.orm, command.account);
  if ('answer' in resolved) return resolved.answer;
  const now = deps.clock();
  const view = await loadHealthView(deps.db.orm, resolved.account.id, now);
  if (!view) return ephemeral(`The account \`${resolved.account.key}\` no longer exists.`);
  // Rare, so the common card costs two round trips: the account lookup and the card itself.
  const undelivered = view.hasUndeliveredAlerts
    ? await undeliveredAlerts(deps.db.orm, resolved.account.id)
    : [];
  const surveys = await loadSurveyFigures(deps.db.orm, { now, accountIds: [resolved.account.id] });
  const review = await nextReview(deps.db.orm, view.account, {
    cadence: deps.config.reviews.cadence,
    timezone: deps.config.timezone,
  });
  const card = {
    nextReviewAt: review.at,
    nextReviewDue: review.due,
    account: view.account,
    score: view.health?.score ?? null,
    band: view.health?.band ?? null,
    change7d: view.change7d,
    change30d: view.change30d,
    weekly: view.weekly,
    components: view.health?.components ?? [],
    openFlags: view.health?.openBillingFlags ?? [],
    dataAsOf: view.dataAsOf,
    undeliveredAlerts: undelivered.map((u) => ({
      headline: alertHeadline(u.alert.cause),
      error: u.error,
      channel: u.channel,
    })),
    surveyFigures: {
      account: surveys.byAccount.get(resolved.account.id) ?? emptySurveyFigures(),
      portfolio: surveys.portfolio,
      windowDays: surveys.windowDays,
    },
  };
  return ephemeral(healthCardText(card), healthCardBlocks(card, { now, timezone: deps.config.timezone }));
}
