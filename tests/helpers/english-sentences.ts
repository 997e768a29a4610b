import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGUES } from '../../src/i18n/index.ts';

/*
 * What a Portuguese reader must never find in a message or view meant for them: a sentence of the English
 * catalogue (two words or more). The e2e tests of the team's language check each message against it.
 */

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/**
 * Every literal stretch of a catalogue (plural and select branches too) of two words or more. A stretch
 * the Portuguese catalogue says the same way (`*NPS / CSAT*`, product terms) is not English left behind.
 */
function sentencesOf(locale: 'en' | 'pt-BR'): Set<string> {
  const found = new Set<string>();
  const walk = (elements: Ast) => {
    for (const element of elements) {
      if (element.type === 0) {
        const text = element.value.trim();
        // Emoji names, Slack's tokens and inline code are the same in every language: not words.
        const words = text.replace(/:[a-z0-9_+'-]+:|<[^<>]*>|`[^`]*`/g, ' ').match(/\p{L}+/gu) ?? [];
        if (words.length >= 2) found.add(text);
      }
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  for (const message of Object.values(CATALOGUES[locale]))
    walk(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst());
  return found;
}

function englishSentences(): string[] {
  const portuguese = sentencesOf('pt-BR');
  return [...sentencesOf('en')].filter((sentence) => !portuguese.has(sentence));
}

/** Every text a person reads in a message or view: its notification text and each `text`/`placeholder`. */
function readable(message: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown, key?: string) => {
    if (typeof node === 'string') {
      if (key === 'text') texts.push(node);
    } else if (Array.isArray(node)) for (const item of node) walk(item, key);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, k === 'placeholder' ? 'text' : k);
  };
  walk(message);
  return texts;
}

const english = englishSentences();

/** The English catalogue sentences found in a message or view: none for a Portuguese reader. */
export const englishIn = (message: unknown) =>
  readable(message).flatMap((text) => english.filter((sentence) => text.includes(sentence)));
