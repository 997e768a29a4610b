import type { TeamKey } from './team-en.ts';

/** What the CS team reads, in Brazilian Portuguese. */
export const teamPtBR: Record<TeamKey, string> = {
  'access.notReader':
    'O Pulse mostra dados de clientes apenas ao time de CS; peça a uma liderança de CS que adicione você {who, select, group {ao grupo {group}} other {ao time de CS}}.',
  'access.readOnly':
    'Você pode consultar os dados das contas, mas não alterá-los; peça a uma liderança de CS que adicione você {who, select, group {ao grupo {group}} other {ao time de CS}}.',
  'access.unknown':
    'O Pulse não conseguiu confirmar com o Slack quem é você, por isso não mostra dados de clientes; tente de novo em um minuto.',
};
