import { messages } from './messages.ts';

/** The App Home (each person's own Slack locale): their book of business, or a CS lead's whole portfolio. */
export const home = messages(
  {
    'home.title.portfolio': 'Portfolio health',
    'home.title.mine': 'Your book of business',
    'home.summary':
      '{accounts, plural, one {# active account} other {# active accounts}} · {red} {redCount} red · {yellow} {yellowCount} yellow · {green} {greenCount} green',
    'home.summaryNoData': '{none} {count} no data',
    'home.updated': 'updated {at}',
    'home.byCsm': 'By CSM',
    'home.csmLine':
      '{owner} · {accounts, plural, one {# account} other {# accounts}} · ARR {arr} · {bands} · NRR last month {nrr} · {incidents, plural, one {# open incident} other {# open incidents}}',
    'home.noOwner': 'no owner',
    'home.noAccounts.portfolio': 'No active accounts yet.',
    'home.noAccounts.mine':
      'You own no active accounts. Accounts name their owner in `owner_slack_id` (ingestion API or CSV import); `/cs accounts` shows the whole portfolio.',
    'home.worstFirst.portfolio': '*Worst first*',
    'home.worstFirst.mine': '*Your accounts*, worst first',
    'home.trend': '{arrow} {change} in 7 days',
    'home.openFlags': '{count, plural, one {# open flag} other {# open flags}}',
    'home.pages': 'Accounts {from}–{to} of {total}.',
    'home.pagesRed': '`/cs accounts red` lists every red account.',
    'home.next': 'Next {count}',
    'home.first': 'First {count}',
    'home.more': '…and {count} more.',
    'home.incidents.portfolio': 'Open incidents',
    'home.incidents.mine': 'Your open incidents',
    'home.incidents.none': 'None open. :tada:',
    'home.incidents.hint': 'Each incident is in its channel, with its buttons.',
    'home.incident.ownedBy': 'owned by {owner}',
    'home.incident.status':
      '{status, select, acknowledged {acknowledged} snoozed {snoozed} resolved {resolved} other {open}}',
    'home.reviews': 'Next success reviews',
    'home.reviews.none':
      "None scheduled. *Schedule a review* in an account's menu, or `/cs rts <account>`, books one.",
    'home.milestones': 'Overdue milestones',
    'home.milestones.plannedFor': '(planned for {date})',
    'home.milestones.none': 'None: every planned milestone is on time.',
    'home.milestones.hint': '`/cs milestones <account>` shows a success plan.',
    'home.refused.hint': '`/cs help` lists what Pulse can do.',
  },
  {
    'home.title.portfolio': 'Saúde da carteira',
    'home.title.mine': 'Sua carteira',
    'home.summary':
      '{accounts, plural, one {# conta ativa} other {# contas ativas}} · {red} {redCount} no vermelho · {yellow} {yellowCount} no amarelo · {green} {greenCount} no verde',
    'home.summaryNoData': '{none} {count} sem dados',
    'home.updated': 'atualizado {at}',
    'home.byCsm': 'Por CSM',
    'home.csmLine':
      '{owner} · {accounts, plural, one {# conta} other {# contas}} · ARR {arr} · {bands} · NRR do mês passado {nrr} · {incidents, plural, one {# incidente aberto} other {# incidentes abertos}}',
    'home.noOwner': 'sem responsável',
    'home.noAccounts.portfolio': 'Ainda não há contas ativas.',
    'home.noAccounts.mine':
      'Você não é responsável por nenhuma conta ativa. Cada conta indica o responsável em `owner_slack_id` (API de ingestão ou importação CSV); `/cs accounts` mostra a carteira inteira.',
    'home.worstFirst.portfolio': '*Piores primeiro*',
    'home.worstFirst.mine': '*Suas contas*, piores primeiro',
    'home.trend': '{arrow} {change} em 7 dias',
    'home.openFlags':
      '{count, plural, one {# bandeira vermelha aberta} other {# bandeiras vermelhas abertas}}',
    'home.pages': 'Contas {from}–{to} de {total}.',
    'home.pagesRed': '`/cs accounts red` lista todas as contas no vermelho.',
    'home.next': 'Próximas {count}',
    'home.first': 'Primeiras {count}',
    'home.more': '…e mais {count}.',
    'home.incidents.portfolio': 'Incidentes abertos',
    'home.incidents.mine': 'Seus incidentes abertos',
    'home.incidents.none': 'Nenhum aberto. :tada:',
    'home.incidents.hint': 'Cada incidente está no seu canal, com os seus botões.',
    'home.incident.ownedBy': 'com {owner}',
    'home.incident.status':
      '{status, select, acknowledged {assumido} snoozed {adiado} resolved {resolvido} other {aberto}}',
    'home.reviews': 'Próximas revisões de sucesso',
    'home.reviews.none':
      'Nenhuma agendada. *Agendar uma revisão*, no menu de uma conta, ou `/cs rts <conta>` marca uma.',
    'home.milestones': 'Marcos de sucesso atrasados',
    'home.milestones.plannedFor': '(previsto para {date})',
    'home.milestones.none': 'Nenhum: todos os marcos planejados estão em dia.',
    'home.milestones.hint': '`/cs milestones <conta>` mostra um plano de sucesso.',
    'home.refused.hint': '`/cs help` lista o que o Pulse sabe fazer.',
  },
);
