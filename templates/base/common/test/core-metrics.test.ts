import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../src/core/metrics.js';
import { coreTestRoutes } from './helpers/core-routes.js';
import { request, startServer } from './helpers/server.js';

describe('C32 request metrics', () => {
  it('every request is counted by method, route pattern and status, with its duration', async () => {
    const server = await startServer({}, { extraRoutes: coreTestRoutes });
    try {
      await request(server, '/api/v1/things/1');
      await request(server, '/api/v1/things/2');
      await request(server, '/api/v1/things/x');
      await request(server, '/no/such/path/12345');
      await sleep(20);
      const text = server.app.metrics.render();
      expect(text).toContain('http_requests_total{method="GET",route="/api/v1/things/:id",status="200"} 2');
      expect(text).toContain('http_requests_total{method="GET",route="/api/v1/things/:id",status="400"} 1');
      // Unmatched paths share one series: a scanner cannot grow the registry.
      expect(text).toContain('route="(unmatched)",status="404"} 1');
      expect(text).not.toContain('12345');
      expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/things\/:id"\} 3/);
      expect(text).toContain('# TYPE http_requests_in_flight gauge');
    } finally {
      await server.close();
    }
  });

  it('renders Prometheus text: cumulative buckets, escaped labels', () => {
    const m = new Metrics();
    m.observe('t_seconds', { route: 'a"b' }, 0.003);
    m.observe('t_seconds', { route: 'a"b' }, 0.2);
    m.inc('c_total', { k: 'line\nbreak' }, 2);
    const text = m.render();
    expect(text).toContain('t_seconds_bucket{route="a\\"b",le="0.005"} 1');
    expect(text).toContain('t_seconds_bucket{route="a\\"b",le="0.25"} 2');
    expect(text).toContain('t_seconds_bucket{route="a\\"b",le="+Inf"} 2');
    expect(text).toContain('t_seconds_count{route="a\\"b"} 2');
    expect(text).toContain('c_total{k="line\\nbreak"} 2');
  });
});
