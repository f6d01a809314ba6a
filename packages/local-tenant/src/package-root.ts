// This package's folder, by Node's resolution of its own name: right whether the sources run through
// tsx or bundled into a command of the project (where __dirname is the bundle's folder).
import { dirname } from 'node:path';

export const PACKAGE_ROOT = dirname(require.resolve('@auth0-mfa/local-tenant/package.json'));
