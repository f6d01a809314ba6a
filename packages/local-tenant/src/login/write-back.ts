// What a login writes to its stored user, in one transaction (one line of the tenant's log): the
// Actions' metadata changes (saved after the last Action, as Auth0 does) and, once the login has
// completed, its statistics (last_login, last_ip, logins_count).
import type { JsonMap } from '../tenant/model';
import type { TenantStore } from '../tenant/store';
import { mergeMetadata } from '../tenant/users';

export interface LoginWrite {
  /** The flow's metadata changes (`null` deletes a key); left out when they were saved already. */
  metadata?: { userMetadataUpdates: JsonMap; appMetadataUpdates: JsonMap };
  /** A completed login, from this address. */
  completed?: { ip: string };
}

/** Writes a login's changes to the user; no transaction when there is nothing to write. */
export function writeBackLogin(store: TenantStore, userId: string, write: LoginWrite): void {
  const userUpdates = write.metadata?.userMetadataUpdates ?? {};
  const appUpdates = write.metadata?.appMetadataUpdates ?? {};
  const hasUser = Object.keys(userUpdates).length > 0;
  const hasApp = Object.keys(appUpdates).length > 0;
  if (!hasUser && !hasApp && !write.completed) return;
  store.transaction((d) => {
    const user = d.users.get(userId);
    if (!user) return;
    const now = new Date().toISOString();
    if (hasUser) user.user_metadata = mergeMetadata(user.user_metadata, userUpdates);
    if (hasApp) user.app_metadata = mergeMetadata(user.app_metadata, appUpdates);
    if (write.completed) {
      user.last_login = now;
      user.last_ip = write.completed.ip;
      user.logins_count = (user.logins_count ?? 0) + 1;
    }
    user.updated_at = now;
  });
}
