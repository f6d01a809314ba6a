// The schema of one environment's configuration file (config/<environment>.json).
// Strict everywhere: an unknown key is a typo until proven otherwise, and a typo in a security
// setting must fail the synth, not be ignored.
import { z } from 'zod';
import { mfaSchema } from './mfa-schema';
import { ACTION_RUNTIMES, BINDING_MODES, FLAG_SOURCES } from './vocabulary';

/** Seed users are test accounts: past this, Terraform's time grows to minutes (README, "Tests and benchmarks"). */
export const MAX_SEED_USERS = 1000;

const DOMAIN =
  /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
// Terraform variable names; the value arrives as TF_VAR_<name> from the environment.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ACTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const keptBinding = z.strictObject({
  id: z.string().regex(ACTION_ID, 'must be an Action id (a UUID, as shown in the Dashboard or the API)'),
  displayName: z.string().min(1),
});

const seedUser = z.strictObject({
  email: z.email({ error: 'must be a valid email address' }),
  name: z.string().min(1).optional(),
  connection: z.string().min(1).default('Username-Password-Authentication'),
  useMfa: z.boolean({ error: 'must be true or false (a JSON boolean, not a string)' }),
  passwordVariable: z
    .string()
    .regex(VARIABLE_NAME, 'must be a Terraform variable name (letters, digits, underscores)')
    .default('seed_user_password'),
});

const backend = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('local'),
      path: z.string().min(1).optional(),
      // CI runners are thrown away with their files: plan, deploy and drift refuse local state there unless set.
      allowLocalInCi: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('s3'),
      bucket: z.string().min(1),
      key: z.string().min(1),
      region: z.string().min(1),
      dynamodbTable: z.string().min(1).optional(),
    }),
    z.strictObject({ type: z.literal('hcp'), organization: z.string().min(1), workspace: z.string().min(1) }),
    z.strictObject({ type: z.literal('gcs'), bucket: z.string().min(1), prefix: z.string().min(1) }),
    // The connection string holds a password: it comes from PG_CONN_STR, never from this file.
    z.strictObject({ type: z.literal('pg'), schemaName: z.string().min(1) }),
  ],
  { error: 'type must be one of local, s3, hcp, gcs, pg' },
);

export const environmentSchema = z
  .strictObject({
    domain: z
      .string({ error: 'is required: the tenant domain, e.g. my-tenant.eu.auth0.com' })
      .regex(DOMAIN, 'must be a host name such as my-tenant.eu.auth0.com (optionally :port)')
      .superRefine((domain, ctx) => {
        const port = domain.match(/:(\d+)$/)?.[1];
        if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) {
          ctx.addIssue({ code: 'custom', message: `port ${port} is out of range: a port is 1 to 65535` });
        }
      }),
    mfa: mfaSchema.prefault({}),
    action: z
      .strictObject({
        name: z.string().min(1).max(100).default('conditional-mfa'),
        runtime: z.enum(ACTION_RUNTIMES).default('node22'),
        flagSource: z.enum(FLAG_SOURCES).default('user_metadata'),
        /** An Action of this name already in the tenant: with adopt, imported and updated rather than created. */
        id: z
          .string()
          .regex(ACTION_ID, 'must be an Action id (a UUID, as shown in the Dashboard or the API)')
          .optional(),
      })
      .prefault({}),
    binding: z
      .strictObject({
        mode: z.enum(BINDING_MODES).default('trigger-actions'),
        before: z.array(keptBinding).default([]),
        after: z.array(keptBinding).default([]),
      })
      .prefault({}),
    users: z
      .array(seedUser)
      .max(MAX_SEED_USERS, {
        error: `more than ${MAX_SEED_USERS} seed users: seed users are test accounts; flag real users with \`npm run mfa -- import\``,
      })
      .default([]),
    backend: backend.default({ type: 'local' }),
    /** Import the tenant's existing guardian settings and post-login bindings on the first plan. */
    adopt: z.boolean().default(false),
  })
  .superRefine((env, ctx) => {
    const seen = new Map<string, number>();
    env.users.forEach((user, i) => {
      const key = `${user.connection}\u0000${user.email.toLowerCase()}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'email'],
          message: `duplicates users[${first}] (${user.email} in ${user.connection})`,
        });
    });
    if (env.binding.mode === 'trigger-action' && env.binding.before.length + env.binding.after.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['binding'],
        message:
          'before/after lists only apply to mode "trigger-actions" (trigger-action leaves other bindings alone)',
      });
    }
    if (env.action.id !== undefined && !env.adopt) {
      ctx.addIssue({
        code: 'custom',
        path: ['action', 'id'],
        message: 'applies only with "adopt": true (the existing Action is imported on the first plan)',
      });
    }
    const ids = [...env.binding.before, ...env.binding.after].map((b) => b.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({ code: 'custom', path: ['binding'], message: `action ${id} is listed twice` });
      }
    });
  });

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type SeedUser = EnvironmentConfig['users'][number];
export type BackendConfig = EnvironmentConfig['backend'];
