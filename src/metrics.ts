import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one Pulse process, served at GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'pulse_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'pulse_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ingestedRows: new Counter({
      name: 'pulse_ingested_rows_total',
      help: 'Rows stored through the ingestion API and CSV import, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    healthRecomputations: new Counter({
      name: 'pulse_health_recomputations_total',
      help: 'Accounts whose health score was recomputed',
      registers: [registry],
    }),
    healthRecomputeDuration: new Histogram({
      name: 'pulse_health_recompute_duration_seconds',
      help: 'Duration of one set-based health recomputation',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
