// Optional users created by the stack with their use_mfa flag, e.g. for a staging tenant.
// Passwords are sensitive Terraform variables (TF_VAR_<name> at plan/apply), never configuration.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { User } from '../../.gen/providers/auth0/user';
import type { EnvironmentConfig, SeedUser } from '../config/schema';
import { FLAG, flagWrittenTo } from '../config/vocabulary';
import { sensitiveVariable } from './sensitive-variable';
import { literal } from './terraform-literal';

export interface SeedUsersProps {
  users: SeedUser[];
  flagSource: EnvironmentConfig['action']['flagSource'];
}

/**
 * One construct id per user, in the order given. The id is the slug of connection and email, as it always was, so
 * that users already in a state keep their address. Emails that differ only in punctuation (a.b@, a-b@, a+b@) share
 * a slug: the first one listed keeps it and each later one gets a suffix from its exact connection and email.
 */
export function seedUserConstructIds(users: SeedUser[]): string[] {
  const taken = new Set<string>();
  return users.map((user) => {
    const key = `${user.connection}\u0000${user.email.toLowerCase()}`;
    let id = `user-${`${user.connection}-${user.email}`.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    if (taken.has(id)) id = `${id}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    taken.add(id);
    return id;
  });
}

export class SeedUsers extends Construct {
  readonly users: User[];

  constructor(scope: Construct, id: string, { users, flagSource }: SeedUsersProps) {
    super(scope, id);
    const password = (name: string) =>
      sensitiveVariable(this, name, 'Initial password of the seed users that name it');
    const attribute = flagWrittenTo(flagSource) === 'user_metadata' ? 'userMetadata' : 'appMetadata';
    const ids = seedUserConstructIds(users);
    this.users = users.map(
      (user, i) =>
        new User(this, ids[i], {
          connectionName: literal(user.connection),
          email: literal(user.email),
          name: user.name === undefined ? undefined : literal(user.name),
          password: password(user.passwordVariable),
          [attribute]: literal(JSON.stringify({ [FLAG]: user.useMfa })),
        }),
    );
  }
}
