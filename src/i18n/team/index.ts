import { access } from './access.ts';
import { alerts } from './alerts.ts';
import { clicks } from './clicks.ts';
import { commands } from './commands.ts';
import { components } from './components.ts';
import { connectors } from './connectors.ts';
import { digest } from './digest.ts';
import { digestCommand } from './digest-command.ts';
import { healthCard } from './health-card.ts';
import { healthModel } from './health-model.ts';
import { home } from './home.ts';
import { labels } from './labels.ts';
import { metrics } from './metrics.ts';
import { milestones } from './milestones.ts';
import { portfolio } from './portfolio.ts';
import { reviewBrief } from './review-brief.ts';
import { reviews } from './reviews.ts';
import { surveyCommand } from './survey-command.ts';
import { surveyNotes } from './survey-notes.ts';
import { timeline } from './timeline.ts';

/**
 * What the CS team reads, one module per surface (ICU MessageFormat, see ../index.ts). Channel posts use
 * PULSE_LOCALE; what only one person sees uses their Slack locale.
 */
export const surfaces = [
  access,
  labels,
  commands,
  connectors,
  digestCommand,
  healthCard,
  components,
  healthModel,
  metrics,
  milestones,
  portfolio,
  reviews,
  reviewBrief,
  surveyCommand,
  timeline,
  alerts,
  home,
  clicks,
  digest,
  surveyNotes,
] as const;

// A conditional distributes over a union only through a type parameter: each surface's keys, then their union.
type KeysOf<S> = S extends { en: infer E } ? keyof E : never;
export type TeamKey = KeysOf<(typeof surfaces)[number]>;

const merge = (locale: 'en' | 'pt-BR') =>
  Object.assign({}, ...surfaces.map((surface) => surface[locale])) as Record<TeamKey, string>;

export const teamEn = merge('en');
export const teamPtBR = merge('pt-BR');
