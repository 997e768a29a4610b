import type { KnownBlock } from '@slack/types';
import type { SkippedRecord } from '../../domain/connectors.ts';
import { escapeMrkdwn, inlineCode, relative, truncate } from './format.ts';

/** What `/cs connectors` shows of a connector (services/connectors.ts's status, as plain data). */
export interface ConnectorView {
  name: string;
  enabled: boolean;
  cursor: string | null;
  lastRunAt: Date | null;
  nextRunAt: Date | null;
  stored: number;
  skipped: number;
  lastError: string | null;
  lastSkipped: SkippedRecord[];
}

const TITLES: Record<string, string> = {
  segment: 'Segment events',
  hubspot: 'HubSpot CRM',
  zendesk: 'Zendesk tickets',
};
/** Skipped records listed per connector; the rest are counted. */
const SKIPPED_SHOWN = 3;

function connectorText(c: ConnectorView, now: Date): string {
  const title = `*${TITLES[c.name] ?? escapeMrkdwn(c.name)}*`;
  if (!c.enabled && !c.lastRunAt) return `${title} — off`;
  const lines = [
    `${title} — ${c.enabled ? (c.lastError ? ':red_circle: failing' : ':large_green_circle: on') : 'off'}`,
    `Last run ${c.lastRunAt ? relative(c.lastRunAt, now) : 'never'}${
      c.nextRunAt ? `, next ${relative(c.nextRunAt, now)}` : ''
    } · ${c.stored} stored, ${c.skipped} skipped${c.cursor ? ` · cursor ${inlineCode(truncate(c.cursor, 60))}` : ''}`,
  ];
  if (c.lastError) lines.push(`Last error: ${escapeMrkdwn(truncate(c.lastError, 300))}`);
  for (const s of c.lastSkipped.slice(0, SKIPPED_SHOWN)) {
    lines.push(`• skipped ${inlineCode(truncate(s.record, 80))}: ${escapeMrkdwn(truncate(s.reason, 200))}`);
  }
  return lines.join('\n');
}

/** `/cs connectors`: each connector, on or off, its last and next run, what it stored and skipped. */
export function connectorsBlocks(connectors: ConnectorView[], now: Date): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Connectors' } },
    ...connectors.map(
      (c): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(connectorText(c, now), 3000) },
      }),
    ),
  ];
}
