// Reads config/<environment>.json files into typed configuration, or fails naming file and field.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { type EnvironmentConfig, environmentSchema } from './schema';
import { ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE, stackName } from './vocabulary';

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

function describeIssue(file: string, issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'invalid_union') {
    // "any" or a list: when the value is a list, what is wrong is inside it, not that it is not "any".
    const nested = issue.errors.filter((branch) => branch.some((sub) => sub.path.length > 0));
    if (nested.length === 1) {
      return nested[0].flatMap((sub) => describeIssue(file, { ...sub, path: [...issue.path, ...sub.path] }));
    }
  }
  const where = formatPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return [
      `${file}: ${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    ];
  }
  return [`${file}: ${where}: ${issue.message}`];
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
  if (!result.success)
    return { problems: result.error.issues.flatMap((issue) => describeIssue(file, issue)) };
  return { config: result.data, problems: [] };
}

/**
 * The environments asked for in a comma-separated list (the ENVIRONMENTS variable); undefined when it names none,
 * which means all of them. `source` names the list in messages.
 */
export function parseEnvironmentList(
  value: string | undefined,
  source = 'ENVIRONMENTS',
): string[] | undefined {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) {
    throw new ConfigError([...new Set(twice)].map((name) => `${source}: "${name}" is listed twice`));
  }
  return names.length > 0 ? names : undefined;
}

function listJsonFiles(configDir: string): string[] {
  try {
    return readdirSync(configDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([
      code === 'ENOTDIR'
        ? `${configDir}: is a file, not the configuration folder`
        : `${configDir}: configuration folder not found`,
    ]);
  }
}

/** The file's text, or why it cannot be an environment file. */
function readEnvironmentFile(path: string, shown: string): { text: string } | { problem: string } {
  try {
    if (!statSync(path).isFile()) return { problem: `${shown}: is a directory, not an environment file` };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { problem: `${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

/**
 * Loads every config/*.json (or only `only`), all or nothing: one bad file stops the synth
 * before any stack is created, so there is never partial output.
 */
export function loadEnvironments(configDir: string, only?: string[]): Environment[] {
  const files = listJsonFiles(configDir);
  const problems: string[] = [];
  const environments: Environment[] = [];
  const names = only ?? files.map((f) => basename(f, '.json'));
  names.forEach((name, i) => {
    const path = join(configDir, `${name}.json`);
    const fromCwd = relative(process.cwd(), path);
    const shown = fromCwd.startsWith('..') ? path : fromCwd;
    if (names.indexOf(name) !== i) {
      problems.push(`${shown}: environment "${name}" is asked for twice`);
      return;
    }
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(`${shown}: environment name "${name}" ${ENVIRONMENT_NAME_RULE}`);
      return;
    }
    if (!files.includes(`${name}.json`)) {
      problems.push(`${shown}: no such environment file`);
      return;
    }
    const file = readEnvironmentFile(path, shown);
    if ('problem' in file) {
      problems.push(file.problem);
      return;
    }
    const parsed = parseEnvironment(shown, file.text);
    problems.push(...parsed.problems);
    if (parsed.config)
      environments.push({ name, stackName: stackName(name), file: shown, config: parsed.config });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  if (environments.length === 0) throw new ConfigError([`${configDir}: no environment files (*.json)`]);
  return environments;
}
