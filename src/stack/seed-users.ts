// Optional users created by the stack with their use_mfa flag, e.g. for a staging tenant.
// Passwords are sensitive Terraform variables (TF_VAR_<name> at plan/apply), never configuration.
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { User } from '../../.gen/providers/auth0/user';
import type { EnvironmentConfig, SeedUser } from '../config/schema';
import { literal } from './terraform-literal';

export interface SeedUsersProps {
  users: SeedUser[];
  flagSource: EnvironmentConfig['action']['flagSource'];
}

/** Which metadata the flag is written to: "either" writes app_metadata, the one users cannot edit. */
export function flagMetadataAttribute(
  flagSource: SeedUsersProps['flagSource'],
): 'userMetadata' | 'appMetadata' {
  return flagSource === 'user_metadata' ? 'userMetadata' : 'appMetadata';
}

export function seedUserConstructId(user: SeedUser): string {
  const slug = `${user.connection}-${user.email}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `user-${slug}`;
}

export class SeedUsers extends Construct {
  readonly users: User[];

  constructor(scope: Construct, id: string, { users, flagSource }: SeedUsersProps) {
    super(scope, id);
    const passwords = new Map<string, TerraformVariable>();
    const password = (name: string) => {
      let variable = passwords.get(name);
      if (!variable) {
        variable = new TerraformVariable(this, name, {
          type: 'string',
          sensitive: true,
          nullable: false,
          description: `Initial password of the seed users that name it (set TF_VAR_${name})`,
        });
        // The variable's name in Terraform must be exactly what TF_VAR_ refers to.
        variable.overrideLogicalId(name);
        passwords.set(name, variable);
      }
      return variable.stringValue;
    };
    const attribute = flagMetadataAttribute(flagSource);
    this.users = users.map(
      (user) =>
        new User(this, seedUserConstructId(user), {
          connectionName: literal(user.connection),
          email: literal(user.email),
          name: user.name === undefined ? undefined : literal(user.name),
          password: password(user.passwordVariable),
          [attribute]: literal(JSON.stringify({ use_mfa: user.useMfa })),
        }),
    );
  }
}
