import { messages } from './messages.ts';

/**
 * Words that several team surfaces share (alerts, digest, App Home, review brief): bands, health
 * components, billing and other red flags, and the placeholders for a missing value.
 */
export const labels = messages(
  {
    'label.band': '{band, select, red {red} yellow {yellow} green {green} other {no data}}',
    'label.score': '{score}/100 {band, select, red {red} yellow {yellow} green {green} other {}}',
    'label.noData': 'no data',
    'label.notAvailable': 'n/a',
    'label.notSet': 'not set',
    'label.noOwner': 'no owner',
    'label.nobody': 'nobody',
    'label.component':
      '{component, select, usage {Usage} outcomes {Outcomes} sentiment {Sentiment} support {Support} billing {Billing} relationship {Relationship} other {{component}}}',
    'label.billingFlag':
      '{type, select, payment_failed {Payment failed} invoice_overdue {Invoice overdue} card_expiring {Card expiring} subscription_canceled {Subscription canceled} subscription_downgraded {Subscription downgraded} other {Dispute opened}}',
    'label.redFlag':
      '{kind, select, detractor {NPS detractor} low_csat {Low CSAT} no_first_value {No first value} review_overdue {Success review overdue} other {Urgent ticket open over 24 h}}',
    'label.review':
      '{kind, select, rms {RMS (monthly success review)} other {RTS (quarterly success review)}}',
    'label.reviewShort': '{kind, select, rms {RMS} other {RTS}}',
    'label.andMore': '(and {count} more)',
    'label.andMoreLine': '…and {count, number} more',
    'label.days': '{days, plural, one {# day} other {# days}}',
    'label.hours': '{hours, plural, one {# hour} other {# hours}}',
    'label.accounts': '{count, plural, one {# account} other {# accounts}}',
    'label.responses': '{count, plural, one {# response} other {# responses}}',
    'label.healthCard': 'Health card',
    'label.logMilestone': 'Log a milestone',
    'label.scheduleReview': 'Schedule a review',
    'label.close': 'Close',
    'label.cancel': 'Cancel',
    'label.done': 'Done',
  },
  {
    'label.band': '{band, select, red {vermelho} yellow {amarelo} green {verde} other {sem dados}}',
    'label.score': '{score}/100 {band, select, red {vermelho} yellow {amarelo} green {verde} other {}}',
    'label.noData': 'sem dados',
    'label.notAvailable': 'n/d',
    'label.notSet': 'não definida',
    'label.noOwner': 'sem responsável',
    'label.nobody': 'ninguém',
    'label.component':
      '{component, select, usage {Uso} outcomes {Resultados} sentiment {Sentimento} support {Suporte} billing {Cobrança} relationship {Relacionamento} other {{component}}}',
    'label.billingFlag':
      '{type, select, payment_failed {Pagamento recusado} invoice_overdue {Fatura vencida} card_expiring {Cartão vencendo} subscription_canceled {Assinatura cancelada} subscription_downgraded {Downgrade da assinatura} other {Contestação aberta}}',
    'label.redFlag':
      '{kind, select, detractor {Detrator no NPS} low_csat {CSAT baixo} no_first_value {Sem primeiro valor} review_overdue {Revisão de sucesso atrasada} other {Ticket urgente aberto há mais de 24 h}}',
    'label.review':
      '{kind, select, rms {Revisão Mensal de Sucesso (RMS)} other {Revisão Trimestral de Sucesso (RTS)}}',
    'label.reviewShort': '{kind, select, rms {RMS} other {RTS}}',
    'label.andMore': '(e mais {count})',
    'label.andMoreLine': '…e mais {count, number}',
    'label.days': '{days, plural, one {# dia} other {# dias}}',
    'label.hours': '{hours, plural, one {# hora} other {# horas}}',
    'label.accounts': '{count, plural, one {# conta} other {# contas}}',
    'label.responses': '{count, plural, one {# resposta} other {# respostas}}',
    'label.healthCard': 'Health Score',
    'label.logMilestone': 'Registrar um marco',
    'label.scheduleReview': 'Agendar uma revisão',
    'label.close': 'Fechar',
    'label.cancel': 'Cancelar',
    'label.done': 'Pronto',
  },
);
