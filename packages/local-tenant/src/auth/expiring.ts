// Short-lived things kept in memory only (as Auth0 keeps them server-side): MFA tokens, authorization
// codes, login transactions. Each entry has a lifetime; a single-use entry is taken, not read.
import { randomBytes } from 'node:crypto';

export class Expiring<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly lifetimeMs: number) {}

  /** Stores `value` under a new random handle and returns the handle. */
  put(value: T): string {
    this.sweep();
    const handle = randomBytes(24).toString('base64url');
    this.entries.set(handle, { value, expiresAt: Date.now() + this.lifetimeMs });
    return handle;
  }

  get(handle: string): T | undefined {
    const entry = this.entries.get(handle);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(handle);
      return undefined;
    }
    return entry.value;
  }

  /** Reads and removes: for single-use handles (authorization codes). */
  take(handle: string): T | undefined {
    const value = this.get(handle);
    this.entries.delete(handle);
    return value;
  }

  delete(handle: string): void {
    this.entries.delete(handle);
  }

  private sweep(): void {
    if (this.entries.size < 1000) return;
    const now = Date.now();
    for (const [handle, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(handle);
  }
}
