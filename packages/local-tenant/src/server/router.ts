// Route matching: whole paths, `{name}` segments decoded, the most literal pattern wins.
import type { Route } from './request';

interface CompiledRoute extends Route {
  segments: string[];
}

export type Match = { route: Route; params: Record<string, string> };

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((r) => ({ ...r, segments: r.pattern.split('/').slice(1) }));
  }

  match(method: string, path: string): Match | undefined {
    const parts = path.split('/').slice(1);
    let best: { match: Match; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = route.segments[i];
        if (seg.startsWith('{') && seg.endsWith('}')) {
          const value = decodeSegment(parts[i]);
          if (value === undefined) ok = false;
          else params[seg.slice(1, -1)] = value;
        } else if (seg === parts[i]) literals++;
        else ok = false;
      }
      if (ok && (!best || literals > best.literals)) best = { match: { route, params }, literals };
    }
    return best?.match;
  }
}

function decodeSegment(part: string): string | undefined {
  if (part === '') return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
