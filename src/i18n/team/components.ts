import { messages } from './messages.ts';

/** Why each built-in component of the health score scores what it does, on the card. */
export const components = messages(
  {
    'component.usage.levelOfSeats':
      '{active, plural, one {# active user} other {# active users}} a day of {seats, plural, one {# seat} other {# seats}}',
    'component.usage.level': '{active, plural, one {# active user} other {# active users}} a day',
    'component.usage.trend': '{change}% vs the 4 weeks before',
    'component.usage.sticky': 'DAU/MAU {dauMau} of {mau, number} monthly users',
    'component.usage.stickyWithWau': 'DAU/MAU {dauMau}, WAU/MAU {wauMau} of {mau, number} monthly users',
    'component.support': '{open, plural, one {# open ticket} other {# open tickets}}',
    'component.support.long':
      '{open, plural, one {# open ticket} other {# open tickets}}, {long, number} open for 14+ days',
    'component.billing.open': '{open, plural, one {# open billing flag} other {# open billing flags}}',
    'component.billing.none': 'no open billing flag',
    'component.relationship.champions': '{champions, plural, one {# champion} other {# champions}} in place',
    'component.relationship.noChampion':
      'no champion among {contacts, plural, one {# contact} other {# contacts}}',
    'component.relationship.reviewOverdue': 'success review overdue (due {date})',
    'component.relationship.reviewOnCadence': 'success reviews on cadence (next due {date})',
    'component.outcomes':
      '{reached, plural, one {# milestone} other {# milestones}} reached, {overdue, number} overdue',
    'component.sentiment': 'from {answers, number} recent survey answers',
  },
  {
    'component.usage.levelOfSeats':
      '{active, plural, one {# usuário ativo} other {# usuários ativos}} por dia, de {seats, plural, one {# licença} other {# licenças}}',
    'component.usage.level': '{active, plural, one {# usuário ativo} other {# usuários ativos}} por dia',
    'component.usage.trend': '{change}% em relação às 4 semanas anteriores',
    'component.usage.sticky': 'DAU/MAU {dauMau} de {mau, number} usuários mensais',
    'component.usage.stickyWithWau': 'DAU/MAU {dauMau}, WAU/MAU {wauMau} de {mau, number} usuários mensais',
    'component.support': '{open, plural, one {# ticket aberto} other {# tickets abertos}}',
    'component.support.long':
      '{open, plural, one {# ticket aberto} other {# tickets abertos}}, {long, number} abertos há 14 dias ou mais',
    'component.billing.open':
      '{open, plural, one {# bandeira vermelha de cobrança aberta} other {# bandeiras vermelhas de cobrança abertas}}',
    'component.billing.none': 'nenhuma bandeira vermelha de cobrança aberta',
    'component.relationship.champions':
      '{champions, plural, one {# champion ativo} other {# champions ativos}}',
    'component.relationship.noChampion':
      'nenhum champion entre {contacts, plural, one {# contato} other {# contatos}}',
    'component.relationship.reviewOverdue': 'revisão de sucesso atrasada (prevista para {date})',
    'component.relationship.reviewOnCadence': 'revisões de sucesso em dia (a próxima até {date})',
    'component.outcomes':
      '{reached, plural, one {# marco de sucesso atingido} other {# marcos de sucesso atingidos}}, {overdue, number} atrasados',
    'component.sentiment': 'a partir de {answers, number} respostas recentes a pesquisas',
  },
);
