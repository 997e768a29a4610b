import type { Button, KnownBlock, View } from '@slack/types';
import {
  dayIn,
  daysBetween,
  isOverdue,
  type Milestone,
  planOrder,
  type SuccessPlanSummary,
} from '../../domain/milestones.ts';
import { MILESTONE } from '../constants.ts';
import { calendarDate, counted, escapeMrkdwn, truncate } from './format.ts';

/** Milestone titles are capped at this length, as in the ingestion API. */
export const TITLE_MAX = 200;

const SECTION_MAX = 3000;

/** How a list of milestones is rendered and judged: in the account's zone, against its today. */
export interface PlanContext {
  zone: string;
  today: string;
  contractStart: string | null;
}

/** The button that opens the success plan modal for an account; the value is its key. */
export const addToPlanButton = (accountKey: string): Button => ({
  type: 'button',
  action_id: MILESTONE.addToPlanAction,
  text: { type: 'plain_text', text: 'Add to success plan' },
  value: accountKey,
});

export function ttfvLine(summary: SuccessPlanSummary, context: PlanContext): string {
  if (summary.ttfvDays !== null) return `*Time to first value* ${counted(summary.ttfvDays, 'day')}`;
  if (!context.contractStart) return '*Time to first value* unknown: the contract start is not set';
  const since = Math.max(0, daysBetween(context.contractStart, context.today));
  return `*Time to first value* none yet: no milestone reached in ${counted(since, 'day')} since the contract start`;
}

export const summaryLine = (s: SuccessPlanSummary) =>
  `${s.planned} planned, ${s.reached} reached${s.overdue ? ` · :warning: ${s.overdue} overdue` : ''}`;

function milestoneLine(m: Milestone, context: PlanContext): string {
  const title = `*${escapeMrkdwn(truncate(m.title, TITLE_MAX))}*`;
  if (m.reachedAt !== null) {
    const reached = dayIn(m.reachedAt, context.zone);
    const planned = m.plannedFor ? ` (planned for ${calendarDate(m.plannedFor)})` : '';
    return `:white_check_mark: ${title} reached ${calendarDate(reached)}${planned}`;
  }
  if (!m.plannedFor) return `:spiral_calendar_pad: ${title} no target date`;
  if (isOverdue(m, context.today)) {
    const late = daysBetween(m.plannedFor, context.today);
    return `:warning: ${title} due ${calendarDate(m.plannedFor)}, *overdue* by ${counted(late, 'day')}`;
  }
  return `:spiral_calendar_pad: ${title} due ${calendarDate(m.plannedFor)}`;
}

/** Lines joined within a section's limit; the ones left out are counted. */
function listText(heading: string, lines: string[]): string {
  const shown: string[] = [heading];
  let length = heading.length;
  for (const [i, line] of lines.entries()) {
    const more = `…and ${lines.length - i} more`;
    if (length + line.length + more.length + 2 > SECTION_MAX) {
      shown.push(more);
      break;
    }
    shown.push(line);
    length += line.length + 1;
  }
  return shown.join('\n');
}

export interface SuccessPlanView {
  account: { key: string; name: string };
  milestones: Milestone[];
  summary: SuccessPlanSummary;
  context: PlanContext;
}

/** `/cs milestones`: reached and planned milestones with their days, what is overdue, and TTFV. */
export function successPlanBlocks(plan: SuccessPlanView): KnownBlock[] {
  const ordered = planOrder(plan.milestones);
  const reached = ordered.filter((m) => m.reachedAt !== null);
  const open = ordered.filter((m) => m.reachedAt === null);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`Success plan: ${plan.account.name} (${plan.account.key})`, 150),
      },
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${summaryLine(plan.summary)}\n${ttfvLine(plan.summary, plan.context)}` },
    },
  ];
  if (!ordered.length) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `No milestone yet. Log one with \`/cs milestone ${plan.account.key} <title>\`, or plan one below.`,
      },
    });
  }
  if (open.length) {
    const lines = open.map((m) => milestoneLine(m, plan.context));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: listText('*Planned*', lines) } });
  }
  if (reached.length) {
    const lines = reached.map((m) => milestoneLine(m, plan.context));
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: listText('*Reached*', lines) } });
  }
  blocks.push({ type: 'actions', elements: [addToPlanButton(plan.account.key)] });
  return blocks;
}

export const successPlanText = (plan: SuccessPlanView) =>
  `${escapeMrkdwn(plan.account.name)}: ${summaryLine(plan.summary).replace(' · :warning:', ',')}`;

/** The short message in the account's channel when a milestone is reached. */
export function celebrationMessage(account: { name: string }, title: string, day: string) {
  const text = `:tada: ${escapeMrkdwn(account.name)} reached a milestone: *${escapeMrkdwn(
    truncate(title, TITLE_MAX),
  )}* (${calendarDate(day)}).`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] satisfies KnownBlock[] };
}

/** A milestone's title and a day, for one account (`private_metadata` carries its key). */
function milestoneForm(form: {
  account: { key: string };
  callbackId: string;
  title: string;
  submit: string;
  intro: string;
  titleIds: { block: string; input: string };
  date: { label: string; block: string; input: string; initial: string };
}): View {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: form.account.key,
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: form.intro } },
      {
        type: 'input',
        block_id: form.titleIds.block,
        label: { type: 'plain_text', text: 'Milestone' },
        element: {
          type: 'plain_text_input',
          action_id: form.titleIds.input,
          max_length: TITLE_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. First report shared with the board' },
        },
      },
      {
        type: 'input',
        block_id: form.date.block,
        label: { type: 'plain_text', text: form.date.label },
        element: { type: 'datepicker', action_id: form.date.input, initial_date: form.date.initial },
      },
    ],
  };
}

/** The modal that adds a planned milestone. */
export function planModal(account: { key: string; name: string }, today: string): View {
  return milestoneForm({
    account,
    callbackId: MILESTONE.planModal,
    title: 'Success plan',
    submit: 'Add',
    intro: `A milestone for *${escapeMrkdwn(account.name)}* to reach by a target date.`,
    titleIds: { block: MILESTONE.titleBlock, input: MILESTONE.titleInput },
    date: { label: 'Target date', block: MILESTONE.dateBlock, input: MILESTONE.dateInput, initial: today },
  });
}

/** What the modal shows once the milestone is in the plan. */
export function plannedView(
  account: { name: string },
  title: string,
  day: string,
  rescheduled: boolean,
): View {
  const what = rescheduled ? 'now due' : 'added to the success plan, due';
  return {
    type: 'modal',
    callback_id: MILESTONE.planModal,
    title: { type: 'plain_text', text: 'Success plan' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:spiral_calendar_pad: *${escapeMrkdwn(truncate(title, TITLE_MAX))}* ${what} ${calendarDate(day)} for ${escapeMrkdwn(account.name)}.`,
        },
      },
    ],
  };
}

/** The App Home's modal that logs a milestone reached, on a day in the account's zone (today by default). */
export function logModal(account: { key: string; name: string }, today: string, zone: string): View {
  return milestoneForm({
    account,
    callbackId: MILESTONE.logModal,
    title: 'Log a milestone',
    submit: 'Log it',
    intro: `A milestone *${escapeMrkdwn(account.name)}* reached. Days are in *${zone}*.`,
    titleIds: { block: MILESTONE.logTitleBlock, input: MILESTONE.logTitleInput },
    date: {
      label: 'Reached on',
      block: MILESTONE.logDateBlock,
      input: MILESTONE.logDateInput,
      initial: today,
    },
  });
}

/** What the modal shows once the milestone is logged: the same answer `/cs milestone` gives. */
export function loggedView(answer: string): View {
  return {
    type: 'modal',
    callback_id: MILESTONE.logModal,
    title: { type: 'plain_text', text: 'Milestone logged' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(answer, SECTION_MAX) } }],
  };
}

/** What a button of the "is it the planned one?" question logs. */
export interface MilestoneChoice {
  account: string;
  title: string;
  date?: string;
}

/**
 * `/cs milestone acme Kickoff done` beside the planned "Kick-off held": is it that one (it is marked
 * reached) or a new one (logged as typed)?
 */
export function samePlannedQuestion(opts: {
  account: { key: string; name: string };
  typed: string;
  planned: Milestone;
  date?: string;
}): { text: string; blocks: KnownBlock[] } {
  const choice = (title: string): string =>
    JSON.stringify({
      account: opts.account.key,
      title,
      ...(opts.date && { date: opts.date }),
    } satisfies MilestoneChoice);
  const typed = `*${escapeMrkdwn(truncate(opts.typed, TITLE_MAX))}*`;
  const planned = `*${escapeMrkdwn(truncate(opts.planned.title, TITLE_MAX))}*`;
  const text = `${escapeMrkdwn(opts.account.name)} has ${planned} planned${
    opts.planned.plannedFor ? ` for ${calendarDate(opts.planned.plannedFor)}` : ''
  }. Is ${typed} that milestone?`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: MILESTONE.samePlannedAction,
            style: 'primary',
            text: { type: 'plain_text', text: truncate(`Yes, ${opts.planned.title}`, 75) },
            value: choice(opts.planned.title),
          },
          {
            type: 'button',
            action_id: MILESTONE.newMilestoneAction,
            text: { type: 'plain_text', text: truncate(`No, a new one: ${opts.typed}`, 75) },
            value: choice(opts.typed),
          },
        ],
      },
    ],
  };
}
