/**
 * NPS and CSAT as docs/cs-method.md defines them, from answer counts, so SQL can count and every screen
 * (health card, /cs health, digest) computes the figure the same way.
 */

/** NPS 0–10: promoters 9–10, passives 7–8, detractors 0–6. */
export type NpsCategory = 'promoter' | 'passive' | 'detractor';

export function npsCategory(score: number): NpsCategory {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** %promoters − %detractors, from −100 to +100, rounded to a whole number; null without answers. */
export function netPromoterScore(c: NpsCounts): number | null {
  const total = c.promoters + c.passives + c.detractors;
  if (total === 0) return null;
  return Math.round((100 * (c.promoters - c.detractors)) / total);
}

/** Share of CSAT answers that are 4 or 5, in percent, rounded; null without answers. */
export function csatPercent(c: { satisfied: number; total: number }): number | null {
  if (c.total === 0) return null;
  return Math.round((100 * c.satisfied) / c.total);
}

/** Answers received against surveys sent, in percent; null when none was sent. */
export function responseRate(c: { answered: number; sent: number }): number | null {
  if (c.sent === 0) return null;
  return Math.round((100 * c.answered) / c.sent);
}

/** One figure (NPS or CSAT %) with what it stands on: the answers counted and the share who answered. */
export interface SurveyFigure {
  /** NPS −100…+100 or CSAT % 0…100; null without answers. */
  value: number | null;
  responses: number;
  sent: number;
  /** Percent of the surveys sent in the window that were answered; null when none was sent. */
  responseRate: number | null;
}

export interface SurveyFigures {
  nps: SurveyFigure & { promoters: number; passives: number; detractors: number };
  csat: SurveyFigure & { satisfied: number };
}
