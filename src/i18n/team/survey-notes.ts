import { messages } from './messages.ts';

/**
 * What Pulse tells a CSM about surveys: a promoter worth an ask, a survey it could not deliver. A DM
 * speaks the owner's locale; in the alert channel, PULSE_LOCALE. `{person}` arrives escaped.
 */
export const surveyNotes = messages(
  {
    'surveyFigures.title': '*Surveys* (last {days} days)',
    'surveyFigures.rate': '{responses} of {sent} answered ({rate}%)',
    'surveyFigures.noneSent': 'none sent',
    'surveyFigures.noAnswers': 'no answers',
    'surveyFigures.portfolio': 'portfolio: {line}',
    'surveyNote.promoter':
      ':star2: *{person}* ({account}) answered *{score}* to the NPS survey: a promoter. They may be a reference, a case study or a referral: worth a thank-you and an ask.',
    'surveyNote.undeliverable':
      ':warning: {owner, select, none {The} other {{owner}, the}} {kind, select, nps {NPS} other {CSAT}} survey for *{person}* {email} ({account}) could not be delivered: {reason}. Pulse will not retry it: ask them another way, or fix their Slack user or the shared channel.',
    'surveyNote.reason':
      '{reason, select, no_slack_user {no Slack user has their e-mail, and the contact has no Slack user ID} no_shared_channel {their DM was refused and Pulse shares no channel with them (the account’s `channel_id` is unset or internal)} not_in_channel {their DM was refused and Pulse is not a member of the account’s shared channel} no_route {Slack could not be reached for a week} account_churned {the account churned before the survey went out} other {Slack answered {code}}}',
  },
  {
    'surveyFigures.title': '*Pesquisas* (últimos {days} dias)',
    'surveyFigures.rate': '{responses} de {sent} responderam ({rate}%)',
    'surveyFigures.noneSent': 'nenhuma enviada',
    'surveyFigures.noAnswers': 'sem respostas',
    'surveyFigures.portfolio': 'carteira: {line}',
    'surveyNote.promoter':
      ':star2: *{person}* ({account}) respondeu *{score}* na pesquisa de NPS: é promotor. Pode virar referência, estudo de caso ou indicação: vale um agradecimento e um pedido.',
    'surveyNote.undeliverable':
      ':warning: {owner, select, none {A} other {{owner}, a}} pesquisa de {kind, select, nps {NPS} other {CSAT}} para *{person}* {email} ({account}) não pôde ser entregue: {reason}. O Pulse não vai tentar de novo: fale com a pessoa de outro jeito, ou corrija o usuário dela no Slack ou o canal compartilhado.',
    'surveyNote.reason':
      '{reason, select, no_slack_user {nenhum usuário do Slack tem o e-mail dela, e o contato não tem ID de usuário do Slack} no_shared_channel {a DM foi recusada e o Pulse não compartilha nenhum canal com ela (o `channel_id` da conta não está definido ou é interno)} not_in_channel {a DM foi recusada e o Pulse não é membro do canal compartilhado da conta} no_route {o Slack ficou inacessível por uma semana} account_churned {a conta deu churn antes de a pesquisa sair} other {o Slack respondeu {code}}}',
  },
);
