import type { Button, KnownBlock, View } from '@slack/types';
import {
  dayIn,
  daysBetween,
  isOverdue,
  type Milestone,
  planOrder,
  type SuccessPlanSummary,
} from '../../domain/milestones.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { MILESTONE } from '../constants.ts';
import { escapeMrkdwn, truncate } from './format.ts';
import { calendarDateIn } from './locale-format.ts';

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
export const addToPlanButton = (accountKey: string, locale: Locale): Button => ({
  type: 'button',
  action_id: MILESTONE.addToPlanAction,
  text: { type: 'plain_text', text: t(locale, 'ms.addToPlan') },
  value: accountKey,
});

export function ttfvLine(summary: SuccessPlanSummary, context: PlanContext, locale: Locale): string {
  if (summary.ttfvDays !== null) return t(locale, 'ms.ttfv.days', { days: summary.ttfvDays });
  if (!context.contractStart) return t(locale, 'ms.ttfv.unknown');
  const since = Math.max(0, daysBetween(context.contractStart, context.today));
  return t(locale, 'ms.ttfv.none', { days: since });
}

export const summaryLine = (
  s: SuccessPlanSummary,
  locale: Locale,
  overdue: 'ms.summary.overdue' | 'ms.summary.overdueText' = 'ms.summary.overdue',
) =>
  `${t(locale, 'ms.summary', { planned: s.planned, reached: s.reached })}${
    s.overdue ? t(locale, overdue, { overdue: s.overdue }) : ''
  }`;

function milestoneLine(m: Milestone, context: PlanContext, locale: Locale): string {
  const title = `*${escapeMrkdwn(truncate(m.title, TITLE_MAX))}*`;
  if (m.reachedAt !== null) {
    const reached = dayIn(m.reachedAt, context.zone);
    const planned = m.plannedFor
      ? t(locale, 'ms.line.plannedFor', { date: calendarDateIn(locale, m.plannedFor) })
      : '';
    return t(locale, 'ms.line.reached', { title, date: calendarDateIn(locale, reached), planned });
  }
  if (!m.plannedFor) return t(locale, 'ms.line.noTarget', { title });
  const date = calendarDateIn(locale, m.plannedFor);
  if (isOverdue(m, context.today)) {
    return t(locale, 'ms.line.overdue', { title, date, days: daysBetween(m.plannedFor, context.today) });
  }
  return t(locale, 'ms.line.due', { title, date });
}

/** Lines joined within a section's limit; the ones left out are counted. */
function listText(heading: string, lines: string[], locale: Locale): string {
  const shown: string[] = [heading];
  let length = heading.length;
  for (const [i, line] of lines.entries()) {
    const more = t(locale, 'label.andMoreLine', { count: lines.length - i });
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
  locale: Locale;
}

/** `/cs milestones`: reached and planned milestones with their days, what is overdue, and TTFV. */
export function successPlanBlocks(plan: SuccessPlanView): KnownBlock[] {
  const { locale } = plan;
  const ordered = planOrder(plan.milestones);
  const reached = ordered.filter((m) => m.reachedAt !== null);
  const open = ordered.filter((m) => m.reachedAt === null);
  const header = t(locale, 'ms.plan.header', { name: plan.account.name, key: plan.account.key });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(header, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${summaryLine(plan.summary, locale)}\n${ttfvLine(plan.summary, plan.context, locale)}`,
      },
    },
  ];
  if (!ordered.length) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: t(locale, 'ms.plan.empty', { key: plan.account.key }) },
    });
  }
  if (open.length) {
    const lines = open.map((m) => milestoneLine(m, plan.context, locale));
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: listText(t(locale, 'ms.plan.planned'), lines, locale) },
    });
  }
  if (reached.length) {
    const lines = reached.map((m) => milestoneLine(m, plan.context, locale));
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: listText(t(locale, 'ms.plan.reached'), lines, locale) },
    });
  }
  blocks.push({ type: 'actions', elements: [addToPlanButton(plan.account.key, locale)] });
  return blocks;
}

export const successPlanText = (plan: SuccessPlanView) =>
  t(plan.locale, 'ms.plan.text', {
    name: escapeMrkdwn(plan.account.name),
    summary: summaryLine(plan.summary, plan.locale, 'ms.summary.overdueText'),
  });

/** The short message in the account's channel when a milestone is reached, in the team's language. */
export function celebrationMessage(account: { name: string }, title: string, day: string, locale: Locale) {
  const text = t(locale, 'ms.celebration', {
    name: escapeMrkdwn(account.name),
    title: escapeMrkdwn(truncate(title, TITLE_MAX)),
    date: calendarDateIn(locale, day),
  });
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] satisfies KnownBlock[] };
}

/** A milestone's title and a day, for one account (`private_metadata` carries its key). */
function milestoneForm(form: {
  account: { key: string };
  locale: Locale;
  callbackId: string;
  title: string;
  submit: string;
  intro: string;
  titleIds: { block: string; input: string };
  date: { label: string; block: string; input: string; initial: string };
}): View {
  const { locale } = form;
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: form.account.key,
    title: { type: 'plain_text', text: truncate(form.title, 24) },
    submit: { type: 'plain_text', text: truncate(form.submit, 24) },
    close: { type: 'plain_text', text: t(locale, 'ms.form.cancel') },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: form.intro } },
      {
        type: 'input',
        block_id: form.titleIds.block,
        label: { type: 'plain_text', text: t(locale, 'ms.form.milestone') },
        element: {
          type: 'plain_text_input',
          action_id: form.titleIds.input,
          max_length: TITLE_MAX,
          placeholder: { type: 'plain_text', text: t(locale, 'ms.form.placeholder') },
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
export function planModal(account: { key: string; name: string }, today: string, locale: Locale): View {
  return milestoneForm({
    account,
    locale,
    callbackId: MILESTONE.planModal,
    title: t(locale, 'ms.form.planTitle'),
    submit: t(locale, 'ms.form.planSubmit'),
    intro: t(locale, 'ms.form.planIntro', { name: escapeMrkdwn(account.name) }),
    titleIds: { block: MILESTONE.titleBlock, input: MILESTONE.titleInput },
    date: {
      label: t(locale, 'ms.form.targetDate'),
      block: MILESTONE.dateBlock,
      input: MILESTONE.dateInput,
      initial: today,
    },
  });
}

/** What the modal shows once the milestone is in the plan. */
export function plannedView(
  account: { name: string },
  title: string,
  day: string,
  rescheduled: boolean,
  locale: Locale,
): View {
  return {
    type: 'modal',
    callback_id: MILESTONE.planModal,
    title: { type: 'plain_text', text: truncate(t(locale, 'ms.form.planTitle'), 24) },
    close: { type: 'plain_text', text: t(locale, 'label.done') },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: t(locale, rescheduled ? 'ms.planned.moved' : 'ms.planned.added', {
            title: escapeMrkdwn(truncate(title, TITLE_MAX)),
            date: calendarDateIn(locale, day),
            name: escapeMrkdwn(account.name),
          }),
        },
      },
    ],
  };
}

/** The App Home's modal that logs a milestone reached, on a day in the account's zone (today by default). */
export function logModal(
  account: { key: string; name: string },
  today: string,
  zone: string,
  locale: Locale,
): View {
  return milestoneForm({
    account,
    locale,
    callbackId: MILESTONE.logModal,
    title: t(locale, 'ms.form.logTitle'),
    submit: t(locale, 'ms.form.logSubmit'),
    intro: t(locale, 'ms.form.logIntro', { name: escapeMrkdwn(account.name), zone }),
    titleIds: { block: MILESTONE.logTitleBlock, input: MILESTONE.logTitleInput },
    date: {
      label: t(locale, 'ms.form.reachedOn'),
      block: MILESTONE.logDateBlock,
      input: MILESTONE.logDateInput,
      initial: today,
    },
  });
}

/** What the modal shows once the milestone is logged: the same answer `/cs milestone` gives. */
export function loggedView(answer: string, locale: Locale): View {
  return {
    type: 'modal',
    callback_id: MILESTONE.logModal,
    title: { type: 'plain_text', text: truncate(t(locale, 'ms.form.logged'), 24) },
    close: { type: 'plain_text', text: t(locale, 'label.done') },
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
  locale: Locale;
}): { text: string; blocks: KnownBlock[] } {
  const { locale } = opts;
  const choice = (title: string): string =>
    JSON.stringify({
      account: opts.account.key,
      title,
      ...(opts.date && { date: opts.date }),
    } satisfies MilestoneChoice);
  const values = {
    name: escapeMrkdwn(opts.account.name),
    typed: `*${escapeMrkdwn(truncate(opts.typed, TITLE_MAX))}*`,
    planned: `*${escapeMrkdwn(truncate(opts.planned.title, TITLE_MAX))}*`,
  };
  const text = opts.planned.plannedFor
    ? t(locale, 'ms.same.dated', { ...values, date: calendarDateIn(locale, opts.planned.plannedFor) })
    : t(locale, 'ms.same.undated', values);
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
            text: {
              type: 'plain_text',
              text: truncate(t(locale, 'ms.same.yes', { title: opts.planned.title }), 75),
            },
            value: choice(opts.planned.title),
          },
          {
            type: 'button',
            action_id: MILESTONE.newMilestoneAction,
            text: { type: 'plain_text', text: truncate(t(locale, 'ms.same.no', { title: opts.typed }), 75) },
            value: choice(opts.typed),
          },
        ],
      },
    ],
  };
}
