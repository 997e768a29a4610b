import { messages } from './messages.ts';

/**
 * The health card (`/cs health`, the Health card buttons), all but its component lines: the score line,
 * the account's fields, trend, billing flags, undelivered alerts, open incidents and the small print.
 */
export const healthCard = messages(
  {
    'card.text': '{name}: {score}',
    'card.churned': '_churned_',
    'card.stage':
      '{stage, select, onboarding {onboarding} adoption {adoption} expansion {expansion} renewal {renewal} other {{stage}}}',
    'card.field.tier': '*Tier*\n{tier} · {stage}',
    'card.field.owner': '*Owner*\n{owner}',
    'card.field.mrr': '*MRR*\n{mrr}',
    'card.field.renewal': '*Renewal*\n{date}',
    'card.trend': '*Trend* `{sparkline}` last {weeks} weeks · 7 days {change7d} · 30 days {change30d}',
    'card.flags.title': ':credit_card: *Open billing flags*',
    'card.flag':
      '{type, select, payment_failed {Payment failed} invoice_overdue {Invoice overdue} card_expiring {Card expiring} subscription_canceled {Subscription canceled} subscription_downgraded {Subscription downgraded} other {Dispute opened}}',
    'card.flag.due': 'due {date}',
    'card.flag.cardExpires': 'card expires {date}',
    'card.flag.since': 'since {date}',
    'card.shared.toAlertChannel':
      ":lock: {channel} is shared with the customer, so this account's alerts go to {alertChannel}.",
    'card.shared.nowhere':
      ':lock: {channel} is shared with the customer, so Pulse posts no alerts of this account there; set CS_ALERT_CHANNEL to receive them.',
    'card.undelivered.title':
      ':warning: *{count, plural, one {# alert} other {# alerts}} could not be posted*',
    'card.undelivered.refused': 'Pulse did not post it: {reason}',
    'card.undelivered.shared': '{channel} is shared outside the workspace',
    'card.undelivered.sharingUnknown':
      'Slack could not say whether {channel} is shared outside the workspace ({error})',
    'card.undelivered.fallback': '; nor in its fallback: {problem}',
    'card.undelivered.slackAnswered': 'Slack answered {error}{where}',
    'card.undelivered.where': ' in {channel}',
    'card.undelivered.advice':
      '{kind, select, not_in_channel {Pulse is not a member of the channel: invite it with /invite @pulse} channel_not_found {the channel does not exist or Pulse cannot see it: check the account’s channel ID} is_archived {the channel is archived: unarchive it or give the account another channel} token {the bot token is no longer valid: reinstall Pulse and update SLACK_BOT_TOKEN} other {the app lacks a scope: update it from manifest.json and reinstall}}',
    'card.freshness.none': ':warning: No data received for this account yet.',
    'card.freshness.stale': ':warning: No fresh data since {when}.',
    'card.freshness.asOf': 'Data as of {when}.',
    'card.review.next': 'Next success review: {when}',
    'card.review.due': 'No success review scheduled; the next is due by {date}.',
    'card.review.overdue': 'No success review scheduled; the next is due by {date} (overdue).',
    'card.review.none': 'No success review scheduled.',
    'card.incidents.title':
      ':rotating_light: *{count, plural, one {Open incident} other {# open incidents}}*',
    'card.incidents.line': '• {headline}{more} · owned by {owner}',
    'card.incidents.more': ' (and {count, number} more)',
  },
  {
    'card.text': '{name}: {score}',
    'card.churned': '_em churn_',
    'card.stage':
      '{stage, select, onboarding {onboarding} adoption {adoção} expansion {expansão} renewal {renovação} other {{stage}}}',
    'card.field.tier': '*Modelo de atendimento*\n{tier} · {stage}',
    'card.field.owner': '*Responsável*\n{owner}',
    'card.field.mrr': '*MRR*\n{mrr}',
    'card.field.renewal': '*Renovação*\n{date}',
    'card.trend':
      '*Tendência* `{sparkline}` últimas {weeks} semanas · 7 dias {change7d} · 30 dias {change30d}',
    'card.flags.title': ':credit_card: *Bandeiras vermelhas de cobrança em aberto*',
    'card.flag':
      '{type, select, payment_failed {Pagamento recusado} invoice_overdue {Fatura vencida} card_expiring {Cartão vencendo} subscription_canceled {Assinatura cancelada} subscription_downgraded {Downgrade da assinatura} other {Contestação aberta}}',
    'card.flag.due': 'vence em {date}',
    'card.flag.cardExpires': 'cartão vence em {date}',
    'card.flag.since': 'desde {date}',
    'card.shared.toAlertChannel':
      ':lock: {channel} é compartilhado com o cliente, por isso os alertas desta conta vão para {alertChannel}.',
    'card.shared.nowhere':
      ':lock: {channel} é compartilhado com o cliente, por isso o Pulse não publica ali alertas desta conta; defina CS_ALERT_CHANNEL para recebê-los.',
    'card.undelivered.title':
      ':warning: *{count, plural, one {# alerta não pôde ser publicado} other {# alertas não puderam ser publicados}}*',
    'card.undelivered.refused': 'O Pulse não o publicou: {reason}',
    'card.undelivered.shared': '{channel} é compartilhado fora do workspace',
    'card.undelivered.sharingUnknown':
      'o Slack não soube dizer se {channel} é compartilhado fora do workspace ({error})',
    'card.undelivered.fallback': '; nem no canal alternativo: {problem}',
    'card.undelivered.slackAnswered': 'O Slack respondeu {error}{where}',
    'card.undelivered.where': ' em {channel}',
    'card.undelivered.advice':
      '{kind, select, not_in_channel {o Pulse não é membro do canal: convide-o com /invite @pulse} channel_not_found {o canal não existe ou o Pulse não o enxerga: confira o ID do canal da conta} is_archived {o canal está arquivado: desarquive-o ou dê outro canal à conta} token {o token do bot não vale mais: reinstale o Pulse e atualize SLACK_BOT_TOKEN} other {falta um escopo ao app: atualize-o a partir do manifest.json e reinstale}}',
    'card.freshness.none': ':warning: Nenhum dado recebido desta conta até agora.',
    'card.freshness.stale': ':warning: Sem dados novos desde {when}.',
    'card.freshness.asOf': 'Dados de {when}.',
    'card.review.next': 'Próxima revisão de sucesso: {when}',
    'card.review.due': 'Nenhuma revisão de sucesso agendada; a próxima vence até {date}.',
    'card.review.overdue': 'Nenhuma revisão de sucesso agendada; a próxima venceu em {date} (atrasada).',
    'card.review.none': 'Nenhuma revisão de sucesso agendada.',
    'card.incidents.title':
      ':rotating_light: *{count, plural, one {Incidente aberto} other {# incidentes abertos}}*',
    'card.incidents.line': '• {headline}{more} · com {owner}',
    'card.incidents.more': ' (e mais {count, number})',
  },
);
