import { messages } from './messages.ts';

/**
 * Scheduling success reviews: `/cs rts`'s answers, the scheduling modal, the confirmation with its
 * Reschedule and Cancel buttons, the calendar file's message.
 */
export const reviews = messages(
  {
    'rts.label': '{kind, select, rms {RMS (monthly success review)} other {RTS (quarterly success review)}}',
    'rts.minutes': '{minutes} min',
    'rts.hours': '{hours} h',
    'rts.hoursMinutes': '{hours} h {minutes} min',
    'rts.summary': '{label} with *{name}*: {when}, {duration}',
    'rts.reschedule': 'Reschedule',
    'rts.cancel': 'Cancel',
    'rts.cancel.title': 'Cancel the review?',
    'rts.cancel.text': 'The meeting is removed from Pulse; tell the attendees yourself.',
    'rts.cancel.confirm': 'Cancel it',
    'rts.cancel.deny': 'Keep it',
    'rts.attendees': '*Attendees* {attendees}',
    'rts.agenda': '*Agenda*\n{agenda}',
    'rts.confirmation':
      '{label} with {name} {verb, select, rescheduled {rescheduled} other {scheduled}} for {when}, {duration}.',
    'rts.confirmed': ':calendar: {summary}. {verb, select, rescheduled {Moved} other {Scheduled}}.',
    'rts.fileFollows':
      'The calendar file (.ics) follows in this conversation: open it to add the meeting to any calendar.',
    'rts.alreadyScheduled':
      '*{name}* already has a review scheduled: {when}. Reschedule it rather than booking a second one.',
    'rts.modal.schedule': 'Schedule review',
    'rts.modal.reschedule': 'Reschedule review',
    'rts.modal.submitSchedule': 'Schedule',
    'rts.modal.submitMove': 'Move it',
    'rts.modal.intro': '{label} with *{name}*. Times are in *{zone}*.',
    'rts.modal.date': 'Date',
    'rts.modal.time': 'Time ({zone})',
    'rts.modal.duration': 'Duration',
    'rts.modal.attendees': 'Attendees',
    'rts.modal.agenda': 'Agenda',
    'rts.unreadDate': '{date} is not a date Pulse can read.',
    'rts.writeItAs': '{problem} Write it as `/cs rts {key} YYYY-MM-DD HH:MM`.',
    'rts.pickInForm':
      '{problem} Pick the day and time in the form, or write them as `/cs rts {key} YYYY-MM-DD HH:MM`.',
    'rts.formFailed':
      'The form could not open. Schedule with a date instead: `/cs rts {key} YYYY-MM-DD HH:MM`.',
    'rts.formMoves': '{name} already has a review scheduled: the form moves it.',
    'rts.formOpens': 'Fill in the form to schedule the review with {name}.',
    'rts.when':
      '{reason, select, date {`{date}` is not a date: use YYYY-MM-DD.} time {`{time}` is not a time of day: use HH:MM, 00:00 to 23:59.} calendar {{date} does not exist on the calendar.} zone {{zone} is not a time zone Pulse knows.} skipped {{date} {time} does not exist in {zone}: the clocks skip it for daylight saving. Pick another time.} other {{date} {time} ({zone}) is in the past. Give a date and time still to come.}} Nothing was scheduled.',
    'rts.alreadyNothingNew': '{name} already has a review scheduled; nothing new was scheduled.',
    'rts.file.comment':
      ':calendar: {label} with *{name}*, {day}: open the file to add the meeting to your calendar.',
  },
  {
    'rts.label':
      '{kind, select, rms {Revisão Mensal de Sucesso (RMS)} other {Revisão Trimestral de Sucesso (RTS)}}',
    'rts.minutes': '{minutes} min',
    'rts.hours': '{hours} h',
    'rts.hoursMinutes': '{hours} h {minutes} min',
    'rts.summary': '{label} com *{name}*: {when}, {duration}',
    'rts.reschedule': 'Remarcar',
    'rts.cancel': 'Cancelar',
    'rts.cancel.title': 'Cancelar a revisão?',
    'rts.cancel.text': 'A reunião sai do Pulse; avise você mesmo os participantes.',
    'rts.cancel.confirm': 'Cancelar',
    'rts.cancel.deny': 'Manter',
    'rts.attendees': '*Participantes* {attendees}',
    'rts.agenda': '*Pauta*\n{agenda}',
    'rts.confirmation':
      '{label} com {name} {verb, select, rescheduled {remarcada} other {agendada}} para {when}, {duration}.',
    'rts.confirmed': ':calendar: {summary}. {verb, select, rescheduled {Remarcada} other {Agendada}}.',
    'rts.fileFollows':
      'O arquivo de calendário (.ics) vem em seguida nesta conversa: abra-o para adicionar a reunião a qualquer agenda.',
    'rts.alreadyScheduled':
      '*{name}* já tem uma revisão agendada: {when}. Remarque essa em vez de marcar uma segunda.',
    'rts.modal.schedule': 'Agendar revisão',
    'rts.modal.reschedule': 'Remarcar revisão',
    'rts.modal.submitSchedule': 'Agendar',
    'rts.modal.submitMove': 'Remarcar',
    'rts.modal.intro': '{label} com *{name}*. Os horários estão em *{zone}*.',
    'rts.modal.date': 'Data',
    'rts.modal.time': 'Hora ({zone})',
    'rts.modal.duration': 'Duração',
    'rts.modal.attendees': 'Participantes',
    'rts.modal.agenda': 'Pauta',
    'rts.unreadDate': '{date} não é uma data que o Pulse consiga ler.',
    'rts.writeItAs': '{problem} Escreva assim: `/cs rts {key} AAAA-MM-DD HH:MM`.',
    'rts.pickInForm':
      '{problem} Escolha o dia e a hora no formulário, ou escreva assim: `/cs rts {key} AAAA-MM-DD HH:MM`.',
    'rts.formFailed': 'O formulário não abriu. Agende com uma data: `/cs rts {key} AAAA-MM-DD HH:MM`.',
    'rts.formMoves': '{name} já tem uma revisão agendada: o formulário a remarca.',
    'rts.formOpens': 'Preencha o formulário para agendar a revisão com {name}.',
    'rts.when':
      '{reason, select, date {`{date}` não é uma data: use AAAA-MM-DD.} time {`{time}` não é um horário: use HH:MM, de 00:00 a 23:59.} calendar {{date} não existe no calendário.} zone {{zone} não é um fuso horário que o Pulse conheça.} skipped {{date} {time} não existe em {zone}: o relógio pula esse horário no horário de verão. Escolha outro.} other {{date} {time} ({zone}) já passou. Informe uma data e hora futuras.}} Nada foi agendado.',
    'rts.alreadyNothingNew': '{name} já tem uma revisão agendada; nada novo foi agendado.',
    'rts.file.comment':
      ':calendar: {label} com *{name}*, {day}: abra o arquivo para adicionar a reunião à sua agenda.',
  },
);
