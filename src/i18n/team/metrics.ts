import { messages } from './messages.ts';

/** `/cs metrics`: retention figures, ARR at risk, renewals, the chart's upload, and the health back-test. */
export const metrics = messages(
  {
    'met.notStarted': 'That month has not started yet: name this month or an earlier one.',
    'met.quarter': 'Q{quarter} {year}',
    'met.days': '{days} days',
    'met.row': '{label}: *{now}*  ({previous}: {before})',
    'met.label':
      '{label, select, mrr {MRR at the start → end} new {New + reactivated} expansion {Expansion} contraction {Contraction} churned {Churned} nrr {NRR} grr {GRR} logoChurn {Logo churn} expansionRate {Expansion rate} arpa {ARPA} ltv {LTV} other {Time to onboard (median)}}',
    'met.ltvNoChurn': 'n/a (no churn)',
    'met.renewals': 'Within {days} days: {count, plural, one {# renewal} other {# renewals}}{detail}',
    'met.header': 'Retention: {period}',
    'met.scope': '{from} to {to}{owner}, in {currency}; beside each figure, {previous}.',
    'met.ownerScope': " for {owner}'s accounts",
    'met.atRisk':
      '*ARR at risk now*: :red_circle: {redArr} ({red, plural, one {# account} other {# accounts}})  :large_yellow_circle: {yellowArr} ({yellow, plural, one {# account} other {# accounts}})',
    'met.surveys':
      '*NPS* {nps} ({npsAnswers, plural, one {# answer} other {# answers}})  *CSAT* {csat} ({csatAnswers, plural, one {# answer} other {# answers}}), surveys sent in the period',
    'met.chartInDm': ':bar_chart: The last 12 months are charted in your DM with Pulse.',
    'met.otherCurrencies':
      'Accounts also bill in {currencies}: not converted; add the currency, e.g. `/cs metrics {first}`.',
    'met.text': 'Retention {period}: NRR {nrr}, GRR {grr}, logo churn {churn}.',
    'met.chart.title': 'Retention, last 12 months ({currency})',
    'met.chart.alt': 'MRR movements and NRR by month, and accounts by health band, over the last 12 months',
    'met.chart.comment': 'The last 12 months, for /cs metrics {period}.',
    'met.bt.band': '{emoji} {rate} of {accounts, plural, one {# account} other {# accounts}}',
    'met.bt.header': 'Did the health score predict churn?',
    'met.bt.summary':
      'Of {churned, plural, one {# account} other {# accounts}} churned in the last 12 months, {scored} had a score {days} days before: *{red}* were red, *{redOrYellow}* red or yellow.',
    'met.bt.byBand': 'Churned since {date}, by the band they were in that day: {bands}',
    'met.bt.advice':
      'A score that predicts churn has a high red share and a red churn rate well above green. Tune the weights and bands with this.',
    'met.bt.text': 'Health back-test ({days} days): {share} of churned accounts were red before.',
  },
  {
    'met.notStarted': 'Esse mês ainda não começou: informe este mês ou um anterior.',
    'met.quarter': '{quarter}º tri {year}',
    'met.days': '{days} dias',
    'met.row': '{label}: *{now}*  ({previous}: {before})',
    'met.label':
      '{label, select, mrr {MRR no início → fim} new {Novo + reativado} expansion {Expansão} contraction {Contração} churned {Churn} nrr {NRR} grr {GRR} logoChurn {Churn de logos} expansionRate {Taxa de expansão} arpa {ARPA} ltv {LTV} other {Tempo de onboarding (mediana)}}',
    'met.ltvNoChurn': 'n/d (sem churn)',
    'met.renewals': 'Em até {days} dias: {count, plural, one {# renovação} other {# renovações}}{detail}',
    'met.header': 'Retenção: {period}',
    'met.scope': 'De {from} a {to}{owner}, em {currency}; ao lado de cada número, {previous}.',
    'met.ownerScope': ', contas de {owner}',
    'met.atRisk':
      '*ARR em risco agora*: :red_circle: {redArr} ({red, plural, one {# conta} other {# contas}})  :large_yellow_circle: {yellowArr} ({yellow, plural, one {# conta} other {# contas}})',
    'met.surveys':
      '*NPS* {nps} ({npsAnswers, plural, one {# resposta} other {# respostas}})  *CSAT* {csat} ({csatAnswers, plural, one {# resposta} other {# respostas}}), pesquisas enviadas no período',
    'met.chartInDm': ':bar_chart: Os últimos 12 meses estão no gráfico na sua DM com o Pulse.',
    'met.otherCurrencies':
      'Há contas que também faturam em {currencies}: sem conversão; informe a moeda, por exemplo `/cs metrics {first}`.',
    'met.text': 'Retenção {period}: NRR {nrr}, GRR {grr}, churn de logos {churn}.',
    'met.chart.title': 'Retenção, últimos 12 meses ({currency})',
    'met.chart.alt':
      'Movimentos de MRR e NRR por mês, e contas por faixa de Health Score, nos últimos 12 meses',
    'met.chart.comment': 'Os últimos 12 meses, para /cs metrics {period}.',
    'met.bt.band': '{emoji} {rate} de {accounts, plural, one {# conta} other {# contas}}',
    'met.bt.header': 'O Health Score previu o churn?',
    'met.bt.summary':
      'Das {churned, plural, one {# conta} other {# contas}} em churn nos últimos 12 meses, {scored} tinham Health Score {days} dias antes: *{red}* estavam no vermelho, *{redOrYellow}* no vermelho ou no amarelo.',
    'met.bt.byBand': 'Churn desde {date}, pela faixa em que estavam naquele dia: {bands}',
    'met.bt.advice':
      'Um Health Score que prevê churn tem muitas contas no vermelho e uma taxa de churn no vermelho bem acima da do verde. Ajuste os pesos e as faixas com isto.',
    'met.bt.text':
      'Back-test do Health Score ({days} dias): {share} das contas em churn estavam no vermelho antes.',
  },
);
