import type { Deps } from '../../deps.ts';
import {
  CONTACT_GAP_DAYS,
  type SurveyKind,
  surveyDedupeKey,
  surveyEligibility,
} from '../../domain/surveys.ts';
import { type DeliveryOutcome, deliverPendingSurveys } from '../../services/survey-delivery.ts';
import { createSurveys, type SurveyCandidate } from '../../store/surveys/create.ts';
import {
  type SurveyRecipient,
  surveyAccountStatus,
  surveyRecipients,
} from '../../store/surveys/recipients.ts';
import { calendarDate, escapeMrkdwn, inlineCode } from '../blocks/format.ts';
import { KIND_LABEL, personLabel, ROUTE_LABEL, undeliverableReason } from '../blocks/survey-notes.ts';
import { resolveAccount } from './account-answer.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

const day = (at: Date) => calendarDate(at.toISOString().slice(0, 10));

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
  const resolved = await resolveAccount(deps.db.orm, command.account);
  if ('answer' in resolved) return resolved.answer;
  const { account } = resolved;
  const label = KIND_LABEL[command.survey];
  const now = deps.clock();
  const accountStatus = await surveyAccountStatus(deps.db.orm, account.id);
  if (!surveyEligibility({ accountStatus, lastContactAt: null, now }).eligible) {
    return ephemeral(
      `*${escapeMrkdwn(account.name)}* has churned: Pulse never surveys a churned customer. After churn the CSM calls, after a cooling-off period.`,
    );
  }
  const recipients = await surveyRecipients(
    deps.db.orm,
    account.id,
    deps.config.surveys.includeDecisionMakers,
  );
  if (!recipients.length) {
    return ephemeral(
      `*${escapeMrkdwn(account.name)}* has no champion to survey. Add one with \`POST /api/v1/contacts\` (role \`champion\`).`,
    );
  }

  const lines = new Map<number, string>();
  const candidates: SurveyCandidate[] = [];
  for (const r of recipients) {
    const eligibility = surveyEligibility({ accountStatus, lastContactAt: r.lastContactAt, now });
    if (eligibility.eligible) {
      candidates.push({
        contactId: r.contactId,
        kind: command.survey,
        trigger: 'manual',
        dedupeKey: surveyDedupeKey.manual(command.survey, r.contactId, now),
        requestedBy: context.userId,
      });
    } else if (eligibility.reason === 'contacted_recently') {
      lines.set(
        r.contactId,
        `not sent: surveyed on ${day(eligibility.lastContactAt)}, and the ${CONTACT_GAP_DAYS}-day contact rule allows the next survey on ${day(eligibility.until)}`,
      );
    }
  }
  const created = await deps.db.orm.transaction((tx) => createSurveys(tx, candidates, now));
  const surveyOf = new Map(created.map((c) => [c.contactId, c.id]));
  for (const c of candidates) {
    if (!surveyOf.has(c.contactId))
      lines.set(
        c.contactId,
        `not sent: they were surveyed within the last ${CONTACT_GAP_DAYS} days (under another contact or account)`,
      );
  }
  const client = deps.slack ?? context.client;
  const delivered = created.length
    ? await deliverPendingSurveys(deps, client, { ids: created.map((c) => c.id) })
    : { outcomes: [] };
  const byId = new Map(delivered.outcomes.map((o) => [o.surveyId, o]));
  for (const [contactId, surveyId] of surveyOf) lines.set(contactId, outcomeLine(byId.get(surveyId)));

  const who = (r: SurveyRecipient) =>
    personLabel({ name: r.name, email: r.email, slackUserId: r.slackUserId });
  const text = `${label} survey for *${escapeMrkdwn(account.name)}*:\n${recipients
    .map((r) => `• ${who(r)}: ${lines.get(r.contactId)}`)
    .join('\n')}`;
  return ephemeral(text, [{ type: 'section', text: { type: 'mrkdwn', text } }]);
}
