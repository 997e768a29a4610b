/** Every action_id, block_id and callback_id Pulse puts in Block Kit: blocks and listeners share these. */
export const ACTION = {
  alertAcknowledge: 'alert_acknowledge',
  alertSnooze: 'alert_snooze',
  alertResolve: 'alert_resolve',
  alertHealthCard: 'alert_health_card',
  alertAssign: 'alert_assign',
  /** An incident's next steps that open a modal: values `review:<key>`, `milestone:<key>` (as the App Home's menu). */
  alertScheduleReview: 'alert_schedule_review',
  alertLogMilestone: 'alert_log_milestone',
  /** A link to the customer in Stripe's dashboard (Slack still sends the click: it is only acknowledged). */
  alertOpenStripe: 'alert_open_stripe',
  /** A link to a DM with a detractor (or to the account's channel): only acknowledged, like Stripe's. */
  alertReply: 'alert_reply',
  alertOpenSource: 'alert_open_source',
  resolveNote: 'alert_resolve_note_input',
} as const;

export const BLOCK = {
  alertActions: 'alert_actions',
  /** An incident's controls on the App Home: the prefix, then its alert's id. */
  homeIncidentPrefix: 'home_incident:',
  resolveNote: 'alert_resolve_note',
} as const;

export const CALLBACK = {
  alertResolveModal: 'alert_resolve_modal',
} as const;

/** The Snooze menu's choices, in days. */
export const SNOOZE_DAYS = [1, 7] as const;

/** The success plan: the "Add to success plan" button and its modal. */
export const MILESTONE = {
  addToPlanAction: 'milestone_add_to_plan',
  planModal: 'milestone_plan_modal',
  titleBlock: 'milestone_plan_title',
  titleInput: 'milestone_plan_title_input',
  dateBlock: 'milestone_plan_date',
  dateInput: 'milestone_plan_date_input',
  /** The App Home's "Log a milestone" modal: a milestone reached; its fields are `logTitle…`, `logDate…`. */
  logModal: 'milestone_log_modal',
  logTitleBlock: 'milestone_log_title',
  logTitleInput: 'milestone_log_title_input',
  logDateBlock: 'milestone_log_date',
  logDateInput: 'milestone_log_date_input',
  /**
   * `/cs milestone` with a title close to a planned one asks which it is: that planned milestone, or a new
   * one. Each button's value is `{ account, title, date? }` as JSON: what to log.
   */
  samePlannedAction: 'milestone_same_as_planned',
  newMilestoneAction: 'milestone_new_not_planned',
} as const;

/** Surveys: one button per score (`survey_score_<n>`, value `<surveyId>:<n>`), then the comment modal. */
export const SURVEY_ACTION = {
  scorePrefix: 'survey_score_',
  tellUsWhy: 'survey_tell_us_why',
  comment: 'survey_comment_input',
} as const;
export const SURVEY_BLOCK = {
  scores: 'survey_scores',
  comment: 'survey_comment',
} as const;
export const SURVEY_CALLBACK = {
  commentModal: 'survey_comment_modal',
} as const;

/** Success reviews: the confirmation's buttons, the scheduling modal and the outcome modal. */
export const REVIEW = {
  rescheduleAction: 'review_reschedule',
  cancelAction: 'review_cancel',
  outcomeAction: 'review_outcome',
  scheduleModal: 'review_schedule_modal',
  outcomeModal: 'review_outcome_modal',
  dateBlock: 'review_date',
  dateInput: 'review_date_input',
  timeBlock: 'review_time',
  timeInput: 'review_time_input',
  durationBlock: 'review_duration',
  durationInput: 'review_duration_input',
  attendeesBlock: 'review_attendees',
  attendeesInput: 'review_attendees_input',
  agendaBlock: 'review_agenda',
  agendaInput: 'review_agenda_input',
  /** Outcome goal inputs: block `review_goal_<row>_<field>`, action `…_input`. */
  goalPrefix: 'review_goal_',
  goalRows: 5,
} as const;

/** Digest and App Home: a menu or button whose value is an account key opens that account's health card. */
export const ACCOUNT = {
  healthCard: 'account_health_card',
  /** The App Home's menu per account: values `card:<key>`, `milestone:<key>`, `review:<key>`. */
  homeMenu: 'home_account_menu',
  /** "Next 25" under `/cs accounts`: value `{ band?, offset }` as JSON. */
  portfolioNext: 'portfolio_next_page',
  /** "Next 25" and "First 25" under the App Home's accounts: value the offset of the page. */
  homeNext: 'home_next_page',
  homeFirst: 'home_first_page',
} as const;

/** Accounts per page of `/cs accounts` and of the App Home. */
export const ACCOUNTS_PAGE = 25;

/** The account's timeline: the "Log to account" message shortcut and its modal. */
export const NOTE = {
  /** The message shortcut's callback_id, as manifest.json declares it. */
  shortcut: 'log_to_account',
  shortcutName: 'Log to account',
  modal: 'note_log_modal',
  accountBlock: 'note_account',
  accountInput: 'note_account_input',
  textBlock: 'note_text',
  textInput: 'note_text_input',
} as const;

/**
 * The `/cs` grammar of the contract, one entry per subcommand, in manifest.json's usage_hint order: its
 * usage line (what each subcommand does is in the catalogue, src/i18n/team/commands.ts).
 */
export const USAGE = {
  help: { usage: '/cs help' },
  health: { usage: '/cs health <account>' },
  'health-model': { usage: '/cs health-model' },
  accounts: { usage: '/cs accounts [red|yellow|green]' },
  milestone: { usage: '/cs milestone <account> <title>' },
  milestones: { usage: '/cs milestones <account>' },
  rts: { usage: '/cs rts <account> [YYYY-MM-DD HH:MM]' },
  survey: { usage: '/cs survey <account> nps|csat' },
  digest: { usage: '/cs digest' },
  note: { usage: '/cs note <account> <text>' },
  timeline: { usage: '/cs timeline <account>' },
  connectors: { usage: '/cs connectors' },
  metrics: { usage: '/cs metrics [month|quarter|year|YYYY-MM|backtest] [@owner]' },
} as const;
export type Subcommand = keyof typeof USAGE;

/**
 * Portuguese words `/cs` accepts for its English ones, so a Brazilian team can type what it says
 * (`/cs saude acme`, `/cs contas vermelho`); the Portuguese help lists them. With and without accents,
 * as people type either.
 */
export const SUBCOMMAND_ALIASES: Record<string, Subcommand> = {
  ajuda: 'help',
  saude: 'health',
  saúde: 'health',
  contas: 'accounts',
  marco: 'milestone',
  marcos: 'milestones',
  pesquisa: 'survey',
  resumo: 'digest',
  nota: 'note',
  historico: 'timeline',
  histórico: 'timeline',
  conectores: 'connectors',
  metricas: 'metrics',
  métricas: 'metrics',
};
export const BAND_ALIASES: Record<string, 'red' | 'yellow' | 'green'> = {
  vermelho: 'red',
  vermelha: 'red',
  amarelo: 'yellow',
  amarela: 'yellow',
  verde: 'green',
};
export const PERIOD_ALIASES: Record<string, 'month' | 'quarter' | 'year'> = {
  mes: 'month',
  mês: 'month',
  trimestre: 'quarter',
  ano: 'year',
};
