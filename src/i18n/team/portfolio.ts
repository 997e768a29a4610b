import { messages } from './messages.ts';

/** `/cs accounts`: the portfolio worst first, a page at a time. */
export const portfolio = messages(
  {
    'portfolio.text': 'Portfolio: {red} red, {yellow} yellow, {green} green',
    'portfolio.title':
      '{band, select, red {Red accounts} yellow {Yellow accounts} green {Green accounts} other {Portfolio health}}',
    'portfolio.summary':
      ':red_circle: {red} red  :large_yellow_circle: {yellow} yellow  :large_green_circle: {green} green',
    'portfolio.summary.noData': '  :white_circle: {count} no data',
    'portfolio.empty':
      '{band, select, red {No red accounts.} yellow {No yellow accounts.} green {No green accounts.} other {No accounts yet.}}',
    'portfolio.line': '{emoji} *{name}* `{key}` {score} (7d {change}){flags} · {owner}',
    'portfolio.flags': ' · :rotating_light: {count, plural, one {# open flag} other {# open flags}}',
    'portfolio.shown': '{from}–{to} of {total}',
    'portfolio.more':
      '{shown}; …and {more} more. Narrow it down with `/cs accounts red` or `/cs health <account>`.',
    'portfolio.end': '{shown}.',
    'portfolio.next': 'Next {count}',
  },
  {
    'portfolio.text': 'Carteira: {red} no vermelho, {yellow} no amarelo, {green} no verde',
    'portfolio.title':
      '{band, select, red {Contas no vermelho} yellow {Contas no amarelo} green {Contas no verde} other {Saúde da carteira}}',
    'portfolio.summary':
      ':red_circle: {red} no vermelho  :large_yellow_circle: {yellow} no amarelo  :large_green_circle: {green} no verde',
    'portfolio.summary.noData': '  :white_circle: {count} sem dados',
    'portfolio.empty':
      '{band, select, red {Nenhuma conta no vermelho.} yellow {Nenhuma conta no amarelo.} green {Nenhuma conta no verde.} other {Nenhuma conta ainda.}}',
    'portfolio.line': '{emoji} *{name}* `{key}` {score} (7 dias {change}){flags} · {owner}',
    'portfolio.flags':
      ' · :rotating_light: {count, plural, one {# bandeira vermelha aberta} other {# bandeiras vermelhas abertas}}',
    'portfolio.shown': '{from}–{to} de {total}',
    'portfolio.more':
      '{shown}; …e mais {more}. Filtre com `/cs accounts red` (ou `/cs contas vermelho`) ou `/cs health <conta>`.',
    'portfolio.end': '{shown}.',
    'portfolio.next': 'Próximas {count}',
  },
);
