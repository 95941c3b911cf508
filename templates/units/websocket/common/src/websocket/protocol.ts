/**
 * The WebSocket message contract (GENERATED-APP.md): JSON text frames. `{"type":"ping"}` → `{"type":"pong"}`,
 * `{"type":"echo","text":…}` → the same back, anything else → `{"type":"error","code":…}`. Messages are
 * validated like HTTP bodies (C03): strict objects, unknown fields refused.
 */
import { z } from 'zod';

const message = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ping') }),
  // No length cap of its own: WS_MAX_PAYLOAD_BYTES bounds the whole frame before parsing.
  z.strictObject({ type: z.literal('echo'), text: z.string() }),
]);

export type Reply = { type: 'pong' } | { type: 'echo'; text: string } | { type: 'error'; code: string };

export function handleMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Reply {
  if (isBinary) return { type: 'error', code: 'binary_not_supported' };
  let parsed: unknown;
  try {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    parsed = JSON.parse(text);
  } catch {
    return { type: 'error', code: 'invalid_json' };
  }
  const result = message.safeParse(parsed);
  if (!result.success) {
    const type = (parsed as { type?: unknown } | null)?.type;
    const known = type === 'ping' || type === 'echo';
    return { type: 'error', code: known ? 'invalid_message' : 'unknown_type' };
  }
  return result.data.type === 'ping' ? { type: 'pong' } : { type: 'echo', text: result.data.text };
}
