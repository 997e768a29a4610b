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

/** The `/cs` grammar of the contract, one entry per subcommand: its usage line and what it does. */
export const USAGE = {
  help: { usage: '/cs help', about: 'what Pulse can do' },
  health: { usage: '/cs health <account>', about: "the account's health card" },
  'health-model': {
    usage: '/cs health-model',
    about: 'the health model in effect: components, weights per segment, success goals',
  },
  accounts: { usage: '/cs accounts [red|yellow|green]', about: 'the portfolio, worst first' },
  milestone: { usage: '/cs milestone <account> <title>', about: 'log a success milestone reached today' },
  milestones: {
    usage: '/cs milestones <account>',
    about: "the account's milestones and time to first value",
  },
  rts: {
    usage: '/cs rts <account> [YYYY-MM-DD HH:MM]',
    about: 'schedule the success review (no date: a modal asks)',
  },
  survey: { usage: '/cs survey <account> nps|csat', about: "send a survey to the account's champion now" },
  digest: { usage: '/cs digest', about: 'post the weekly digest now, to this channel' },
  note: { usage: '/cs note <account> <text>', about: "add a note to the account's timeline" },
  timeline: {
    usage: '/cs timeline <account>',
    about: "the account's last 20 events: notes, alerts, survey answers, milestones, reviews, billing",
  },
  connectors: { usage: '/cs connectors', about: 'where Segment, HubSpot and Zendesk data stand' },
  metrics: {
    usage: '/cs metrics [month|quarter|year|YYYY-MM|backtest] [@owner]',
    about:
      'NRR, GRR, churn, expansion, LTV, ARR at risk and renewals, with a 12-month chart; `backtest`: did health predict churn',
  },
} as const;
export type Subcommand = keyof typeof USAGE;
