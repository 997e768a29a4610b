/**
 * Survey answers: a score click counts only from the survey's recipient, once, while the survey is open;
 * the message then thanks them and offers "Tell us why" (a modal), stored with the answer. A detractor
 * or a CSAT ≤ 2 raises a red flag through the alert path; a promoter is news for the account's owner.
 */
import type { BlockAction, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { recordSurveyComment, recordSurveyScore } from '../../services/surveys.ts';
import { type SurveyForAnswer, surveyForAnswer } from '../../store/surveys/answers.ts';
import type { Access } from '../access.ts';
import { escapeMrkdwn } from '../blocks/format.ts';
import {
  answeredMessage,
  type CommentContext,
  commentModal,
  SCORE_ACTION_PATTERN,
} from '../blocks/survey.ts';
import { SURVEY_ACTION, SURVEY_BLOCK, SURVEY_CALLBACK } from '../constants.ts';
import type { Listeners } from '../listeners.ts';
import { type ClickArgs as OnClickArgs, onClick } from './click.ts';

type ClickArgs = OnClickArgs<BlockButtonAction>;

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

/** A score button: recorded when the recipient clicks it while the survey is open. */
export async function onScore(deps: Deps, args: ClickArgs): Promise<void> {
  const { body, action, respond } = args;
  const [idText, scoreText] = (action.value ?? '').split(':');
  const surveyId = Number(idText);
  const score = Number(scoreText);
  if (!Number.isSafeInteger(surveyId)) return;
  const outcome = await recordSurveyScore(deps, { surveyId, score, userId: body.user.id });
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

/** "Tell us why": the recipient's comment modal. */
export async function onTellUsWhy(deps: Deps, args: ClickArgs): Promise<void> {
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

export function registerSurveyActions(app: Listeners, deps: Deps, access: Access): void {
  // Not CS-team gated: only the survey's recipient may answer, which each handler checks.
  const recipientClick = (log: { failure: string }, work: (deps: Deps, args: ClickArgs) => Promise<void>) =>
    onClick<BlockButtonAction>(
      deps,
      access,
      { need: 'recipient', tellFailure: false, ...log },
      async (args) => {
        await work(deps, args);
        return undefined;
      },
    );
  app.action<BlockButtonAction>(
    SCORE_ACTION_PATTERN,
    recipientClick({ failure: 'survey answer failed' }, onScore),
  );
  app.action<BlockButtonAction>(
    SURVEY_ACTION.tellUsWhy,
    recipientClick({ failure: 'survey comment click failed' }, onTellUsWhy),
  );

  app.view(SURVEY_CALLBACK.commentModal, async ({ ack, body, view, client }) => {
    const context = JSON.parse(view.private_metadata) as CommentContext;
    const comment = view.state.values[SURVEY_BLOCK.comment]?.[SURVEY_ACTION.comment]?.value?.trim() ?? '';
    try {
      const saved = await recordSurveyComment(deps, {
        surveyId: context.surveyId,
        userId: body.user.id,
        comment,
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
