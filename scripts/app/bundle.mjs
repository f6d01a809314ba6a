// A cached esbuild bundle of one TypeScript entry (main.ts, ops/<command>/main.ts), rebuilt only when
// one of its inputs changed. Loading TypeScript through a loader on every run costs more than most
// commands themselves; checking a cached bundle costs one stat per input file.
//
// Cache: dist/bundles/ (git-ignored). Per entry, a manifest `<name>.json` names the bundle
// `<name>.<content hash>.js` and records the size and mtime of every input (the sources esbuild read,
// package-lock.json, tsconfig.json, this file). Any input that differs, or is gone, means a rebuild.
// Bundles are never rewritten in place and the manifest is replaced by a rename: two processes that
// build at once each write a complete bundle, and a reader only ever loads a complete one.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(ROOT, 'dist', 'bundles');
/** Inputs of every bundle besides the sources: resolution of packages, compiler settings, the build itself. */
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json', relative(ROOT, fileURLToPath(import.meta.url))];
/** A bundle superseded longer ago than this is removed (a reader that chose it has long loaded it). */
const SUPERSEDED_MS = 60_000;
const TYPESCRIPT = /\.[cm]?tsx?$/;

const require = createRequire(import.meta.url);

/** `ops/plan/main.ts` -> `ops-plan-main`. */
const nameOf = (entry) => entry.replace(TYPESCRIPT, '').replace(/[^A-Za-z0-9_-]+/g, '-');

function fingerprint(file) {
  const stat = statSync(join(ROOT, file), { throwIfNoEntry: false });
  return stat ? [stat.size, stat.mtimeMs] : null;
}

function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // none yet, or from an older launcher
  }
}

function isCurrent(manifest) {
  if (manifest?.root !== ROOT || typeof manifest.inputs !== 'object') return false;
  if (!statSync(join(CACHE, manifest.bundle), { throwIfNoEntry: false })) return false;
  // A new source file only matters once an existing input imports it, which changes that input.
  return Object.entries(manifest.inputs).every(
    ([file, recorded]) => JSON.stringify(fingerprint(file)) === JSON.stringify(recorded),
  );
}

/**
 * Plain JavaScript packages bundled all the same (from the file Node resolves): finding and reading their
 * many files one by one costs more than the code. zod is 71 files, 48 of them its locales, loaded on every
 * import: bundled, the synth of the full app takes about 25 ms (5%) less.
 */
const BUNDLED_PACKAGES = new Set(['zod']);

/**
 * Packages stay in node_modules, required by the path Node itself resolves from the importing source
 * (a workspace package may have its own versions), except a package that ships TypeScript (the
 * local tenant): Node cannot load that, so it is bundled; and those in BUNDLED_PACKAGES.
 */
const packagesFromNodeModules = {
  name: 'packages-from-node-modules',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
      if (isBuiltin(path)) return { path, external: true };
      let resolved;
      try {
        resolved = createRequire(importer).resolve(path);
      } catch {
        return { path, external: true }; // Node reports it, as it would from source
      }
      const bundle = TYPESCRIPT.test(resolved) || BUNDLED_PACKAGES.has(path);
      return bundle ? { path: resolved } : { path: resolved, external: true };
    });
  },
};

/** With `require.main` defined as the module itself, another module asking would think it is the entry. */
function checkOnlyEntryAsksIfMain(entry, inputs) {
  const others = inputs.filter(
    (file) =>
      resolve(ROOT, file) !== resolve(ROOT, entry) &&
      TYPESCRIPT.test(file) &&
      readFileSync(resolve(ROOT, file), 'utf8').includes('require.main'),
  );
  if (others.length > 0) {
    throw new Error(
      `${others.join(', ')}: only the entry may test require.main (bundled, it is defined as the module itself)`,
    );
  }
}

async function build(entry, manifestFile) {
  const esbuild = require('esbuild');
  const startedAt = Date.now();
  const result = await esbuild.build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The entries run only `if (require.main === module)`, so that tests can import them. In a bundle
    // the entry's module is the bundle's, which this launcher (not node) loads.
    define: { 'require.main': 'module' },
    plugins: [packagesFromNodeModules],
    metafile: true,
    write: false,
    outdir: CACHE,
    logLevel: 'error',
  });
  checkOnlyEntryAsksIfMain(entry, Object.keys(result.metafile.inputs));
  const code = result.outputFiles[0].contents;
  const name = nameOf(entry);
  const bundle = `${name}.${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...SHARED_INPUTS]) {
    const path = relative(ROOT, resolve(ROOT, file));
    const recorded = fingerprint(path);
    // Changed while the build read it: the bundle may hold the old text, so the next run rebuilds.
    inputs[path] = recorded && recorded[1] < startedAt ? recorded : null;
  }
  mkdirSync(CACHE, { recursive: true });
  const temporary = (file) => `${file}.${process.pid}.tmp`;
  writeFileSync(temporary(join(CACHE, bundle)), code);
  renameSync(temporary(join(CACHE, bundle)), join(CACHE, bundle));
  writeFileSync(temporary(manifestFile), `${JSON.stringify({ root: ROOT, bundle, inputs }, null, 2)}\n`);
  renameSync(temporary(manifestFile), manifestFile);
  removeSuperseded(name, bundle);
  return join(CACHE, bundle);
}

function removeSuperseded(name, current) {
  for (const file of readdirSync(CACHE)) {
    if (file === current || !file.startsWith(`${name}.`) || file.endsWith('.json')) continue;
    const stat = statSync(join(CACHE, file), { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > SUPERSEDED_MS) rmSync(join(CACHE, file), { force: true });
  }
}

/** The path of an up-to-date bundle of `entry` (relative to the project root), built if need be. */
export async function bundled(entry) {
  const manifestFile = join(CACHE, `${nameOf(entry)}.json`);
  const manifest = readManifest(manifestFile);
  return isCurrent(manifest) ? join(CACHE, manifest.bundle) : build(entry, manifestFile);
}
