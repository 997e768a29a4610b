import { messages } from './messages.ts';

/** What a click on a button or menu answers, only to the person who clicked (their Slack locale). */
export const clicks = messages(
  {
    'click.failure': 'Sorry, that failed on our side. It has been logged; please try again in a minute.',
    'click.sharedSince':
      'Recorded. This channel is now shared outside the workspace, so Pulse no longer updates the alert here.',
    'click.notPosted': 'This incident’s message is still being posted; try again in a moment.',
    'click.alreadyResolved': 'This alert is already resolved.',
    'click.accountGone': 'This account no longer exists.',
    'click.choiceGone': 'That choice is no longer available.',
  },
  {
    'click.failure':
      'Desculpe, algo falhou do nosso lado. O erro foi registrado; tente de novo em um minuto.',
    'click.sharedSince':
      'Registrado. Este canal agora é compartilhado com gente de fora do workspace, então o Pulse não atualiza mais o alerta aqui.',
    'click.notPosted': 'A mensagem deste incidente ainda está sendo publicada; tente de novo em instantes.',
    'click.alreadyResolved': 'Este alerta já está resolvido.',
    'click.accountGone': 'Esta conta não existe mais.',
    'click.choiceGone': 'Essa opção não está mais disponível.',
  },
);
