// Held responses: a test asks that the answers of some routes wait. The call itself is carried out
// (the tenant changed), only its answer is held, which is what a client sees when it is killed or
// loses its connection at the worst moment: the object exists, the client never learned its id.

/** A route as `TenantStats.byRoute` names it, e.g. `POST /api/v2/users`. */
export type RouteKey = string;

export interface Hold {
  /** Answers held so far (released ones included). */
  readonly held: number;
  /** Resolves once `count` answers are held. */
  reached(count: number): Promise<void>;
  /** Sends every held answer and lets later ones through. */
  release(): void;
}

interface Waiter {
  count: number;
  resolve(): void;
}

class ActiveHold implements Hold {
  held = 0;
  released = false;
  private readonly waiting: Array<() => void> = [];
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly routes: ReadonlySet<RouteKey>,
    /** Told when the hold is released, so its owner stops consulting it. */
    private readonly onRelease: (hold: ActiveHold) => void,
  ) {}

  /** Resolves when the answer may be sent. */
  enter(): Promise<void> {
    this.held += 1;
    for (const waiter of this.waiters.filter((w) => w.count <= this.held)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  reached(count: number): Promise<void> {
    if (this.held >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  release(): void {
    this.released = true;
    this.onRelease(this);
    for (const send of this.waiting.splice(0)) send();
  }
}

/**
 * LOCAL_TENANT_HOLD="POST /api/v2/users,POST /api/v2/actions/actions": holds from the start, for a tenant
 * that another process starts (npm start) and a test observes through GET /local/holds.
 */
export function holdRoutesFromEnv(value = process.env.LOCAL_TENANT_HOLD): RouteKey[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry) => {
    const route = entry.trim();
    if (!/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/.test(route)) {
      throw new Error(
        `LOCAL_TENANT_HOLD: "${route}" is not a route as METHOD /pattern (e.g. "POST /api/v2/users")`,
      );
    }
    return route;
  });
}

export class ResponseHolds {
  private readonly holds = new Set<ActiveHold>();

  hold(routes: RouteKey[]): Hold {
    const hold = new ActiveHold(new Set(routes), (released) => this.holds.delete(released));
    this.holds.add(hold);
    return hold;
  }

  /** Called with a handled request's route before its answer is sent. */
  async beforeAnswer(route: RouteKey): Promise<void> {
    for (const hold of this.holds) {
      if (!hold.released && hold.routes.has(route)) await hold.enter();
    }
  }

  /** The holds in force: their routes and how many answers each holds (GET /local/holds). */
  list(): Array<{ routes: RouteKey[]; held: number }> {
    return [...this.holds].map((hold) => ({ routes: [...hold.routes], held: hold.held }));
  }

  releaseAll(): void {
    for (const hold of [...this.holds]) hold.release();
  }
}
