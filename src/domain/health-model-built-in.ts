import { type Bands, DEFAULT_BANDS, DEFAULT_WEIGHTS, type HealthComponent } from './health.ts';
import { type HealthModel, healthModelFrom } from './health-model.ts';
import builtIn from './health-models/built-in.json' with { type: 'json' };

/**
 * The built-in model (health-models/built-in.json), with HEALTH_WEIGHTS and HEALTH_BANDS applied to its
 * default segment: those settings shape the built-in model only, so its version changes with them.
 */
export function builtInModel(
  weights: Record<HealthComponent, number> = DEFAULT_WEIGHTS,
  bands: Bands = DEFAULT_BANDS,
): HealthModel {
  const parsed = healthModelFrom({
    ...builtIn,
    default: { ...builtIn.default, weights, bands: { red_max: bands.redMax, yellow_max: bands.yellowMax } },
  });
  if (!parsed.ok) throw new Error(`the built-in health model is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.model;
}
