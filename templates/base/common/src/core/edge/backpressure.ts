/**
 * Load shedding (C27): when too many requests are in flight, or the event loop has recently stalled for
 * longer than MAX_EVENT_LOOP_DELAY_MS, new requests get a quick 503 with Retry-After instead of queueing
 * without bound. The loop delay is sampled by perf_hooks in the background; a request only compares numbers.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EdgeStep } from '../types.js';
import { sendError } from './respond.js';

const SAMPLE_MS = 500;
const RESOLUTION_MS = 20;

export class Backpressure {
  /** Requests that entered the edge and have not closed yet (maintained by the pipeline). */
  inFlight = 0;
  /** Longest event-loop delay in the last two sampling windows (0.5–1 s), in ms. */
  loopDelayMs = 0;
  private previousWindowMs = 0;
  shed = 0;
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly maxInFlight: number,
    private readonly maxLoopDelayMs: number,
  ) {
    this.histogram.enable();
    let last = performance.now();
    this.timer = setInterval(() => {
      // Two views of the same stall: the histogram's longest timer delay, and how late this sampler itself
      // fired (which catches a stall even when the histogram's own timer did not straddle it).
      const now = performance.now();
      const late = now - last - SAMPLE_MS;
      last = now;
      const current = Math.max(0, late, this.histogram.max / 1e6 - RESOLUTION_MS);
      // Held for two windows, so a stall is acted on for at least half a second whenever it was recorded.
      this.loopDelayMs = Math.max(current, this.previousWindowMs);
      this.previousWindowMs = current;
      this.histogram.reset();
    }, SAMPLE_MS);
    this.timer.unref();
  }

  step(): EdgeStep {
    return (req, res) => {
      // Liveness must stay cheap and truthful under load: the process is alive, just busy.
      if (req.edge.path === '/health') return false;
      if (this.inFlight <= this.maxInFlight && this.loopDelayMs <= this.maxLoopDelayMs) return false;
      this.shed += 1;
      return sendError(req, res, 503, 'unavailable', 'Server busy, retry shortly', { 'Retry-After': '2' });
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
