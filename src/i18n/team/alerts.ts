import { messages } from './messages.ts';

/**
 * The incident message in its channel (PULSE_LOCALE), its thread replies, the Resolve modal, and the
 * escalation DMs (the recipient's locale). Mentions and channels arrive as values (`<@U…>`, `<#C…>`).
 */
export const alerts = messages(
  {
    'alert.health.enteredRed': 'Entered red: {score}/100',
    'alert.health.enteredRedFrom': 'Entered red: {score}/100 (was {previous})',
    'alert.health.fellFast': 'Fell {fall} points in {days} days ({peak} → {score})',
    'alert.health.renewalAtRisk':
      'Renewal in {days, plural, one {# day} other {# days}} ({date}) while {band, select, red {red} yellow {yellow} green {green} other {no data}}',
    'alert.billing.due': 'due {date}',
    'alert.billing.cardExpires': 'card expires {date}',
    'alert.billing.since': 'since {date}',
    'alert.changes.none': 'No component changed.',
    'alert.rule':
      '{kind, select, detractor {Sentiment red flag: an NPS answer of 0–6.} low_csat {Sentiment red flag: a CSAT answer of 2 or less.} no_first_value {Outcomes red flag: no success milestone reached in the expected time.} review_overdue {Relationship red flag: the success review is overdue for the tier.} other {Support red flag: an urgent ticket open more than 24 hours on a high-touch or exclusive account.}}',
    'alert.also': 'Also',
    'alert.causeResolved': 'resolved',
    'alert.field.tier': 'Tier',
    'alert.field.mrr': 'MRR',
    'alert.field.owner': 'Owner',
    'alert.field.renewal': 'Renewal',
    'alert.field.health': 'Health',
    'alert.field.account': 'Account',
    'alert.freshness.none': ':warning: No data received for this account yet.',
    'alert.freshness.stale': ':warning: No fresh data since {when}.',
    'alert.freshness.asOf': 'Data as of {when}.',
    'alert.status.snoozeEnded': ':alarm_clock: Snooze ended {at}: {still}',
    'alert.status.acknowledged': ':eyes: Acknowledged by {who} at {time}',
    'alert.status.snoozed': ':zzz: Snoozed by {who} until {until}',
    'alert.status.resolved': ':white_check_mark: Resolved by {who} at {time}',
    'alert.still.billing': 'still open, no payment has cleared it.',
    'alert.still.health': 'the condition still holds ({score}).',
    'alert.still.redFlag': 'still open, nobody has resolved it.',
    'alert.button.acknowledge': 'Acknowledge',
    'alert.button.snooze': 'Snooze',
    'alert.button.resolve': 'Resolve',
    'alert.button.scheduleReview': 'Schedule review',
    'alert.button.openStripe': 'Open in Stripe',
    'alert.button.reply': 'Reply to {name}',
    'alert.assign': 'Assign to…',
    'alert.resolveModal.title': 'Resolve alert',
    'alert.resolveModal.cancel': 'Cancel',
    'alert.resolveModal.label': 'What was done?',
    'alert.resolveModal.placeholder': 'e.g. Card updated by the customer; invoice paid.',
    'alert.resolveModal.empty': 'Say in a few words what was done.',
    'alert.reply.paymentCleared':
      ':white_check_mark: A later payment cleared this flag: the alert is resolved.',
    'alert.reply.conditionCleared':
      ':white_check_mark: The condition no longer holds: Pulse resolved the alert.',
    'alert.reply.redFlagCleared':
      ':white_check_mark: {reason, select, first_value_reached {The account reached its first milestone.} review_on_cadence {A success review was scheduled or held since.} ticket_no_longer_urgent {The ticket was solved or is no longer urgent.} other {The condition no longer holds.}} Pulse resolved the alert.',
    'alert.reply.snoozeOver': ':alarm_clock: Snooze over, still open: *{name}*: {headline}.',
    'alert.reply.added': ':heavy_plus_sign: Added to this incident: {headline}.',
    'alert.reply.assigned': ':bust_in_silhouette: {by} assigned this incident to {assignee}.',
    'alert.reply.escalated':
      ':rotating_light: Escalated: nobody acted on this alert for {hours, plural, one {# hour} other {# hours}}. {owner} was sent a direct message.',
    'alert.reply.escalatedNoOwner':
      ':rotating_light: Escalated: nobody acted on this alert for {hours, plural, one {# hour} other {# hours}}. The account has no owner to notify.',
    'alert.reply.escalatedToLeads':
      ':rotating_light: Escalated to the CS leads: still unacknowledged {hours, plural, one {# hour} other {# hours}} after the owner was told. {leads} {count, plural, one {was} other {were}} sent a direct message.',
    'alert.dm.escalation':
      ':rotating_light: Nobody has acted on this alert for {hours, plural, one {# hour} other {# hours}}: *{name}*: {headline}. It is in {channel}; {why, select, assigned {it is assigned to you.} other {you own this account.}}',
    'alert.dm.leadEscalation':
      ':rotating_light: Still unacknowledged {hours, plural, one {# hour} other {# hours}} after its owner was told: *{name}*: {headline}. It is in {channel}; you are a CS lead.',
  },
  {
    'alert.health.enteredRed': 'Entrou no vermelho: {score}/100',
    'alert.health.enteredRedFrom': 'Entrou no vermelho: {score}/100 (era {previous})',
    'alert.health.fellFast': 'Caiu {fall} pontos em {days} dias ({peak} → {score})',
    'alert.health.renewalAtRisk':
      'Renovação em {days, plural, one {# dia} other {# dias}} ({date}) com a conta {band, select, red {no vermelho} yellow {no amarelo} green {no verde} other {sem dados}}',
    'alert.billing.due': 'vence em {date}',
    'alert.billing.cardExpires': 'cartão expira em {date}',
    'alert.billing.since': 'desde {date}',
    'alert.changes.none': 'Nenhum componente mudou.',
    'alert.rule':
      '{kind, select, detractor {Bandeira vermelha de sentimento: uma nota de NPS entre 0 e 6.} low_csat {Bandeira vermelha de sentimento: uma nota de CSAT de 2 ou menos.} no_first_value {Bandeira vermelha de resultados: nenhum marco de sucesso atingido no prazo esperado.} review_overdue {Bandeira vermelha de relacionamento: a revisão de sucesso está atrasada para o modelo de atendimento.} other {Bandeira vermelha de suporte: um ticket urgente aberto há mais de 24 horas numa conta high-touch ou exclusive.}}',
    'alert.also': 'Também',
    'alert.causeResolved': 'resolvido',
    'alert.field.tier': 'Modelo de atendimento',
    'alert.field.mrr': 'MRR',
    'alert.field.owner': 'Responsável',
    'alert.field.renewal': 'Renovação',
    'alert.field.health': 'Health Score',
    'alert.field.account': 'Conta',
    'alert.freshness.none': ':warning: Ainda não chegou nenhum dado desta conta.',
    'alert.freshness.stale': ':warning: Sem dados novos desde {when}.',
    'alert.freshness.asOf': 'Dados de {when}.',
    'alert.status.snoozeEnded': ':alarm_clock: O adiamento terminou em {at}: {still}',
    'alert.status.acknowledged': ':eyes: Assumido por {who} às {time}',
    'alert.status.snoozed': ':zzz: Adiado por {who} até {until}',
    'alert.status.resolved': ':white_check_mark: Resolvido por {who} às {time}',
    'alert.still.billing': 'continua aberto, nenhum pagamento o compensou.',
    'alert.still.health': 'a condição continua valendo ({score}).',
    'alert.still.redFlag': 'continua aberto, ninguém o resolveu.',
    'alert.button.acknowledge': 'Assumir',
    'alert.button.snooze': 'Adiar',
    'alert.button.resolve': 'Resolver',
    'alert.button.scheduleReview': 'Agendar revisão',
    'alert.button.openStripe': 'Abrir no Stripe',
    'alert.button.reply': 'Responder a {name}',
    'alert.assign': 'Atribuir a…',
    'alert.resolveModal.title': 'Resolver alerta',
    'alert.resolveModal.cancel': 'Cancelar',
    'alert.resolveModal.label': 'O que foi feito?',
    'alert.resolveModal.placeholder': 'ex.: o cliente atualizou o cartão; fatura paga.',
    'alert.resolveModal.empty': 'Conte em poucas palavras o que foi feito.',
    'alert.reply.paymentCleared':
      ':white_check_mark: Um pagamento posterior compensou esta pendência: o alerta está resolvido.',
    'alert.reply.conditionCleared':
      ':white_check_mark: A condição deixou de valer: o Pulse resolveu o alerta.',
    'alert.reply.redFlagCleared':
      ':white_check_mark: {reason, select, first_value_reached {A conta atingiu o primeiro marco de sucesso.} review_on_cadence {Uma revisão de sucesso foi agendada ou realizada desde então.} ticket_no_longer_urgent {O ticket foi resolvido ou deixou de ser urgente.} other {A condição deixou de valer.}} O Pulse resolveu o alerta.',
    'alert.reply.snoozeOver': ':alarm_clock: Fim do adiamento, continua aberto: *{name}*: {headline}.',
    'alert.reply.added': ':heavy_plus_sign: Adicionado a este incidente: {headline}.',
    'alert.reply.assigned': ':bust_in_silhouette: {by} atribuiu este incidente a {assignee}.',
    'alert.reply.escalated':
      ':rotating_light: Escalado: ninguém agiu neste alerta em {hours, plural, one {# hora} other {# horas}}. {owner} recebeu uma mensagem direta.',
    'alert.reply.escalatedNoOwner':
      ':rotating_light: Escalado: ninguém agiu neste alerta em {hours, plural, one {# hora} other {# horas}}. A conta não tem responsável para avisar.',
    'alert.reply.escalatedToLeads':
      ':rotating_light: Escalado às lideranças de CS: ninguém assumiu o alerta {hours, plural, one {# hora} other {# horas}} depois de o responsável ser avisado. {leads} {count, plural, one {recebeu} other {receberam}} uma mensagem direta.',
    'alert.dm.escalation':
      ':rotating_light: Ninguém agiu neste alerta em {hours, plural, one {# hora} other {# horas}}: *{name}*: {headline}. Ele está em {channel}; {why, select, assigned {o incidente foi atribuído a você.} other {você é responsável por esta conta.}}',
    'alert.dm.leadEscalation':
      ':rotating_light: Ninguém assumiu este alerta {hours, plural, one {# hora} other {# horas}} depois de o responsável ser avisado: *{name}*: {headline}. Ele está em {channel}; você é liderança de CS.',
  },
);
