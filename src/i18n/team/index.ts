import { access } from './access.ts';
import { commands } from './commands.ts';
import { common } from './common.ts';
import { connectors } from './connectors.ts';
import { digestCommand } from './digest-command.ts';
import { healthCard } from './health-card.ts';
import { metrics } from './metrics.ts';
import { milestones } from './milestones.ts';
import { portfolio } from './portfolio.ts';
import { reviews } from './reviews.ts';
import { surveyCommand } from './survey-command.ts';
import { timeline } from './timeline.ts';

/**
 * What the CS team reads, one module per surface (ICU MessageFormat, see ../index.ts). Channel posts use
 * PULSE_LOCALE; what only one person sees uses their Slack locale.
 */
const surfaces = [
  access,
  common,
  commands,
  connectors,
  digestCommand,
  healthCard,
  metrics,
  milestones,
  portfolio,
  reviews,
  surveyCommand,
  timeline,
] as const;

/** Every surface's keys: distributes over the union of surfaces (a `keyof` of the union would be their common keys, none). */
type KeysOf<S> = S extends { en: infer E } ? keyof E : never;
export type TeamKey = KeysOf<(typeof surfaces)[number]>;

const merge = (locale: 'en' | 'pt-BR') =>
  Object.assign({}, ...surfaces.map((surface) => surface[locale])) as Record<TeamKey, string>;

export const teamEn = merge('en');
export const teamPtBR = merge('pt-BR');
