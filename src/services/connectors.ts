import type { Deps } from '../deps.ts';
import { type ConnectorStateRow, connectorStates } from '../store/connector-state.ts';

/** The connectors Pulse has, in the order they are shown. */
export const CONNECTORS = ['segment', 'hubspot', 'zendesk'] as const;
export type ConnectorName = (typeof CONNECTORS)[number];

export interface ConnectorStatus extends Omit<ConnectorStateRow, 'name'> {
  name: ConnectorName;
  /** Whether its settings are given: a connector is on only when they are. */
  enabled: boolean;
}

const NEVER_RAN: Omit<ConnectorStateRow, 'name'> = {
  cursor: null,
  lastRunAt: null,
  lastSuccessAt: null,
  stored: 0,
  skipped: 0,
  lastError: null,
  lastSkipped: [],
  nextRunAt: null,
};

/** Each connector: on or off, and its state (a connector that never ran has an empty one). */
export async function connectorStatus(deps: Pick<Deps, 'db' | 'config'>): Promise<ConnectorStatus[]> {
  const states = new Map((await connectorStates(deps.db.orm)).map((s) => [s.name, s]));
  const enabled: Record<ConnectorName, boolean> = {
    segment: deps.config.segment !== undefined,
    hubspot: deps.config.hubspot !== undefined,
    zendesk: deps.config.zendesk !== undefined,
  };
  return CONNECTORS.map((name) => ({ ...NEVER_RAN, ...states.get(name), name, enabled: enabled[name] }));
}
