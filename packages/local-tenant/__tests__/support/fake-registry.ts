// A stand-in npm registry on a free port: package documents as the registry serves them (versions,
// dist-tags, and each version's tarball with its integrity), real tarballs made with tar from a tiny
// package per version, 404 for any other name, and a count of what was asked. The npm CLI installs
// from it as from registry.npmjs.org. One test asks the real registry.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakePackage {
  versions: string[];
  latest?: string;
  /** index.js of each version (default: `module.exports = { name, version }`, so a test sees which one loaded). */
  main?: (version: string) => string;
  /** An ES module package (`"type": "module"`); its default index.js exports `name` and `version`. */
  esm?: boolean;
  /** The dependencies each version's package.json lists (npm installs them too). */
  dependencies?: Record<string, string>;
  /** A broken registry: the tarball is not there (404), or is not a gzipped tar (its integrity matches the bytes). */
  tarball?: 'missing' | 'corrupt';
}

export interface FakeRegistry {
  url: string;
  /** Paths asked, in order (`/left-pad`, `/@scope%2Fname`, `/left-pad/-/left-pad-1.0.0.tgz`). */
  requests: string[];
  /** The paths the npm CLI asked (by its user agent): what an install cost. */
  npmRequests: string[];
  /** The paths anything else asked (the tenant's own check of the dependencies). */
  checkRequests: string[];
  /** Answers (or only tarballs: an install under way) wait until `release()` (a registry slow to answer). */
  hold(which?: 'all' | 'tarballs'): void;
  release(): void;
  close(): Promise<void>;
}

const baseName = (name: string) => name.split('/').pop() as string;

/** A real npm tarball: `package/package.json` and `package/index.js`, gzipped by tar. */
function packTarball(name: string, version: string, pkg: FakePackage): Buffer {
  if (pkg.tarball === 'corrupt') return Buffer.from(`not a tarball of ${name}@${version}`);
  const dir = mkdtempSync(join(tmpdir(), 'fake-registry-'));
  try {
    mkdirSync(join(dir, 'package'));
    const type = pkg.esm ? 'module' : 'commonjs';
    const manifest = { name, version, type, main: 'index.js', dependencies: pkg.dependencies ?? {} };
    writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify(manifest));
    const exported = pkg.esm
      ? `export const name = ${JSON.stringify(name)};\nexport const version = ${JSON.stringify(version)};\n`
      : `module.exports = ${JSON.stringify({ name, version })};\n`;
    const main = pkg.main?.(version) ?? exported;
    writeFileSync(join(dir, 'package', 'index.js'), main);
    execFileSync('tar', ['-czf', 'package.tgz', 'package'], { cwd: dir });
    return readFileSync(join(dir, 'package.tgz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const digest = (algorithm: string, data: Buffer, encoding: 'hex' | 'base64') =>
  createHash(algorithm).update(data).digest(encoding);

export async function startFakeRegistry(packages: Record<string, FakePackage>): Promise<FakeRegistry> {
  const requests: string[] = [];
  const npmRequests: string[] = [];
  const checkRequests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  for (const [name, pkg] of Object.entries(packages)) {
    for (const version of pkg.versions) {
      tarballs.set(`/${name}/-/${baseName(name)}-${version}.tgz`, packTarball(name, version, pkg));
    }
  }
  let held: Array<() => void> | undefined;
  let holding: 'all' | 'tarballs' = 'all';
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    (String(req.headers['user-agent']).startsWith('npm/') ? npmRequests : checkRequests).push(path);
    const answer = () => {
      const name = decodeURIComponent(path.slice(1));
      if (name.includes('/-/')) {
        const [owner] = name.split('/-/');
        const tarball = tarballs.get(`/${name}`);
        if (!tarball || packages[owner]?.tarball === 'missing') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
        return;
      }
      const pkg = Object.hasOwn(packages, name) ? packages[name] : undefined;
      if (!pkg) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
        return;
      }
      const versions = Object.fromEntries(
        pkg.versions.map((version) => {
          const file = `/${name}/-/${baseName(name)}-${version}.tgz`;
          const tarball = tarballs.get(file) as Buffer;
          const dist = {
            tarball: `${url}${file}`,
            shasum: digest('sha1', tarball, 'hex'),
            integrity: `sha512-${digest('sha512', tarball, 'base64')}`,
          };
          return [version, { name, version, dependencies: pkg.dependencies ?? {}, dist }];
        }),
      );
      const latest = pkg.latest ?? pkg.versions[pkg.versions.length - 1];
      res
        .writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' })
        .end(JSON.stringify({ name, 'dist-tags': { latest }, versions }));
    };
    if (held && (holding === 'all' || path.includes('/-/'))) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    npmRequests,
    checkRequests,
    hold: (which = 'all') => {
      holding = which;
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
