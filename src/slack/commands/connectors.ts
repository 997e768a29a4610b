import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { connectorStatus } from '../../services/connectors.ts';
import { connectorsBlocks } from '../blocks/connectors.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs connectors`: where each source of data stands. */
export async function connectorsAnswer(
  _command: { kind: 'connectors' },
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const connectors = await connectorStatus(deps);
  const on = connectors.filter((c) => c.enabled).length;
  return ephemeral(
    t(locale, 'conn.text', { on, total: connectors.length }),
    connectorsBlocks(connectors, deps.clock(), locale),
  );
}
