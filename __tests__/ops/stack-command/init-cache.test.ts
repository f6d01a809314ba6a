// Pruning of dist/terraform-init (ops/stack-command/init-cache.ts), on folders shaped like its entries; the
// e2e test (init-cache.e2e) covers the entries real Terraform writes and reads.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KEEP_AT_MOST, pruneInitCache, UNUSED_FOR_MS } from '../../../ops/stack-command/init-cache';
import { PROJECT_ROOT } from '../../../src/paths';
import { tempDir } from '../../support/temp-dirs';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-06-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const key = (n: number) => n.toString(16).padStart(32, '0');

/** An entry as keep() writes it, last used `ageMs` before NOW. */
function entry(cache: string, name: string, ageMs: number): void {
  const dir = join(cache, name);
  mkdirSync(join(dir, '.terraform'), { recursive: true });
  writeFileSync(join(dir, '.terraform.lock.hcl'), '# lock\n');
  const used = new Date(NOW - ageMs);
  utimesSync(dir, used, used);
}

describe('pruneInitCache', () => {
  it(`keeps the ${KEEP_AT_MOST} most recently used entries, none unused for 30 days, and what live processes are writing`, () => {
    const cache = tempDir('init-prune-');
    // Entry n was last used n hours ago: 0..19.
    for (let n = 0; n < 20; n++) entry(cache, key(n), n * 3600 * 1000);
    // Among the most recent by rank, but not used for longer than allowed.
    entry(cache, key(100), UNUSED_FOR_MS + DAY);
    entry(cache, `${key(200)}.1234.tmp`, 2 * 3600 * 1000); // a keep() that died two hours ago
    entry(cache, `${key(201)}.4321.tmp`, 1000); // a keep() under way in another command
    entry(cache, `${key(202)}.99.pruned`, 3 * 3600 * 1000); // a pruner that died midway

    pruneInitCache(cache, { now: NOW });

    const kept = Array.from({ length: KEEP_AT_MOST }, (_, n) => key(n));
    expect(readdirSync(cache).sort()).toEqual([...kept, `${key(201)}.4321.tmp`].sort());
  });

  it('removes entries unused for 30 days even when there are few', () => {
    const cache = tempDir('init-prune-');
    entry(cache, key(1), UNUSED_FOR_MS - DAY);
    entry(cache, key(2), UNUSED_FOR_MS + DAY);
    pruneInitCache(cache, { now: NOW });
    expect(readdirSync(cache)).toEqual([key(1)]);
  });

  it('does nothing without a cache folder', () => {
    expect(() => pruneInitCache(join(tempDir('init-prune-'), 'none'))).not.toThrow();
  });

  it('two commands pruning the same cache at once both finish, and leave exactly the most recent entries', async () => {
    const cache = tempDir('init-prune-');
    const now = Date.now();
    for (let n = 0; n < 400; n++) {
      const dir = join(cache, key(n));
      mkdirSync(join(dir, '.terraform', 'providers'), { recursive: true });
      for (let f = 0; f < 5; f++) writeFileSync(join(dir, '.terraform', 'providers', `f${f}`), 'x');
      const used = new Date(now - n * 1000);
      utimesSync(dir, used, used);
    }
    // Both start pruning at the same moment, once each has loaded.
    const startAt = Date.now() + 4000;
    const script = `
      const { pruneInitCache } = require('./ops/stack-command/init-cache');
      while (Date.now() < ${startAt}) {}
      pruneInitCache(${JSON.stringify(cache)});
    `;
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: PROJECT_ROOT });
    const results = await Promise.all([run(), run()]);
    expect(results.map((result) => result.stderr)).toEqual(['', '']);
    expect(readdirSync(cache).sort()).toEqual(Array.from({ length: KEEP_AT_MOST }, (_, n) => key(n)));
  });
});
