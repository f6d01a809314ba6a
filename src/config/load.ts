// Reads config/<environment>.json files into typed configuration, or fails naming file and field.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { ENVIRONMENT_NAME, type EnvironmentConfig, environmentSchema } from './schema';

export interface Environment {
  name: string;
  stackName: string;
  file: string;
  config: EnvironmentConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `${file}: ${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return `${file}: ${where}: ${issue.message}`;
}

/** Parses one environment's file content; `file` is only used in messages. */
export function parseEnvironment(
  file: string,
  text: string,
): { config?: EnvironmentConfig; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problems: [`${file}: not valid JSON: ${(error as Error).message}`] };
  }
  const result = environmentSchema.safeParse(raw);
  if (!result.success) return { problems: result.error.issues.map((issue) => describeIssue(file, issue)) };
  return { config: result.data, problems: [] };
}

/**
 * Loads every config/*.json (or only `only`), all or nothing: one bad file stops the synth
 * before any stack is created, so there is never partial output.
 */
export function loadEnvironments(configDir: string, only?: string[]): Environment[] {
  let files: string[];
  try {
    files = readdirSync(configDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    throw new ConfigError([`${configDir}: configuration folder not found`]);
  }
  const problems: string[] = [];
  const environments: Environment[] = [];
  for (const name of only ?? files.map((f) => basename(f, '.json'))) {
    const path = join(configDir, `${name}.json`);
    const fromCwd = relative(process.cwd(), path);
    const shown = fromCwd.startsWith('..') ? path : fromCwd;
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(
        `${shown}: environment name "${name}" must be lower-case letters, digits and dashes, starting with a letter`,
      );
      continue;
    }
    if (!files.includes(`${name}.json`)) {
      problems.push(`${shown}: no such environment file`);
      continue;
    }
    const parsed = parseEnvironment(shown, readFileSync(path, 'utf8'));
    problems.push(...parsed.problems);
    if (parsed.config)
      environments.push({ name, stackName: `auth0-${name}`, file: shown, config: parsed.config });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (environments.length === 0) throw new ConfigError([`${configDir}: no environment files (*.json)`]);
  return environments;
}
