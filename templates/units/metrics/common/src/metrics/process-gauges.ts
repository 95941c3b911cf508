/**
 * Process health for /metrics (C32): memory and event-loop delay percentiles. Request counts, durations,
 * in-flight requests, shed and blocked requests are recorded by the core and the WAF in the same registry.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Metrics } from '../core/metrics.js';

/** Percentiles cover the last RESET_MS (the histogram restarts), so a past spike does not hide forever. */
const RESET_MS = 60_000;

export function registerProcessGauges(metrics: Metrics): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const reset = setInterval(() => delay.reset(), RESET_MS);
  reset.unref();
  const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);

  metrics.gauge('process_resident_memory_bytes', 'Resident set size in bytes', () => process.memoryUsage.rss());
  metrics.gauge('nodejs_heap_used_bytes', 'V8 heap used in bytes', () => process.memoryUsage().heapUsed);
  metrics.gauge('nodejs_heap_total_bytes', 'V8 heap allocated in bytes', () => process.memoryUsage().heapTotal);
  metrics.gauge(
    'nodejs_external_memory_bytes',
    'Memory of C++ objects bound to JS (buffers) in bytes',
    () => process.memoryUsage().external,
  );
  metrics.gauge('nodejs_eventloop_delay_p50_seconds', 'Event-loop delay, median over the last minute', () =>
    seconds(delay.percentile(50)),
  );
  metrics.gauge('nodejs_eventloop_delay_p99_seconds', 'Event-loop delay, 99th percentile over the last minute', () =>
    seconds(delay.percentile(99)),
  );
  metrics.gauge('process_uptime_seconds', 'Seconds since the process started', () => process.uptime());

  return () => {
    clearInterval(reset);
    delay.disable();
  };
}
