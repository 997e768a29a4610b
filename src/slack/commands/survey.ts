import type { Deps } from '../../deps.ts';
import { CONTACT_GAP_DAYS, type SurveyKind } from '../../domain/surveys.ts';
import type { DeliveryOutcome } from '../../services/surveys.ts';
import { type ContactResult, surveyAccountNow } from '../../services/surveys.ts';
import type { SurveyRecipient } from '../../store/surveys/recipients.ts';
import { calendarDate, escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import { KIND_LABEL, personLabel, ROUTE_LABEL, undeliverableReason } from '../blocks/survey-notes.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

const day = (at: Date) => calendarDate(at.toISOString().slice(0, 10));

function resultLine(result: ContactResult): string {
  switch (result.kind) {
    case 'contacted_recently':
      return `not sent: surveyed on ${day(result.lastContactAt)}, and the ${CONTACT_GAP_DAYS}-day contact rule allows the next survey on ${day(result.until)}`;
    case 'surveyed_elsewhere':
      return `not sent: they were surveyed within the last ${CONTACT_GAP_DAYS} days (under another contact or account)`;
    case 'created':
      return outcomeLine(result.delivery);
  }
}

function outcomeLine(outcome: DeliveryOutcome | undefined): string {
  if (!outcome) return 'queued; Pulse sends it within a minute';
  switch (outcome.kind) {
    case 'sent':
      return `sent ${ROUTE_LABEL[outcome.route](outcome.channel)}`;
    case 'undeliverable':
      return `*not delivered*: ${undeliverableReason(outcome.reason)}`;
    case 'retry':
      return `not sent yet: Slack answered ${inlineCode(outcome.reason)}; Pulse keeps trying for a week`;
  }
}

/**
 * `/cs survey <account> nps|csat`: surveys the account's champions now (CS team only), within the contact
 * rule, and answers with who was reached and how, or why not.
 */
export async function surveyAnswer(
  command: { account: string; survey: SurveyKind },
  deps: Deps,
  context: CommandContext,
): Promise<CommandAnswer> {
  const resolved = await resolveAccount(deps.db.orm, command.account, context.locale);
  if ('answer' in resolved) return resolved.answer;
  const { account } = resolved;
  const label = KIND_LABEL[command.survey];
  const client = deps.slack ?? context.client;
  const result = await surveyAccountNow(deps, client, {
    accountId: account.id,
    kind: command.survey,
    requestedBy: context.userId,
  });
  if (result.kind === 'churned') {
    return ephemeral(
      `*${escapeMrkdwn(account.name)}* has churned: Pulse never surveys a churned customer. After churn the CSM calls, after a cooling-off period.`,
    );
  }
  if (result.kind === 'no_recipient') {
    return ephemeral(
      `*${escapeMrkdwn(account.name)}* has no champion to survey. Add one with \`POST /api/v1/contacts\` (role \`champion\`).`,
    );
  }
  const { recipients } = result;
  const lines = new Map<number, string>();
  for (const [contactId, r] of result.byContact) lines.set(contactId, resultLine(r));

  const who = (r: SurveyRecipient) =>
    personLabel({ name: r.name, email: r.email, slackUserId: r.slackUserId });
  const text = `${label} survey for *${escapeMrkdwn(account.name)}*:\n${recipients
    .map((r) => `• ${who(r)}: ${lines.get(r.contactId)}`)
    .join('\n')}`;
  return ephemeral(text, [{ type: 'section', text: { type: 'mrkdwn', text } }]);
}
