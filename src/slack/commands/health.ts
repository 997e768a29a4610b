import type { Database } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { segmentOf } from '../../domain/health-model.ts';
import { withModelLabels } from '../../domain/health-model-labels.ts';
import { isReviewOverdue, nextReviewDue } from '../../domain/reviews.ts';
import type { Locale } from '../../i18n/index.ts';
import { modelInEffect } from '../../services/health.ts';
import { undeliveredAlerts } from '../../store/alerts/undelivered.ts';
import { type HealthView, loadHealthView } from '../../store/health-card.ts';
import { loadSurveyFigures, SURVEY_WINDOW_DAYS, type SurveyFigures } from '../../store/surveys/figures.ts';
import { alertHeadline } from '../blocks/alert.ts';
import { healthCardBlocks, healthCardText } from '../blocks/health-card.ts';
import type { CardModel } from '../blocks/health-model.ts';
import { accountGone, resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** The portfolio's NPS and CSAT move slowly and cost a pass over the window's surveys: once a minute will do. */
const PORTFOLIO_FIGURES_TTL_MS = 60_000;
const portfolioFigures = new WeakMap<Database, { until: number; figures: Promise<SurveyFigures> }>();

function cachedPortfolioFigures(deps: Deps, now: Date): Promise<SurveyFigures> {
  const cached = portfolioFigures.get(deps.db);
  if (cached && cached.until > +now) return cached.figures;
  const figures = loadSurveyFigures(deps.db.orm, { now, accountIds: [] }).then((r) => r.portfolio);
  portfolioFigures.set(deps.db, { until: +now + PORTFOLIO_FIGURES_TTL_MS, figures });
  figures.catch(() => portfolioFigures.delete(deps.db));
  return figures;
}

/**
 * The model as the card explains it: the segment the account was scored in (stored with its band, which the
 * alerts read too) in the model in effect, the version it was scored with.
 */
function cardModel(deps: Deps, view: HealthView, locale: Locale): CardModel | undefined {
  if (!view.health) return undefined;
  const model = modelInEffect(deps.config.health);
  const segment =
    model.segments.find((s) => s.name === view.health?.segment) ?? segmentOf(model, view.account);
  return {
    locale,
    name: model.name,
    version: view.health.modelVersion ?? model.version,
    segment: segment.name,
    weights: segment.weights,
  };
}

/** `/cs health <account>`: the health card, only to the person who asked, in their language. */
export async function healthAnswer(
  command: { account: string },
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const now = deps.clock();
  // The common card is one round trip: the card looked up by the key as typed. Only a miss (a name, a
  // typo) goes through the full lookup, then loads the card of what it found; the portfolio's figures
  // (cached) load beside them.
  const portfolioLoad = cachedPortfolioFigures(deps, now);
  let view = await loadHealthView(deps.db.orm, { key: command.account.trim().toLowerCase() }, now);
  if (!view) {
    const resolved = await resolveAccount(deps.db.orm, command.account, locale);
    if ('answer' in resolved) return resolved.answer;
    view = await loadHealthView(deps.db.orm, resolved.account.id, now);
    if (!view) return ephemeral(accountGone(locale, resolved.account.key));
  }
  const portfolio = await portfolioLoad;
  // Rare: only then a third query lists them.
  const undelivered = view.hasUndeliveredAlerts ? await undeliveredAlerts(deps.db.orm, view.account.id) : [];
  const zone = view.account.timezone ?? deps.config.timezone;
  const due = view.reviews.scheduledAt
    ? null
    : nextReviewDue(
        { ...view.account, lastReviewAt: view.reviews.lastReviewAt, zone },
        deps.config.reviews.cadence,
      );
  const card = {
    nextReviewAt: view.reviews.scheduledAt,
    // Reviews are scheduled in the account's zone (the scheduling modal says so).
    nextReviewZone: zone,
    nextReviewDue: due,
    nextReviewOverdue: isReviewOverdue(due, now, zone),
    account: view.account,
    score: view.health?.score ?? null,
    band: view.health?.band ?? null,
    change7d: view.change7d,
    change30d: view.change30d,
    weekly: view.weekly,
    // Stored by name: the model in effect labels its own components and goals.
    components: view.health ? withModelLabels(modelInEffect(deps.config.health), view.health.components) : [],
    openFlags: view.health?.openBillingFlags ?? [],
    dataAsOf: view.dataAsOf,
    ...(view.channelShared &&
      view.account.channelId && {
        sharedChannel: { channel: view.account.channelId, alertChannel: deps.config.alertChannel },
      }),
    undeliveredAlerts: undelivered.map((u) => ({
      headline: alertHeadline(u.alert.cause, locale),
      error: u.error,
      channel: u.channel,
    })),
    surveyFigures: { account: view.surveys, portfolio, windowDays: SURVEY_WINDOW_DAYS },
    lastNote: view.lastNote,
    model: cardModel(deps, view, locale),
    // Causes come most severe first: the first is the incident's headline; nobody assigned, the owner owns it.
    openIncidents: view.openIncidents.flatMap(({ causes, assigneeSlackId }) =>
      causes[0]
        ? [
            {
              headline: alertHeadline(causes[0].cause, locale),
              ownerSlackId: assigneeSlackId ?? view.account.ownerSlackId,
              causes: causes.filter((c) => c.status !== 'resolved').length,
            },
          ]
        : [],
    ),
  };
  return ephemeral(
    healthCardText(card, locale),
    healthCardBlocks(card, { now, timezone: deps.config.timezone, locale }),
  );
}
