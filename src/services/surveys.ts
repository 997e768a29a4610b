/**
 * The survey schedule, run every minute: decide which surveys are due (NPS per champion on its cadence
 * slot, CSAT after a milestone reached or a success review held), close the week-old ones, follow up
 * what the outbox did with their posts, then deliver what is pending. Every step is idempotent (dedupe
 * keys, conditional updates), so a rerun or a second replica changes nothing. And the answers: a score
 * or a comment from the recipient, with what it sets in motion (a red flag, a note to the owner).
 */
import type { WebClient } from '@slack/web-api';
import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { surveyExpiredKey, surveyPromoterKey } from '../domain/outbox-keys.ts';
import {
  answerSignal,
  CSAT_WITHIN_DAYS,
  decideScoreClick,
  isValidScore,
  npsCadenceSlot,
  SURVEY_LIFETIME_DAYS,
  type SurveyKind,
  surveyDedupeKey,
  surveyEligibility,
} from '../domain/surveys.ts';
import { DAY } from '../domain/time.ts';
import { expiredMessage } from '../slack/blocks/survey.ts';
import { KIND_LABEL, promoterNote } from '../slack/blocks/survey-notes.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import {
  recordComment,
  recordScore,
  type SurveyForAnswer,
  surveyForAnswer,
} from '../store/surveys/answers.ts';
import { expireSurveys, reconcileSurveyPosts } from '../store/surveys/closing.ts';
import { createSurveys, type SurveyCandidate } from '../store/surveys/create.ts';
import {
  cadenceRecipients,
  csatOccasions,
  type SurveyRecipient,
  surveyAccountStatus,
  surveyRecipients,
} from '../store/surveys/recipients.ts';
import { raiseRedFlag, reviseRedFlag } from './red-flags.ts';
import {
  type DeliveryOutcome,
  type DeliveryReport,
  deliverPendingSurveys,
  tellUndeliverable,
} from './survey-delivery.ts';

/** A scheduled delivery stops starting new lookups after this long; the next tick continues. */
const DELIVERY_BUDGET_MS = 50_000;

type CadenceDeps = Pick<Deps, 'db' | 'clock' | 'config'>;

/** Inserts the surveys due now; returns how many of each kind. */
export async function createDueSurveys(deps: CadenceDeps): Promise<Record<SurveyKind, number>> {
  const now = deps.clock();
  const settings = deps.config.surveys;
  const candidates: SurveyCandidate[] = [];
  // CSAT first: when a milestone and the NPS slot fall together, the moment's own question wins.
  const occasions = await csatOccasions(deps.db.orm, {
    since: new Date(+now - CSAT_WITHIN_DAYS * DAY),
    now,
    ...settings.csatAfter,
    includeDecisionMakers: settings.includeDecisionMakers,
  });
  for (const o of occasions) {
    candidates.push({
      contactId: o.contactId,
      kind: 'csat',
      trigger: o.source,
      dedupeKey: surveyDedupeKey[o.source](o.sourceId, o.contactId),
    });
  }
  for (const { contactId, addedOn } of await cadenceRecipients(deps.db.orm, settings.includeDecisionMakers)) {
    const slot = npsCadenceSlot(contactId, now, settings.npsIntervalDays, addedOn);
    if (!slot.due) continue;
    candidates.push({
      contactId,
      kind: 'nps',
      trigger: 'cadence',
      dedupeKey: surveyDedupeKey.nps(contactId, slot.slotStart),
    });
  }
  const created = await deps.db.orm.transaction((tx) => createSurveys(tx, candidates, now));
  const kinds = new Map(candidates.map((c) => [c.dedupeKey, c.kind]));
  const counts = { nps: 0, csat: 0 };
  for (const c of created) counts[kinds.get(c.dedupeKey)!] += 1;
  return counts;
}

/**
 * Closes surveys left unanswered for a week (their message says so, through the outbox), gives up on
 * those that never found a route, and turns posts Slack refused for good into undeliverable surveys. The
 * CSM hears once about each survey given up.
 */
export async function closeSurveys(deps: CadenceDeps): Promise<{ expired: number; undeliverable: number }> {
  const now = deps.clock();
  return deps.db.orm.transaction(async (tx) => {
    const refused = await reconcileSurveyPosts(tx);
    const { expired, abandoned } = await expireSurveys(tx, now, SURVEY_LIFETIME_DAYS);
    for (const survey of expired) {
      // An ephemeral message cannot be updated once it is shown; it goes away with the person's reload.
      if (survey.route === 'channel_ephemeral' || !survey.channel || !survey.ts) continue;
      await enqueueSlackMessage(tx, {
        dedupeKey: surveyExpiredKey(survey.id),
        method: 'chat.update',
        payload: { channel: survey.channel, ts: survey.ts, ...expiredMessage(survey.locale) },
        audience: 'customer',
      });
    }
    for (const survey of [...refused, ...abandoned]) await tellUndeliverable(tx, deps, survey);
    return { expired: expired.length, undeliverable: refused.length + abandoned.length };
  });
}

/** How long a survey sent with `/cs survey` is left to the command; still pending after it, the schedule takes it. */
const COMMAND_DELIVERY_MS = 60_000;

/** One scheduler tick: decide, close, deliver. */
export async function runSurveySchedule(deps: Deps): Promise<DeliveryReport | undefined> {
  const created = await createDueSurveys(deps);
  const closed = await closeSurveys(deps);
  const client = deps.slack;
  const delivered = client
    ? await deliverPendingSurveys(deps, client, {
        deadline: Date.now() + DELIVERY_BUDGET_MS,
        // A fresh `/cs survey` is the command's to deliver: both would look the person up at once.
        manualAfter: new Date(+deps.clock() - COMMAND_DELIVERY_MS),
      })
    : undefined;
  if (created.nps || created.csat || closed.expired || closed.undeliverable || delivered?.outcomes.length) {
    deps.logger.info(
      { created, closed, delivered: delivered?.outcomes.length ?? 0, rateLimited: delivered?.rateLimited },
      'survey schedule ran',
    );
  }
  return delivered;
}

/** The alert of a survey's red flag: one per survey. */
const surveyRedFlagKey = (signal: 'detractor' | 'low_csat', surveyId: number) =>
  `${signal}:survey:${surveyId}`;

const person = (s: SurveyForAnswer) => s.contactName ?? s.email;

function redFlagFacts(s: SurveyForAnswer, score: number, comment: string | null) {
  return [
    { label: 'Score', value: `${KIND_LABEL[s.kind]} ${score} from ${person(s)} <${s.email}>` },
    { label: 'Comment', value: comment ?? 'none yet (they were offered "Tell us why")' },
  ];
}

/** What an answer sets in motion, in the transaction that records it. */
async function actOnAnswer(tx: Executor, deps: Deps, s: SurveyForAnswer, score: number): Promise<void> {
  const signal = answerSignal(s.kind, score);
  if (signal === 'detractor' || signal === 'low_csat') {
    await raiseRedFlag(tx, deps, {
      accountId: s.accountId,
      kind: signal,
      dedupeKey: surveyRedFlagKey(signal, s.id),
      headline:
        signal === 'detractor'
          ? `${person(s)} answered ${score} to the NPS survey`
          : `${person(s)} answered ${score} of 5 to the CSAT survey`,
      facts: redFlagFacts(s, score, null),
    });
  } else if (signal === 'promoter') {
    const channel = s.ownerSlackId ?? deps.config.alertChannel;
    if (!channel) return;
    await enqueueSlackMessage(tx, {
      dedupeKey: surveyPromoterKey(s.id),
      method: 'chat.postMessage',
      payload: {
        channel,
        ...promoterNote({
          score,
          accountName: s.accountName,
          contactName: s.contactName,
          email: s.email,
          slackUserId: s.recipientSlackId,
        }),
      },
    });
  }
}

/**
 * A score clicked on a survey: it counts only from the survey's recipient, once, while the survey is open
 * (decideScoreClick). Recorded, it sets its consequences in motion in the same transaction. Undefined
 * when the survey is unknown or the score not one of its kind.
 */
export async function recordSurveyScore(
  deps: Deps,
  click: { surveyId: number; score: number; userId: string },
): Promise<{ decision: ReturnType<typeof decideScoreClick>; survey: SurveyForAnswer } | undefined> {
  const { surveyId, score } = click;
  const now = deps.clock();
  return deps.db.orm.transaction(async (tx) => {
    const survey = await surveyForAnswer(tx, surveyId);
    if (!survey || !isValidScore(survey.kind, score)) return undefined;
    const decision = decideScoreClick(survey, click.userId, now);
    if (decision === 'record') {
      await recordScore(tx, surveyId, score, now);
      await actOnAnswer(tx, deps, survey, score);
    }
    return { decision, survey };
  });
}

/**
 * The recipient's "Tell us why" comment on an answered survey: stored with the answer, and the red flag
 * the answer raised (if any) shows it. `stored` false: not theirs, not answered, or (`empty`) no text.
 */
export async function recordSurveyComment(
  deps: Deps,
  input: { surveyId: number; userId: string; comment: string },
): Promise<{ survey: SurveyForAnswer | undefined; stored: boolean; empty?: boolean }> {
  const { comment } = input;
  return deps.db.orm.transaction(async (tx) => {
    const survey = await surveyForAnswer(tx, input.surveyId);
    if (!survey || survey.recipientSlackId !== input.userId || survey.status !== 'answered')
      return { survey, stored: false };
    if (!comment) return { survey, stored: false, empty: true };
    await recordComment(tx, survey.id, comment);
    const signal = answerSignal(survey.kind, survey.score!);
    if (signal === 'detractor' || signal === 'low_csat') {
      await reviseRedFlag(tx, deps, surveyRedFlagKey(signal, survey.id), {
        facts: redFlagFacts(survey, survey.score!, comment),
      });
    }
    return { survey, stored: true };
  });
}

/** What `/cs survey` came to for one recipient. */
export type ContactResult =
  | { kind: 'contacted_recently'; lastContactAt: Date; until: Date }
  /** Surveyed within the contact gap under another contact or account (createSurveys skipped it). */
  | { kind: 'surveyed_elsewhere' }
  /** Created; `delivery` undefined: queued, the schedule sends it. */
  | { kind: 'created'; surveyId: number; delivery: DeliveryOutcome | undefined };

export type SurveyNowResult =
  | { kind: 'churned' }
  | { kind: 'no_recipient' }
  | { kind: 'surveyed'; recipients: SurveyRecipient[]; byContact: Map<number, ContactResult> };

/**
 * Surveys an account's recipients now (`/cs survey`, CS team only), within the contact rule
 * (domain/surveys.ts surveyEligibility): a churned account is never surveyed; a contact surveyed within
 * the gap is not surveyed again. The surveys created are delivered at once.
 */
export async function surveyAccountNow(
  deps: Deps,
  client: WebClient,
  request: { accountId: number; kind: SurveyKind; requestedBy: string },
): Promise<SurveyNowResult> {
  const now = deps.clock();
  const accountStatus = await surveyAccountStatus(deps.db.orm, request.accountId);
  if (!surveyEligibility({ accountStatus, lastContactAt: null, now }).eligible) return { kind: 'churned' };
  const recipients = await surveyRecipients(
    deps.db.orm,
    request.accountId,
    deps.config.surveys.includeDecisionMakers,
  );
  if (!recipients.length) return { kind: 'no_recipient' };

  const byContact = new Map<number, ContactResult>();
  const candidates: SurveyCandidate[] = [];
  for (const r of recipients) {
    const eligibility = surveyEligibility({ accountStatus, lastContactAt: r.lastContactAt, now });
    if (eligibility.eligible) {
      candidates.push({
        contactId: r.contactId,
        kind: request.kind,
        trigger: 'manual',
        dedupeKey: surveyDedupeKey.manual(request.kind, r.contactId, now),
        requestedBy: request.requestedBy,
      });
    } else if (eligibility.reason === 'contacted_recently') {
      byContact.set(r.contactId, {
        kind: 'contacted_recently',
        lastContactAt: eligibility.lastContactAt,
        until: eligibility.until,
      });
    }
  }
  const created = await deps.db.orm.transaction((tx) => createSurveys(tx, candidates, now));
  const surveyOf = new Map(created.map((c) => [c.contactId, c.id]));
  for (const c of candidates) {
    if (!surveyOf.has(c.contactId)) byContact.set(c.contactId, { kind: 'surveyed_elsewhere' });
  }
  const delivered = created.length
    ? await deliverPendingSurveys(deps, client, { ids: created.map((c) => c.id) })
    : { outcomes: [] };
  const byId = new Map(delivered.outcomes.map((o) => [o.surveyId, o]));
  for (const [contactId, surveyId] of surveyOf) {
    byContact.set(contactId, { kind: 'created', surveyId, delivery: byId.get(surveyId) });
  }
  return { kind: 'surveyed', recipients, byContact };
}
