import { messages } from './messages.ts';

/** `/cs connectors`: where each source of data stands. */
export const connectors = messages(
  {
    'conn.text': 'Connectors: {on} of {total} on',
    'conn.header': 'Connectors',
    'conn.title':
      '{name, select, segment {Segment events} hubspot {HubSpot CRM} zendesk {Zendesk tickets} other {{name}}}',
    'conn.off': '{title} — off',
    'conn.state':
      '{title} — {state, select, failing {:red_circle: failing} on {:large_green_circle: on} other {off}}',
    'conn.run': 'Last run {last}{next} · {stored} stored, {skipped} skipped{cursor}',
    'conn.never': 'never',
    'conn.next': ', next {when}',
    'conn.cursor': ' · cursor {cursor}',
    'conn.lastError': 'Last error: {error}',
    'conn.skipped': '• skipped {record}: {reason}',
  },
  {
    'conn.text': 'Conectores: {on} de {total} ligados',
    'conn.header': 'Conectores',
    'conn.title':
      '{name, select, segment {Eventos do Segment} hubspot {CRM HubSpot} zendesk {Tickets do Zendesk} other {{name}}}',
    'conn.off': '{title} — desligado',
    'conn.state':
      '{title} — {state, select, failing {:red_circle: falhando} on {:large_green_circle: ligado} other {desligado}}',
    'conn.run': 'Última execução {last}{next} · {stored} gravados, {skipped} ignorados{cursor}',
    'conn.never': 'nunca',
    'conn.next': ', próxima {when}',
    'conn.cursor': ' · cursor {cursor}',
    'conn.lastError': 'Último erro: {error}',
    'conn.skipped': '• ignorado {record}: {reason}',
  },
);
