import { messages } from './messages.ts';

/** `/cs survey`: what the CS member who asked reads back (the customer's side is in en.ts / pt-BR.ts). */
export const surveyCommand = messages(
  {
    'sc.header': '{kind} survey for *{name}*:',
    'sc.line': '• {who}: {result}',
    'sc.contactedRecently':
      'not sent: surveyed on {last}, and the {gap}-day contact rule allows the next survey on {next}',
    'sc.surveyedElsewhere':
      'not sent: they were surveyed within the last {gap} days (under another contact or account)',
    'sc.queued': 'queued; Pulse sends it within a minute',
    'sc.sent':
      '{route, select, dm {sent by DM} channel_ephemeral {sent in {channel}, visible only to them (their DM was refused)} other {sent in {channel}, mentioning them (their DM was refused)}}',
    'sc.notDelivered': '*not delivered*: {reason}',
    'sc.reason':
      '{reason, select, no_slack_user {no Slack user has their e-mail, and the contact has no Slack user ID} no_shared_channel {their DM was refused and Pulse shares no channel with them (the account’s `channel_id` is unset or internal)} not_in_channel {their DM was refused and Pulse is not a member of the account’s shared channel} no_route {Slack could not be reached for a week} account_churned {the account churned before the survey went out} other {Slack answered {code}}}',
    'sc.retry': 'not sent yet: Slack answered {code}; Pulse keeps trying for a week',
    'sc.churned':
      '*{name}* has churned: Pulse never surveys a churned customer. After churn the CSM calls, after a cooling-off period.',
    'sc.noRecipient':
      '*{name}* has no champion to survey. Add one with `POST /api/v1/contacts` (role `champion`).',
  },
  {
    'sc.header': 'Pesquisa {kind} para *{name}*:',
    'sc.line': '• {who}: {result}',
    'sc.contactedRecently':
      'não enviada: pesquisado em {last}, e a regra de {gap} dias entre contatos só permite a próxima pesquisa em {next}',
    'sc.surveyedElsewhere':
      'não enviada: a pessoa foi pesquisada nos últimos {gap} dias (por outro contato ou conta)',
    'sc.queued': 'na fila; o Pulse a envia em até um minuto',
    'sc.sent':
      '{route, select, dm {enviada por DM} channel_ephemeral {enviada em {channel}, visível só para a pessoa (a DM foi recusada)} other {enviada em {channel}, mencionando a pessoa (a DM foi recusada)}}',
    'sc.notDelivered': '*não entregue*: {reason}',
    'sc.reason':
      '{reason, select, no_slack_user {nenhum usuário do Slack tem esse e-mail, e o contato não tem ID de usuário do Slack} no_shared_channel {a DM foi recusada e o Pulse não compartilha nenhum canal com a pessoa (o `channel_id` da conta não está definido ou é interno)} not_in_channel {a DM foi recusada e o Pulse não é membro do canal compartilhado da conta} no_route {o Slack ficou inacessível por uma semana} account_churned {a conta entrou em churn antes de a pesquisa sair} other {o Slack respondeu {code}}}',
    'sc.retry': 'ainda não enviada: o Slack respondeu {code}; o Pulse segue tentando por uma semana',
    'sc.churned':
      '*{name}* está em churn: o Pulse nunca pesquisa um cliente em churn. Depois do churn, o CSM liga, após um período de resfriamento.',
    'sc.noRecipient':
      '*{name}* não tem champion para pesquisar. Adicione um com `POST /api/v1/contacts` (papel `champion`).',
  },
);
