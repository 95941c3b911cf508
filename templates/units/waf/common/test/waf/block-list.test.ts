/**
 * The IP deny list built in a worker thread (W1): the same set as built in this thread (whose merging
 * ip-matcher.test.ts checks against naive references), really built off this thread, and a bad or missing file
 * still fails with its reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBlockSet, buildBlockSetInWorker } from '../../src/waf/block-list.js';
import { IpRules } from '../../src/waf/ip-rules.js';
import { IpSet } from '../../src/waf/ip-set.js';
import { prefetchBlockList, takePrefetched } from '../../src/waf/prefetch.js';
import { countWorkers } from './waf-helpers.js';

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
    let inWorker = IpSet.empty;
    expect(await countWorkers(async () => (inWorker = await buildBlockSetInWorker(source)))).toBe(1);
    const here = await buildBlockSet(source);
    expect(inWorker.size).toBeGreaterThan(10_000);
    expect(inWorker.parts()).toEqual(here.parts());
    expect(inWorker.has('192.0.2.7')).toBe(true); // the env entries are in it too
    expect(inWorker.has('2001:db8:ffff::1')).toBe(true);
  });

  it('fails with the bad lines, or with the missing file, from the worker', async () => {
    const bad = listFile('bad.txt', '10.0.0.0/8\nnope\n');
    await expect(buildBlockSetInWorker({ file: bad, entries: [] })).rejects.toThrow(/line 2: "nope"/);
    await expect(buildBlockSetInWorker({ file: join(dir, 'missing.txt'), entries: [] })).rejects.toThrow(/ENOENT/);
  });
});

describe('W1 block list started before the app loads (src/preload.ts)', () => {
  it('hands the prefetched set to the boot when the settings ask for the same file and entries', async () => {
    const file = listFile('prefetch.txt', '203.0.113.0/24\n');
    const started = await countWorkers(async () => {
      prefetchBlockList({ WAF_BLOCK_IPS_FILE: ` ${file} `, WAF_BLOCK_IPS: ' 192.0.2.7 ,, ' });
    });
    expect(started).toBe(1);
    const rules = new IpRules({ allow: [], block: ['192.0.2.7'], blockFile: file });
    const during = await countWorkers(() => rules.load());
    expect(during).toBe(0); // the boot took the prefetched set instead of building another
    expect(rules.block.has('203.0.113.9')).toBe(true);
    expect(rules.block.has('192.0.2.7')).toBe(true);
    expect(takePrefetched({ file, entries: ['192.0.2.7'] })).toBeUndefined(); // taken once
  });

  it('is not used when the validated settings differ, and starts nothing when the WAF is off', async () => {
    const file = listFile('other.txt', '198.51.100.0/24\n');
    prefetchBlockList({ WAF_BLOCK_IPS_FILE: file, WAF_BLOCK_IPS: '192.0.2.1' });
    expect(takePrefetched({ file, entries: ['192.0.2.2'] })).toBeUndefined();
    expect(takePrefetched({ file: `${file}.x`, entries: ['192.0.2.1'] })).toBeUndefined();
    const off = await countWorkers(async () => {
      prefetchBlockList({ WAF_BLOCK_IPS_FILE: file, WAF_ENABLED: 'false' });
    });
    expect(off).toBe(0);
    expect(await countWorkers(async () => prefetchBlockList({}))).toBe(0);
  });

  it('reports a bad file when the boot takes it, with the line numbers', async () => {
    const file = listFile('prefetch-bad.txt', '10.0.0.0/8\nnope\n');
    prefetchBlockList({ WAF_BLOCK_IPS_FILE: file });
    await new Promise((done) => setTimeout(done, 200)); // fails in the worker before anyone asks: no unhandled rejection
    const rules = new IpRules({ allow: [], block: [], blockFile: file });
    await expect(rules.load()).rejects.toThrow(/line 2: "nope"/);
  });
});
