import { access } from './access.ts';
import { healthModel } from './health-model.ts';

/**
 * What the CS team reads, one module per surface (ICU MessageFormat, see ../index.ts). Channel posts use
 * PULSE_LOCALE; what only one person sees uses their Slack locale.
 */
const surfaces = [access, healthModel] as const;

type Surface = (typeof surfaces)[number];
// Distributed over the surfaces (a conditional distributes over a type parameter only): every key of each.
type KeysOf<S> = S extends { en: infer E } ? keyof E : never;
export type TeamKey = KeysOf<Surface>;

const merge = (locale: 'en' | 'pt-BR') =>
  Object.assign({}, ...surfaces.map((surface) => surface[locale])) as Record<TeamKey, string>;

export const teamEn = merge('en');
export const teamPtBR = merge('pt-BR');
