import type { Unit } from '../engine/unit.js';

/** Feature `websocket` (C28): authenticated WebSocket at /api/v1/ws with origin, size, rate, cap and idle limits. */
export const unit: Unit = {
  id: 'websocket',
  title: 'WebSockets',
  checklist: ['C28'],
  dependencies: ['ws'],
  devDependencies: ['@types/ws'],
  env: [
    { name: 'WS_MAX_PAYLOAD_BYTES', example: '65536', description: 'Largest WebSocket message; bigger closes with 1009' },
    { name: 'WS_MAX_MESSAGES_PER_SECOND', example: '20', description: 'Messages per second per socket; more closes with 1008' },
    { name: 'WS_MAX_CONNECTIONS_PER_USER', example: '5', description: 'Open sockets per user (per instance); more get 429' },
    { name: 'WS_IDLE_TIMEOUT_MS', example: '60000', description: 'A socket silent this long is closed' },
    {
      name: 'WS_AUTH_RECHECK_MS',
      example: '15000',
      description: 'How often open sockets re-check their credential (revoked or logged out closes with 1008)',
    },
  ],
  module: 'websocket/module',
  order: 70,
};
