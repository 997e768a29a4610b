import { messages } from './messages.ts';

/** The weekly digest, posted to the alert channel: the team's language (PULSE_LOCALE). */
export const digest = messages(
  {
    'digest.title': 'Weekly digest · week of {week}',
    'digest.text': 'Weekly digest: {bands}; {flags, plural, one {# open red flag} other {# open red flags}}',
    'digest.bandCount': '{count} {band, select, red {red} yellow {yellow} green {green} other {no data}}',
    'digest.cardMenu': 'Health card…',
    'digest.more': '…and {count} more',
    'digest.portfolio':
      '*Portfolio health* · {accounts, plural, one {# active account} other {# active accounts}}, change since last week',
    'digest.moversUp': 'Biggest movers up',
    'digest.moversUp.none': 'No account rose this week.',
    'digest.moversDown': 'Biggest movers down',
    'digest.moversDown.none': 'No account fell this week.',
    'digest.flags':
      '*Red flags* · {open, plural, one {# open flag} other {# open flags}}, {fresh, plural, other {# new}} this week',
    'digest.flags.billing': '{count, plural, one {# billing flag} other {# billing flags}}',
    'digest.flags.none': 'No open red flags. :tada:',
    'digest.flag.status':
      '{status, select, acknowledged {acknowledged} snoozed {snoozed} resolved {resolved} other {open}}',
    'digest.flag.kind':
      '{kind, select, detractor {NPS detractor} low_csat {Low CSAT} no_first_value {No first value yet} review_overdue {Success review overdue} urgent_ticket {Urgent ticket open over 24 h} other {Red flag}}',
    'digest.sentiment': 'Customer sentiment',
    'digest.sentiment.week': 'This week',
    'digest.sentiment.quarter': 'Last 90 days',
    'digest.nps': 'NPS *{nps}* ({count, plural, one {# response} other {# responses}})',
    'digest.nps.none': 'NPS no answers',
    'digest.csat': 'CSAT *{csat}* ({count, plural, one {# response} other {# responses}})',
    'digest.csat.none': 'CSAT no answers',
    'digest.reviews': '*Success reviews ahead* · {in30} in 30 days, {in60} in 60 days',
    'digest.reviews.none': 'None scheduled.',
    'digest.overdue': '*Overdue success reviews* · {count}',
    'digest.overdue.line': 'due {date} ({days, plural, one {# day} other {# days}} overdue)',
    'digest.overdue.none': 'None: every review is on cadence.',
    'digest.renewals': '*Renewals ahead* · {in30} in 30 days, {in60} in 60 days',
    'digest.renewals.perMonth': '{amount}/mo',
    'digest.renewals.none': 'No renewal in the next 60 days.',
    'digest.retention':
      '*Retention* · month to date: NRR {nrr} (last month {lastNrr}), GRR {grr} ({lastGrr}), logo churn {churn} ({lastChurn}) · MRR {mrr}',
    'digest.arrAtRisk': '*ARR at risk*',
    'digest.retention.otherCurrencies': 'also billed in {currencies}: `/cs metrics <currency>`',
    'digest.milestones': '*Milestones reached this week* · {count}',
    'digest.milestones.none': 'No milestone reached this week.',
    'digest.ttfv':
      '*Time to first value* · {count, plural, one {# account} other {# accounts}} reached first value this week',
    'digest.ttfv.median': 'median {days, plural, one {# day} other {# days}}',
    'digest.ttfv.portfolio':
      'Portfolio median: {days, plural, one {# day} other {# days}} over {accounts, plural, one {# account} other {# accounts}}',
    'digest.ttfv.portfolioNone': 'Portfolio median: no account has reached first value yet.',
    'digest.response':
      '*Response times* · incidents opened in the last {days, plural, one {# day} other {# days}}, median · p90',
    'digest.response.none':
      '*Response times* · no incident opened in the last {days, plural, one {# day} other {# days}}.',
    'digest.response.line':
      '{who} · {count, plural, one {# incident} other {# incidents}} · acknowledged {acknowledge} · resolved {resolve}',
    'digest.response.nobody': 'Nobody',
    'digest.footer':
      'Figures as of {at}. Pick an account in a menu to open its health card; `/cs digest` posts this digest now.',
  },
  {
    'digest.title': 'Resumo semanal · semana de {week}',
    'digest.text':
      'Resumo semanal: {bands}; {flags, plural, one {# bandeira vermelha aberta} other {# bandeiras vermelhas abertas}}',
    'digest.bandCount':
      '{count} {band, select, red {no vermelho} yellow {no amarelo} green {no verde} other {sem dados}}',
    'digest.cardMenu': 'Health Score…',
    'digest.more': '…e mais {count}',
    'digest.portfolio':
      '*Saúde da carteira* · {accounts, plural, one {# conta ativa} other {# contas ativas}}, variação desde a semana passada',
    'digest.moversUp': 'Maiores altas',
    'digest.moversUp.none': 'Nenhuma conta subiu nesta semana.',
    'digest.moversDown': 'Maiores quedas',
    'digest.moversDown.none': 'Nenhuma conta caiu nesta semana.',
    'digest.flags':
      '*Bandeiras vermelhas* · {open, plural, one {# aberta} other {# abertas}}, {fresh, plural, one {# nova} other {# novas}} nesta semana',
    'digest.flags.billing': '{count, plural, one {# de cobrança} other {# de cobrança}}',
    'digest.flags.none': 'Nenhuma bandeira vermelha aberta. :tada:',
    'digest.flag.status':
      '{status, select, acknowledged {assumida} snoozed {adiada} resolved {resolvida} other {aberta}}',
    'digest.flag.kind':
      '{kind, select, detractor {Detrator no NPS} low_csat {CSAT baixo} no_first_value {Ainda sem primeiro valor} review_overdue {Revisão de sucesso atrasada} urgent_ticket {Ticket urgente aberto há mais de 24 h} other {Bandeira vermelha}}',
    'digest.sentiment': 'Sentimento dos clientes',
    'digest.sentiment.week': 'Nesta semana',
    'digest.sentiment.quarter': 'Últimos 90 dias',
    'digest.nps': 'NPS *{nps}* ({count, plural, one {# resposta} other {# respostas}})',
    'digest.nps.none': 'NPS sem respostas',
    'digest.csat': 'CSAT *{csat}* ({count, plural, one {# resposta} other {# respostas}})',
    'digest.csat.none': 'CSAT sem respostas',
    'digest.reviews': '*Próximas revisões de sucesso* · {in30} em 30 dias, {in60} em 60 dias',
    'digest.reviews.none': 'Nenhuma agendada.',
    'digest.overdue': '*Revisões de sucesso atrasadas* · {count}',
    'digest.overdue.line': 'prevista para {date} ({days, plural, one {# dia} other {# dias}} de atraso)',
    'digest.overdue.none': 'Nenhuma: todas as revisões estão em dia.',
    'digest.renewals': '*Próximas renovações* · {in30} em 30 dias, {in60} em 60 dias',
    'digest.renewals.perMonth': '{amount}/mês',
    'digest.renewals.none': 'Nenhuma renovação nos próximos 60 dias.',
    'digest.retention':
      '*Retenção* · mês até agora: NRR {nrr} (mês passado {lastNrr}), GRR {grr} ({lastGrr}), churn de logos {churn} ({lastChurn}) · MRR {mrr}',
    'digest.arrAtRisk': '*ARR em risco*',
    'digest.retention.otherCurrencies': 'também cobrado em {currencies}: `/cs metrics <moeda>`',
    'digest.milestones': '*Marcos de sucesso atingidos nesta semana* · {count}',
    'digest.milestones.none': 'Nenhum marco de sucesso atingido nesta semana.',
    'digest.ttfv':
      '*Tempo até o primeiro valor (TTFV)* · {count, plural, one {# conta atingiu} other {# contas atingiram}} o primeiro valor nesta semana',
    'digest.ttfv.median': 'mediana de {days, plural, one {# dia} other {# dias}}',
    'digest.ttfv.portfolio':
      'Mediana da carteira: {days, plural, one {# dia} other {# dias}} em {accounts, plural, one {# conta} other {# contas}}',
    'digest.ttfv.portfolioNone': 'Mediana da carteira: nenhuma conta atingiu o primeiro valor ainda.',
    'digest.response':
      '*Tempos de resposta* · incidentes abertos nos últimos {days, plural, one {# dia} other {# dias}}, mediana · p90',
    'digest.response.none':
      '*Tempos de resposta* · nenhum incidente aberto nos últimos {days, plural, one {# dia} other {# dias}}.',
    'digest.response.line':
      '{who} · {count, plural, one {# incidente} other {# incidentes}} · assumidos em {acknowledge} · resolvidos em {resolve}',
    'digest.response.nobody': 'Ninguém',
    'digest.footer':
      'Números de {at}. Escolha uma conta num menu para abrir o Health Score dela; `/cs digest` publica este resumo agora.',
  },
);
