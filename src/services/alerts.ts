import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database, Executor } from '../db/client.ts';
import { DEFAULT_HEALTH_ALERT_THRESHOLDS, healthAlertDecisions } from '../domain/alert-rules.ts';
import {
  DEFAULT_ESCALATION,
  type EscalationPolicy,
  escalationDelayHours,
  escalationDelays,
} from '../domain/alerts.ts';
import type { HealthModel, Segment } from '../domain/health-model.ts';
import { changesWithModelLabels } from '../domain/health-model-labels.ts';
import {
  alertEscalationDmKey,
  alertEscalationThreadKey,
  alertLeadEscalationDmKey,
  alertLeadEscalationThreadKey,
  alertSnoozeOverReplyKey,
  alertSnoozeOverUpdateKey,
} from '../domain/outbox-keys.ts';
import { type Locale, t } from '../i18n/index.ts';
import {
  escalationDmText,
  escalationReplyText,
  leadEscalationDmText,
  leadEscalationReplyText,
  snoozeOverReplyText,
} from '../slack/blocks/alert.ts';
import { raiseBillingAlerts, resolveClearedBillingAlerts } from '../store/alerts/billing.ts';
import {
  type EscalatedAlert,
  escalateDueAlerts,
  escalateToLeadsDue,
  type ReopenedAlert,
  reopenEndedSnoozes,
} from '../store/alerts/followups.ts';
import {
  accountsWithEndedHealthSnoozes,
  clearHealthAlerts,
  insertHealthAlerts,
  loadHealthAlertSubjects,
  type NewHealthAlert,
  renotifyHealthAlerts,
} from '../store/alerts/health.ts';
import { incidentsOf, loadIncidents } from '../store/alerts/incidents.ts';
import type { HealthBefore } from '../store/health.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import {
  enqueueIncidentMessages,
  incidentMessage,
  type RenderOptions,
  refreshIncidentMessage,
  replyToIncident,
} from './incidents.ts';
import { recipientLocales } from './user-locales.ts';

export interface AlertEvaluationOptions {
  /** The accounts just recomputed; undefined = every account. */
  accountIds?: number[];
  now: Date;
  /** CS_ALERT_CHANNEL: where an account without a channel of its own is alerted. */
  alertChannel?: string;
  timezone: string;
  /** PULSE_LOCALE (default English): alerts are channel posts, read by the whole team. */
  locale?: Locale;
}

/**
 * Runs after a health recomputation, on its result: raises one alert per new open billing flag and
 * resolves the alerts whose flag was cleared. Each decision and its Slack message commit together
 * (the outbox row is written in this transaction), and both are keyed, so running it again — after a
 * re-sent event, another recomputation, a crash — decides and posts nothing twice.
 */
export async function evaluateBillingAlerts(
  db: Database,
  opts: AlertEvaluationOptions,
): Promise<{ raised: number[]; resolved: number[] }> {
  return db.orm.transaction(async (tx) => {
    const raised = await raiseBillingAlerts(tx, {
      accountIds: opts.accountIds,
      now: opts.now,
      fallbackChannel: opts.alertChannel,
    });
    const resolved = await resolveClearedBillingAlerts(tx, { accountIds: opts.accountIds, now: opts.now });
    await enqueueIncidentMessages(tx, {
      ...opts,
      raised,
      resolved,
      locale: opts.locale ?? 'en',
      resolvedReply: t(opts.locale ?? 'en', 'alert.reply.paymentCleared'),
    });
    return { raised, resolved };
  });
}

/**
 * Runs after a health recomputation of the present: the health rules (alert-rules.ts) per account, on
 * its new health, the health `before` it (read before the recomputation wrote) and its latest health
 * alerts, all loaded set-based. Opens, clears and re-notifications commit with their messages in one
 * transaction; dedupe keys make a retried or concurrent evaluation insert and post nothing twice.
 */
export async function evaluateHealthAlerts(
  db: Database,
  opts: AlertEvaluationOptions & { before: Map<number, HealthBefore>; model: HealthModel },
): Promise<{ raised: number[]; resolved: number[]; renotified: number[] }> {
  // Each account's band is the one its recomputation stored; its segment's bands say where red ends.
  const segments = new Map<string | null, Segment>(opts.model.segments.map((s) => [s.name, s]));
  const fallback = opts.model.segments[opts.model.segments.length - 1]!;
  return db.orm.transaction(async (tx) => {
    const subjects = await loadHealthAlertSubjects(tx, {
      accountIds: opts.accountIds,
      fallbackChannel: opts.alertChannel,
    });
    const toOpen: NewHealthAlert[] = [];
    const toClose: string[] = [];
    const toRenotify: string[] = [];
    for (const s of subjects) {
      const before = opts.before.get(s.accountId);
      const decisions = healthAlertDecisions(
        {
          accountId: s.accountId,
          status: s.status,
          renewalDate: s.renewalDate,
          now: opts.now,
          score: s.score,
          band: s.band,
          bands: (segments.get(s.segment) ?? fallback).bands,
          components: s.components,
          previousScore: before?.score ?? null,
          previousBand: before?.band ?? null,
          // A getter: the components are parsed only if a rule reads them (an alert opens).
          get previousComponents() {
            return before?.components ?? [];
          },
          snapshots: before?.snapshots ?? [],
          alerts: s.alerts,
        },
        DEFAULT_HEALTH_ALERT_THRESHOLDS,
      );
      toClose.push(...decisions.close);
      toRenotify.push(...decisions.renotify);
      // Like billing alerts: an account with no channel to post to gets none.
      const { band } = s;
      if (!s.postable || s.score === null || band === null) continue;
      for (const d of decisions.open)
        toOpen.push({
          accountId: s.accountId,
          kind: d.kind,
          dedupeKey: d.dedupeKey,
          detail: { ...d.detail, band, changes: changesWithModelLabels(opts.model, d.changes) },
        });
    }
    const raised = await insertHealthAlerts(tx, toOpen, opts.now);
    const resolved = await clearHealthAlerts(tx, toClose, opts.now);
    const renotified = await renotifyHealthAlerts(tx, toRenotify, opts.now);
    await enqueueSnoozeOverMessages(tx, renotified, { ...opts, locale: opts.locale ?? 'en' });
    await enqueueIncidentMessages(tx, {
      ...opts,
      raised,
      resolved,
      locale: opts.locale ?? 'en',
      resolvedReply: t(opts.locale ?? 'en', 'alert.reply.conditionCleared'),
    });
    return { raised, resolved, renotified: renotified.map((r) => r.id) };
  });
}

/**
 * The messages of alerts whose snooze ended, in the caller's transaction, the same for every kind: the
 * incident's message is updated back to open, and a thread reply broadcast to the channel says the alert
 * is back (a new post would split the incident's history over two messages). Keyed by the snooze's end,
 * so each snooze ends in Slack once. An incident whose post is still waiting goes out open instead.
 */
export async function enqueueSnoozeOverMessages(
  tx: Executor,
  reopened: ReopenedAlert[],
  opts: RenderOptions,
): Promise<void> {
  const ends = new Map(reopened.map((r) => [r.id, +r.snoozedUntil]));
  const render = { now: opts.now, timezone: opts.timezone, locale: opts.locale };
  for (const incident of await loadIncidents(tx, await incidentsOf(tx, [...ends.keys()]))) {
    for (const alert of incident.causes.filter((c) => ends.has(c.id))) {
      const snoozeEnd = ends.get(alert.id)!;
      const refreshed = await refreshIncidentMessage(
        tx,
        incident,
        alertSnoozeOverUpdateKey(alert.id, snoozeEnd),
        render,
      );
      if (refreshed === 'rewritten') continue;
      await replyToIncident(
        tx,
        incident,
        alertSnoozeOverReplyKey(alert.id, snoozeEnd),
        snoozeOverReplyText(alert, opts.locale),
        {
          broadcast: true,
        },
      );
    }
  }
}

export interface AlertFollowupsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'timezone'> &
    Partial<Pick<Config, 'escalationHours' | 'alertChannel' | 'csLeads' | 'leadEscalationHours' | 'locale'>>;
  escalation?: EscalationPolicy;
}

export interface AlertFollowups {
  escalated: number[];
  /** Alerts escalated to the CS leads (the second step). */
  escalatedToLeads: number[];
  /** Billing and red-flag alerts whose snooze ended, open again. */
  reopened: number[];
  /** Accounts to recompute: a health alert's snooze ended, and only the health rules can bring it back. */
  recheckAccounts: number[];
}

/**
 * The incidents of alerts this run escalated whose people were not told yet (another cause of the
 * incident escalated before, or earlier in this run, told them), each with its first alert, which keys
 * its messages; loaded as their message shows them.
 */
async function incidentsToTell(tx: Executor, escalated: EscalatedAlert[], render: RenderOptions) {
  const first = new Map<number, number>();
  for (const e of escalated)
    if (!e.incidentToldBefore && !first.has(e.incidentId)) first.set(e.incidentId, e.id);
  const incidents = await loadIncidents(tx, [...first.keys()]);
  return incidents.map((incident) => ({
    incident,
    firstAlert: first.get(incident.id)!,
    view: incidentMessage(incident, render).view,
    // Only alerts whose post was delivered are escalated.
    posted: { channel: incident.post!.channel!, ts: incident.post!.ts! },
  }));
}

/**
 * The time-driven side of alerts, run every minute. Each decision commits with its messages in one
 * transaction, keyed in the outbox, and the rows are claimed with skip locked: two processes, or two runs,
 * escalate or reopen an alert once.
 * - escalation: an incident nobody acted on in time gets a DM to whoever owns it (its assignee, else the
 *   account's owner), then a thread reply; still unacknowledged `leadEscalationHours` later, a DM to each
 *   of `CS_LEADS` and a thread reply saying so. Each step once per incident, whatever its causes;
 * - billing and red-flag snoozes that ended: the alert is open again (`enqueueSnoozeOverMessages`);
 * - health snoozes that ended are left to the health evaluation, which brings the alert back the same
 *   way when its condition still holds, and resolves it when not: this job names the accounts to recompute.
 */
export async function runAlertFollowups(deps: AlertFollowupsDeps): Promise<AlertFollowups> {
  const now = deps.clock();
  const policy = deps.escalation ?? { ...DEFAULT_ESCALATION, ...deps.config.escalationHours };
  const delays = escalationDelays(policy);
  // Thread replies are channel posts (PULSE_LOCALE); each DM speaks its recipient's locale.
  const teamLocale = deps.config.locale ?? 'en';
  const render = { now, timezone: deps.config.timezone, locale: teamLocale };

  const escalated = await deps.db.orm.transaction(async (tx) => {
    const due = await escalateDueAlerts(tx, { delays, now });
    const toTell = await incidentsToTell(tx, due, render);
    const localeOf = await recipientLocales(
      tx,
      toTell.flatMap(({ view }) => (view.assigneeSlackId ? [view.assigneeSlackId] : [])),
      teamLocale,
    );
    for (const { view, firstAlert, posted } of toTell) {
      const afterHours = escalationDelayHours(view.account.tier, policy);
      if (view.assigneeSlackId) {
        await enqueueSlackMessage(tx, {
          dedupeKey: alertEscalationDmKey(firstAlert),
          method: 'chat.postMessage',
          payload: {
            channel: view.assigneeSlackId,
            text: escalationDmText(view, posted.channel, afterHours, localeOf(view.assigneeSlackId)),
          },
        });
      }
      await enqueueSlackMessage(tx, {
        dedupeKey: alertEscalationThreadKey(firstAlert),
        method: 'chat.postMessage',
        payload: {
          channel: posted.channel,
          thread_ts: posted.ts,
          text: escalationReplyText(view, afterHours, render.locale),
        },
      });
    }
    return due.map((e) => e.id);
  });

  const leads = deps.config.csLeads ?? [];
  const leadHours = deps.config.leadEscalationHours;
  const escalatedToLeads =
    !leads.length || leadHours === undefined
      ? []
      : await deps.db.orm.transaction(async (tx) => {
          const due = await escalateToLeadsDue(tx, { hours: leadHours, now });
          const localeOf = await recipientLocales(tx, leads, teamLocale);
          for (const { view, firstAlert, posted } of await incidentsToTell(tx, due, render)) {
            for (const lead of leads)
              await enqueueSlackMessage(tx, {
                dedupeKey: alertLeadEscalationDmKey(firstAlert, lead),
                method: 'chat.postMessage',
                payload: {
                  channel: lead,
                  text: leadEscalationDmText(view, posted.channel, leadHours, localeOf(lead)),
                },
              });
            await enqueueSlackMessage(tx, {
              dedupeKey: alertLeadEscalationThreadKey(firstAlert),
              method: 'chat.postMessage',
              payload: {
                channel: posted.channel,
                thread_ts: posted.ts,
                text: leadEscalationReplyText(leads, leadHours, render.locale),
              },
            });
          }
          return due.map((e) => e.id);
        });

  const reopened = await deps.db.orm.transaction(async (tx) => {
    const ended = await reopenEndedSnoozes(tx, now);
    await enqueueSnoozeOverMessages(tx, ended, render);
    return ended.map((e) => e.id);
  });

  const recheckAccounts = await accountsWithEndedHealthSnoozes(deps.db.orm, now);
  if (escalated.length || escalatedToLeads.length || reopened.length)
    deps.logger.info(
      { escalated: escalated.length, escalatedToLeads: escalatedToLeads.length, reopened: reopened.length },
      'alert follow-ups done',
    );
  return { escalated, escalatedToLeads, reopened, recheckAccounts };
}
