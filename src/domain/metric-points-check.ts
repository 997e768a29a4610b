import { ACCOUNT_KEY, instant, METRIC_NAME, type MetricPoint } from './ingestion.ts';

const FIELDS = new Set(['account', 'metric', 'value', 'at']);

const isText = (value: unknown, limits: { max: number; pattern: RegExp }): value is string =>
  typeof value === 'string' && value.length <= limits.max && limits.pattern.test(value);

/**
 * A batch of metric points checked by hand, for the common case where every point is valid: the schema
 * costs microseconds a point (most of a 5,000-point post's CPU in Pulse), these checks a fraction of
 * that. They are the schema's own rules (the same patterns and limits; an instant is judged by the
 * schema itself, once per distinct text, since a batch repeats a few days), and they never accept a
 * point the schema refuses. A valid key or instant holds no text the database cannot store.
 *
 * Returns the points as the schema would, or undefined as soon as one is not plainly valid: the caller
 * then runs the schema over the batch, which names every problem with its path. So a refusal is always
 * the schema's answer, word for word.
 */
export function plainlyValidMetricPoints(input: unknown): MetricPoint[] | undefined {
  const values: unknown[] = Array.isArray(input) ? input : [input];
  const instants = new Map<string, boolean>();
  const points: MetricPoint[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // A plain object, as JSON.parse makes them: the schema would also see fields inherited from elsewhere.
    if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
      return undefined;
    }
    const keys = Object.keys(value);
    if (keys.length !== FIELDS.size || !keys.every((key) => FIELDS.has(key))) return undefined;
    const point = value as Record<string, unknown>;
    const { account, metric, value: figure, at } = point;
    if (!isText(account, ACCOUNT_KEY) || !isText(metric, METRIC_NAME)) return undefined;
    if (typeof figure !== 'number' || !Number.isFinite(figure)) return undefined;
    if (typeof at !== 'string') return undefined;
    let valid = instants.get(at);
    if (valid === undefined) {
      valid = instant.safeParse(at).success;
      instants.set(at, valid);
    }
    if (!valid) return undefined;
    points[i] = { account, metric, value: figure, at };
  }
  return points;
}
