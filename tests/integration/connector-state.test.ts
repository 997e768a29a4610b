import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import {
  advanceConnector,
  connectorCursor,
  connectorStates,
  finishConnectorRun,
  SKIPPED_KEPT,
} from '../../src/store/connector-state.ts';
import { freshDatabase } from '../helpers/database.ts';

let db: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});
afterAll(() => drop());

const skipped = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    record: `r${from + i}`,
    reason: `bad ${from + i}`,
    at: '2026-01-01T00:00:00.000Z',
  }));

describe('connector state', () => {
  it('adds up what a connector stored and skipped, keeping the newest skipped records first', async () => {
    expect(await connectorCursor(db.orm, 'zendesk')).toBeNull();
    await advanceConnector(db.orm, { name: 'zendesk', cursor: 'c1', stored: 5, skipped: skipped(15) });
    await advanceConnector(db.orm, { name: 'zendesk', cursor: 'c2', stored: 3, skipped: skipped(10, 15) });
    // A page without a cursor leaves it where it is.
    await advanceConnector(db.orm, { name: 'zendesk', stored: 1, skipped: [] });
    const [state] = await connectorStates(db.orm);
    expect(state).toMatchObject({ name: 'zendesk', cursor: 'c2', stored: 9, skipped: 25 });
    expect(state!.lastSkipped).toHaveLength(SKIPPED_KEPT);
    expect(state!.lastSkipped[0]!.record).toBe('r24');
    expect(state!.lastSkipped.at(-1)!.record).toBe('r5');
    expect(await connectorCursor(db.orm, 'zendesk')).toBe('c2');
  });

  it('keeps the last error until a run succeeds, and the last success through a failure', async () => {
    const t1 = new Date('2026-01-01T10:00:00Z');
    const t2 = new Date('2026-01-01T10:15:00Z');
    const next = new Date('2026-01-01T10:30:00Z');
    await finishConnectorRun(db.orm, { name: 'zendesk', at: t1, error: null, nextRunAt: t2 });
    await finishConnectorRun(db.orm, {
      name: 'zendesk',
      at: t2,
      error: 'Zendesk answered 401',
      nextRunAt: next,
    });
    expect((await connectorStates(db.orm))[0]).toMatchObject({
      lastRunAt: t2,
      lastSuccessAt: t1,
      lastError: 'Zendesk answered 401',
      nextRunAt: next,
      cursor: 'c2',
    });
    await finishConnectorRun(db.orm, { name: 'zendesk', at: next, error: null, nextRunAt: null });
    expect((await connectorStates(db.orm))[0]).toMatchObject({ lastSuccessAt: next, lastError: null });
  });
});
