import { messages } from './messages.ts';

/** `/cs digest`'s own answers (the digest itself is a channel post, in the team's language). */
export const digestCommand = messages(
  {
    'dc.shared':
      'This channel is shared outside the workspace: Pulse will not post customer data where customers read it. Run `/cs digest` in an internal channel.',
    'dc.unknown':
      'Pulse could not check whether this channel is shared outside the workspace, so it posted nothing. Try again in a minute.',
    'dc.onItsWay':
      'The weekly digest is on its way to this channel. If it does not appear, Pulse is not a member here: invite it with `/invite @pulse`.',
  },
  {
    'dc.shared':
      'Este canal é compartilhado fora do workspace: o Pulse não publica dados de clientes onde os clientes leem. Use `/cs digest` em um canal interno.',
    'dc.unknown':
      'O Pulse não conseguiu verificar se este canal é compartilhado fora do workspace, por isso não publicou nada. Tente de novo em um minuto.',
    'dc.onItsWay':
      'O resumo semanal está a caminho deste canal. Se não aparecer, o Pulse não é membro daqui: convide-o com `/invite @pulse`.',
  },
);
