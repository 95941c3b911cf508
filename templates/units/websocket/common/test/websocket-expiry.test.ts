/**
 * C28: a socket is closed when its credential expires, even when the expiry timer fires a moment before the
 * wall clock reaches `expiresAt` (timers and Date.now() run on different clocks): the timer is set again for
 * the rest, not forgotten until the periodic recheck (an hour, in the lifetime test that first showed this).
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Principal } from '../src/core/types.js';
import { Connection } from '../src/websocket/connection.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('C28 WebSocket credential expiry', () => {
  it('closes with 1008 even when the expiry timer fires before Date.now() reaches expiresAt', async () => {
    const closes: Array<[number, string]> = [];
    const socket = Object.assign(new EventEmitter(), {
      readyState: WebSocket.OPEN,
      close: (code: number, reason: string) => {
        closes.push([code, reason]);
      },
    });
    const realNow = Date.now.bind(Date);
    let lag = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() - lag);
    const principal: Principal = { id: 'u1', kind: 'user', role: 'user', scopes: [], expiresAt: realNow() + 50 };
    const limits = { maxMessagesPerSecond: 10, idleTimeoutMs: 60_000, maxBufferedBytes: 1_000_000 };
    const connection = new Connection(socket as unknown as WebSocket, principal, limits, pino({ level: 'silent' }));
    lag = 20; // from now on the wall clock reads 20 ms behind the timers
    try {
      await vi.waitFor(() => expect(closes).toEqual([[1008, 'credential expired']]), { timeout: 2000 });
    } finally {
      connection.stopTimers();
    }
  });
});
