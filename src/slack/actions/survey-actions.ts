/**
 * Survey answers: a score click counts only from the survey's recipient, once, while the survey is open;
 * the message then thanks them and offers "Tell us why" (a modal), stored with the answer. A detractor
 * or a CSAT ≤ 2 raises a red flag through the alert path; a promoter is news for the account's owner.
 */
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { surveyPromoterKey } from '../../domain/outbox-keys.ts';
import { answerSignal, decideScoreClick, isValidScore } from '../../domain/surveys.ts';
import { t } from '../../i18n/index.ts';
import { raiseRedFlag, reviseRedFlag } from '../../services/red-flags.ts';
import { enqueueSlackMessage } from '../../store/outbox.ts';
import {
  recordComment,
  recordScore,
  type SurveyForAnswer,
  surveyForAnswer,
} from '../../store/surveys/answers.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import {
  answeredMessage,
  type CommentContext,
  commentModal,
  SCORE_ACTION_PATTERN,
} from '../blocks/survey.ts';
import { KIND_LABEL, promoterNote } from '../blocks/survey-notes.ts';
import { SURVEY_ACTION, SURVEY_BLOCK, SURVEY_CALLBACK } from '../constants.ts';

type ClickArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** The alert of a survey's red flag: one per survey. */
const surveyRedFlagKey = (signal: 'detractor' | 'low_csat', surveyId: number) =>
  `${signal}:survey:${surveyId}`;

const ephemeral = (respond: RespondFn, text: string) =>
  respond({ response_type: 'ephemeral', replace_original: false, text });

function whereClicked(body: BlockAction): Omit<CommentContext, 'surveyId'> & { ephemeral: boolean } {
  const container = body.container as { channel_id?: string; message_ts?: string; is_ephemeral?: boolean };
  return {
    channel: body.channel?.id ?? container?.channel_id,
    ts: body.message?.ts ?? container?.message_ts,
    ephemeral: Boolean(container?.is_ephemeral),
    ...(body.response_url && { responseUrl: body.response_url }),
  };
}

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

/** Shows a survey's new state where it was clicked: an ephemeral through its response_url, else chat.update. */
async function rewrite(
  args: Pick<ClickArgs, 'client' | 'respond'>,
  at: ReturnType<typeof whereClicked>,
  message: { text: string; blocks: unknown[] },
) {
  if (at.ephemeral) await args.respond({ replace_original: true, ...message } as never);
  else if (at.channel && at.ts)
    await args.client.chat.update({ channel: at.channel, ts: at.ts, ...message } as never);
}

async function onScore(deps: Deps, args: ClickArgs): Promise<void> {
  const { body, action, respond } = args;
  const [idText, scoreText] = (action.value ?? '').split(':');
  const surveyId = Number(idText);
  const score = Number(scoreText);
  if (!Number.isSafeInteger(surveyId)) return;
  const now = deps.clock();
  const outcome = await deps.db.orm.transaction(async (tx) => {
    const survey = await surveyForAnswer(tx, surveyId);
    if (!survey || !isValidScore(survey.kind, score)) return undefined;
    const decision = decideScoreClick(survey, body.user.id, now);
    if (decision === 'record') {
      await recordScore(tx, surveyId, score, now);
      await actOnAnswer(tx, deps, survey, score);
    }
    return { decision, survey };
  });
  if (!outcome) return;
  const { decision, survey } = outcome;
  switch (decision) {
    case 'record':
      await rewrite(
        args,
        whereClicked(body),
        answeredMessage({ surveyId, locale: survey.locale, score, commented: false }),
      );
      return;
    case 'not_recipient':
      await ephemeral(respond, t(survey.locale, 'survey.notYours', { name: escapeMrkdwn(person(survey)) }));
      return;
    case 'expired':
    case 'not_open':
      await ephemeral(respond, t(survey.locale, 'survey.closed'));
      return;
    case 'already_answered':
      // The message already shows the recorded answer: a second click changes nothing.
      return;
  }
}

async function onTellUsWhy(deps: Deps, args: ClickArgs): Promise<void> {
  const { body, action, client, respond } = args;
  const surveyId = Number(action.value);
  if (!Number.isSafeInteger(surveyId)) return;
  const [survey] = await deps.db.orm.transaction(async (tx) => [await surveyForAnswer(tx, surveyId)]);
  if (!survey) return;
  if (survey.recipientSlackId !== body.user.id) {
    await ephemeral(respond, t(survey.locale, 'survey.notYours', { name: escapeMrkdwn(person(survey)) }));
    return;
  }
  if (survey.status !== 'answered') {
    await ephemeral(respond, t(survey.locale, 'survey.closed'));
    return;
  }
  const { ephemeral: isEphemeral, ...at } = whereClicked(body);
  const context: CommentContext = isEphemeral
    ? { surveyId, responseUrl: at.responseUrl }
    : { surveyId, channel: at.channel, ts: at.ts };
  await client.views.open({ trigger_id: body.trigger_id, view: commentModal(survey.locale, context) });
}

function guarded(deps: Deps, what: string, work: (deps: Deps, args: ClickArgs) => Promise<void>) {
  return async (args: ClickArgs) => {
    await args.ack();
    try {
      await work(deps, args);
    } catch (error) {
      deps.logger.error({ err: error, user: args.body.user.id, action: args.action.action_id }, what);
    }
  };
}

export function registerSurveyActions(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(SCORE_ACTION_PATTERN, guarded(deps, 'survey answer failed', onScore));
  app.action<BlockButtonAction>(
    SURVEY_ACTION.tellUsWhy,
    guarded(deps, 'survey comment click failed', onTellUsWhy),
  );

  app.view(SURVEY_CALLBACK.commentModal, async ({ ack, body, view, client }) => {
    const context = JSON.parse(view.private_metadata) as CommentContext;
    const comment = view.state.values[SURVEY_BLOCK.comment]?.[SURVEY_ACTION.comment]?.value?.trim() ?? '';
    try {
      const saved = await deps.db.orm.transaction(async (tx) => {
        const survey = await surveyForAnswer(tx, context.surveyId);
        if (!survey || survey.recipientSlackId !== body.user.id || survey.status !== 'answered')
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
      if (saved.empty && saved.survey) {
        await ack({
          response_action: 'errors',
          errors: { [SURVEY_BLOCK.comment]: t(saved.survey.locale, 'survey.modal.empty') },
        });
        return;
      }
      await ack();
      if (!saved.stored || !saved.survey) return;
      const message = answeredMessage({
        surveyId: saved.survey.id,
        locale: saved.survey.locale,
        score: saved.survey.score!,
        commented: true,
      });
      if (context.responseUrl) {
        const answered = await fetch(context.responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ replace_original: true, ...message }),
        });
        // fetch resolves on any HTTP answer: a refused update (expired response_url) must not pass unseen.
        if (!answered.ok) throw new Error(`response_url answered ${answered.status}`);
      } else if (context.channel && context.ts) {
        await client.chat.update({ channel: context.channel, ts: context.ts, ...message });
      }
    } catch (error) {
      deps.logger.error(
        { err: error, surveyId: context.surveyId, user: body.user.id },
        'survey comment failed',
      );
      await ack().catch(() => undefined);
    }
  });
}
