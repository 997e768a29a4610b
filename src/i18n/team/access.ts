import { messages } from './messages.ts';

/** Refusals: who may read and change account data. */
export const access = messages(
  {
    'access.notReader':
      'Pulse shows customer data to the CS team only; ask a CS lead to add you to {who, select, group {{group}} other {the CS team}}.',
    'access.readOnly':
      'You can read account data but not change it; ask a CS lead to add you to {who, select, group {{group}} other {the CS team}}.',
    'access.unknown':
      'Pulse could not check with Slack who you are, so it shows no customer data; try again in a minute.',
  },
  {
    'access.notReader':
      'O Pulse mostra dados de clientes apenas ao time de CS; peça a uma liderança de CS que adicione você {who, select, group {ao grupo {group}} other {ao time de CS}}.',
    'access.readOnly':
      'Você pode consultar os dados das contas, mas não alterá-los; peça a uma liderança de CS que adicione você {who, select, group {ao grupo {group}} other {ao time de CS}}.',
    'access.unknown':
      'O Pulse não conseguiu confirmar com o Slack quem é você, por isso não mostra dados de clientes; tente de novo em um minuto.',
  },
);
