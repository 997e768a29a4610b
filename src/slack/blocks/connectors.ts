import type { KnownBlock } from '@slack/types';
import type { SkippedRecord } from '../../domain/connectors.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { escapeMrkdwn, inlineCode, truncate } from './format.ts';
import { countIn, relativeIn } from './locale-format.ts';

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

/** Skipped records listed per connector; the rest are counted. */
const SKIPPED_SHOWN = 3;

function connectorText(c: ConnectorView, now: Date, locale: Locale): string {
  const title = `*${t(locale, 'conn.title', { name: escapeMrkdwn(c.name) })}*`;
  if (!c.enabled && !c.lastRunAt) return t(locale, 'conn.off', { title });
  const state = c.enabled ? (c.lastError ? 'failing' : 'on') : 'off';
  const lines = [
    t(locale, 'conn.state', { title, state }),
    t(locale, 'conn.run', {
      last: c.lastRunAt ? relativeIn(locale, c.lastRunAt, now) : t(locale, 'conn.never'),
      next: c.nextRunAt ? t(locale, 'conn.next', { when: relativeIn(locale, c.nextRunAt, now) }) : '',
      stored: countIn(locale, c.stored),
      skipped: countIn(locale, c.skipped),
      cursor: c.cursor ? t(locale, 'conn.cursor', { cursor: inlineCode(truncate(c.cursor, 60)) }) : '',
    }),
  ];
  if (c.lastError)
    lines.push(t(locale, 'conn.lastError', { error: escapeMrkdwn(truncate(c.lastError, 300)) }));
  for (const s of c.lastSkipped.slice(0, SKIPPED_SHOWN)) {
    lines.push(
      t(locale, 'conn.skipped', {
        record: inlineCode(truncate(s.record, 80)),
        reason: escapeMrkdwn(truncate(s.reason, 200)),
      }),
    );
  }
  return lines.join('\n');
}

/** `/cs connectors`: each connector, on or off, its last and next run, what it stored and skipped. */
export function connectorsBlocks(connectors: ConnectorView[], now: Date, locale: Locale): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: t(locale, 'conn.header') } },
    ...connectors.map(
      (c): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(connectorText(c, now, locale), 3000) },
      }),
    ),
  ];
}
