import { messages } from './messages.ts';

/**
 * What a red flag says of itself (its headline, its facts, its link) and Pulse's own resolve notes. They
 * are stored as a key and values (src/domain/stored-text.ts) when the flag is raised and rendered when
 * shown, so each reader gets them in their language: the alert in PULSE_LOCALE, the health card, App Home
 * and /cs timeline in the person's. The alert puts the flag's kind before the headline ("NPS detractor: "),
 * so a headline only says what happened. Values in `{…}` that are people's or systems' words arrive
 * escaped; `{date}` arrives written the reader's way.
 */
export const redFlags = messages(
  {
    'redFlag.headline.detractor': '{name} answered {score} to the NPS survey',
    'redFlag.headline.lowCsat': '{name} answered {score} of 5 to the CSAT survey',
    'redFlag.headline.noFirstValue':
      '{days, plural, one {# day} other {# days}} since the contract start without a milestone (alert after {after})',
    'redFlag.headline.reviewOverdue': '{review, select, rms {RMS} other {RTS}} was due by {date}',
    'redFlag.headline.urgentTicket':
      '#{id} open for {days, plural, =0 {{hours, plural, one {# hour} other {# hours}}} one {# day{hours, plural, =0 {} one { # hour} other { # hours}}} other {# days{hours, plural, =0 {} one { # hour} other { # hours}}}}',
    'redFlag.label':
      '{label, select, score {Score} comment {Comment} contract_start {Contract start} success_plan {Success plan} cadence {Cadence} last_review {Last review} subject {Subject} opened {Opened} other {Status}}',
    'redFlag.value.score': '{survey, select, csat {CSAT} other {NPS}} {score} from {name} ({email})',
    'redFlag.value.noComment': 'none yet (they were offered "Tell us why")',
    'redFlag.value.day': '{date}',
    'redFlag.value.plan':
      '{open, plural, =0 {no milestone planned} other {# planned, none reached{overdue, plural, =0 {} other {, # overdue}}}}',
    'redFlag.value.cadence':
      '{review, select, rms {RMS (monthly success review)} other {RTS (quarterly success review)}}, every {months, plural, one {month} other {# months}}',
    'redFlag.value.noReview': 'none yet',
    'redFlag.value.ticketStatus':
      '{status, select, new {new} open {open} pending {pending} hold {on hold} other {{status}}}',
    'redFlag.link.zendesk': 'Open in Zendesk',
    'alert.pulseNote':
      '{reason, select, flag_cleared {The billing flag was cleared by a later payment.} condition_cleared {The condition no longer holds.} first_value_reached {The account reached its first milestone.} review_on_cadence {A success review was scheduled or held since.} ticket_no_longer_urgent {The ticket was solved or is no longer urgent.} other {The condition no longer holds.}}',
  },
  {
    'redFlag.headline.detractor': '{name} deu nota {score} na pesquisa de NPS',
    'redFlag.headline.lowCsat': '{name} deu nota {score} de 5 na pesquisa de CSAT',
    'redFlag.headline.noFirstValue':
      '{days, plural, one {# dia} other {# dias}} desde o início do contrato sem nenhum marco de sucesso (alerta após {after})',
    'redFlag.headline.reviewOverdue':
      'a {review, select, rms {RMS} other {RTS}} deveria ter acontecido até {date}',
    'redFlag.headline.urgentTicket':
      '#{id} aberto há {days, plural, =0 {{hours, plural, one {# hora} other {# horas}}} one {# dia{hours, plural, =0 {} one { e # hora} other { e # horas}}} other {# dias{hours, plural, =0 {} one { e # hora} other { e # horas}}}}',
    'redFlag.label':
      '{label, select, score {Nota} comment {Comentário} contract_start {Início do contrato} success_plan {Plano de sucesso} cadence {Cadência} last_review {Última revisão} subject {Assunto} opened {Aberto em} other {Status}}',
    'redFlag.value.score': '{survey, select, csat {CSAT} other {NPS}} {score} de {name} ({email})',
    'redFlag.value.noComment': 'nenhum ainda (foi oferecido o "Conte-nos o porquê")',
    'redFlag.value.day': '{date}',
    'redFlag.value.plan':
      '{open, plural, =0 {nenhum marco planejado} one {# planejado, nenhum atingido{overdue, plural, =0 {} one {, # atrasado} other {, # atrasados}}} other {# planejados, nenhum atingido{overdue, plural, =0 {} one {, # atrasado} other {, # atrasados}}}}',
    'redFlag.value.cadence':
      '{review, select, rms {Revisão Mensal de Sucesso (RMS)} other {Revisão Trimestral de Sucesso (RTS)}}, {months, plural, one {todo mês} other {a cada # meses}}',
    'redFlag.value.noReview': 'nenhuma ainda',
    'redFlag.value.ticketStatus':
      '{status, select, new {novo} open {aberto} pending {pendente} hold {em espera} other {{status}}}',
    'redFlag.link.zendesk': 'Abrir no Zendesk',
    'alert.pulseNote':
      '{reason, select, flag_cleared {Um pagamento posterior compensou a pendência de cobrança.} condition_cleared {A condição deixou de valer.} first_value_reached {A conta atingiu o primeiro marco de sucesso.} review_on_cadence {Uma revisão de sucesso foi agendada ou realizada desde então.} ticket_no_longer_urgent {O ticket foi resolvido ou deixou de ser urgente.} other {A condição deixou de valer.}}',
  },
);
