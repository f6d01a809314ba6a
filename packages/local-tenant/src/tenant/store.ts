// The tenant's state: `tenant.json` (a snapshot: the document and every user) plus `tenant.log`, an
// append-only log with one JSON line per transaction (the users it changed, and the document when it
// changed). A write appends one line, so it costs the same at 100 and at 100,000 users; the log is folded
// into a new snapshot (written atomically) when the tenant opens and whenever it outgrows the snapshot.
// Readers get a read-only view; every change goes through `transaction`, which keeps all or nothing.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  emptyTenantFile,
  type StoredUser,
  type TenantData,
  type TenantDocument,
  type TenantFile,
  type TenantState,
} from './model';
import { type UserChanges, UserTable } from './user-table';

export const DATA_FILE = 'tenant.json';
export const LOG_FILE = 'tenant.log';
/** The log is folded into the snapshot once it is this much larger than the snapshot (amortized O(1)). */
const COMPACT_RATIO = 2;
const COMPACT_MIN_BYTES = 1024 * 1024;

export class StoreError extends Error {}

interface LogEntry {
  users?: Record<string, StoredUser | null>;
  document?: TenantDocument;
}

export class TenantStore {
  readonly file: string;
  readonly logFile: string;
  #document: TenantDocument;
  readonly #users: UserTable;
  #log: number | undefined;
  #logBytes = 0;
  #snapshotBytes = 0;

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
    store.compact();
    return store;
  }

  /** The state in `dir` (snapshot plus log) without writing anything: for looking at a tenant's files. */
  static read(dir: string): TenantStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, DATA_FILE);
    const store = new TenantStore(dir, existsSync(file) ? readSnapshot(file) : emptyTenantFile());
    if (existsSync(store.logFile)) store.replay(readFileSync(store.logFile, 'utf8'));
    return store;
  }

  /** The current state, read-only: change it with `transaction`. */
  get state(): TenantState {
    return { ...this.#document, users: this.#users };
  }

  /** Closes the log (the tenant stops); the files stay as they are. */
  close(): void {
    if (this.#log !== undefined) closeSync(this.#log);
    this.#log = undefined;
  }

  /** Runs `change`; keeps and logs its effects only when it returns without throwing. */
  transaction<T>(change: (data: TenantData) => T): T {
    const before = JSON.stringify(this.#document);
    const document = JSON.parse(before) as TenantDocument;
    const users = this.#users.begin();
    let result: T;
    let changed: UserChanges;
    try {
      result = change(Object.assign(document, { users }));
      changed = this.#users.commit();
    } catch (error) {
      this.#users.rollback();
      throw error;
    }
    delete (document as Partial<TenantData>).users;
    const after = JSON.stringify(document);
    this.#document = document;
    this.append(changed, after === before ? undefined : document);
    return result;
  }

  private append(users: UserChanges, document: TenantDocument | undefined): void {
    if (users.size === 0 && !document) return;
    const entry: LogEntry = {};
    if (users.size > 0) entry.users = Object.fromEntries(users);
    if (document) entry.document = document;
    const line = `${JSON.stringify(entry)}\n`;
    this.#log ??= openSync(this.logFile, 'a', 0o600);
    writeSync(this.#log, line);
    this.#logBytes += Buffer.byteLength(line);
    if (this.#logBytes > Math.max(COMPACT_MIN_BYTES, COMPACT_RATIO * this.#snapshotBytes)) this.compact();
  }

  private replay(text: string): void {
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
            `${this.logFile}: line ${index + 1} is not valid JSON; move the file away to start from ${DATA_FILE}`,
          );
        }
        if (entry.document) {
          const { users: _none, ...document } = upgrade({ ...entry.document, users: [] });
          this.#document = document;
        }
        if (entry.users) this.#users.apply(Object.entries(entry.users));
      });
    this.#logBytes = Buffer.byteLength(text);
  }

  /** Writes a new snapshot atomically, then starts an empty log. */
  private compact(): void {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const snapshot: TenantFile = { ...this.#document, users: [...this.#users.all()] };
    const text = `${JSON.stringify(snapshot, null, 2)}\n`;
    try {
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (error) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      throw error;
    }
    this.close();
    if (existsSync(this.logFile)) unlinkSync(this.logFile);
    this.#logBytes = 0;
    this.#snapshotBytes = statSync(this.file).size;
  }
}

function readSnapshot(file: string): TenantFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StoreError(
      `${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as TenantFile).schemaVersion !== 1) {
    throw new StoreError(`${file} is not a local tenant data file (schemaVersion 1)`);
  }
  return upgrade(parsed as TenantFile);
}

/** Fills sections added after the file was written, keeps everything already there. */
function upgrade(data: TenantFile): TenantFile {
  const fresh = emptyTenantFile();
  data.settings ??= fresh.settings;
  data.guardian = {
    ...fresh.guardian,
    ...data.guardian,
    factors: { ...fresh.guardian.factors, ...data.guardian?.factors },
  };
  data.actions ??= [];
  for (const action of data.actions) action.build ??= { ready_at: action.updated_at };
  data.bindings ??= {};
  data.users ??= [];
  if (!data.connections?.length) data.connections = fresh.connections;
  data.auth = { ...fresh.auth, ...data.auth };
  return data;
}
