import { messages } from './messages.ts';

/** Words the `/cs` answers, the health card and the modals share: bands, scores, missing values, buttons. */
export const common = messages(
  {
    'common.band': '{band, select, red {red} yellow {yellow} green {green} other {no data}}',
    'common.score': '{score}/100 {band}',
    'common.noData': 'no data',
    'common.notAvailable': 'n/a',
    'common.notSet': 'not set',
    'common.noOwner': 'no owner',
    'common.nobody': 'nobody',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'common.done': 'Done',
    'common.andMore': '…and {count, number} more',
    'common.accountGone': 'This account no longer exists.',
    'common.failure': 'Sorry, that failed on our side. It has been logged; please try again in a minute.',
  },
  {
    'common.band': '{band, select, red {vermelho} yellow {amarelo} green {verde} other {sem dados}}',
    'common.score': '{score}/100 {band}',
    'common.noData': 'sem dados',
    'common.notAvailable': 'n/d',
    'common.notSet': 'não definida',
    'common.noOwner': 'sem responsável',
    'common.nobody': 'ninguém',
    'common.cancel': 'Cancelar',
    'common.close': 'Fechar',
    'common.done': 'Pronto',
    'common.andMore': '…e mais {count, number}',
    'common.accountGone': 'Esta conta não existe mais.',
    'common.failure':
      'Desculpe, algo falhou do nosso lado. O erro foi registrado; tente de novo em um minuto.',
  },
);
