import { access } from './access.ts';
import { alerts } from './alerts.ts';
import { clicks } from './clicks.ts';
import { digest } from './digest.ts';
import { home } from './home.ts';
import { labels } from './labels.ts';
import { surveyNotes } from './survey-notes.ts';

/**
 * What the CS team reads, one module per surface (ICU MessageFormat, see ../index.ts). Channel posts use
 * PULSE_LOCALE; what only one person sees uses their Slack locale.
 */
const surfaces = [access, labels, alerts, home, clicks, digest, surveyNotes] as const;

type Surface = (typeof surfaces)[number];
// A conditional distributes over a union only through a type parameter: each surface's keys, then their union.
type KeysOf<S> = S extends { en: infer E } ? keyof E : never;
export type TeamKey = KeysOf<Surface>;

const merge = (locale: 'en' | 'pt-BR') =>
  Object.assign({}, ...surfaces.map((surface) => surface[locale])) as Record<TeamKey, string>;

export const teamEn = merge('en');
export const teamPtBR = merge('pt-BR');
