/** Every string Pulse shows a customer, in English (ICU MessageFormat, see index.ts). */
export const en = {
  'survey.greeting': 'Hi {name}!',
  'survey.nps.question': 'How likely are you to recommend {product} to a friend or colleague?',
  'survey.nps.scale': '0 = not at all likely · 10 = extremely likely',
  'survey.csat.question': 'How satisfied are you with {product} so far?',
  'survey.csat.scale': '1 = very dissatisfied · 5 = very satisfied',
  'survey.forYou': '{mention}, this quick question is for you: only you can answer it.',
  'survey.fallbackText': 'A quick question from {product}: how are we doing?',
  'survey.expiresOn': 'Open until {date}. One click is enough.',
  'survey.thanks': 'Thank you! Your answer: *{score}*.',
  'survey.tellUsWhy': 'Tell us why',
  'survey.tellUsWhyHint': 'Would you tell us why? It helps us more than anything.',
  'survey.commentThanks': 'Thank you for telling us why. We read every answer.',
  'survey.expired': 'This survey has closed. Thank you all the same!',
  'survey.notYours': 'This survey is for {name}, so your click was not counted.',
  'survey.closed': 'This survey is closed and no longer takes answers.',
  'survey.modal.title': 'Tell us why',
  'survey.modal.label': 'What is the main reason for your score?',
  'survey.modal.placeholder': 'A few words are enough',
  'survey.modal.submit': 'Send',
  'survey.modal.close': 'Cancel',
  'survey.modal.empty': 'Write a few words, or cancel.',
} as const;

export type CustomerKey = keyof typeof en;
