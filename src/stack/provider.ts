// The auth0 provider and the state backend of one tenant stack.
// Credentials are never passed here: the provider reads AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET or
// AUTH0_API_TOKEN from the environment at plan and apply time, so nothing secret is synthesized.
import { resolve } from 'node:path';
import {
  CloudBackend,
  GcsBackend,
  LocalBackend,
  NamedCloudWorkspace,
  PgBackend,
  S3Backend,
  type TerraformStack,
} from 'cdktf';
import { Auth0Provider } from '../../.gen/providers/auth0/provider';
import type { BackendConfig } from '../config/schema';
import { PROJECT_ROOT } from '../paths';
import { literal } from './terraform-literal';

export function configureProvider(stack: TerraformStack, domain: string): Auth0Provider {
  return new Auth0Provider(stack, 'auth0', { domain: literal(domain) });
}

// Backend settings are not escaped with literal(): Terraform reads them as plain text, never as templates.
export function configureBackend(stack: TerraformStack, stackName: string, backend: BackendConfig): void {
  switch (backend.type) {
    case 'local':
      // Resolved against the project, not cdktf.out/stacks/<stack>, so cleaning cdktf.out keeps the state.
      new LocalBackend(stack, {
        path: resolve(PROJECT_ROOT, backend.path ?? `terraform.${stackName}.tfstate`),
      });
      return;
    case 's3': {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: true,
        dynamodbTable: backend.dynamodbTable,
      });
      // S3-native locking (Terraform >= 1.10) unless a DynamoDB table is named.
      if (!backend.dynamodbTable) s3.addOverride('use_lockfile', true);
      return;
    }
    case 'hcp':
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix });
      return;
    case 'pg': {
      // conn_str holds a password; the pg backend reads it from PG_CONN_STR when it is absent here.
      const pg = new PgBackend(stack, { connStr: '', schemaName: backend.schemaName });
      pg.addOverride('conn_str', undefined);
      return;
    }
  }
}
