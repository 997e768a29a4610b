import type { ComponentChange } from './alert-rules.ts';
import type { ComponentLabels, ComponentResult } from './health.ts';
import type { HealthModel } from './health-model.ts';

/**
 * Labels for stored results, from the model in effect. Scoring stores a model's own components (metric
 * rules, goals) and goals by name only (health-model-evaluation.ts); what shows them looks their labels
 * up here by name. A name the model no longer has (a snapshot scored by an older version) keeps the label
 * stored with it, if any, else the reader shows its name. Built-in components are named by the catalogue,
 * as before.
 */
export interface ModelLabels {
  components: ReadonlyMap<string, ComponentLabels>;
  goals: ReadonlyMap<string, ComponentLabels>;
}

const cache = new WeakMap<HealthModel, ModelLabels>();

export function modelLabels(model: HealthModel): ModelLabels {
  let labels = cache.get(model);
  if (!labels) {
    labels = {
      components: new Map(
        model.components.flatMap((c) =>
          c.kind === 'metric' || c.kind === 'goals' ? [[c.name, c.label]] : [],
        ),
      ),
      goals: new Map(model.goals.map((g) => [g.name, g.label])),
    };
    cache.set(model, labels);
  }
  return labels;
}

export function withModelLabels(model: HealthModel, components: ComponentResult[]): ComponentResult[] {
  const labels = modelLabels(model);
  return components.map((c) => {
    const label = labels.components.get(c.component) ?? c.label;
    const goals = c.goals?.map((g) => {
      const goalLabel = labels.goals.get(g.goal) ?? g.label;
      return goalLabel ? { ...g, label: goalLabel } : g;
    });
    return { ...c, ...(label && { label }), ...(goals && { goals }) };
  });
}

/** An alert's "what changed", its model components named as on the card (stored with the alert). */
export function changesWithModelLabels(model: HealthModel, changes: ComponentChange[]): ComponentChange[] {
  const labels = modelLabels(model);
  return changes.map((c) => {
    const label = labels.components.get(c.component) ?? c.label;
    return label ? { ...c, label } : c;
  });
}
