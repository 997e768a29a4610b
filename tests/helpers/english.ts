import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES } from '../../src/i18n/index.ts';

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** Emoji names, Slack's tokens (`<@U…>`, `<#C…>`, links) and inline code are the same in every language: not words. */
const NOT_WORDS = /:[a-z0-9_+'-]+:|<[^<>]*>|`[^`]*`/g;

/** Every literal stretch of the English catalogue (plural and select branches too) of two words or more. */
export function englishSentences(): string[] {
  const found = new Set<string>();
  const walk = (elements: Ast) => {
    for (const element of elements) {
      if (element.type === 0) {
        const text = element.value.trim();
        const words = text.replace(NOT_WORDS, ' ').match(/\p{L}+/gu) ?? [];
        if (words.length >= 2) found.add(text);
      }
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  for (const message of Object.values(CATALOGUES.en))
    walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return [...found];
}

/**
 * The same stretches as a page shows them, once Slack's mrkdwn is drawn: emoji, tokens and the `*_~`
 * marks gone, each piece of two words or more on its own.
 */
export function englishAsShown(): string[] {
  const pieces = new Set<string>();
  for (const sentence of englishSentences()) {
    for (const piece of sentence.split(NOT_WORDS)) {
      const text = piece.replace(/[*_~]/g, '').replace(/\s+/g, ' ').trim();
      if ((text.match(/\p{L}+/gu) ?? []).length >= 2) pieces.add(text);
    }
  }
  return [...pieces];
}
