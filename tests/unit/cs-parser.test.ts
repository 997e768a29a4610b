import { describe, expect, it } from 'vitest';
import { parseCsCommand, tokenize } from '../../src/slack/commands/parser.ts';

const ok = (text: string) => {
  const result = parseCsCommand(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.problem}`);
  return result.command;
};
const usageOf = (text: string) => {
  const result = parseCsCommand(text);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return result;
};

describe('/cs parser', () => {
  it('answers help for nothing, help, and HELP', () => {
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('  help ')).toEqual({ kind: 'help' });
    expect(ok('HELP')).toEqual({ kind: 'help' });
  });

  it('reads &, < and > as typed, though Slack sends them as HTML entities', () => {
    expect(ok('milestone acme Q&amp;A &lt;done&gt; &amp;lt;')).toEqual({
      kind: 'milestone',
      account: 'acme',
      title: 'Q&A <done> &lt;',
    });
    expect(ok('health AT&amp;T')).toEqual({ kind: 'health', account: 'AT&T' });
  });

  it('parses health with a key, a name with spaces and a quoted name', () => {
    expect(ok('health acme')).toEqual({ kind: 'health', account: 'acme' });
    expect(ok('Health  Acme Corp')).toEqual({ kind: 'health', account: 'Acme Corp' });
    expect(ok('health "Acme Corp"')).toEqual({ kind: 'health', account: 'Acme Corp' });
    expect(ok('health “Acme Corp”')).toEqual({ kind: 'health', account: 'Acme Corp' });
  });

  it('gives the usage line of health when the account is missing', () => {
    expect(usageOf('health')).toMatchObject({ subcommand: 'health', usage: '/cs health <account>' });
  });

  it('parses accounts with and without a band, any case', () => {
    expect(ok('accounts')).toEqual({ kind: 'accounts' });
    expect(ok('accounts RED')).toEqual({ kind: 'accounts', band: 'red' });
    expect(usageOf('accounts purple')).toMatchObject({ usage: '/cs accounts [red|yellow|green]' });
    expect(usageOf('accounts red green').problem).toContain('is not a band');
  });

  it('parses milestone: the first token (or quoted name) is the account, the rest the title', () => {
    expect(ok('milestone acme First report shared')).toEqual({
      kind: 'milestone',
      account: 'acme',
      title: 'First report shared',
    });
    expect(ok('milestone "Acme Corp" Go-live')).toEqual({
      kind: 'milestone',
      account: 'Acme Corp',
      title: 'Go-live',
    });
    expect(usageOf('milestone acme').usage).toBe('/cs milestone <account> <title>');
  });

  it('parses rts with and without a date and refuses a misplaced date', () => {
    expect(ok('rts acme')).toEqual({ kind: 'rts', account: 'acme' });
    expect(ok('rts Acme Corp 2027-01-15 14:30')).toEqual({
      kind: 'rts',
      account: 'Acme Corp',
      date: '2027-01-15',
      time: '14:30',
    });
    expect(usageOf('rts acme 2027-01-15').usage).toBe('/cs rts <account> [YYYY-MM-DD HH:MM]');
    expect(usageOf('rts 2027-01-15 14:30').subcommand).toBe('rts');
  });

  it('parses survey and checks its kind', () => {
    expect(ok('survey acme NPS')).toEqual({ kind: 'survey', account: 'acme', survey: 'nps' });
    expect(ok('survey Acme Corp csat')).toEqual({ kind: 'survey', account: 'Acme Corp', survey: 'csat' });
    expect(usageOf('survey acme ces').usage).toBe('/cs survey <account> nps|csat');
    expect(usageOf('survey acme promoter').problem).toBe('`promoter` is not a survey: use nps or csat.');
    expect(usageOf('survey acme').problem).toBe('Name the account, then nps or csat.');
    expect(usageOf('survey nps').subcommand).toBe('survey');
  });

  it('parses digest and refuses arguments to it', () => {
    expect(ok('digest')).toEqual({ kind: 'digest' });
    expect(usageOf('digest now').usage).toBe('/cs digest');
  });

  it('parses note: the first token (or quoted name) is the account, the rest the note exactly as typed', () => {
    expect(ok('note acme Call went  well, "SSO" next')).toEqual({
      kind: 'note',
      account: 'acme',
      text: 'Call went  well, "SSO" next',
    });
    expect(ok('note "Acme Corp" Q&amp;A  held')).toEqual({
      kind: 'note',
      account: 'Acme Corp',
      text: 'Q&A  held',
    });
    expect(ok('NOTE “Acme Corp” ok')).toEqual({ kind: 'note', account: 'Acme Corp', text: 'ok' });
    expect(usageOf('note acme').problem).toBe('Name the account, then write the note.');
    expect(usageOf('note').usage).toBe('/cs note <account> <text>');
  });

  it('parses timeline with a key or a name', () => {
    expect(ok('timeline acme')).toEqual({ kind: 'timeline', account: 'acme' });
    expect(ok('timeline Acme Corp')).toEqual({ kind: 'timeline', account: 'Acme Corp' });
    expect(usageOf('timeline').usage).toBe('/cs timeline <account>');
  });

  it('names an unknown subcommand, suggests the closest one with the rest of the command, and points at help', () => {
    const result = usageOf('helth acme');
    expect(result.problem).toBe('`helth` is not a /cs subcommand. Did you mean `/cs health acme`?');
    expect(usageOf('timelin "Acme Corp"').problem).toBe(
      '`timelin` is not a /cs subcommand. Did you mean `/cs timeline "Acme Corp"`?',
    );
    expect(usageOf('ACOUNTS').problem).toContain('Did you mean `/cs accounts`?');
    expect(usageOf('frobnicate acme').problem).toBe('`frobnicate` is not a /cs subcommand.');
    expect(result.usage).toBe('/cs help');
    expect(result.subcommand).toBeUndefined();
  });

  it('tokenizes quoted phrases', () => {
    expect(tokenize('a "b c" d')).toEqual(['a', 'b c', 'd']);
  });
});

describe('/cs metrics', () => {
  it('reads a period, an owner (mention or ID) and a currency, in any order; this month by default', () => {
    expect(ok('metrics')).toEqual({ kind: 'metrics', period: { kind: 'month' } });
    expect(ok('metrics quarter <@U0CSM0001|ana>')).toEqual({
      kind: 'metrics',
      period: { kind: 'quarter' },
      owner: 'U0CSM0001',
    });
    expect(ok('metrics BRL 2026-02 U0CSM0001')).toEqual({
      kind: 'metrics',
      period: { kind: 'named-month', month: '2026-02' },
      owner: 'U0CSM0001',
      currency: 'BRL',
    });
    expect(ok('metrics YEAR')).toEqual({ kind: 'metrics', period: { kind: 'year' } });
  });

  it('reads the back-test and its horizon, 90 days by default', () => {
    expect(ok('metrics backtest')).toEqual({ kind: 'metrics', backtest: true, horizon: 90 });
    expect(ok('metrics backtest 30')).toEqual({ kind: 'metrics', backtest: true, horizon: 30 });
    expect(usageOf('metrics backtest 0').problem).toBe('The horizon is 1 to 365 days.');
  });

  it('answers the usage line for anything else', () => {
    const result = usageOf('metrics last-week');
    expect(result.problem).toBe('`last-week` is not a period, an owner or a currency.');
    expect(result.usage).toBe('/cs metrics [month|quarter|year|YYYY-MM|backtest] [@owner]');
    expect(usageOf('metrics 2026-13').problem).toBe('2026-13 is not a month of the calendar.');
    expect(usageOf('metrics month quarter').subcommand).toBe('metrics');
  });
});

describe('/cs in Portuguese', () => {
  it('takes the Portuguese aliases of subcommands, bands and periods', () => {
    expect(parseCsCommand('saude acme')).toEqual({ ok: true, command: { kind: 'health', account: 'acme' } });
    expect(parseCsCommand('saúde "Acme Corp"')).toEqual({
      ok: true,
      command: { kind: 'health', account: 'Acme Corp' },
    });
    expect(parseCsCommand('contas vermelho')).toEqual({
      ok: true,
      command: { kind: 'accounts', band: 'red' },
    });
    expect(parseCsCommand('contas amarela')).toEqual({
      ok: true,
      command: { kind: 'accounts', band: 'yellow' },
    });
    expect(parseCsCommand('métricas trimestre')).toMatchObject({
      ok: true,
      command: { kind: 'metrics', period: { kind: 'quarter' } },
    });
    expect(parseCsCommand('ajuda')).toEqual({ ok: true, command: { kind: 'help' } });
  });

  it('says what is wrong in Portuguese, with the usage line in Portuguese', () => {
    expect(parseCsCommand('health', 'pt-BR')).toMatchObject({
      problem: 'Informe a conta.',
      usage: '/cs health <conta>',
    });
    expect(parseCsCommand('rts acme 2027-01-15', 'pt-BR')).toMatchObject({
      usage: '/cs rts <conta> [AAAA-MM-DD HH:MM]',
    });
    expect(parseCsCommand('contas roxo', 'pt-BR')).toMatchObject({
      problem: '`roxo` não é uma faixa: use red, yellow ou green (ou vermelho, amarelo, verde).',
    });
    expect(parseCsCommand('saud acme', 'pt-BR')).toMatchObject({
      problem: '`saud` não é um subcomando do /cs. Você quis dizer `/cs saude acme`?',
    });
    // English is unchanged for an English reader.
    expect(parseCsCommand('health')).toMatchObject({
      problem: 'Name the account.',
      usage: '/cs health <account>',
    });
  });
});
