/**
 * C16 file uploads over real HTTP: what is accepted, what is refused and with which status, that nothing the
 * client names reaches the filesystem, and that files are private to their owner.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, authStyle as style } from './helpers/auth.js';
import { type FreshDatabase, freshDatabase } from './helpers/database.js';
import { gif, jpeg, multipart, pdf, phpScript, png, upload, webp } from './helpers/files.js';
import { request, startServer, type TestServer } from './helpers/server.js';

/** This project's auth style (a literal per auth unit, widened so the checks below compile in every project). */
const authStyle: string = style;

/** POST with Transfer-Encoding: chunked (no Content-Length), in 64 KiB writes; resolves with the status. */
function postChunked(port: number, path: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, host: 'localhost' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
    for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
    req.end();
  });
}

/** Every file under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('C16 file uploads', () => {
  let server: TestServer;
  let db: FreshDatabase;
  let root: string;
  let uploadDir: string;
  let alice: Record<string, string>;
  let bob: Record<string, string> | undefined;

  beforeAll(async () => {
    db = await freshDatabase();
    root = await mkdtemp(path.join(tmpdir(), 'uploads-test-'));
    uploadDir = path.join(root, 'a', 'b', 'uploads');
    server = await startServer({ ...db.env, UPLOAD_DIR: uploadDir, RATE_LIMIT_PER_MINUTE: '10000' });
    alice = await authHeaders(server, 'alice');
    // With auth `none` there is only one (anonymous) owner, so owner isolation has nothing to prove.
    if (authStyle !== 'none') bob = await authHeaders(server, 'bob');
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    await rm(root, { recursive: true, force: true });
  });

  const send = (parts: Parameters<typeof upload>[0], headers = alice) =>
    request(server, '/api/v1/files', upload(parts, headers));

  it('stores an allowlisted image under a random name and answers the file shape', async () => {
    const data = png(16, 16);
    const res = await send([{ name: 'file', filename: 'photo.png', contentType: 'text/html', data }]);
    expect(res.status).toBe(201);
    const file = res.json();
    expect(Object.keys(file).sort()).toEqual(['contentType', 'createdAt', 'filename', 'id', 'size']);
    expect(file).toMatchObject({ filename: 'photo.png', size: data.length });
    // The type comes from the magic bytes, not from the Content-Type the client claimed.
    expect(file.contentType).toBe('image/png');
    expect(file.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Date(file.createdAt).toString()).not.toBe('Invalid Date');

    const stored = await filesUnder(uploadDir);
    expect(stored.some((name) => name.includes('photo'))).toBe(false);
    expect(stored.filter((name) => name.endsWith(`${file.id}.data`))).toHaveLength(1);
  });

  it.each([
    ['a.jpg', jpeg(100, 100), 'image/jpeg'],
    ['a.jpeg', jpeg(100, 100), 'image/jpeg'],
    ['a.gif', gif(100, 100), 'image/gif'],
    ['a.webp', webp(100, 100), 'image/webp'],
    ['a.pdf', pdf(), 'application/pdf'],
  ])('accepts %s', async (filename, data, contentType) => {
    const res = await send([{ name: 'file', filename, data }]);
    expect(res.status).toBe(201);
    expect(res.json().contentType).toBe(contentType);
  });

  it('refuses a .php file with 415', async () => {
    const res = await send([{ name: 'file', filename: 'shell.php', contentType: 'image/png', data: phpScript }]);
    expect(res.status).toBe(415);
    expect(res.json().error.code).toBe('unsupported_file_type');
  });

  it('refuses a script named .png (content does not match the extension) with 415', async () => {
    for (const filename of ['shell.png', 'shell.php.png', 'SHELL.PNG']) {
      const res = await send([{ name: 'file', filename, contentType: 'image/png', data: phpScript }]);
      expect(res.status).toBe(415);
      expect(res.json().error.code).toBe('file_type_mismatch');
    }
    // A real PNG under another allowed extension is refused too: the two must agree.
    expect((await send([{ name: 'file', filename: 'a.jpg', data: png() }])).status).toBe(415);
    // ...and a PNG hidden behind a double extension.
    expect((await send([{ name: 'file', filename: 'a.png.php', data: png() }])).status).toBe(415);
  });

  it('refuses 6 MB with 413 and leaves no temporary file behind', async () => {
    const big = Buffer.concat([png(), Buffer.alloc(6 * 1024 * 1024)]);
    const res = await send([{ name: 'file', filename: 'big.png', data: big }]);
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('file_too_large');
    // The same without a Content-Length (chunked): the limit is enforced while streaming.
    const { body, contentType } = multipart([{ name: 'file', filename: 'big.png', data: big }]);
    expect(await postChunked(server.port, '/api/v1/files', body, { ...alice, 'content-type': contentType })).toBe(413);
    await new Promise((r) => setTimeout(r, 100));
    expect((await filesUnder(uploadDir)).filter((name) => path.basename(name).startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses an image over 40 megapixels with 413, even though the file is tiny', async () => {
    const res = await send([{ name: 'file', filename: 'bomb.png', data: png(8000, 6000) }]);
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('image_too_large');
    expect((await send([{ name: 'file', filename: 'bomb.jpg', data: jpeg(65000, 65000) }])).status).toBe(413);
    // A header that cannot be parsed is refused, not waved through.
    const broken = png().subarray(0, 20);
    expect((await send([{ name: 'file', filename: 'broken.png', data: broken }])).status).toBe(400);
  });

  it('keeps ../../x.png inside the upload folder: the name is metadata only', async () => {
    const res = await send([{ name: 'file', filename: '../../x.png', data: png() }]);
    expect(res.status).toBe(201);
    expect(res.json().filename).toBe('x.png');
    for (const escaped of [path.join(uploadDir, '..', 'x.png'), path.join(uploadDir, '..', '..', 'x.png')]) {
      await expect(readdir(path.dirname(escaped))).resolves.not.toContain('x.png');
    }
    expect((await filesUnder(uploadDir)).some((name) => name.includes('x.png'))).toBe(false);
    const abs = await send([{ name: 'file', filename: '/etc/cron.d/x.png', data: png() }]);
    expect(abs.json().filename).toBe('x.png');
  });

  it('answers malformed multipart with 400 (or 415 when it is not multipart) and keeps serving', async () => {
    const cases: Array<[string, string | Buffer]> = [
      ['multipart/form-data', 'no boundary at all'],
      ['multipart/form-data; boundary=abc', 'garbage without any boundary line'],
      [
        'multipart/form-data; boundary=abc',
        '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
      ],
      ['multipart/form-data; boundary=abc', '--abc\r\nNo-Colon-Header\r\n\r\nx\r\n--abc--\r\n'],
      ['multipart/form-data; boundary=abc', '--abc--\r\n'],
    ];
    for (const [contentType, body] of cases) {
      const res = await request(server, '/api/v1/files', {
        method: 'POST',
        body,
        headers: { ...alice, 'content-type': contentType },
      });
      expect(res.status, `${contentType} ${JSON.stringify(body).slice(0, 40)}`).toBe(400);
      expect(res.json().error.requestId).toBeDefined();
    }
    const json = await request(server, '/api/v1/files', { method: 'POST', json: { file: 'x' }, headers: alice });
    expect(json.status).toBe(415);
    expect((await request(server, '/health')).status).toBe(200);
  });

  it('removes the partial file when the client goes away mid-upload', async () => {
    const { body, contentType } = multipart([
      { name: 'file', filename: 'half.png', data: Buffer.concat([png(), Buffer.alloc(2 * 1024 * 1024)]) },
    ]);
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/v1/files',
      method: 'POST',
      headers: { ...alice, host: 'localhost', 'content-type': contentType, 'content-length': String(body.length) },
    });
    req.on('error', () => undefined);
    req.write(body.subarray(0, 1024 * 1024));
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    const tmp = async () => (await filesUnder(uploadDir)).filter((name) => path.basename(name).startsWith('.tmp-'));
    for (let i = 0; i < 50 && (await tmp()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await tmp()).toEqual([]);
    expect((await request(server, '/health')).status).toBe(200);
  });

  it('takes exactly one file, in the field "file"', async () => {
    const two = await send([
      { name: 'file', filename: 'a.png', data: png() },
      { name: 'file', filename: 'b.png', data: png() },
    ]);
    expect(two.status).toBe(400);
    const wrongField = await send([{ name: 'upload', filename: 'a.png', data: png() }]);
    expect(wrongField.status).toBe(400);
    const fieldOnly = await send([{ name: 'file', data: 'just text' }]);
    expect(fieldOnly.status).toBe(400);
    const tooManyParts = await send(Array.from({ length: 10 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    expect(tooManyParts.status).toBe(400);
  });

  it('serves the owner its file as an attachment with the stored type and nosniff', async () => {
    const data = png(4, 4);
    const created = (await send([{ name: 'file', filename: 'évil<script>;x.png', data }])).json();
    expect(created.filename).toBe('évil_script_x.png');
    const res = await request(server, `/api/v1/files/${created.id}`, { headers: alice });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Number(res.headers['content-length'])).toBe(data.length);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: server.port,
            path: `/api/v1/files/${created.id}`,
            headers: { ...alice, host: 'localhost' },
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve(Buffer.concat(chunks)));
          },
        )
        .on('error', reject);
    });
    expect(raw.equals(data)).toBe(true);
  });

  it("lists only the caller's files, paginated", async () => {
    const res = await request(server, '/api/v1/files?limit=2&offset=0', { headers: alice });
    expect(res.status).toBe(200);
    const page = res.json();
    expect(page.limit).toBe(2);
    expect(page.offset).toBe(0);
    expect(page.data).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(8);
    expect((await request(server, '/api/v1/files?limit=100000', { headers: alice })).status).toBe(400);
  });

  it("treats another user's file as missing (404), in reads and in lists", async (ctx) => {
    if (!bob) return ctx.skip();
    const created = (await send([{ name: 'file', filename: 'private.pdf', data: pdf() }])).json();
    const res = await request(server, `/api/v1/files/${created.id}`, { headers: bob });
    expect(res.status).toBe(404);
    const list = (await request(server, '/api/v1/files?limit=100', { headers: bob })).json();
    expect(list.data.map((f: { id: string }) => f.id)).not.toContain(created.id);
    expect((await request(server, `/api/v1/files/${created.id}`, { headers: alice })).status).toBe(200);
  });

  it('answers 404 for an unknown id and 400 for one that is not an id (no path is ever built from it)', async () => {
    expect((await request(server, '/api/v1/files/AAAAAAAAAAAAAAAAAAAAAA', { headers: alice })).status).toBe(404);
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'short']) {
      const res = await request(server, `/api/v1/files/${id}`, { headers: alice });
      expect([400, 404]).toContain(res.status);
    }
  });

  it('refuses uploads and reads without credentials (401)', async (ctx) => {
    if (!bob) return ctx.skip();
    expect((await send([{ name: 'file', filename: 'a.png', data: png() }], {})).status).toBe(401);
    expect((await request(server, '/api/v1/files')).status).toBe(401);
  });
});
