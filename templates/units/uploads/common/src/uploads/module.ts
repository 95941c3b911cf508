/**
 * File uploads (C16): POST /api/v1/files (multipart field `file`), GET /api/v1/files (the caller's own),
 * GET /api/v1/files/:id (owner only, as an attachment). Auth, validation of params/query, error bodies and the
 * security headers come from the core; this module enforces what is specific to files:
 * size (413), one file per request, extension allowlist that must agree with the magic bytes (415), image
 * dimensions (413 over UPLOAD_MAX_IMAGE_PIXELS), and server-chosen random names (see file-store.ts).
 */
import { z } from 'zod';
import { HttpError } from '../core/errors.js';
import { int } from '../core/settings.js';
import type { AppContext, Module, Principal, RouteDef } from '../core/types.js';
import { FileStore, ID_PATTERN, newFileId, type StoredFile } from './file-store.js';
import { FILE_TYPES, SNIFF_BYTES, sniff, typeForExtension } from './file-types.js';
import { contentDisposition, sanitizeFilename } from './filename.js';
import { imageDimensions } from './image-size.js';
import { receiveFile } from './multipart.js';

export const settings = {
  /** Largest accepted file, in bytes (C16: 5 MB). */
  UPLOAD_MAX_BYTES: int(1, 1024 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Where files are stored; created at boot, owner-only permissions. */
  UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  /** Largest accepted image, in pixels (width × height): refuses decompression bombs. */
  UPLOAD_MAX_IMAGE_PIXELS: int(1, 1_000_000_000).default(40_000_000),
};

export const fileSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const idParams = z.object({ id: z.string().regex(ID_PATTERN, 'not a file id') });

const stores = new WeakMap<AppContext, FileStore>();

function storeOf(app: AppContext): FileStore {
  const store = stores.get(app);
  if (!store) throw new Error('uploads module not initialised');
  return store;
}

/** Files belong to the principal; with auth `none` everything belongs to one anonymous owner. */
function ownerOf(principal: Principal | null): string {
  return principal ? `${principal.kind}:${principal.id}` : 'anonymous';
}

const allowed = Object.values(FILE_TYPES)
  .flatMap((t) => t.extensions)
  .join(', ');

function refuse(app: AppContext, ip: string, reason: string, error: HttpError): never {
  app.log.warn({ event: 'upload_refused', reason, ip }, 'upload refused');
  throw error;
}

async function upload(app: AppContext, req: Parameters<RouteDef['handler']>[0]): Promise<StoredFile> {
  const store = storeOf(app);
  const owner = ownerOf(req.principal);
  const tmpPath = await store.tempPath(owner);
  const received = await receiveFile(req.raw, {
    maxBytes: app.settings.UPLOAD_MAX_BYTES,
    tmpPath,
    headBytes: SNIFF_BYTES,
    signal: req.signal,
  }).catch((err: unknown) => {
    if (err instanceof HttpError) refuse(app, req.ip, err.code, err);
    throw err;
  });

  try {
    const declared = typeForExtension(received.originalName);
    if (!declared) {
      refuse(app, req.ip, 'extension', new HttpError(415, 'unsupported_file_type', `Allowed file types: ${allowed}.`));
    }
    if (sniff(received.head) !== declared) {
      refuse(
        app,
        req.ip,
        'signature_mismatch',
        new HttpError(415, 'file_type_mismatch', 'The file content does not match its extension.'),
      );
    }
    const type = FILE_TYPES[declared];
    if (type.image) {
      const handle = await store.openTemp(tmpPath);
      try {
        const dims = await imageDimensions(
          type.kind,
          async (offset, length) => {
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, offset);
            return buffer.subarray(0, bytesRead);
          },
          received.size,
        );
        if (!dims)
          refuse(app, req.ip, 'invalid_image', new HttpError(400, 'invalid_image', 'The image header is invalid.'));
        if (dims.width * dims.height > app.settings.UPLOAD_MAX_IMAGE_PIXELS) {
          refuse(
            app,
            req.ip,
            'image_too_large',
            new HttpError(
              413,
              'image_too_large',
              `Images may have at most ${app.settings.UPLOAD_MAX_IMAGE_PIXELS} pixels.`,
            ),
          );
        }
      } finally {
        await handle.close();
      }
    }
    const file: StoredFile = {
      id: newFileId(),
      filename: sanitizeFilename(received.originalName, type.extensions[0] ?? 'bin'),
      contentType: type.contentType,
      size: received.size,
      createdAt: new Date().toISOString(),
    };
    await store.commit(owner, tmpPath, file);
    app.log.info(
      { event: 'file_uploaded', fileId: file.id, size: file.size, contentType: file.contentType },
      'file stored',
    );
    return file;
  } catch (err) {
    await store.discard(tmpPath);
    throw err;
  }
}

export const module: Module = {
  name: 'uploads',
  checklist: ['C16'],

  async init(app) {
    const store = new FileStore(app.settings.UPLOAD_DIR);
    await store.init();
    stores.set(app, store);
  },

  routes: (app): RouteDef[] => [
    {
      method: 'POST',
      path: '/api/v1/files',
      auth: { scope: 'files:write' },
      body: 'raw',
      summary: 'Upload one file (multipart field "file"): png, jpeg, gif, webp or pdf',
      tag: 'files',
      schema: { response: fileSchema },
      handler: async (req) => ({ status: 201, body: await upload(app, req) }),
    },
    {
      method: 'GET',
      path: '/api/v1/files',
      auth: { scope: 'files:read' },
      summary: "List the caller's files",
      tag: 'files',
      schema: {
        query: listQuery,
        response: z.object({ data: z.array(fileSchema), limit: z.number(), offset: z.number(), total: z.number() }),
      },
      handler: async (req) => {
        const { limit, offset } = req.query as z.infer<typeof listQuery>;
        const all = await storeOf(app).list(ownerOf(req.principal));
        return { body: { data: all.slice(offset, offset + limit), limit, offset, total: all.length } };
      },
    },
    {
      method: 'GET',
      path: '/api/v1/files/:id',
      auth: { scope: 'files:read' },
      summary: "Download one of the caller's files (as an attachment)",
      tag: 'files',
      schema: { params: idParams },
      handler: async (req) => {
        const { id } = req.params as z.infer<typeof idParams>;
        const owner = ownerOf(req.principal);
        const store = storeOf(app);
        // Looked up in the caller's own folder only: another user's id is indistinguishable from a missing one.
        const meta = await store.meta(owner, id);
        const handle = meta ? await store.openData(owner, id) : null;
        if (!meta || !handle) throw new HttpError(404, 'not_found', 'File not found.');
        const { size } = await handle.stat();
        return {
          status: 200,
          headers: {
            'Content-Type': meta.contentType,
            'Content-Length': String(size),
            'Content-Disposition': contentDisposition(meta.filename),
            // Even if a browser renders it despite `attachment`, the document gets no script and no origin.
            'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
          },
          stream: handle.createReadStream(),
        };
      },
    },
  ],
};
