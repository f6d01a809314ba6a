// The tenant's whole state in one JSON file (`tenant.json`), rewritten atomically (temp file + rename)
// after every change, so a restarted tenant still matches the Terraform state written against it.
// Readers get a read-only view; every change goes through `transaction`, which keeps all or nothing.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyTenantData, type Immutable, type TenantData } from './model';

export const DATA_FILE = 'tenant.json';

export class StoreError extends Error {}

export class TenantStore {
  readonly file: string;
  #data: TenantData;

  private constructor(
    readonly dir: string,
    data: TenantData,
  ) {
    this.file = join(dir, DATA_FILE);
    this.#data = data;
  }

  /** Loads `<dir>/tenant.json`, or creates an empty tenant there. A corrupt file is an error, never overwritten. */
  static open(dir: string): TenantStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, DATA_FILE);
    if (!existsSync(file)) {
      const store = new TenantStore(dir, emptyTenantData());
      store.save();
      return store;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new StoreError(
        `${file} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as TenantData).schemaVersion !== 1) {
      throw new StoreError(`${file} is not a local tenant data file (schemaVersion 1)`);
    }
    return new TenantStore(dir, upgrade(parsed as TenantData));
  }

  /** The current state, read-only: change it with `transaction`. */
  get state(): Immutable<TenantData> {
    return this.#data;
  }

  /** Runs `change`; keeps and saves its effects only when it returns without throwing. */
  transaction<T>(change: (data: TenantData) => T): T {
    const snapshot = structuredClone(this.#data);
    try {
      const result = change(this.#data);
      this.save();
      return result;
    } catch (error) {
      this.#data = snapshot;
      throw error;
    }
  }

  /** Writes the data file atomically: a reader never sees a half-written file. */
  private save(): void {
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(this.#data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch (error) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      throw error;
    }
  }
}

/** Fills sections added after the file was written, keeps everything already there. */
function upgrade(data: TenantData): TenantData {
  const fresh = emptyTenantData();
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
