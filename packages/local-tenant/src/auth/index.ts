// The Authentication API of a tenant, assembled: signing key, token signer, Action workers, the
// login service, the browser pages, the login application and their routes.
import { ActionWorkers, type ActionWorkersOptions } from '../actions-runtime/workers';
import { type HandlerResult, json, type RequestContext, type Route } from '../server/request';
import type { TenantStore } from '../tenant/store';
import { BrowserLogins } from './browser';
import { loadOrCreateSigningKey } from './keys';
import { ensureLoginApp, LoginAppPages } from './login-app';
import type { StoredClient } from './model';
import { authRoutes } from './routes';
import { AuthService, type Outbox } from './service';
import { StoreTenantPort } from './tenant-adapter';
import { TokenSigner } from './tokens';

export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  sent_at: string;
}

/** The mail the tenant "sent" (email OTP codes): kept in memory, newest last, at most 100. */
export class MemoryOutbox implements Outbox {
  readonly messages: OutboxMessage[] = [];
  send(to: string, subject: string, text: string): void {
    this.messages.push({ to, subject, text, sent_at: new Date().toISOString() });
    if (this.messages.length > 100) this.messages.shift();
  }
}

export interface Authentication {
  routes: Route[];
  /** `GET /local/outbox[?to=EMAIL]`: the email codes the tenant "sent". */
  adminRoutes: Route[];
  signer: TokenSigner;
  loginApp: StoredClient;
  loginAppCallback: () => string;
  outbox: MemoryOutbox;
  workers: ActionWorkers;
  close(): void;
}

export interface AuthenticationOptions {
  store: TenantStore;
  dir: string;
  /** `localhost:PORT`, known once the server listens. */
  domain: () => string;
  clientCredentials: (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
  workers?: ActionWorkersOptions;
  actionTimeLimitMs?: number;
}

export async function createAuthentication(options: AuthenticationOptions): Promise<Authentication> {
  const key = await loadOrCreateSigningKey(options.dir);
  const baseUrl = () => `https://${options.domain()}`;
  const signer = new TokenSigner(key, () => `${baseUrl()}/`);
  const port = new StoreTenantPort(options.store, options.domain);
  const loginApp = port.changeAuth(ensureLoginApp);
  const workers = new ActionWorkers(options.workers);
  const outbox = new MemoryOutbox();
  const service = new AuthService({
    port,
    signer,
    workers,
    outbox,
    actionTimeLimitMs: options.actionTimeLimitMs,
  });
  const pages = new LoginAppPages(service, baseUrl);
  return {
    routes: authRoutes({
      service,
      browser: new BrowserLogins(service),
      loginApp: pages,
      signer,
      clientCredentials: options.clientCredentials,
    }),
    adminRoutes: [
      {
        method: 'GET',
        pattern: '/local/outbox',
        handler: (ctx) => {
          const to = ctx.query.get('to');
          return json(
            200,
            outbox.messages.filter((m) => !to || m.to === to.toLowerCase()),
          );
        },
      },
    ],
    signer,
    loginApp,
    loginAppCallback: () => pages.callbackUrl(),
    outbox,
    workers,
    close: () => workers.close(),
  };
}
