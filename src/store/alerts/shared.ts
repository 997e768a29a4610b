/** What the alert store's modules share: Pulse as an actor, and the kinds the health rules own. */
import { type SQL, sql } from 'drizzle-orm';
import { HEALTH_ALERT_KINDS } from '../../domain/alert-rules.ts';
import { textArray } from '../sql.ts';

/** Who Pulse is in `alert_actions` and `status_by` when it changes an alert by itself. */
export const PULSE_ACTOR = 'pulse';

/** `<column> = any(health kinds)`: alerts the health rules own (the others are billing and red flags). */
export const isHealthKind = (column: SQL) => sql`${column} = any(${textArray(HEALTH_ALERT_KINDS)})`;
