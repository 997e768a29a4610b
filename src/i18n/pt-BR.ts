import type { CustomerKey } from './en.ts';

/**
 * Every string Pulse shows a customer, in Brazilian Portuguese. `{product}` is the vendor's company or
 * platform name, which Portuguese gives the feminine article, as it does companies ("a Acme"): written
 * before it, and contracted with "de" ("da Acme").
 */
export const ptBR: Record<CustomerKey, string> = {
  'survey.greeting': 'Olá, {name}!',
  'survey.nps.question': 'Qual a probabilidade de você recomendar a {product} a um amigo ou colega?',
  'survey.nps.scale': '0 = nada provável · 10 = extremamente provável',
  'survey.csat.question': 'Qual o seu grau de satisfação com a {product} até agora?',
  'survey.csat.scale': '1 = muito insatisfeito · 5 = muito satisfeito',
  'survey.forYou': '{mention}, esta pergunta rápida é para você: só você pode respondê-la.',
  'survey.fallbackText': 'Uma pergunta rápida da {product}: como estamos indo?',
  'survey.expiresOn': 'Aberta até {date}. Basta um clique.',
  'survey.thanks': 'Obrigado! Sua resposta: *{score}*.',
  'survey.tellUsWhy': 'Conte-nos o porquê',
  'survey.tellUsWhyHint': 'Pode nos contar o porquê? Sua opinião nos ajuda muito a melhorar.',
  'survey.commentThanks': 'Obrigado por nos contar o porquê. Lemos todas as respostas.',
  'survey.expired': 'Esta pesquisa foi encerrada. Obrigado mesmo assim!',
  'survey.notYours': 'Esta pesquisa é para {name}, por isso o seu clique não foi contado.',
  'survey.closed': 'Esta pesquisa está encerrada e não aceita mais respostas.',
  'survey.modal.title': 'Conte-nos o porquê',
  'survey.modal.label': 'Qual o principal motivo da sua nota?',
  'survey.modal.placeholder': 'Poucas palavras bastam',
  'survey.modal.submit': 'Enviar',
  'survey.modal.close': 'Cancelar',
  'survey.modal.empty': 'Escreva algumas palavras, ou cancele.',
};
