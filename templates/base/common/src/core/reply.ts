/**
 * Writing a `Reply` (from the route runner) to a raw Node response, for adapters whose response object is a
 * `ServerResponse` (Express). JSON is serialised here so that every framework sends the same bytes.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Reply } from './route-runner.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The JSON text of a reply body, or undefined for an empty body. */
export function replyText(reply: Reply): string | undefined {
  if (reply.body === undefined || reply.status === 204 || reply.status === 304) return undefined;
  return JSON.stringify(reply.body);
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]!);
  if (reply.stream) {
    // A failing stream cannot change the status any more: cut the connection so the client sees an error.
    pipeline(reply.stream, res, (err) => {
      if (err) res.destroy();
    });
    return;
  }
  const text = replyText(reply);
  if (text === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
