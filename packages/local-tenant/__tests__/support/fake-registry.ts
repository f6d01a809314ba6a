// A stand-in npm registry on a free port: package documents as the registry serves them (versions and
// dist-tags), 404 for any other name, and a count of what was asked. Tests of failed builds use it;
// one test asks the real registry.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePackage {
  versions: string[];
  latest?: string;
}

export interface FakeRegistry {
  url: string;
  /** Paths asked, in order (`/left-pad`, `/@scope%2Fname`). */
  requests: string[];
  /** Answers wait until `release()` (a registry that is slow to answer). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startFakeRegistry(packages: Record<string, FakePackage>): Promise<FakeRegistry> {
  const requests: string[] = [];
  let held: Array<() => void> | undefined;
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const answer = () => {
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      const pkg = Object.hasOwn(packages, name) ? packages[name] : undefined;
      if (!pkg) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
        return;
      }
      const versions = Object.fromEntries(pkg.versions.map((v) => [v, { name, version: v }]));
      const latest = pkg.latest ?? pkg.versions[pkg.versions.length - 1];
      res
        .writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' })
        .end(JSON.stringify({ name, 'dist-tags': { latest }, versions }));
    };
    if (held) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hold: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const answer of waiting) answer();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
