import { describe, expect, it } from 'vitest';
import { CATALOGUES, LOCALES, localDate, placeholders, t } from '../../src/i18n/index.ts';

describe('the i18n catalogues', () => {
  const english = CATALOGUES.en;

  it.each(LOCALES)('%s has every key, none empty, with the same placeholders as English', (locale) => {
    const catalogue = CATALOGUES[locale];
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(english).sort());
    for (const [key, message] of Object.entries(catalogue)) {
      expect(message.trim(), key).not.toBe('');
      expect(placeholders(message).sort(), key).toEqual(
        placeholders(english[key as keyof typeof english]).sort(),
      );
    }
  });

  it('fills placeholders, and speaks English to an unknown locale', () => {
    expect(t('pt-BR', 'survey.greeting', { name: 'Ana' })).toBe('Olá, Ana!');
    expect(t('en', 'survey.nps.question', { product: 'Acme' })).toBe(
      'How likely are you to recommend Acme to a friend or colleague?',
    );
    expect(t('fr', 'survey.greeting', { name: 'Ana' })).toBe('Hi Ana!');
  });

  it('never ends a sentence in two periods after an abbreviated date', () => {
    const date = localDate('pt-BR', new Date('2026-12-12T12:00:00Z'), 'America/Sao_Paulo');
    expect(date).toBe('sáb., 12 de dez.');
    expect(t('pt-BR', 'survey.expiresOn', { date })).toBe('Aberta até sáb., 12 de dez. Basta um clique.');
    expect(t('en', 'survey.expiresOn', { date: 'Sat 12 Dec' })).toBe(
      'Open until Sat 12 Dec. One click is enough.',
    );
  });

  it('speaks Portuguese naturally: the article before the company, no literal "more than anything"', () => {
    expect(t('pt-BR', 'survey.nps.question', { product: 'Acme' })).toBe(
      'Qual a probabilidade de você recomendar a Acme a um amigo ou colega?',
    );
    expect(t('pt-BR', 'survey.csat.question', { product: 'Acme' })).toBe(
      'Qual o seu grau de satisfação com a Acme até agora?',
    );
    expect(t('pt-BR', 'survey.fallbackText', { product: 'Acme' })).toBe(
      'Uma pergunta rápida da Acme: como estamos indo?',
    );
    expect(t('pt-BR', 'survey.tellUsWhyHint')).not.toContain('mais do que tudo');
  });

  it('writes dates the way each locale reads them', () => {
    const at = new Date('2026-11-30T12:00:00Z');
    expect(localDate('en', at, 'UTC')).toBe('Mon 30 Nov');
    expect(localDate('pt-BR', at, 'America/Sao_Paulo')).toMatch(/^seg\.?, 30 de nov\.?$/);
  });
});
