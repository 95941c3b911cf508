/**
 * C16: which files the API accepts. A file is accepted only when its extension is on the allowlist AND its
 * first bytes carry the signature of that same type. The client's Content-Type is never trusted: the stored
 * and served type comes from this table. No SVG (scriptable), no HTML, no archives.
 */
export type FileKind = 'png' | 'jpeg' | 'gif' | 'webp' | 'pdf';

export interface FileType {
  kind: FileKind;
  contentType: string;
  extensions: readonly string[];
  /** Images get a dimension check (decompression bombs). */
  image: boolean;
}

export const FILE_TYPES: Readonly<Record<FileKind, FileType>> = {
  png: { kind: 'png', contentType: 'image/png', extensions: ['png'], image: true },
  jpeg: { kind: 'jpeg', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'], image: true },
  gif: { kind: 'gif', contentType: 'image/gif', extensions: ['gif'], image: true },
  webp: { kind: 'webp', contentType: 'image/webp', extensions: ['webp'], image: true },
  pdf: { kind: 'pdf', contentType: 'application/pdf', extensions: ['pdf'], image: false },
};

/** How many leading bytes `sniff` needs. */
export const SNIFF_BYTES = 16;

const startsWith = (head: Buffer, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The type whose signature the content starts with, or null. */
export function sniff(head: Buffer): FileKind | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(head, ascii('%PDF-'))) return 'pdf';
  return null;
}

/** The allowlisted type an extension names (case-insensitive, last extension only), or null. */
export function typeForExtension(filename: string): FileKind | null {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = filename.slice(dot + 1).toLowerCase();
  for (const type of Object.values(FILE_TYPES)) if (type.extensions.includes(ext)) return type.kind;
  return null;
}
