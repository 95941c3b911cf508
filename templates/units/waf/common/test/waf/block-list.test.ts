/**
 * The IP deny list built in a worker thread (W1): the same set as built in this thread (whose merging
 * ip-matcher.test.ts checks against naive references), really built off this thread, and a bad or missing file
 * still fails with its reason.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBlockSet, buildBlockSetInWorker } from '../../src/waf/block-list.js';

const dir = mkdtempSync(join(tmpdir(), 'waf-block-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function listFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('W1 block list built in a worker thread', () => {
  it('is the same set as one built in this thread, and is built in a worker', async () => {
    let seed = 3;
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 0x100000000;
    };
    const o = () => (rand() * 256) | 0;
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 10 === 0
        ? `2001:db8:${((rand() * 0xffff) | 0).toString(16)}::/${48 + (i % 64)}`
        : `${o()}.${o()}.${o()}.${o()}/${16 + (i % 17)}${i % 7 === 0 ? ' # scanner' : ''}`,
    );
    const source = { file: listFile('big.txt', lines.join('\n')), entries: ['192.0.2.7', '2001:db8:ffff::/48'] };
    // Node announces every Worker it creates on this channel.
    const workers: unknown[] = [];
    const seen = (message: unknown) => workers.push(message);
    subscribe('worker_threads', seen);
    try {
      const inWorker = await buildBlockSetInWorker(source);
      expect(workers).toHaveLength(1);
      const here = await buildBlockSet(source);
      expect(inWorker.size).toBeGreaterThan(10_000);
      expect(inWorker.parts()).toEqual(here.parts());
      expect(inWorker.has('192.0.2.7')).toBe(true); // the env entries are in it too
      expect(inWorker.has('2001:db8:ffff::1')).toBe(true);
    } finally {
      unsubscribe('worker_threads', seen);
    }
  });

  it('fails with the bad lines, or with the missing file, from the worker', async () => {
    const bad = listFile('bad.txt', '10.0.0.0/8\nnope\n');
    await expect(buildBlockSetInWorker({ file: bad, entries: [] })).rejects.toThrow(/line 2: "nope"/);
    await expect(buildBlockSetInWorker({ file: join(dir, 'missing.txt'), entries: [] })).rejects.toThrow(/ENOENT/);
  });
});
