// `reset`: forget a user's second factors, so that their next challenged login enrolls again (a lost phone,
// a departed device). Auth0's documented calls: DELETE /api/v2/users/{id}/authentication-methods removes
// every enrolled factor, POST /api/v2/users/{id}/multifactor/actions/invalidate-remember-browser makes
// remembered browsers ask again.
import { forEachUser } from './commands';
import type { Session } from './session';
import { describeUser, resolveUser } from './users';

/** The password of a database user is listed among the methods, but it is no second factor. */
const NOT_A_FACTOR = new Set(['password']);

export function resetMfa(session: Session, identifiers: string[], options: { dryRun: boolean }) {
  const { io, directory } = session;
  return forEachUser(session, identifiers, async (identifier) => {
    const user = await resolveUser(directory, identifier);
    const factors = (await directory.authenticationMethods(user.user_id)).filter(
      (method) => !NOT_A_FACTOR.has(method.type),
    );
    const listed = factors.length > 0 ? ` (${factors.map((method) => method.type).join(', ')})` : '';
    if (options.dryRun) {
      io.out(`would reset ${describeUser(user)}: ${factors.length} enrolled factor(s)${listed}`);
      return;
    }
    await directory.deleteAuthenticationMethods(user.user_id);
    await directory.invalidateRememberBrowser(user.user_id);
    io.out(
      `reset ${describeUser(user)}: removed ${factors.length} enrolled factor(s)${listed} and remembered ` +
        'browsers; a login that asks for MFA enrolls again',
    );
  });
}
