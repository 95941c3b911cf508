import type { Unit } from '../engine/unit.js';

/** Feature `metrics` (C32): GET /metrics (Prometheus text) behind a bearer token; process gauges. */
export const unit: Unit = {
  id: 'metrics',
  title: 'Metrics',
  checklist: ['C32'],
  env: [
    {
      name: 'METRICS_TOKEN',
      example: '',
      secret: true,
      description: 'Bearer token for GET /metrics (32+ characters in production); unset: no /metrics route',
    },
  ],
  module: 'metrics/module',
  order: 90,
};
