/** NPS and CSAT figures, per account and for the portfolio, with the counts they stand on. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import {
  csatPercent,
  netPromoterScore,
  responseRate,
  type SurveyFigure,
  type SurveyFigures,
} from '../../domain/survey-figures.ts';
import { DAY } from '../../domain/time.ts';
import { instant, intArray } from '../sql.ts';

export type { SurveyFigure, SurveyFigures };

export interface SurveyFiguresReport {
  windowDays: number;
  portfolio: SurveyFigures;
  /** Accounts with at least one survey sent in the window (of `accountIds` when given). */
  byAccount: Map<number, SurveyFigures>;
}

/** The window of the figures shown by default, in days. */
export const SURVEY_WINDOW_DAYS = 90;

/** The counts behind NPS and CSAT, over surveys `s`: one definition for every query that shows figures. */
const FIGURE_COUNTS = sql.raw(`count(*) filter (where s.kind = 'nps')::int as nps_sent,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score >= 9)::int as promoters,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score between 7 and 8)::int as passives,
  count(*) filter (where s.kind = 'nps' and s.status = 'answered' and s.score <= 6)::int as detractors,
  count(*) filter (where s.kind = 'csat')::int as csat_sent,
  count(*) filter (where s.kind = 'csat' and s.status = 'answered' and s.score >= 4)::int as satisfied,
  count(*) filter (where s.kind = 'csat' and s.status = 'answered')::int as csat_answers`);

/** Surveys `s` that reached someone in the window (undeliverable and pending ones are not "sent"). */
const inFigureWindow = (from: SQL, now: SQL) =>
  sql`s.sent_at > ${from} and s.sent_at <= ${now} and s.status in ('sent','answered','expired')`;

/**
 * One account's figure counts as a JSON object, for a query that loads more than the figures. The window's
 * ends are SQL (timestamptz values or placeholders), so a prepared statement can take them as parameters.
 */
export const accountFigureCounts = (accountId: SQL, window: { from: SQL; now: SQL }) =>
  sql`(select row_to_json(c) from (select ${FIGURE_COUNTS} from surveys s
    where s.account_id = ${accountId} and ${inFigureWindow(window.from, window.now)}) c)`;

export type FigureRow = {
  account_id?: number | null;
  nps_sent: number;
  promoters: number;
  passives: number;
  detractors: number;
  csat_sent: number;
  satisfied: number;
  csat_answers: number;
};

export function surveyFiguresFrom(r: FigureRow | undefined | null): SurveyFigures {
  const row = r ?? {
    account_id: null,
    nps_sent: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    csat_sent: 0,
    satisfied: 0,
    csat_answers: 0,
  };
  const npsResponses = row.promoters + row.passives + row.detractors;
  return {
    nps: {
      value: netPromoterScore(row),
      promoters: row.promoters,
      passives: row.passives,
      detractors: row.detractors,
      responses: npsResponses,
      sent: row.nps_sent,
      responseRate: responseRate({ answered: npsResponses, sent: row.nps_sent }),
    },
    csat: {
      value: csatPercent({ satisfied: row.satisfied, total: row.csat_answers }),
      satisfied: row.satisfied,
      responses: row.csat_answers,
      sent: row.csat_sent,
      responseRate: responseRate({ answered: row.csat_answers, sent: row.csat_sent }),
    },
  };
}

/**
 * NPS and CSAT per account and for the portfolio (the accounts `owner` owns, when given), over the
 * surveys sent in the `windowDays` before `now`: each figure comes with the answers it counts and the
 * response rate of the same surveys.
 */
export async function loadSurveyFigures(
  db: Executor,
  opts: { now: Date; windowDays?: number; accountIds?: number[]; owner?: string },
): Promise<SurveyFiguresReport> {
  const windowDays = opts.windowDays ?? SURVEY_WINDOW_DAYS;
  const from = new Date(+opts.now - windowDays * DAY);
  // The portfolio counts every account (of the owner); `accountIds` only limits the per-account rows returned.
  const only = opts.accountIds
    ? sql`having grouping(s.account_id) = 1 or s.account_id = any(${intArray(opts.accountIds)})`
    : sql.empty();
  const owned = opts.owner
    ? sql`and s.account_id in (select a.id from accounts a where a.owner_slack_id = ${opts.owner})`
    : sql.empty();
  const found = await rows<FigureRow & { portfolio: boolean }>(
    db,
    sql`select s.account_id, grouping(s.account_id) = 1 as portfolio, ${FIGURE_COUNTS}
        from surveys s
        where ${inFigureWindow(instant(from), instant(opts.now))} ${owned}
        group by grouping sets ((s.account_id), ())
        ${only}`,
  );
  const byAccount = new Map<number, SurveyFigures>();
  let portfolio: SurveyFigures = surveyFiguresFrom(undefined);
  for (const r of found) {
    if (r.portfolio) portfolio = surveyFiguresFrom(r);
    else byAccount.set(r.account_id!, surveyFiguresFrom(r));
  }
  return { windowDays, portfolio, byAccount };
}

/** Figures for an account with no survey in the window: every count zero, every figure null. */
export const emptySurveyFigures = (): SurveyFigures => surveyFiguresFrom(undefined);
