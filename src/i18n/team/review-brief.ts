import { messages } from './messages.ts';

/**
 * After scheduling (reviews.ts): the pre-review brief and its talking points, the outcome reminder and
 * modal, the goals and their monthly report, and what the review buttons and modals answer.
 */
export const reviewBrief = messages(
  {
    'brief.title': 'Review brief: {name}',
    'brief.since':
      '{lastReview, select, yes {figures since the last review ({date})} other {figures since {date}}}',
    'brief.meeting': 'meeting {when}',
    'brief.goals': '*Goals from the last review*\n{lines}',
    'brief.goals.none': '_No goals recorded at the last review._',
    'brief.health': '*Health*\n{health}',
    'brief.health.was': '{score} (was {from})',
    'brief.usage': '*Active users a day*\n{before} → {now}',
    'brief.tickets': '*Open tickets*\n{before} → {now}',
    'brief.surveys': '*NPS / CSAT*\n{nps} ({npsAnswers}) / {csat} ({csatAnswers})',
    'brief.flags': '*Billing red flags*\n{flags}',
    'brief.flags.none': 'none open',
    'brief.renewal': '*Renewal*\n{date}',
    'brief.milestones': '*Milestones*\n{lines}',
    'brief.milestones.none': '_None reached or overdue._',
    'brief.milestone.overdue': '{title}: overdue since {date}',
    'brief.points': '*Talking points*\n{lines}',
    'brief.sincePhrase': '{since, select, review {since the last review} other {over the period}}',
    'brief.point.billingFlags':
      '{count, plural, one {# billing red flag open: settle it} other {# billing red flags open: settle them}} before talking about expansion.',
    'brief.point.renewal':
      'Renewal on {date}, in {days, plural, one {# day} other {# days}}: confirm the decision makers and the renewal plan.',
    'brief.point.usageFell':
      'Usage fell {change}% {since} ({before} → {now} active users a day): ask what changed.',
    'brief.point.usageGrew':
      'Usage grew {change}% {since} ({before} → {now} active users a day): open with it.',
    'brief.point.healthFell': 'Health fell from {from} to {now} {since}: walk through what drove it down.',
    'brief.point.healthRose': 'Health rose from {from} to {now} {since}: name what worked.',
    'brief.point.goalMissed': 'Goal missed: {goal}. Agree on what gets it back on track.',
    'brief.point.goalOpen': 'Goal not met yet: {goal}. Check what blocks it.',
    'brief.point.goalsMet': 'Celebrate {count, plural, one {# goal} other {# goals}} met: {names}.',
    'brief.point.noGoals': 'No goals were recorded at the last review: set measurable ones this time.',
    'brief.point.milestonesOverdue':
      '{count, plural, one {# milestone} other {# milestones}} overdue ({names}): re-plan them together.',
    'brief.point.milestonesReached':
      'Celebrate {count, plural, one {# milestone} other {# milestones}} reached: {names}.',
    'brief.point.npsNegative': 'NPS is {nps} {since}: hear out the detractors.',
    'brief.point.csatLow': 'CSAT is {percent}% {since}: ask where support fell short.',
    'brief.point.ticketsRose': 'Open support tickets rose from {from} to {now}: review the open ones.',
    'brief.point.quiet': 'No warning signs: use the time for the next period’s goals and expansion.',

    'goal.line':
      '{measured, select, yes {{description} ({metric} {sign} {target}) by {due}} other {{description} by {due}}}',
    'goal.state':
      '{state, select, met {met} on_track {not met yet} missed {missed} no_data {no data for the metric} other {not measured by Pulse}}',
    'goal.stateNow': '{state} (now {current})',
    'goal.problem':
      '{problem, select, description {Describe the goal.} dueMissing {Pick the date the goal is due.} duePast {The due date must be after today.} target {The target must be a number.} metricNeedsTarget {A metric needs ≥ or ≤ and a target number.} metricMissing {Name the metric the target is for.} other {A metric name is letters, digits and _ (e.g. active_users).}}',

    'outcome.reminder':
      ':memo: How did the {label} with *{name}* ({when}) go? Record the goals agreed for the next period: Pulse tracks them monthly until the next review.',
    'outcome.reminderText': 'Record the outcome of the success review with {name}',
    'outcome.record': 'Record the outcome',
    'outcome.intro':
      'Goals agreed with *{name}* at the review of {when}. Name a metric Pulse receives (e.g. `active_users`) and it tracks the goal. Leave a goal empty to skip it.',
    'outcome.goalN': 'Goal {n}',
    'outcome.goal': 'Goal',
    'outcome.goalExample': 'e.g. Roll out to the sales team',
    'outcome.metric': 'Metric',
    'outcome.metricExample': 'e.g. active_users',
    'outcome.comparison': 'Comparison',
    'outcome.atLeast': '≥ at least',
    'outcome.atMost': '≤ at most',
    'outcome.target': 'Target',
    'outcome.dueBy': 'Due by',
    'outcome.title': 'Review outcome',
    'outcome.save': 'Save goals',
    'outcome.saved':
      ':dart: Saved {count, plural, one {# goal} other {# goals}} for {name}: {goals}. Pulse reports on them monthly until the next review, and in its brief.',
    'outcome.atLeastOne': 'Record at least one goal.',
    'outcome.canceled': 'This review was canceled: there is no outcome to record.',

    'goals.reportText': 'Goals of {name}, {month}',
    'goals.report': ':dart: *Goals of {name}* ({key}), {month}\n{lines}',
    'goals.briefHint': '`/cs rts {key} brief` shows the full brief.',

    'rts.canceled': ':x: The {label} with *{name}* on {when} was canceled by {by}.',
    'rts.notScheduled': 'This review is no longer scheduled (it was held or canceled).',
    'rts.reviewGone': 'This review no longer exists.',
    'rts.pickDate': 'Pick the date of the meeting.',
    'rts.pickTime': 'Pick the time of the meeting.',
    'rts.pickDuration': 'Pick a duration.',
    'rts.modal.alreadyScheduled':
      '{name} already has a review scheduled: use Reschedule on its confirmation, or /cs rts {key} again.',
    'rts.modal.when':
      '{reason, select, date {{date} is not a date: use YYYY-MM-DD.} time {{time} is not a time of day: use HH:MM, 00:00 to 23:59.} calendar {{date} does not exist on the calendar.} zone {{zone} is not a time zone Pulse knows.} skipped {{date} {time} does not exist in {zone}: the clocks skip it for daylight saving. Pick another time.} other {{date} {time} ({zone}) is in the past. Give a date and time still to come.}}',
  },
  {
    'brief.title': 'Briefing da revisão: {name}',
    'brief.since':
      '{lastReview, select, yes {números desde a última revisão ({date})} other {números desde {date}}}',
    'brief.meeting': 'reunião {when}',
    'brief.goals': '*Metas da última revisão*\n{lines}',
    'brief.goals.none': '_Nenhuma meta registrada na última revisão._',
    'brief.health': '*Health Score*\n{health}',
    'brief.health.was': '{score} (era {from})',
    'brief.usage': '*Usuários ativos por dia*\n{before} → {now}',
    'brief.tickets': '*Tickets abertos*\n{before} → {now}',
    'brief.surveys': '*NPS / CSAT*\n{nps} ({npsAnswers}) / {csat} ({csatAnswers})',
    'brief.flags': '*Bandeiras vermelhas de cobrança*\n{flags}',
    'brief.flags.none': 'nenhuma aberta',
    'brief.renewal': '*Renovação*\n{date}',
    'brief.milestones': '*Marcos de sucesso*\n{lines}',
    'brief.milestones.none': '_Nenhum atingido ou atrasado._',
    'brief.milestone.overdue': '{title}: atrasado desde {date}',
    'brief.points': '*Pontos para a conversa*\n{lines}',
    'brief.sincePhrase': '{since, select, review {desde a última revisão} other {no período}}',
    'brief.point.billingFlags':
      '{count, plural, one {# bandeira vermelha de cobrança aberta: resolva-a} other {# bandeiras vermelhas de cobrança abertas: resolva-as}} antes de falar em expansão.',
    'brief.point.renewal':
      'Renovação em {date}, daqui a {days, plural, one {# dia} other {# dias}}: confirme os decisores e o plano de renovação.',
    'brief.point.usageFell':
      'O uso caiu {change}% {since} ({before} → {now} usuários ativos por dia): pergunte o que mudou.',
    'brief.point.usageGrew':
      'O uso cresceu {change}% {since} ({before} → {now} usuários ativos por dia): comece por aí.',
    'brief.point.healthFell':
      'O Health Score caiu de {from} para {now} {since}: repassem juntos o que o derrubou.',
    'brief.point.healthRose': 'O Health Score subiu de {from} para {now} {since}: destaque o que funcionou.',
    'brief.point.goalMissed': 'Meta não cumprida: {goal}. Combinem o que a coloca de volta nos trilhos.',
    'brief.point.goalOpen': 'Meta ainda não cumprida: {goal}. Veja o que a está travando.',
    'brief.point.goalsMet':
      'Comemore {count, plural, one {# meta cumprida} other {# metas cumpridas}}: {names}.',
    'brief.point.noGoals':
      'Nenhuma meta foi registrada na última revisão: defina metas mensuráveis desta vez.',
    'brief.point.milestonesOverdue':
      '{count, plural, one {# marco de sucesso atrasado} other {# marcos de sucesso atrasados}} ({names}): replanejem juntos.',
    'brief.point.milestonesReached':
      'Comemore {count, plural, one {# marco de sucesso atingido} other {# marcos de sucesso atingidos}}: {names}.',
    'brief.point.npsNegative': 'O NPS está em {nps} {since}: ouça os detratores.',
    'brief.point.csatLow': 'O CSAT está em {percent}% {since}: pergunte onde o suporte deixou a desejar.',
    'brief.point.ticketsRose':
      'Os tickets de suporte abertos subiram de {from} para {now}: revise os que estão abertos.',
    'brief.point.quiet':
      'Nenhum sinal de alerta: use o tempo para as metas do próximo período e para a expansão.',

    'goal.line':
      '{measured, select, yes {{description} ({metric} {sign} {target}) até {due}} other {{description} até {due}}}',
    'goal.state':
      '{state, select, met {cumprida} on_track {ainda não cumprida} missed {não cumprida} no_data {sem dados da métrica} other {não medida pelo Pulse}}',
    'goal.stateNow': '{state} (agora {current})',
    'goal.problem':
      '{problem, select, description {Descreva a meta.} dueMissing {Escolha a data de prazo da meta.} duePast {O prazo precisa ser depois de hoje.} target {O valor-alvo precisa ser um número.} metricNeedsTarget {Uma métrica precisa de ≥ ou ≤ e de um valor-alvo numérico.} metricMissing {Informe a métrica a que o valor-alvo se refere.} other {O nome de uma métrica tem letras, dígitos e _ (ex.: active_users).}}',

    'outcome.reminder':
      ':memo: Como foi a {label} com *{name}* ({when})? Registre as metas combinadas para o próximo período: o Pulse as acompanha todo mês até a próxima revisão.',
    'outcome.reminderText': 'Registre o resultado da revisão de sucesso com {name}',
    'outcome.record': 'Registrar o resultado',
    'outcome.intro':
      'Metas combinadas com *{name}* na revisão de {when}. Informe uma métrica que o Pulse recebe (ex.: `active_users`) e ele acompanha a meta. Deixe uma meta em branco para ignorá-la.',
    'outcome.goalN': 'Meta {n}',
    'outcome.goal': 'Meta',
    'outcome.goalExample': 'ex.: Implantar no time de vendas',
    'outcome.metric': 'Métrica',
    'outcome.metricExample': 'ex.: active_users',
    'outcome.comparison': 'Comparação',
    'outcome.atLeast': '≥ no mínimo',
    'outcome.atMost': '≤ no máximo',
    'outcome.target': 'Valor-alvo',
    'outcome.dueBy': 'Prazo',
    'outcome.title': 'Resultado da revisão',
    'outcome.save': 'Salvar metas',
    'outcome.saved':
      ':dart: {count, plural, one {# meta salva} other {# metas salvas}} para {name}: {goals}. O Pulse informa como elas estão todo mês até a próxima revisão, e no briefing.',
    'outcome.atLeastOne': 'Registre pelo menos uma meta.',
    'outcome.canceled': 'Esta revisão foi cancelada: não há resultado a registrar.',

    'goals.reportText': 'Metas de {name}, {month}',
    'goals.report': ':dart: *Metas de {name}* ({key}), {month}\n{lines}',
    'goals.briefHint': '`/cs rts {key} brief` mostra o briefing completo.',

    'rts.canceled': ':x: A {label} com *{name}* em {when} foi cancelada por {by}.',
    'rts.notScheduled': 'Esta revisão não está mais agendada (já aconteceu ou foi cancelada).',
    'rts.reviewGone': 'Esta revisão não existe mais.',
    'rts.pickDate': 'Escolha a data da reunião.',
    'rts.pickTime': 'Escolha o horário da reunião.',
    'rts.pickDuration': 'Escolha uma duração.',
    'rts.modal.alreadyScheduled':
      '{name} já tem uma revisão agendada: use Remarcar na confirmação, ou /cs rts {key} de novo.',
    'rts.modal.when':
      '{reason, select, date {{date} não é uma data: use AAAA-MM-DD.} time {{time} não é um horário: use HH:MM, de 00:00 a 23:59.} calendar {{date} não existe no calendário.} zone {{zone} não é um fuso horário que o Pulse conheça.} skipped {{date} {time} não existe em {zone}: o relógio pula esse horário no horário de verão. Escolha outro.} other {{date} {time} ({zone}) já passou. Informe uma data e hora futuras.}}',
  },
);
