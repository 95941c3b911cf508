import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the registry's bulk advisory endpoint (`POST /-/npm/v1/security/advisories/bulk`),
 * which the registry reachable here does not serve. `advisories` decides the answer: none, or a high-severity
 * advisory against a package the project really depends on.
 */
export async function startAdvisoryStub(advisories: Record<string, unknown[]>): Promise<{ url: string; server: Server; requests: number }> {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.startsWith('/-/npm/v1/security/advisories/bulk')) {
        state.requests += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(advisories));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    get requests() { return state.requests; },
  };
}

export function highAdvisory(name: string): Record<string, unknown[]> {
  return {
    [name]: [{
      id: 1099999, url: 'https://example.invalid/advisory', title: 'Stub high-severity advisory', severity: 'high',
      vulnerable_versions: '>=0.0.0', cwe: ['CWE-400'], cvss: { score: 7.5, vectorString: null },
    }],
  };
}
