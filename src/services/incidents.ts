import type { Database, Executor } from '../db/client.ts';
import { causesToAnnounce, incidentView } from '../domain/incidents.ts';
import {
  alertAddedReplyKey,
  alertAddedUpdateKey,
  alertClearedReplyKey,
  alertClearedUpdateKey,
  incidentAssignedReplyKey,
} from '../domain/outbox-keys.ts';
import type { Locale } from '../i18n/index.ts';
import {
  addedReplyText,
  alertBlocks,
  alertHeadline,
  alertText,
  assignedReplyText,
} from '../slack/blocks/alert.ts';
import {
  assignIncident,
  attachToIncidents,
  endFinishedIncidents,
  type IncidentRecord,
  incidentsOf,
  loadIncidents,
} from '../store/alerts/incidents.ts';
import { enqueueIncidentPost, revisePendingIncidentPost } from '../store/alerts/post.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';

/** How an incident's message and thread replies are written: they go to a channel, in PULSE_LOCALE. */
export interface RenderOptions {
  now: Date;
  timezone: string;
  locale: Locale;
}

/** Where an incident is posted: its channel, and the alert channel when that one turns out to be shared. */
function destination(incident: IncidentRecord, alertChannel: string | undefined) {
  const fallback = alertChannel && alertChannel !== incident.channel ? alertChannel : undefined;
  return { channel: incident.channel, ...(fallback && { fallbackChannel: fallback }) };
}

/** The incident's message as it is now. */
export function incidentMessage(incident: IncidentRecord, render: RenderOptions) {
  const view = incidentView(incident.causes, incident.assigneeSlackId);
  return { view, text: alertText(view, render.locale), blocks: alertBlocks(view, render) };
}

/**
 * Brings the incident's message up to date, in the caller's transaction: a post still waiting is
 * rewritten; otherwise an update keyed `updateKey` goes through the outbox, which waits for the post's
 * `ts` if it is being sent right now and renders the incident again when it sends it. Returns whether
 * the post was still waiting (then nothing else is needed: it goes out as the incident is now).
 */
export async function refreshIncidentMessage(
  tx: Executor,
  incident: IncidentRecord,
  updateKey: string,
  render: RenderOptions,
): Promise<'rewritten' | 'updated'> {
  const { text, blocks } = incidentMessage(incident, render);
  if (incident.post?.status !== 'sent') {
    const rewritten = await revisePendingIncidentPost(tx, incident.id, {
      channel: incident.channel,
      text,
      blocks,
    });
    if (rewritten || !incident.post) return 'rewritten';
  }
  await enqueueSlackMessage(tx, {
    dedupeKey: updateKey,
    method: 'chat.update',
    incidentId: incident.id,
    payload: {
      channel: incident.post?.channel ?? incident.channel,
      ...(incident.post?.ts && { ts: incident.post.ts }),
      text,
      blocks,
    },
  });
  return 'updated';
}

/** A reply in the incident's thread; the outbox fills in the thread once the post has its `ts`. */
export async function replyToIncident(
  tx: Executor,
  incident: IncidentRecord,
  dedupeKey: string,
  text: string,
  options: { broadcast?: boolean } = {},
): Promise<void> {
  await enqueueSlackMessage(tx, {
    dedupeKey,
    method: 'chat.postMessage',
    incidentId: incident.id,
    payload: {
      channel: incident.post?.channel ?? incident.channel,
      ...(incident.post?.ts && { thread_ts: incident.post.ts }),
      ...(options.broadcast && { reply_broadcast: true }),
      text,
    },
  });
}

/**
 * The messages of one evaluation's alerts, written in its transaction. Resolved alerts end their
 * incident when they were its last cause; raised ones join their account's open incident (or open one):
 * a new incident is posted once with all its causes; an incident that was open has its message updated
 * in place and says in its thread what was added, unless the cause is a consequence of one raised in the
 * same evaluation (src/domain/incidents.ts), which is a line of the message only.
 */
export async function enqueueIncidentMessages(
  tx: Executor,
  opts: RenderOptions & {
    alertChannel?: string;
    raised: number[];
    resolved: number[];
    /** The thread reply of an alert Pulse resolved, in `locale`. */
    resolvedReply: string;
  },
): Promise<void> {
  const render = { now: opts.now, timezone: opts.timezone, locale: opts.locale };
  const { resolvedReply } = opts;
  await endFinishedIncidents(tx, opts.resolved, opts.now);
  for (const incident of await loadIncidents(tx, await incidentsOf(tx, opts.resolved))) {
    const resolved = incident.causes.filter((c) => opts.resolved.includes(c.id));
    const updateKey = alertClearedUpdateKey(Math.min(...resolved.map((c) => c.id)));
    // A post still waiting goes out showing them resolved, with nothing to say in a thread.
    if ((await refreshIncidentMessage(tx, incident, updateKey, render)) === 'rewritten') continue;
    for (const alert of resolved) {
      // Said of which cause when the incident has several.
      const text =
        incident.causes.length > 1
          ? `${resolvedReply} (${alertHeadline(alert.cause, opts.locale)})`
          : resolvedReply;
      await replyToIncident(tx, incident, alertClearedReplyKey(alert.id), text);
    }
  }

  const attached = await attachToIncidents(tx, opts.raised, {
    now: opts.now,
    fallbackChannel: opts.alertChannel,
  });
  const incidents = new Map(
    (
      await loadIncidents(
        tx,
        attached.map((a) => a.incidentId),
      )
    ).map((i) => [i.id, i]),
  );
  for (const { incidentId, created, alertIds } of attached) {
    const incident = incidents.get(incidentId)!;
    if (created) {
      const { text, blocks } = incidentMessage(incident, render);
      await enqueueIncidentPost(
        tx,
        { id: incident.id, openedBy: Math.min(...alertIds) },
        {
          method: 'chat.postMessage',
          payload: { channel: incident.channel, text, blocks },
          ...destination(incident, opts.alertChannel),
        },
      );
      continue;
    }
    const added = incident.causes.filter((c) => alertIds.includes(c.id));
    const existing = incident.causes.filter((c) => !alertIds.includes(c.id));
    const first = Math.min(...alertIds);
    if ((await refreshIncidentMessage(tx, incident, alertAddedUpdateKey(first), render)) === 'rewritten')
      continue;
    const announce = new Set(causesToAnnounce(existing, added));
    for (const alert of added.filter((a) => announce.has(a.id)))
      await replyToIncident(tx, incident, alertAddedReplyKey(alert.id), addedReplyText(alert, opts.locale));
  }
}

/** What the outbox sends for an incident's message now, or why not yet. */
export type IncidentDelivery =
  | { kind: 'ready'; payload: Record<string, unknown> }
  | { kind: 'wait' }
  | { kind: 'failed'; error: string };

/**
 * An incident's update or reply at the moment it is sent: the post's channel and `ts` (waiting while the
 * post is being sent), and for an update the incident rendered as it is now, so an update queued before a
 * click cannot show the state the click replaced.
 */
export async function incidentDeliveryNow(
  db: Database,
  message: { incidentId: number; method: string; payload: Record<string, unknown> },
  render: RenderOptions,
): Promise<IncidentDelivery> {
  const [incident] = await loadIncidents(db.orm, [message.incidentId]);
  if (!incident) return { kind: 'failed', error: 'incident_not_found' };
  const post = incident.post;
  if (post?.status === 'failed') return { kind: 'failed', error: 'incident_post_not_delivered' };
  if (post?.status !== 'sent' || !post.channel || !post.ts) return { kind: 'wait' };
  if (message.method === 'chat.update') {
    const { text, blocks } = incidentMessage(incident, render);
    return { kind: 'ready', payload: { channel: post.channel, ts: post.ts, text, blocks } };
  }
  return { kind: 'ready', payload: { ...message.payload, channel: post.channel, thread_ts: post.ts } };
}

/**
 * Someone assigned the incident of `alertId` to `assignee`: recorded for each cause, and said once in
 * its thread, where the new assignee is mentioned. False when nothing changed (already theirs, resolved).
 */
export async function assignIncidentTo(
  db: Database,
  alertId: number,
  change: { assignee: string; by: string; now: Date; locale: Locale },
): Promise<boolean> {
  return db.orm.transaction(async (tx) => {
    const assigned = await assignIncident(tx, alertId, change);
    if (!assigned) return false;
    const [incident] = await loadIncidents(tx, [assigned.incidentId]);
    await replyToIncident(
      tx,
      incident!,
      incidentAssignedReplyKey(assigned.incidentId, assigned.actionId),
      assignedReplyText(change.assignee, change.by, change.locale),
    );
    return true;
  });
}
