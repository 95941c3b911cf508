/**
 * One authenticated WebSocket (C28): per-connection message rate (close 1008 on a flood), idle timeout,
 * a bound on replies queued for a client that does not read, and closing when the credential expires (1008,
 * at its `expiresAt`). Frame size is enforced by `ws` itself
 * (`maxPayload`: close 1009) before a message reaches this code.
 */
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { Principal } from '../core/types.js';
import { handleMessage } from './protocol.js';

export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  tryAgainLater: 1013,
} as const;

export interface ConnectionLimits {
  maxMessagesPerSecond: number;
  idleTimeoutMs: number;
  /** Bytes queued for a client that does not read; beyond this the socket is cut (memory bound, C27). */
  maxBufferedBytes: number;
}

// setTimeout's delay is a signed 32-bit number of milliseconds.
const MAX_TIMER_MS = 2_147_483_647;

export class Connection {
  private windowStart = Date.now();
  private messages = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly principal: Principal,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    this.touch();
    this.armExpiry();
  }

  /**
   * Close at `expiresAt`. A timer can fire a millisecond before `Date.now()` reaches the time it was set for
   * (timers run on a monotonic clock), and a delay is capped at ~24.8 days: when it fires and the credential has
   * not expired yet, it is set again for the rest, rather than leaving the socket open until a periodic recheck.
   */
  private armExpiry(): void {
    const expiresAt = this.principal.expiresAt;
    if (expiresAt === undefined) return;
    const ms = Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now()));
    this.expiryTimer = setTimeout(() => {
      if (!this.expired()) this.armExpiry();
    }, ms);
  }

  /** Closes the socket unless it is already closing; `reason` is short and safe to show the client. */
  close(code: number, reason: string): void {
    this.stopTimers();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  stopTimers(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.expiryTimer);
  }

  /** Expired credentials close the socket even if the periodic check has not run yet. */
  expired(): boolean {
    if (this.principal.expiresAt === undefined || this.principal.expiresAt > Date.now()) return false;
    this.log.info(
      { event: 'ws_closed', reason: 'credential_expired', principalId: this.principal.id },
      'websocket closed',
    );
    this.close(CLOSE.policy, 'credential expired');
    return true;
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(CLOSE.normal, 'idle timeout'), this.limits.idleTimeoutMs);
  }

  private onMessage(data: Parameters<typeof handleMessage>[0], isBinary: boolean): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.messages = 0;
    }
    this.messages += 1;
    if (this.messages > this.limits.maxMessagesPerSecond) {
      this.log.warn({ event: 'ws_rate_limited', principalId: this.principal.id }, 'websocket message flood');
      this.close(CLOSE.policy, 'message rate exceeded');
      return;
    }
    this.touch();
    // A client that sends but never reads would make replies pile up in memory: cut it (a close frame would
    // only queue behind the backlog).
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.log.warn({ event: 'ws_slow_consumer', principalId: this.principal.id }, 'websocket client not reading');
      this.stopTimers();
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(handleMessage(data, isBinary)));
  }
}
