/**
 * C16 multipart limits: reads exactly one file part named `file` from the raw request with busboy and streams
 * it to a temporary file, never buffering it in memory. Size, part, field and header limits are enforced while
 * reading; every failure becomes an HttpError (400 malformed, 413 too large, 415 not multipart) and the
 * temporary file is removed. busboy's own errors are never shown to the client.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { HttpError } from '../core/errors.js';

export interface ReceivedFile {
  /** The client's name, unsanitised: metadata only, never a path. */
  originalName: string;
  size: number;
  /** First bytes, for the signature check. */
  head: Buffer;
}

export interface ReceiveOptions {
  maxBytes: number;
  /** Where to write; created exclusively (`wx`), owner-only. */
  tmpPath: string;
  headBytes: number;
  signal: AbortSignal;
}

/** Multipart framing (boundaries, part headers) on top of the file itself. */
const MULTIPART_OVERHEAD = 16 * 1024;

const tooLarge = (maxBytes: number) =>
  new HttpError(413, 'file_too_large', `The file exceeds the limit of ${maxBytes} bytes.`, {
    headers: { Connection: 'close' },
  });
const malformed = (message = 'The multipart body is malformed.') => new HttpError(400, 'invalid_multipart', message);

export async function receiveFile(raw: IncomingMessage, options: ReceiveOptions): Promise<ReceivedFile> {
  const contentType = raw.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the file as multipart/form-data in the field "file".');
  }
  // Refuse an announced oversize body before reading a byte of it.
  const announced = Number(raw.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(announced) && announced > options.maxBytes + MULTIPART_OVERHEAD) throw tooLarge(options.maxBytes);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: raw.headers,
      // Browsers send file names as raw UTF-8 bytes; busboy's default (latin1) would garble them.
      defParamCharset: 'utf8',
      limits: {
        fileSize: options.maxBytes,
        files: 1,
        fields: 4,
        parts: 5,
        fieldNameSize: 64,
        fieldSize: 1024,
        headerPairs: 16,
      },
    });
  } catch {
    throw malformed(); // missing or bad boundary
  }

  let fileStream: NodeJS.ReadableStream | undefined;
  let sink: WriteStream | undefined;
  // Settles when the temporary file is completely written (or failed); awaited before cleaning up, so the
  // file cannot be created after it was removed.
  let writing: Promise<void> | undefined;
  try {
    return await new Promise<ReceivedFile>((resolve, reject) => {
      let result: ReceivedFile | undefined;
      let failure: HttpError | undefined;
      const fail = (error: HttpError) => {
        if (failure) return;
        failure = error;
        raw.unpipe(parser);
        // Destroying the sink ends the pipeline (busboy's part stream does not settle when destroyed mid-part).
        sink?.destroy();
        // Keep draining so the connection is not left half-read; Connection: close ends it after the answer.
        raw.resume();
        reject(error);
      };
      const onAbort = () => fail(new HttpError(408, 'request_timeout', 'The upload took too long.'));
      options.signal.addEventListener('abort', onAbort, { once: true });

      parser.on('file', (field, stream, info) => {
        if (field !== 'file' || fileStream) {
          stream.resume();
          fail(malformed('Send exactly one file, in the field "file".'));
          return;
        }
        fileStream = stream;
        const chunks: Buffer[] = [];
        let headLength = 0;
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (headLength < options.headBytes) {
            const part = chunk.subarray(0, options.headBytes - headLength);
            chunks.push(part);
            headLength += part.length;
          }
        });
        stream.on('limit', () => fail(tooLarge(options.maxBytes)));
        sink = createWriteStream(options.tmpPath, { flags: 'wx', mode: 0o600 });
        writing = pipeline(stream, sink).then(
          () => {
            result = { originalName: info.filename ?? '', size, head: Buffer.concat(chunks) };
          },
          () => fail(malformed()),
        );
      });
      parser.on('filesLimit', () => fail(malformed('Send exactly one file, in the field "file".')));
      parser.on('partsLimit', () => fail(malformed('Too many parts in the multipart body.')));
      parser.on('fieldsLimit', () => fail(malformed('Too many fields in the multipart body.')));
      parser.on('error', () => fail(malformed()));
      raw.on('error', () => fail(malformed()));
      parser.on('close', () => {
        void (writing ?? Promise.resolve()).then(() => {
          options.signal.removeEventListener('abort', onAbort);
          if (failure) return;
          if (!result) return fail(new HttpError(400, 'file_required', 'Send a file in the multipart field "file".'));
          resolve(result);
        });
      });
      raw.pipe(parser);
    });
  } catch (error) {
    if (writing) {
      await writing.catch(() => {});
      // Wait for the descriptor to close: an open still in flight would otherwise recreate the file after rm.
      if (sink && !sink.closed) await new Promise<void>((resolve) => sink?.once('close', () => resolve()));
      await rm(options.tmpPath, { force: true });
    }
    throw error;
  }
}
