/**
 * Where uploads live (C16). Layout: `UPLOAD_DIR/<owner>/<id>.data` (the bytes) and `<id>.json` (metadata).
 *
 * Why a JSON sidecar rather than a table: it is one code path whether the project has SQLite, Postgres, MySQL
 * or no database at all; the metadata cannot drift from the bytes it describes (they are written, listed and
 * removed together); and owner-only access is structural: a caller can only ever look inside its own folder,
 * so another user's file is simply not found (404). The cost is that listing reads one small file per upload,
 * fine at the scale of one user's files. Heroku's filesystem is ephemeral: point UPLOAD_DIR at persistent
 * storage, or replace this file with an object-store backed one of the same shape.
 *
 * No client input reaches a path: the owner folder is a hash of the principal, the id is generated here and
 * checked against ID_PATTERN before use, and every path is verified to stay under the root.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
}

/** 128 random bits, base64url: unguessable and safe in a path. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function newFileId(): string {
  return randomBytes(16).toString('base64url');
}

export class FileStore {
  readonly root: string;

  constructor(uploadDir: string) {
    this.root = path.resolve(uploadDir);
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  /** The caller's folder: a hash, so ids of any shape (emails, uuids, key names) make a safe folder name. */
  ownerDir(ownerId: string): string {
    const folder = createHash('sha256').update(ownerId).digest('hex').slice(0, 32);
    return this.inside(folder);
  }

  private inside(...segments: string[]): string {
    const full = path.resolve(this.root, ...segments);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) throw new Error('path escapes upload root');
    return full;
  }

  private paths(ownerId: string, id: string) {
    if (!ID_PATTERN.test(id)) throw new Error('invalid file id');
    const dir = this.ownerDir(ownerId);
    return { dir, data: path.join(dir, `${id}.data`), meta: path.join(dir, `${id}.json`) };
  }

  /** A fresh temporary path in the caller's folder (same filesystem, so the final rename is atomic). */
  async tempPath(ownerId: string): Promise<string> {
    const dir = this.ownerDir(ownerId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return path.join(dir, `.tmp-${randomBytes(12).toString('hex')}`);
  }

  /** Moves a validated temporary file into place, then writes its metadata; the file is listed only after both. */
  async commit(ownerId: string, tmpPath: string, file: StoredFile): Promise<void> {
    const { data, meta } = this.paths(ownerId, file.id);
    await rename(tmpPath, data);
    const metaTmp = `${meta}.tmp`;
    await writeFile(metaTmp, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
    await rename(metaTmp, meta);
  }

  async list(ownerId: string): Promise<StoredFile[]> {
    let names: string[];
    try {
      names = await readdir(this.ownerDir(ownerId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const files: StoredFile[] = [];
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!ID_PATTERN.test(id)) continue;
      const meta = await this.meta(ownerId, id);
      if (meta) files.push(meta);
    }
    return files.sort((a, b) =>
      a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id.localeCompare(b.id),
    );
  }

  async meta(ownerId: string, id: string): Promise<StoredFile | null> {
    if (!ID_PATTERN.test(id)) return null;
    try {
      return JSON.parse(await readFile(this.paths(ownerId, id).meta, 'utf8')) as StoredFile;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Opens the bytes of one of the caller's files, or null. The caller closes the handle (via its stream). */
  async openData(ownerId: string, id: string): Promise<FileHandle | null> {
    if (!ID_PATTERN.test(id)) return null;
    try {
      return await open(this.paths(ownerId, id).data, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Opens a temporary file of this store for reading (header checks before commit). */
  async openTemp(tmpPath: string): Promise<FileHandle> {
    const full = path.resolve(tmpPath);
    if (!full.startsWith(this.root + path.sep) || !path.basename(full).startsWith('.tmp-'))
      throw new Error('not a temp path');
    return open(full, 'r');
  }

  async discard(tmpPath: string): Promise<void> {
    await rm(tmpPath, { force: true });
  }
}
