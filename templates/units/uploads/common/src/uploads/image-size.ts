/**
 * C16: image dimensions read from headers only (nothing is decoded), so a small file that would decompress to
 * gigabytes of pixels ("decompression bomb") is refused before anyone renders it. Each parser reads a few
 * bytes at known offsets through `read`, which is bounded by the file size: malformed input ends in `null`,
 * never an exception or an unbounded loop.
 */
import type { FileKind } from './file-types.js';

export interface Dimensions {
  width: number;
  height: number;
}

/** Reads up to `length` bytes at `offset`; fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export async function imageDimensions(kind: FileKind, read: ReadAt, size: number): Promise<Dimensions | null> {
  switch (kind) {
    case 'png':
      return png(await read(0, 24));
    case 'gif':
      return gif(await read(0, 10));
    case 'webp':
      return webp(await read(0, 30));
    case 'jpeg':
      return jpeg(read, size);
    default:
      return null;
  }
}

function positive(width: number, height: number): Dimensions | null {
  return width > 0 && height > 0 ? { width, height } : null;
}

// PNG: the first chunk must be IHDR; width and height are big-endian at 16 and 20.
function png(b: Buffer): Dimensions | null {
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return positive(b.readUInt32BE(16), b.readUInt32BE(20));
}

// GIF: logical screen width and height, little-endian at 6 and 8.
function gif(b: Buffer): Dimensions | null {
  if (b.length < 10) return null;
  return positive(b.readUInt16LE(6), b.readUInt16LE(8));
}

// WebP: RIFF container; the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size).
function webp(b: Buffer): Dimensions | null {
  if (b.length < 30) return null;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes) then the start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return positive(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b.readUInt32LE(21);
    return positive((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    return positive(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  }
  return null;
}

// JPEG: walk the marker segments to the first SOFn frame header (height at +5, width at +7, big-endian).
const MAX_SEGMENTS = 1_000;

async function jpeg(read: ReadAt, size: number): Promise<Dimensions | null> {
  let offset = 2; // after SOI (FF D8)
  for (let i = 0; i < MAX_SEGMENTS && offset + 4 <= size; i++) {
    const header = await read(offset, 9);
    if (header.length < 4 || header[0] !== 0xff) return null;
    const marker = header[1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
    const length = header.readUInt16BE(2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (header.length < 9) return null;
      return positive(header.readUInt16BE(7), header.readUInt16BE(5));
    }
    offset += 2 + length;
  }
  return null;
}
