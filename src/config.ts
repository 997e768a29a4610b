import { readFileSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { LOCALES, TIERS } from './domain/accounts.ts';
import { DEFAULT_ESCALATION } from './domain/alerts.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS, HEALTH_COMPONENTS, type HealthComponent } from './domain/health.ts';
import { type HealthModel, parseHealthModel } from './domain/health-model.ts';
import { builtInModel } from './domain/health-model-built-in.ts';
import { DEFAULT_REVIEW_CADENCE, parseReviewCadence, type ReviewCadence } from './domain/reviews.ts';
import { eventMetricName, SEGMENT_METRICS } from './domain/segment-messages.ts';
import { isTimeZone } from './domain/time-zone.ts';

/** Slack IDs are checked loosely: a capital letter, then capitals and digits. */
const slackId = /^[A-Z][A-Z0-9]+$/;

const EXAMPLES: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-123-456-abc',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  SLACK_APP_TOKEN: 'xapp-1-A123-456-abc',
  SLACK_API_URL: 'http://127.0.0.1:9999/api/',
  PORT: '3000',
  DATABASE_URL: 'postgres://pulse@127.0.0.1:5432/pulse',
  PULSE_DATA_DIR: './.data',
  CS_ALERT_CHANNEL: 'C0123ABCD',
  CS_TEAM: 'U0123ABCD,U0456EFGH or S0123ABCD',
  CS_VIEWERS: 'U0789IJKL or S0456EFGH',
  CS_LEADS: 'U0123ABCD,U0456EFGH',
  HOST: '127.0.0.1',
  OPS_TOKEN: 'a random string of 16+ characters',
  OPS_PORT: '9091',
  INGEST_TOKEN: 'a random string of 16+ characters',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
  PULSE_TIMEZONE: 'America/Sao_Paulo',
  PULSE_LOCALE: 'pt-BR',
  DIGEST_CRON: '0 9 * * 1',
  HEALTH_CRON: '0 2 * * *',
  LOG_LEVEL: 'info',
  HEALTH_MODEL: 'config/health-model.yaml',
  HEALTH_WEIGHTS: 'usage=30,outcomes=15,sentiment=15,support=15,billing=15,relationship=10',
  HEALTH_BANDS: '50,75',
  ESCALATE_AFTER_HOURS: '4,24',
  ALERT_LEAD_ESCALATION_HOURS: '8',
  REVIEW_CADENCE: 'exclusive=1,high_touch=3',
  BRIEF_DAYS_BEFORE: '3',
  NPS_INTERVAL_DAYS: '90',
  SURVEY_DECISION_MAKERS: 'false',
  CSAT_AFTER: 'milestone,review',
  SURVEY_PRODUCT_NAME: 'Acme Analytics',
  TTFV_ALERT_DAYS: '30',
  GROSS_MARGIN: '0.8',
  SEGMENT_WRITE_KEY: 'a random string of 16+ characters',
  SEGMENT_ACCOUNT_TRAIT: 'account_key',
  SEGMENT_LOGIN_EVENTS: 'Signed In,Logged In',
  SEGMENT_METRIC_EVENTS: 'Order Completed,Report Exported',
  ZENDESK_SUBDOMAIN: 'acme (for acme.zendesk.com)',
  ZENDESK_EMAIL: 'cs-ops@acme.com',
  ZENDESK_TOKEN: 'the API token from Zendesk Admin Center',
  ZENDESK_API_URL: 'http://127.0.0.1:9092',
  ZENDESK_WEBHOOK_SECRET: "the webhook's signing secret from Zendesk Admin Center",
  HUBSPOT_TOKEN: 'pat-na1-… (a private app token)',
  HUBSPOT_API_URL: 'http://127.0.0.1:9093',
  HUBSPOT_SYNC_CRON: '*/15 * * * *',
  HUBSPOT_PROPERTIES:
    'key=pulse_account_key,mrr=mrr,renewal_date=renewal_date,tier=cs_tier,stage=cs_stage,role=pulse_role',
};

/** Variables whose values must never appear in a log line or an error message. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'INGEST_TOKEN',
  'STRIPE_WEBHOOK_SECRET',
  'DATABASE_URL',
  'OPS_TOKEN',
  'SEGMENT_WRITE_KEY',
  'ZENDESK_TOKEN',
  'ZENDESK_WEBHOOK_SECRET',
  'HUBSPOT_TOKEN',
] as const;

const DEFAULT_TTFV_ALERT_DAYS = 30;

/** `a=1,b=2`: how list-valued settings are written. */
const listed = (values: Partial<Record<string, number>>) =>
  Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** User IDs and at most one user group: who may read (and, for CS_TEAM, change) account data. */
const people = z.string().refine((v) => {
  const ids = v.split(',').map((s) => s.trim());
  return ids.every((id) => slackId.test(id)) && ids.filter((id) => id.startsWith('S')).length <= 1;
}, 'must be Slack user IDs and at most one user-group ID (S…), comma-separated');

const port = z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0).max(65535);

const cronExpression = z.string().refine((v) => cron.validate(v), 'is not a valid cron expression');

const weights = z.string().transform((raw, ctx) => {
  const result: Record<HealthComponent, number> = { ...DEFAULT_WEIGHTS };
  for (const part of raw.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    const weight = Number(value);
    if (!HEALTH_COMPONENTS.includes(name as HealthComponent) || value === undefined || !(weight >= 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is not component=weight (components: ${HEALTH_COMPONENTS.join(', ')})`,
      });
      return z.NEVER;
    }
    result[name as HealthComponent] = weight;
  }
  if (Object.values(result).every((w) => w === 0)) {
    ctx.addIssue({ code: 'custom', message: 'at least one weight must be above zero' });
    return z.NEVER;
  }
  return result;
});

const bands = z.string().transform((raw, ctx) => {
  const [red, yellow, extra] = raw.split(',').map((s) => Number(s.trim()));
  if (
    extra !== undefined ||
    !Number.isInteger(red) ||
    !Number.isInteger(yellow) ||
    !(0 <= red! && red! < yellow! && yellow! < 100)
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be two integers "redMax,yellowMax" with 0 ≤ redMax < yellowMax < 100',
    });
    return z.NEVER;
  }
  return { redMax: red!, yellowMax: yellow! };
});

/** "urgent,other": hours before an alert nobody acted on is escalated, high-touch/exclusive first. */
const escalationHours = z.string().transform((raw, ctx) => {
  const [urgent, other, extra] = raw.split(',').map((s) => Number(s.trim()));
  if (extra !== undefined || !(urgent! > 0) || !(other! > 0)) {
    ctx.addIssue({ code: 'custom', message: 'must be two positive numbers of hours "highTouch,other"' });
    return z.NEVER;
  }
  return { urgentHours: urgent!, otherHours: other! };
});

/** Comma-separated event names, as the product sends them (case and spaces kept). */
const eventNames = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((names) => names.length > 0, 'must name at least one event, comma-separated');

/** Segment metric events become metric names: none may take the name of a metric the source computes. */
const metricEventNames = eventNames.superRefine((names, ctx) => {
  for (const name of names) {
    const metric = eventMetricName(name);
    if (!metric) ctx.addIssue({ code: 'custom', message: `"${name}" has no letter to name a metric with` });
    else if ((SEGMENT_METRICS as readonly string[]).includes(metric))
      ctx.addIssue({
        code: 'custom',
        message: `"${name}" would be counted as ${metric}, which the source computes`,
      });
  }
});

/** Pulse fields a HubSpot property can fill: the account's, and the contact's role. */
export const HUBSPOT_FIELDS = ['key', 'mrr', 'renewal_date', 'tier', 'stage', 'seats', 'role'] as const;
export type HubspotField = (typeof HUBSPOT_FIELDS)[number];

const hubspotProperties = z.string().transform((raw, ctx) => {
  const mapping: Partial<Record<HubspotField, string>> = {};
  for (const part of raw.split(',')) {
    const [field, property, extra] = part.split('=').map((s) => s.trim());
    if (!HUBSPOT_FIELDS.includes(field as HubspotField) || !property || extra !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${part}" is not field=property (fields: ${HUBSPOT_FIELDS.join(', ')})`,
      });
      return z.NEVER;
    }
    mapping[field as HubspotField] = property;
  }
  return mapping;
});

/**
 * Every setting. Each one's meta holds its one-line `description` and, when the schema has no
 * `.default()`, either the `default` loadConfig applies or what happens when it is `unset`:
 * `npm run env:example` writes `.env.example` from them.
 */
export const SETTINGS = z.object({
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, 'must start with xoxb-')).meta({
    description:
      'The bot token (Slack app → OAuth & Permissions); unset runs the local sandbox instead of Slack',
    unset: 'the sandbox',
  }),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, 'is too short')).meta({
    description: 'Verifies every request from Slack in HTTP mode (Basic Information → Signing Secret)',
    unset: 'required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN is set',
  }),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, 'must start with xapp-')).meta({
    description: 'App-level token (connections:write): connects to Slack in Socket Mode instead of over HTTP',
    unset: 'HTTP mode',
  }),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).meta({
    description: 'Base URL of the Slack Web API (tests point it at a local double)',
    unset: "Slack's own",
  }),
  PORT: port.default(3000).meta({
    description:
      "The HTTP port: Slack's requests, the ingestion API, the Stripe webhook, /healthz (and the ops endpoints without OPS_PORT)",
  }),
  HOST: optional(
    z.string().regex(/^[0-9A-Za-z.:[\]-]+$/, 'must be an interface address or host name, e.g. 0.0.0.0'),
  ).meta({
    description: 'The interface Pulse listens on',
    unset: '0.0.0.0 connected to Slack, 127.0.0.1 for the sandbox',
  }),
  OPS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')).meta({
    description: 'Bearer token the ops endpoints (/metrics, /schedules) then require',
  }),
  OPS_PORT: optional(port.min(1, 'must be a port from 1 to 65535')).meta({
    description: 'A port of their own for the ops endpoints, bound to 127.0.0.1, instead of PORT',
    unset: 'served on PORT',
  }),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL')).meta({
    description: 'A PostgreSQL server (postgres://…), needed for several replicas',
    unset: 'the embedded database in PULSE_DATA_DIR',
  }),
  PULSE_DATA_DIR: z
    .string()
    .min(1)
    .default('./.data')
    .meta({ description: 'Where the embedded database keeps its files (without DATABASE_URL)' }),
  CS_ALERT_CHANNEL: optional(z.string().regex(slackId, 'is not a Slack channel ID')).meta({
    description: 'Channel ID for risk alerts and the weekly digest',
    unset: 'required with SLACK_BOT_TOKEN',
  }),
  CS_TEAM: optional(people).meta({
    description: 'Slack user IDs and at most one user group (S…) who may read and change account data',
    unset: 'every internal member of the workspace',
  }),
  CS_VIEWERS: optional(people).meta({
    description: 'Slack user IDs and at most one user group who may read account data, not change it',
  }),
  CS_LEADS: optional(
    z
      .string()
      .refine(
        (v) => v.split(',').every((id) => /^U[A-Z0-9]+$/.test(id.trim())),
        'must be Slack user IDs (U…), comma-separated',
      ),
  ).meta({ description: 'Slack user IDs whose App Home shows the whole portfolio' }),
  INGEST_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')).meta({
    description: 'Bearer token of the ingestion API (/api/v1/*)',
    unset: 'the API answers 404',
  }),
  STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_/, 'must start with whsec_')).meta({
    description: 'Signing secret of the Stripe webhook endpoint; enables POST /webhooks/stripe',
    unset: 'the route answers 404',
  }),
  PULSE_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'is not an IANA time zone')
    .default('UTC')
    .meta({ description: 'IANA time zone of the schedules and of the dates Pulse shows' }),
  PULSE_LOCALE: z
    .enum(LOCALES, { error: `must be one of: ${LOCALES.join(', ')}` })
    .default('en')
    .meta({
      description:
        'Language of channel posts (alerts, digests); what one person sees follows their Slack language: en or pt-BR',
    }),
  DIGEST_CRON: cronExpression
    .default('0 9 * * 1')
    .meta({ description: 'When the weekly digest is posted (cron, in PULSE_TIMEZONE)' }),
  HEALTH_CRON: cronExpression
    .default('0 2 * * *')
    .meta({ description: "When every account's health is recomputed (cron, in PULSE_TIMEZONE)" }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta({ description: 'The log level: fatal, error, warn, info, debug, trace or silent' }),
  HEALTH_WEIGHTS: optional(weights).meta({
    description: 'Weight of each health component, component=weight; unnamed ones keep theirs',
    default: listed(DEFAULT_WEIGHTS),
  }),
  HEALTH_MODEL: optional(z.string()).meta({
    description:
      'Path of the health model file (YAML or JSON: components, success goals, segments); unset = the built-in model',
  }),
  HEALTH_BANDS: optional(bands).meta({
    description: 'Highest red and highest yellow health score, redMax,yellowMax',
    default: `${DEFAULT_BANDS.redMax},${DEFAULT_BANDS.yellowMax}`,
  }),
  ESCALATE_AFTER_HOURS: optional(escalationHours).meta({
    description:
      'Hours before an alert nobody acted on is escalated: high-touch and exclusive accounts, the others',
    default: `${DEFAULT_ESCALATION.urgentHours},${DEFAULT_ESCALATION.otherHours}`,
  }),
  ALERT_LEAD_ESCALATION_HOURS: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be a positive number of hours')
    .default(8)
    .meta({
      description:
        "Hours after an alert's first escalation (the owner's DM) before the CS leads (CS_LEADS) are told, if nobody acted",
    }),
  REVIEW_CADENCE: optional(
    z.string().transform((raw, ctx) => {
      const parsed = parseReviewCadence(raw, TIERS);
      if (parsed.ok) return parsed.cadence;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  ).meta({
    description:
      'Months between success reviews per tier, tier=months (0 turns a tier off; replaces the default whole)',
    default: listed(DEFAULT_REVIEW_CADENCE),
  }),
  BRIEF_DAYS_BEFORE: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number of working days')
    .min(1, 'must be between 1 and 10')
    .max(10, 'must be between 1 and 10')
    .default(3)
    .meta({ description: 'Working days before a success review that its owner gets the brief' }),
  NPS_INTERVAL_DAYS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(90, 'must be between 90 and 180')
    .max(180, 'must be between 90 and 180')
    .default(90)
    .meta({ description: 'Days between two NPS surveys of the same champion (90–180)' }),
  SURVEY_DECISION_MAKERS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .meta({ description: 'true to survey decision makers as well as champions' }),
  CSAT_AFTER: z
    .string()
    .refine(
      (v) => v.split(',').every((s) => ['milestone', 'review', 'none'].includes(s.trim())),
      'must be "milestone", "review", both comma-separated, or "none"',
    )
    .default('milestone,review')
    .meta({ description: 'What sends a CSAT survey: milestone, review, both comma-separated, or none' }),
  SURVEY_PRODUCT_NAME: optional(z.string().min(1).max(80, 'must be at most 80 characters')).meta({
    description: 'The product named in the survey questions',
    unset: "the Slack workspace's name",
  }),
  SEGMENT_WRITE_KEY: optional(z.string().min(16, 'must be at least 16 characters')).meta({
    description: 'Write key of the Segment-compatible source (the Basic-auth user of POST /v1/*)',
    unset: 'the /v1/* routes answer 404',
  }),
  SEGMENT_ACCOUNT_TRAIT: optional(z.string().min(1).max(100, 'must be at most 100 characters')).meta({
    description: 'The group trait holding the account key',
    unset: "the group call's groupId",
  }),
  SEGMENT_LOGIN_EVENTS: optional(eventNames).meta({
    description: 'Track events counted as logins, comma-separated',
    default: 'Signed In,Logged In',
  }),
  SEGMENT_METRIC_EVENTS: optional(metricEventNames).meta({
    description: 'Track events counted per account and day, each as a metric of its own, comma-separated',
    unset: 'none',
  }),
  ZENDESK_SUBDOMAIN: optional(
    z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be the subdomain only, e.g. acme for acme.zendesk.com'),
  ).meta({
    description:
      'Zendesk subdomain (acme for acme.zendesk.com); with ZENDESK_EMAIL and ZENDESK_TOKEN turns the ticket sync on',
    unset: 'the Zendesk sync is off',
  }),
  ZENDESK_EMAIL: optional(z.email({ error: 'must be the e-mail address of the Zendesk agent' })).meta({
    description: 'E-mail address of the Zendesk agent whose API token Pulse uses',
    unset: 'the Zendesk sync is off',
  }),
  ZENDESK_TOKEN: optional(z.string().min(8, 'is too short')).meta({
    description: 'Zendesk API token (Admin Center → Apps and integrations → Zendesk API)',
    unset: 'the Zendesk sync is off',
  }),
  ZENDESK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).meta({
    description: 'Base URL of the Zendesk API (tests point it at a local double)',
    unset: 'https://<ZENDESK_SUBDOMAIN>.zendesk.com',
  }),
  ZENDESK_WEBHOOK_SECRET: optional(z.string().min(16, 'must be at least 16 characters')).meta({
    description:
      "Signing secret of Zendesk's webhook for ticket changes (POST /webhooks/zendesk); with the ZENDESK_ settings",
    unset: 'the webhook answers 404; the export every 15 minutes is the only path',
  }),
  HUBSPOT_TOKEN: optional(z.string().min(8, 'is too short')).meta({
    description: 'HubSpot private app token (CRM read scopes); turns the HubSpot sync on',
    unset: 'the HubSpot sync is off',
  }),
  HUBSPOT_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).meta({
    description: 'Base URL of the HubSpot API (tests point it at a local double)',
    unset: "HubSpot's own",
  }),
  HUBSPOT_SYNC_CRON: cronExpression
    .default('*/15 * * * *')
    .meta({ description: 'When the HubSpot sync runs (cron, in PULSE_TIMEZONE)' }),
  HUBSPOT_PROPERTIES: optional(hubspotProperties).meta({
    description: 'Which HubSpot properties fill which Pulse fields, field=property comma-separated',
    unset: "account keys from the companies' domains, no other field mapped",
  }),
  TTFV_ALERT_DAYS: optional(
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(365, 'must be at most 365'),
  ).meta({
    description: 'Days after the contract start an onboarding account may go without a milestone reached',
    default: String(DEFAULT_TTFV_ALERT_DAYS),
  }),
  GROSS_MARGIN: z
    .string()
    .trim()
    .regex(
      /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/,
      'must be a decimal between 0 and 1, at most 4 decimals (e.g. 0.8)',
    )
    .default('1')
    .meta({
      description: 'Gross margin used for lifetime value (LTV = ARPA × margin ÷ monthly logo churn), 0 to 1',
    }),
});

/** Settings that depend on each other, checked on the raw values so they are reported with every other problem. */
function crossChecks(env: NodeJS.ProcessEnv): z.core.$ZodIssue[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const missing = (name: string, message: string) =>
    ({ code: 'custom', path: [name], message, input: undefined }) as z.core.$ZodIssue;
  // A connector is on when its settings are given, and then all of them are needed.
  const zendesk = ['ZENDESK_SUBDOMAIN', 'ZENDESK_EMAIL', 'ZENDESK_TOKEN'];
  const connectors = zendesk.some(set)
    ? zendesk
        .filter((name) => !set(name))
        .map((name) => missing(name, 'is required with the other ZENDESK_ settings'))
    : [];
  // The weights and bands of a model file are its segments': two sources for them would disagree.
  const model = set('HEALTH_MODEL')
    ? ['HEALTH_WEIGHTS', 'HEALTH_BANDS']
        .filter(set)
        .map((name) =>
          missing(
            name,
            "applies to the built-in model only: with HEALTH_MODEL, set weights and bands in the model file's segments",
          ),
        )
    : [];
  if (!set('SLACK_BOT_TOKEN')) return [...connectors, ...model];
  return [
    ...connectors,
    ...model,
    ...(set('SLACK_APP_TOKEN') || set('SLACK_SIGNING_SECRET')
      ? []
      : [missing('SLACK_SIGNING_SECRET', 'is required in HTTP mode (no SLACK_APP_TOKEN)')]),
    ...(set('CS_ALERT_CHANNEL') ? [] : [missing('CS_ALERT_CHANNEL', 'is required when connected to Slack')]),
  ];
}

/** Slack user IDs and at most one user group. */
export interface People {
  users: string[];
  userGroup?: string;
}

export interface Config {
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
  };
  /** Without a bot token Pulse runs the local sandbox. */
  sandbox: boolean;
  port: number;
  /** Interface to listen on: 0.0.0.0 connected to Slack, 127.0.0.1 for the sandbox (whoever opens it acts as anyone). */
  host: string;
  /**
   * The operational endpoints (/metrics, /schedules): with a token they answer only to
   * `Authorization: Bearer <token>`; with a port they are served there, on 127.0.0.1, instead of on PORT.
   */
  ops: { token?: string; port?: number };
  databaseUrl?: string;
  dataDir: string;
  alertChannel?: string;
  /** Who may read and change account data; undefined = every internal member of the workspace. */
  csTeam?: People;
  /** Who may read account data without changing it (sales, leadership). */
  csViewers?: People;
  /** Slack user IDs whose App Home shows the whole portfolio instead of their own accounts. */
  csLeads: string[];
  ingestToken?: string;
  stripeWebhookSecret?: string;
  timezone: string;
  /** The language of channel posts (alerts, digests, thread replies), which many people read. */
  locale: (typeof LOCALES)[number];
  digestCron: string;
  healthCron: string;
  logLevel: string;
  health: {
    weights: Record<HealthComponent, number>;
    bands: { redMax: number; yellowMax: number };
    /** The model in effect: HEALTH_MODEL's file, or the built-in model with the weights and bands above. */
    model?: HealthModel;
  };
  /** Hours before an alert nobody acted on is escalated: high-touch and exclusive accounts, the others. */
  escalationHours: { urgentHours: number; otherHours: number };
  /** Hours after the owner's escalation before an alert still unacknowledged goes to the CS leads. */
  leadEscalationHours: number;
  reviews: {
    /** Months between success reviews, by tier. */
    cadence: ReviewCadence;
    /** Working days before the meeting that the owner gets the brief. */
    briefDaysBefore: number;
  };
  surveys: {
    /** Days between two NPS surveys of a champion (90–180). */
    npsIntervalDays: number;
    /** Survey decision makers as well as champions. */
    includeDecisionMakers: boolean;
    /** What sends a CSAT survey. */
    csatAfter: { milestone: boolean; review: boolean };
    /** The name in the survey's question; unset = the Slack workspace's name. */
    productName?: string;
  };
  /** Days after the contract start an onboarding account may go without a milestone reached. */
  ttfvAlertDays: number;
  /** The gross margin LTV is computed with: a decimal between 0 and 1, kept as text so LTV stays exact. */
  grossMargin: string;
  /** The Segment-compatible source; undefined = its routes answer 404. */
  segment?: SegmentSettings;
  /** The Zendesk ticket sync; undefined = off. */
  zendesk?: {
    subdomain: string;
    apiUrl: string;
    email: string;
    token: string;
    /** The signing secret of the ticket-change webhook; undefined = the webhook is off. */
    webhookSecret?: string;
  };
  /** The HubSpot CRM sync; undefined = off. */
  hubspot?: {
    token: string;
    apiUrl: string;
    cron: string;
    /** The HubSpot property holding each Pulse field; a field without one is left alone. */
    properties: Partial<Record<HubspotField, string>>;
  };
}

export interface SegmentSettings {
  writeKey: string;
  /** The group trait holding the account key; undefined = the group call's groupId. */
  accountTrait?: string;
  /** Track events counted as `logins`. */
  loginEvents: string[];
  /** Track events counted per day, each as a metric of its own. */
  metricEvents: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; the only reader of process.env. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = SETTINGS.safeParse(env);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...crossChecks(env)];
  if (!parsed.success || issues.length) {
    const problems = issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const example = EXAMPLES[variable];
      return `${variable} ${issue.message}${example ? ` (example: ${variable}=${example})` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const model = e.HEALTH_MODEL
    ? loadHealthModel(e.HEALTH_MODEL)
    : builtInModel(e.HEALTH_WEIGHTS, e.HEALTH_BANDS);

  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL && (e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`),
    },
    sandbox: !e.SLACK_BOT_TOKEN,
    port: e.PORT,
    host: e.HOST ?? (e.SLACK_BOT_TOKEN ? '0.0.0.0' : '127.0.0.1'),
    ops: { token: e.OPS_TOKEN, port: e.OPS_PORT },
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PULSE_DATA_DIR,
    alertChannel: e.CS_ALERT_CHANNEL,
    csTeam: parsePeople(e.CS_TEAM),
    csViewers: parsePeople(e.CS_VIEWERS),
    csLeads: e.CS_LEADS?.split(',').map((s) => s.trim()) ?? [],
    ingestToken: e.INGEST_TOKEN,
    stripeWebhookSecret: e.STRIPE_WEBHOOK_SECRET,
    timezone: e.PULSE_TIMEZONE,
    locale: e.PULSE_LOCALE,
    digestCron: e.DIGEST_CRON,
    healthCron: e.HEALTH_CRON,
    logLevel: e.LOG_LEVEL,
    health: {
      weights: e.HEALTH_WEIGHTS ?? DEFAULT_WEIGHTS,
      bands: e.HEALTH_BANDS ?? DEFAULT_BANDS,
      model,
    },
    leadEscalationHours: e.ALERT_LEAD_ESCALATION_HOURS,
    escalationHours: e.ESCALATE_AFTER_HOURS ?? {
      urgentHours: DEFAULT_ESCALATION.urgentHours,
      otherHours: DEFAULT_ESCALATION.otherHours,
    },
    reviews: { cadence: e.REVIEW_CADENCE ?? DEFAULT_REVIEW_CADENCE, briefDaysBefore: e.BRIEF_DAYS_BEFORE },
    surveys: {
      npsIntervalDays: e.NPS_INTERVAL_DAYS,
      includeDecisionMakers: e.SURVEY_DECISION_MAKERS === 'true',
      csatAfter: {
        milestone: e.CSAT_AFTER.includes('milestone'),
        review: e.CSAT_AFTER.includes('review'),
      },
      productName: e.SURVEY_PRODUCT_NAME,
    },
    ttfvAlertDays: e.TTFV_ALERT_DAYS ?? DEFAULT_TTFV_ALERT_DAYS,
    grossMargin: e.GROSS_MARGIN,
    segment: e.SEGMENT_WRITE_KEY
      ? {
          writeKey: e.SEGMENT_WRITE_KEY,
          accountTrait: e.SEGMENT_ACCOUNT_TRAIT,
          loginEvents: e.SEGMENT_LOGIN_EVENTS ?? ['Signed In', 'Logged In'],
          metricEvents: e.SEGMENT_METRIC_EVENTS ?? [],
        }
      : undefined,
    zendesk:
      e.ZENDESK_SUBDOMAIN && e.ZENDESK_EMAIL && e.ZENDESK_TOKEN
        ? {
            subdomain: e.ZENDESK_SUBDOMAIN,
            apiUrl: (e.ZENDESK_API_URL ?? `https://${e.ZENDESK_SUBDOMAIN}.zendesk.com`).replace(/\/+$/, ''),
            email: e.ZENDESK_EMAIL,
            token: e.ZENDESK_TOKEN,
            webhookSecret: e.ZENDESK_WEBHOOK_SECRET,
          }
        : undefined,
    hubspot: e.HUBSPOT_TOKEN
      ? {
          token: e.HUBSPOT_TOKEN,
          apiUrl: (e.HUBSPOT_API_URL ?? 'https://api.hubapi.com').replace(/\/+$/, ''),
          cron: e.HUBSPOT_SYNC_CRON,
          properties: e.HUBSPOT_PROPERTIES ?? {},
        }
      : undefined,
  };
}

/** HEALTH_MODEL's file, validated: every problem with its path in the file. */
function loadHealthModel(path: string): HealthModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `HEALTH_MODEL cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  const parsed = parseHealthModel(text, path);
  if (!parsed.ok)
    throw new ConfigError(
      parsed.problems.map((p) => `HEALTH_MODEL ${path}${p.path ? ` at ${p.path}` : ''}: ${p.message}`),
    );
  return parsed.model;
}

function parsePeople(raw: string | undefined): People | undefined {
  const ids = raw?.split(',').map((s) => s.trim());
  return (
    ids && { users: ids.filter((id) => !id.startsWith('S')), userGroup: ids.find((id) => id.startsWith('S')) }
  );
}
