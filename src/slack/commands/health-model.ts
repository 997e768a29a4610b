import type { Deps } from '../../deps.ts';
import { modelInEffect } from '../../services/health.ts';
import { componentLabel } from '../blocks/health-card.ts';
import { healthModelBlocks } from '../blocks/health-model.ts';
import { type CommandAnswer, ephemeral } from './answer.ts';

/** `/cs health-model`: the model in effect, only to the person who asked. */
export async function healthModelAnswer(_command: unknown, deps: Deps): Promise<CommandAnswer> {
  const model = modelInEffect(deps.config.health);
  return ephemeral(
    `Health model ${model.name} (version ${model.version})`,
    healthModelBlocks(model, deps.config.locale, (name) => componentLabel({ component: name })),
  );
}
