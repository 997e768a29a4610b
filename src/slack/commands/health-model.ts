import type { Deps } from '../../deps.ts';
import { t } from '../../i18n/index.ts';
import { modelInEffect } from '../../services/health.ts';
import { componentLabel } from '../blocks/health-card.ts';
import { healthModelBlocks } from '../blocks/health-model.ts';
import { type CommandAnswer, type CommandContext, ephemeral } from './answer.ts';

/** `/cs health-model`: the model in effect, only to the person who asked, in their language. */
export async function healthModelAnswer(
  _command: unknown,
  deps: Deps,
  { locale }: Pick<CommandContext, 'locale'>,
): Promise<CommandAnswer> {
  const model = modelInEffect(deps.config.health);
  return ephemeral(
    t(locale, 'healthModel.title', { name: model.name, version: model.version }),
    healthModelBlocks(model, locale, (name) => componentLabel(locale, { component: name })),
  );
}
