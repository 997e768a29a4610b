import { access } from './access.ts';

/**
 * What the CS team reads, one module per surface (ICU MessageFormat, see ../index.ts). Channel posts use
 * PULSE_LOCALE; what only one person sees uses their Slack locale.
 */
const surfaces = [access] as const;

type Surface = (typeof surfaces)[number];
export type TeamKey = Surface extends unknown ? keyof Surface['en'] : never;

const merge = (locale: 'en' | 'pt-BR') =>
  Object.assign({}, ...surfaces.map((surface) => surface[locale])) as Record<TeamKey, string>;

export const teamEn = merge('en');
export const teamPtBR = merge('pt-BR');
