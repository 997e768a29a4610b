import type { Deps } from '../../deps.ts';
import { connectorStatus } from '../../services/connectors.ts';
import { connectorsBlocks } from '../blocks/connectors.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

/** `/cs connectors`: where each source of data stands. */
export async function connectorsAnswer(_command: { kind: 'connectors' }, deps: Deps): Promise<CommandAnswer> {
  const connectors = await connectorStatus(deps);
  const on = connectors.filter((c) => c.enabled).length;
  return ephemeral(
    `Connectors: ${on} of ${connectors.length} on`,
    connectorsBlocks(connectors, deps.clock()),
  );
}
