// The tenant's state: `tenant.json` (a snapshot: the document and every user) plus `tenant.log`, an
// append-only log with one JSON line per transaction: the users it changed and the document's changes
// as patches (paths into the document), so a line is as large as the change, never as the tenant.
// A transaction copies only what it touches (immer drafts) and finds what changed without serializing
// the document, so a write costs the same at 100 and at 100,000 users, also when every user has MFA
// factors, remembered browsers or refresh tokens (those live in the document's `auth` section).
// The log is folded into a new snapshot when the tenant opens with a log to fold, and whenever it outgrows
// the snapshot; a tenant that opens with no log keeps its snapshot untouched. A fold while the tenant serves
// runs in the background: the log is renamed `tenant.<generation>.log` (new writes go to a fresh
// `tenant.log`), the snapshot of that moment is written in chunks between which requests are served, and the
// snapshot records the generation it folds, so a folded log left behind by a crash is never replayed twice.
// Readers get a read-only view; every change goes through `transaction`, which keeps all or nothing.
//
// Durability: each transaction's line is written (write(2)) before the transaction returns, so before
// the answer is sent: a crash of the tenant process loses nothing it acknowledged. The log is flushed
// to the disk (fdatasync) right after each burst of writes, off the event loop: a power loss or an OS
// crash loses at most the writes acknowledged since the last flush (milliseconds), and a line torn by
// it is dropped when the tenant opens. A new snapshot is flushed before it replaces the old one and
// before the log it folds in is removed, so a crash never leaves less than the last flushed state. A log is
// flushed before it is renamed for a fold, so the older log is on the disk before any line of the newer one.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { current, type Draft, enablePatches, Immer, isDraft, type Patch } from 'immer';
import { chunked, jsonPieces } from './json-pieces';
import {
  emptyTenantFile,
  type StoredUser,
  type TenantData,
  type TenantDocument,
  type TenantFile,
  type TenantState,
} from './model';
import { type UserChanges, UserTable, type UserWriter } from './user-table';

enablePatches();
// Not frozen: readers already get read-only types, and freezing would cost a walk of every new value.
const immer = new Immer({ autoFreeze: false });

export const DATA_FILE = 'tenant.json';
export const LOG_FILE = 'tenant.log';
/** The log is folded into the snapshot once it is this much larger than the snapshot (amortized O(1)). */
const COMPACT_RATIO = 2;
const COMPACT_MIN_BYTES = 1024 * 1024;
/** A background fold writes this many characters of the snapshot per turn of the event loop. */
const FOLD_CHUNK_CHARS = 256 * 1024;
/** A snapshot still being written (`tmpFile`): `tenant.json.<pid>.<random>.tmp`. */
const UNFINISHED_SNAPSHOT = /^tenant\.json\.\d+\.[0-9a-f]+\.tmp$/;
/** A log renamed for a fold: `tenant.<generation>.log`. */
const FOLDING_LOG = /^tenant\.(\d+)\.log$/;

/** The snapshot file: the tenant, and the generation of the last log folded into it (0: none named). */
interface SnapshotFile extends TenantFile {
  foldedGeneration?: number;
}

/** A fold: the logs it folds in (renamed, oldest first), its generation, the snapshot's text in chunks. */
interface Fold {
  generation: number;
  logs: string[];
  text: Iterable<string>;
  abandoned: boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const fsyncAsync = promisify(fsync);

export class StoreError extends Error {}

interface LogEntry {
  users?: Record<string, StoredUser | null>;
  /** The whole document: lines of older tenants, and changes whose paths patches cannot carry. */
  document?: TenantDocument;
  /** The document's changes, applied in order. */
  patches?: Patch[];
}

/** Path segments immer refuses to apply (they would reach a prototype): such a change logs the document. */
const UNPATCHABLE = new Set(['__proto__', 'constructor', 'prototype']);

export class TenantStore {
  readonly file: string;
  readonly logFile: string;
  #document: TenantDocument;
  readonly #users: UserTable;
  #log: number | undefined;
  /** The flush in progress, and whether lines were written since it started. */
  #flushing: Promise<void> | undefined;
  #flushAgain = false;
  /** Log descriptors closed as soon as the flush in progress ends. */
  readonly #retired = new Set<number>();
  #logBytes = 0;
  #snapshotBytes = 0;
  /** The snapshot on disk lacks something the state has without a log line (a new tenant, an upgrade). */
  #snapshotStale = false;
  /** The highest generation the snapshot or a renamed log has. */
  #generation = 0;
  /** Renamed logs not yet folded into the snapshot on disk, oldest first. */
  #foldingLogs: string[] = [];
  /** Renamed logs the snapshot already holds (a crash came between the fold and their removal). */
  #foldedLogs: string[] = [];
  /** The background fold in progress, and what it resolves to once it has landed (or failed). */
  #fold: Fold | undefined;
  #folding: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    file: TenantFile,
  ) {
    this.file = join(dir, DATA_FILE);
    this.logFile = join(dir, LOG_FILE);
    const { users, ...document } = file;
    this.#document = document;
    this.#users = new UserTable(users);
  }

  /**
   * Loads `<dir>/tenant.json` and replays `tenant.log` into a fresh snapshot, or creates an empty tenant.
   * A corrupt snapshot is an error, never overwritten; a torn last log line (a crash mid-write) is dropped.
   */
  static open(dir: string): TenantStore {
    const store = TenantStore.read(dir);
    // Folding also drops a torn last line, which the next append would otherwise run into; a snapshot that is
    // current and has no log after it is left as it is (no rewrite, no fsync).
    if (store.#snapshotStale || store.#logBytes > 0 || store.#foldingLogs.length > 0) store.compact();
    for (const log of store.#foldedLogs) removeIfThere(log);
    store.#foldedLogs = [];
    // A snapshot being written when the tenant stopped or crashed never took the snapshot's name: it is no state.
    for (const name of readdirSync(dir)) if (UNFINISHED_SNAPSHOT.test(name)) removeIfThere(join(dir, name));
    return store;
  }

  /** The state in `dir` (snapshot plus log) without writing anything: for looking at a tenant's files. */
  static read(dir: string): TenantStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, DATA_FILE);
    const snapshot = existsSync(file) ? readSnapshot(file) : undefined;
    const store = new TenantStore(dir, snapshot?.data ?? emptyTenantFile());
    // A new tenant, or sections filled in since the file was written (fresh ids and keys), must be written.
    store.#snapshotStale = snapshot?.filled !== false;
    store.#snapshotBytes = snapshot?.bytes ?? 0;
    const folded = snapshot?.foldedGeneration ?? 0;
    store.#generation = folded;
    for (const { generation, path } of foldingLogs(dir)) {
      store.#generation = Math.max(store.#generation, generation);
      if (generation <= folded) store.#foldedLogs.push(path);
      else {
        store.replay(path, readFileSync(path, 'utf8'));
        store.#foldingLogs.push(path);
      }
    }
    store.#logBytes = 0;
    if (existsSync(store.logFile)) store.replay(store.logFile, readFileSync(store.logFile, 'utf8'));
    return store;
  }

  /** The current state, read-only: change it with `transaction`. */
  get state(): TenantState {
    return { ...this.#document, users: this.#users };
  }

  /**
   * Flushes and closes the log (the tenant stops); the files stay as they are. A background fold still
   * writing is given up: its renamed log stays, and the next open folds it.
   */
  close(): void {
    if (this.#fold) this.#fold.abandoned = true;
    this.retireLog(true);
  }

  /** Folds the log into a new snapshot in the background now (the bench measures what requests see). */
  fold(): Promise<void> {
    if (!this.#folding) this.startFold();
    return this.#folding ?? Promise.resolve();
  }

  /** Resolves once no background fold is in progress. */
  async folded(): Promise<void> {
    while (this.#folding) await this.#folding;
  }

  /** Resolves once every line written so far is on the disk (for tests and a clean stop). */
  async flushed(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Runs `change`; keeps and logs its effects only when it returns without throwing. */
  transaction<T>(change: (data: TenantData) => T): T {
    const draft = immer.createDraft(this.#document);
    const users = this.#users.begin();
    let result: T;
    let changed: UserChanges;
    try {
      // Drafts die with the transaction: what it returns is handed out as plain copies.
      result = detach(change(dataView(draft, users)));
      changed = this.#users.commit();
    } catch (error) {
      this.#users.rollback();
      throw error;
    }
    let patches: Patch[] = [];
    this.#document = immer.finishDraft(draft, (made) => {
      patches = made;
    });
    this.append(changed, patches);
    return result;
  }

  private append(users: UserChanges, patches: Patch[]): void {
    if (users.size === 0 && patches.length === 0) return;
    const entry: LogEntry = {};
    if (users.size > 0) entry.users = Object.fromEntries(users);
    if (patches.some((p) => p.path.some((key) => UNPATCHABLE.has(String(key)))))
      entry.document = this.#document;
    else if (patches.length > 0) entry.patches = patches;
    const line = `${JSON.stringify(entry)}\n`;
    this.#log ??= openSync(this.logFile, 'a', 0o600);
    writeSync(this.#log, line);
    this.#logBytes += Buffer.byteLength(line);
    const outgrown = this.#logBytes > Math.max(COMPACT_MIN_BYTES, COMPACT_RATIO * this.#snapshotBytes);
    if (outgrown && !this.#folding) this.startFold();
    else this.flush();
  }

  /** Group commit: one fdatasync at a time covers every line written before it started. */
  private flush(): void {
    if (this.#flushing) {
      this.#flushAgain = true;
      return;
    }
    const fd = this.#log;
    if (fd === undefined) return;
    this.#flushAgain = false;
    this.#flushing = new Promise<void>((resolve) =>
      // A failed flush leaves the lines written (a process crash still loses nothing); the next retries.
      fdatasync(fd, () => {
        this.#flushing = undefined;
        if (this.#retired.delete(fd)) closeSync(fd);
        if (this.#flushAgain) this.flush();
        resolve();
      }),
    );
  }

  /** Stops writing to the current log; `sync` flushes it first (a clean stop). */
  private retireLog(sync: boolean): void {
    const fd = this.#log;
    this.#log = undefined;
    this.#flushAgain = false;
    if (fd === undefined) return;
    if (sync) fdatasyncSync(fd);
    // The descriptor stays open while a flush uses it: closing it could hand its number to another file.
    if (this.#flushing) this.#retired.add(fd);
    else closeSync(fd);
  }

  private replay(file: string, text: string): void {
    // The last piece is empty after a complete line, or a line torn by a crash: either way it is dropped.
    text
      .split('\n')
      .slice(0, -1)
      .forEach((line, index) => {
        let entry: LogEntry;
        try {
          entry = JSON.parse(line);
        } catch {
          throw new StoreError(
            `${file}: line ${index + 1} is not valid JSON; move the file away to start from ${DATA_FILE}`,
          );
        }
        if (entry.document) {
          const upgraded = { ...entry.document, users: [] };
          upgrade(upgraded);
          const { users: _none, ...document } = upgraded;
          this.#document = document;
        }
        if (entry.patches) this.#document = immer.applyPatches(this.#document, entry.patches);
        if (entry.users) this.#users.apply(Object.entries(entry.users));
      });
    this.#logBytes += Buffer.byteLength(text);
  }

  /**
   * Starts a fold: the log (flushed first) is renamed to the next generation and new lines go to a fresh
   * log; the snapshot of this moment (the document is never changed in place, the users are listed now) is
   * what the fold writes.
   */
  private beginFold(): Fold {
    this.retireLog(true);
    const generation = ++this.#generation;
    if (existsSync(this.logFile)) {
      const renamed = join(this.dir, `tenant.${generation}.log`);
      renameSync(this.logFile, renamed);
      this.#foldingLogs.push(renamed);
    }
    this.#logBytes = 0;
    const snapshot: SnapshotFile = {
      ...this.#document,
      foldedGeneration: generation,
      users: [...this.#users.all()],
    };
    const text = chunked(jsonPieces(snapshot), FOLD_CHUNK_CHARS);
    return { generation, logs: [...this.#foldingLogs], text, abandoned: false };
  }

  /** The fold's snapshot is on the disk: the logs it holds go. */
  private landed(fold: Fold, bytes: number): void {
    for (const log of fold.logs) removeIfThere(log);
    this.#foldingLogs = this.#foldingLogs.filter((log) => !fold.logs.includes(log));
    this.#snapshotBytes = bytes;
    this.#snapshotStale = false;
  }

  /** Folds now, blocking (at open: nothing is served yet). */
  private compact(): void {
    const fold = this.beginFold();
    const tmp = this.tmpFile();
    let bytes = 0;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        for (const chunk of fold.text) bytes += writeSync(fd, chunk);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      syncDirectory(this.dir);
    } catch (error) {
      removeIfThere(tmp);
      throw error;
    }
    this.landed(fold, bytes);
  }

  /** Folds while requests are served: one chunk per turn of the event loop, the flushes off it. */
  private startFold(): void {
    const fold = this.beginFold();
    this.#fold = fold;
    this.#folding = this.foldInBackground(fold).finally(() => {
      this.#fold = undefined;
      this.#folding = undefined;
    });
  }

  private async foldInBackground(fold: Fold): Promise<void> {
    const tmp = this.tmpFile();
    let fd: number | undefined = openSync(tmp, 'w', 0o600);
    let bytes = 0;
    try {
      for (const chunk of fold.text) {
        if (fold.abandoned) return;
        bytes += writeSync(fd, chunk);
        await nextTurn();
      }
      await fsyncAsync(fd);
      closeSync(fd);
      fd = undefined;
      if (fold.abandoned) return;
      renameSync(tmp, this.file);
      // Past the rename the fold is done whatever comes: what is left makes it durable and tidies up.
      await syncDirectoryAsync(this.dir);
      this.landed(fold, bytes);
    } catch (error) {
      // The renamed logs stay and the state on disk is whole; the next fold takes them in.
      process.stderr.write(
        `[local-tenant] folding the log into ${this.file} failed: ${(error as Error).message}\n`,
      );
    } finally {
      if (fd !== undefined) closeSync(fd);
      removeIfThere(tmp);
    }
  }

  private tmpFile(): string {
    return `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  }
}

async function syncDirectoryAsync(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The logs renamed for a fold in `dir`, oldest first. */
function foldingLogs(dir: string): { generation: number; path: string }[] {
  return readdirSync(dir)
    .map((name) => ({ name, match: FOLDING_LOG.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ name, match }) => ({ generation: Number(match[1]), path: join(dir, name) }))
    .sort((a, b) => a.generation - b.generation);
}

function removeIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The rename of a new snapshot is on the disk only once its directory is. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What a transaction's change sees: the document's draft, and the users through the table's writer. */
function dataView(draft: Draft<TenantDocument>, users: UserWriter): TenantData {
  const view = { users } as TenantData;
  for (const key of Object.keys(draft) as Array<keyof TenantDocument>) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => draft[key],
      set: (value) => {
        (draft as Record<string, unknown>)[key] = value;
      },
    });
  }
  return view;
}

/** `value` with every draft in it replaced by a plain copy; unchanged where it holds none. */
function detach<T>(value: T): T {
  if (isDraft(value)) return current(value as Draft<T>) as T;
  if (Array.isArray(value)) {
    const items = value.map(detach);
    return items.some((item, i) => item !== value[i]) ? (items as T) : value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([key, item]) => [key, detach(item)] as const);
    const changed = entries.some(([key, item]) => item !== (value as Record<string, unknown>)[key]);
    return changed ? (Object.fromEntries(entries) as T) : value;
  }
  return value;
}

/** The snapshot, its size, the generation it folded, and whether `upgrade` filled anything in. */
function readSnapshot(file: string): {
  data: TenantFile;
  bytes: number;
  foldedGeneration: number;
  filled: boolean;
} {
  let parsed: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StoreError(
      `${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as TenantFile).schemaVersion !== 1) {
    throw new StoreError(`${file} is not a local tenant data file (schemaVersion 1)`);
  }
  const { foldedGeneration = 0, ...data } = parsed as SnapshotFile;
  const filled = upgrade(data);
  return { data, bytes: Buffer.byteLength(text), foldedGeneration, filled };
}

/** Whether `have` lacks one of the keys of `want`. */
function lacksAny(have: object | undefined, want: object): boolean {
  return have === undefined || Object.keys(want).some((key) => !Object.hasOwn(have, key));
}

/** Fills sections added after the file was written, keeps everything already there; says if it filled any. */
function upgrade(data: TenantFile): boolean {
  const fresh = emptyTenantFile();
  let filled = false;
  // Each section once: whether an older file lacks it, and what it gets then.
  const fill = <K extends keyof TenantFile>(key: K, lacks: boolean, value: () => TenantFile[K]) => {
    if (!lacks) return;
    data[key] = value();
    filled = true;
  };
  fill('settings', data.settings === undefined, () => fresh.settings);
  fill(
    'guardian',
    lacksAny(data.guardian, fresh.guardian) || lacksAny(data.guardian?.factors, fresh.guardian.factors),
    () => ({
      ...fresh.guardian,
      ...data.guardian,
      factors: { ...fresh.guardian.factors, ...data.guardian?.factors },
    }),
  );
  fill('actions', data.actions === undefined, () => []);
  fill(
    'actions',
    data.actions.some((action) => action.build === undefined),
    () =>
      data.actions.map((action) => ({ ...action, build: action.build ?? { ready_at: action.updated_at } })),
  );
  fill('bindings', data.bindings === undefined, () => ({}));
  fill('users', data.users === undefined, () => []);
  fill('connections', !data.connections?.length, () => fresh.connections);
  fill('roles', data.roles === undefined, () => []);
  fill('roleUsers', data.roleUsers === undefined, () => ({}));
  fill('organizations', data.organizations === undefined, () => []);
  fill('organizationMembers', data.organizationMembers === undefined, () => ({}));
  fill('auth', lacksAny(data.auth, fresh.auth), () => ({ ...fresh.auth, ...data.auth }));
  return filled;
}
