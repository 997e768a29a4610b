import { describe, expect, it } from 'vitest';
import {
  formatDay,
  formatMoney,
  formatNps,
  formatNumber,
  formatPercent,
  formatRelative,
} from '../../src/i18n/format.ts';
import { argumentsOf, CATALOGUES, LOCALES, localDate, localeOf, t } from '../../src/i18n/index.ts';
import { surfaces } from '../../src/i18n/team/index.ts';

describe('the i18n catalogues', () => {
  const english = CATALOGUES.en;

  it.each(LOCALES)('%s has every key, none empty, with the same arguments as English', (locale) => {
    const catalogue = CATALOGUES[locale];
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(english).sort());
    for (const [key, message] of Object.entries(catalogue)) {
      expect(message.trim(), key).not.toBe('');
      expect(argumentsOf(message), key).toEqual(argumentsOf(english[key as keyof typeof english]));
    }
  });

  it('defines each team key in one surface only, so no surface silently replaces the text of another', () => {
    const seen = new Map<string, number>();
    for (const surface of surfaces)
      for (const key of Object.keys(surface.en)) seen.set(key, (seen.get(key) ?? 0) + 1);
    expect([...seen].filter(([, times]) => times > 1).map(([key]) => key)).toEqual([]);
  });

  it('finds arguments inside plurals and selects, so a missing one inside a branch is caught', () => {
    expect(argumentsOf('{count, plural, one {# account of {owner}} other {# accounts}} in {band}')).toEqual([
      'band',
      'count',
      'owner',
    ]);
    expect(argumentsOf('{kind, select, nps {NPS} other {CSAT {score, number}}}')).toEqual(['kind', 'score']);
  });

  it('fills arguments, and speaks English to a locale it does not know', () => {
    expect(t('pt-BR', 'survey.greeting', { name: 'Ana' })).toBe('Olá, Ana!');
    expect(t('en', 'survey.nps.question', { product: 'Acme' })).toBe(
      'How likely are you to recommend Acme to a friend or colleague?',
    );
    expect(t('fr', 'survey.greeting', { name: 'Ana' })).toBe('Hi Ana!');
    expect(t('pt-BR', 'access.readOnly', { who: 'o time de CS' })).toContain('peça a uma liderança de CS');
  });

  it('reads a Slack locale: any Portuguese as pt-BR, anything else as English', () => {
    expect(localeOf('pt-BR')).toBe('pt-BR');
    expect(localeOf('pt-PT')).toBe('pt-BR');
    expect(localeOf('en-US')).toBe('en');
    expect(localeOf('es-ES')).toBe('en');
    expect(localeOf(undefined)).toBe('en');
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

describe('the formats of each locale', () => {
  it('numbers, money and percentages', () => {
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('pt-BR', 1234.5)).toBe('1.234,5');
    expect(formatNumber('en', -3)).toBe('−3');
    expect(formatMoney('en', 12000, 'USD')).toBe('$12,000.00');
    expect(formatMoney('pt-BR', 12000, 'BRL')).toBe('R$\u00a012.000,00');
    expect(formatMoney('en', -12000, 'USD')).toBe('−$12,000.00');
    expect(formatPercent('en', 0.9375)).toBe('93.8%');
    expect(formatPercent('pt-BR', 0.9375)).toBe('93,8%');
  });

  it('an NPS keeps its sign, with a true minus', () => {
    expect(formatNps('en', 40)).toBe('+40');
    expect(formatNps('pt-BR', -10)).toBe('−10');
    expect(formatNps('en', 0)).toBe('0');
  });

  it('days and relative times', () => {
    const at = new Date('2026-11-30T12:00:00Z');
    expect(formatDay('pt-BR', at, 'America/Sao_Paulo')).toBe('seg., 30 de nov.');
    expect(formatDay('en', at, 'UTC')).toBe('Mon, Nov 30');
    const now = new Date('2026-12-03T12:00:00Z');
    expect(formatRelative('pt-BR', at, now)).toBe('há 3 dias');
    expect(formatRelative('en', at, now)).toBe('3 days ago');
    expect(formatRelative('en', new Date('2026-12-04T12:00:00Z'), now)).toBe('tomorrow');
    expect(formatRelative('pt-BR', now, now)).toBe('agora');
  });
});
