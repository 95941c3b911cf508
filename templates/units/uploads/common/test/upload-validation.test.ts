/**
 * C16, the hand-written parts on their own: signature sniffing, extension mapping, image headers (including
 * truncated and hostile ones), file-name cleaning and Content-Disposition. The HTTP behaviour is in uploads.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type FileKind, sniff, typeForExtension } from '../src/uploads/file-types.js';
import { contentDisposition, sanitizeFilename } from '../src/uploads/filename.js';
import { imageDimensions } from '../src/uploads/image-size.js';
import { gif, jpeg, pdf, phpScript, png, webp } from './helpers/files.js';

const reader = (buffer: Buffer) => async (offset: number, length: number) => buffer.subarray(offset, offset + length);
const dims = (kind: FileKind, buffer: Buffer) => imageDimensions(kind, reader(buffer), buffer.length);

describe('C16 file signatures and extensions', () => {
  it.each([
    ['png', png()],
    ['jpeg', jpeg()],
    ['gif', gif()],
    ['webp', webp()],
    ['pdf', pdf()],
  ] as const)('recognises %s by its magic bytes', (kind, data) => {
    expect(sniff(data.subarray(0, 16))).toBe(kind);
  });

  it('recognises nothing in scripts, HTML, SVG, ZIP, ELF or empty input', () => {
    for (const text of [
      phpScript,
      '<html><script>alert(1)</script>',
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'PK\u0003\u0004',
      '\u007fELF',
      '',
    ]) {
      expect(sniff(Buffer.from(text, 'latin1'))).toBeNull();
    }
    // A truncated signature is not a signature.
    expect(sniff(png().subarray(0, 7))).toBeNull();
    expect(sniff(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull();
  });

  it('maps only allowlisted extensions, by the last one, case-insensitively', () => {
    expect(typeForExtension('a.PNG')).toBe('png');
    expect(typeForExtension('a.jpeg')).toBe('jpeg');
    expect(typeForExtension('a.JPG')).toBe('jpeg');
    expect(typeForExtension('shell.png.php')).toBeNull();
    expect(typeForExtension('shell.php')).toBeNull();
    expect(typeForExtension('x.svg')).toBeNull();
    expect(typeForExtension('x.html')).toBeNull();
    expect(typeForExtension('png')).toBeNull();
    expect(typeForExtension('')).toBeNull();
  });
});

describe('C16 image dimensions from headers', () => {
  it.each([
    ['png', png(640, 480)],
    ['jpeg', jpeg(640, 480)],
    ['gif', gif(640, 480)],
    ['webp', webp(640, 480)],
  ] as const)('reads %s width and height', async (kind, data) => {
    expect(await dims(kind, data)).toEqual({ width: 640, height: 480 });
  });

  it('reads the lossy and lossless WebP variants', async () => {
    const lossy = Buffer.alloc(30);
    lossy.write('RIFF', 0, 'latin1');
    lossy.write('WEBPVP8 ', 8, 'latin1');
    lossy.set([0x9d, 0x01, 0x2a], 23);
    lossy.writeUInt16LE(300, 26);
    lossy.writeUInt16LE(200, 28);
    expect(await dims('webp', lossy)).toEqual({ width: 300, height: 200 });
    const lossless = Buffer.alloc(30);
    lossless.write('RIFF', 0, 'latin1');
    lossless.write('WEBPVP8L', 8, 'latin1');
    lossless[20] = 0x2f;
    lossless.writeUInt32LE((300 - 1) | ((200 - 1) << 14), 21);
    expect(await dims('webp', lossless)).toEqual({ width: 300, height: 200 });
  });

  it('finds the JPEG frame header after fill bytes and several segments', async () => {
    const filler = Buffer.from([0xff, 0xe1, 0x00, 0x06, 1, 2, 3, 4, 0xff, 0xff]);
    const data = Buffer.concat([Buffer.from([0xff, 0xd8]), filler, jpeg(1000, 50).subarray(2)]);
    expect(await dims('jpeg', data)).toEqual({ width: 1000, height: 50 });
  });

  it('returns null, never throws or loops, for truncated, zero-sized and hostile headers', async () => {
    expect(await dims('png', png().subarray(0, 20))).toBeNull();
    expect(await dims('png', png(0, 10))).toBeNull();
    expect(await dims('gif', gif(5, 0))).toBeNull();
    expect(await dims('jpeg', Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
    // A segment with length 0 would loop forever in a naive walker.
    expect(await dims('jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00, 0xff, 0xe0, 0x00, 0x00]))).toBeNull();
    // Start of scan before any frame header.
    expect(await dims('jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x04, 0, 0]))).toBeNull();
    // Only fill bytes: bounded by the segment cap and the file size.
    expect(await dims('jpeg', Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(5000, 0xff)]))).toBeNull();
    expect(await dims('webp', webp().subarray(0, 20))).toBeNull();
    expect(await dims('pdf', pdf())).toBeNull();
  });
});

describe('C16 client file names are metadata only', () => {
  it('keeps the last path segment and drops traversal, separators and control characters', () => {
    expect(sanitizeFilename('../../x.png', 'png')).toBe('x.png');
    expect(sanitizeFilename('..\\..\\windows\\x.png', 'png')).toBe('x.png');
    expect(sanitizeFilename('/etc/passwd', 'png')).toBe('passwd');
    expect(sanitizeFilename('a\u0000b\r\n.png', 'png')).toBe('a_b_.png');
    expect(sanitizeFilename('résumé 2024.pdf', 'pdf')).toBe('résumé 2024.pdf');
  });

  it('never yields an empty name, a dotfile or an over-long name', () => {
    expect(sanitizeFilename('..', 'png')).toBe('file.png');
    expect(sanitizeFilename('', 'pdf')).toBe('file.pdf');
    expect(sanitizeFilename('.htaccess', 'png')).toBe('htaccess');
    expect(sanitizeFilename(`${'a'.repeat(500)}.png`, 'png').length).toBeLessThanOrEqual(200);
  });

  it('builds a Content-Disposition that cannot be broken out of', () => {
    const header = contentDisposition('x"; filename=evil.html; a=".png');
    expect(header.startsWith('attachment; filename="')).toBe(true);
    // One quoted ASCII name (quotes and semicolons replaced) and one percent-encoded UTF-8 name.
    expect(header).toBe(
      `attachment; filename="x__ filename_evil.html_ a__.png"; filename*=UTF-8''x%22%3B%20filename%3Devil.html%3B%20a%3D%22.png`,
    );
    expect(contentDisposition('résumé.pdf')).toBe(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
  });
});
