import type { Deps } from '../../deps.ts';
import { CONTACT_GAP_DAYS, type SurveyKind } from '../../domain/surveys.ts';
import { type Locale, t } from '../../i18n/index.ts';
import type { DeliveryOutcome } from '../../services/surveys.ts';
import { type ContactResult, surveyAccountNow } from '../../services/surveys.ts';
import type { SurveyRecipient } from '../../store/surveys/recipients.ts';
import { escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import { adviceKind } from '../blocks/health-card.ts';
import { calendarDateIn } from '../blocks/locale-format.ts';
import { KIND_LABEL, personLabel } from '../blocks/survey-notes.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** The reasons the survey service gives of its own; any other is Slack's error. */
const OWN_REASONS = new Set([
  'no_slack_user',
  'no_shared_channel',
  'not_in_channel',
  'no_route',
  'account_churned',
]);

/** Why a survey could not reach its person, in words a CSM can act on. */
function undeliverable(reason: string, locale: Locale): string {
  const advice = OWN_REASONS.has(reason) ? undefined : adviceKind(reason);
  return advice
    ? t(locale, 'card.undelivered.advice', { kind: advice })
    : t(locale, 'sc.reason', { reason, code: inlineCode(reason) });
}

const day = (locale: Locale, at: Date) => calendarDateIn(locale, at.toISOString().slice(0, 10));

function resultLine(result: ContactResult, locale: Locale): string {
  switch (result.kind) {
    case 'contacted_recently':
      return t(locale, 'sc.contactedRecently', {
        last: day(locale, result.lastContactAt),
        gap: CONTACT_GAP_DAYS,
        next: day(locale, result.until),
      });
    case 'surveyed_elsewhere':
      return t(locale, 'sc.surveyedElsewhere', { gap: CONTACT_GAP_DAYS });
    case 'created':
      return outcomeLine(result.delivery, locale);
  }
}

function outcomeLine(outcome: DeliveryOutcome | undefined, locale: Locale): string {
  if (!outcome) return t(locale, 'sc.queued');
  switch (outcome.kind) {
    case 'sent':
      return t(locale, 'sc.sent', { route: outcome.route, channel: `<#${outcome.channel}>` });
    case 'undeliverable':
      return t(locale, 'sc.notDelivered', { reason: undeliverable(outcome.reason, locale) });
    case 'retry':
      return t(locale, 'sc.retry', { code: inlineCode(outcome.reason) });
  }
}

/**
 * `/cs survey <account> nps|csat`: surveys the account's champions now (CS team only), within the contact
 * rule, and answers with who was reached and how, or why not, in the language of who asked.
 */
export async function surveyAnswer(
  command: { account: string; survey: SurveyKind },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  const { locale } = context;
  const resolved = await resolveAccount(deps.db.orm, command.account, locale);
  if ('answer' in resolved) return resolved.answer;
  const { account } = resolved;
  const client = deps.slack ?? context.client;
  const result = await surveyAccountNow(deps, client, {
    accountId: account.id,
    kind: command.survey,
    requestedBy: context.userId,
  });
  const name = escapeMrkdwn(account.name);
  if (result.kind === 'churned') return ephemeral(t(locale, 'sc.churned', { name }));
  if (result.kind === 'no_recipient') return ephemeral(t(locale, 'sc.noRecipient', { name }));
  const { recipients } = result;
  const lines = new Map<number, string>();
  for (const [contactId, r] of result.byContact) lines.set(contactId, resultLine(r, locale));

  const who = (r: SurveyRecipient) =>
    personLabel({ name: r.name, email: r.email, slackUserId: r.slackUserId });
  const text = [
    t(locale, 'sc.header', { kind: KIND_LABEL[command.survey], name }),
    ...recipients.map((r) => t(locale, 'sc.line', { who: who(r), result: lines.get(r.contactId) ?? '' })),
  ].join('\n');
  return ephemeral(text, [{ type: 'section', text: { type: 'mrkdwn', text } }]);
}
