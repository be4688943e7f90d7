import path from 'node:path';
import { VitrineError } from '../../pipeline/errors.ts';

/*
 * Action inputs are strings in INPUT_* variables. These readers turn them into typed values once,
 * at the start; a bad value fails the step with the input's name, the value and the expected form.
 */

/** Reads one input by its action.yml name ("" when not given). */
export type GetInput = (name: string) => string;

/** Inputs as GitHub passes them: `INPUT_<NAME>` with spaces as underscores, upper case (dashes kept). */
export function inputsFromEnv(env: Record<string, string | undefined>): GetInput {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** The error for an input with a bad value. */
export function invalid(name: string, value: string, expected: string): VitrineError {
  return new VitrineError('ACTION_INPUT_INVALID', `The input "${name}" is "${value}", expected ${expected}.`, {
    input: name,
    value,
    expected,
  });
}

/** A text input; `required` fails when it is empty. */
export function stringInput({
  get,
  name,
  required = false,
  fallback = '',
}: {
  get: GetInput;
  name: string;
  required?: boolean;
  fallback?: string;
}): string {
  const value = get(name);
  if (!value && required)
    throw new VitrineError('ACTION_INPUT_MISSING', `The input "${name}" is required but was not given.`, {
      input: name,
    });
  return value || fallback;
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** A boolean in YAML 1.2 core schema spellings, like @actions/core's getBooleanInput. */
export function booleanInput({ get, name, fallback }: { get: GetInput; name: string; fallback: boolean }): boolean {
  const value = get(name);
  if (!value) return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw invalid(name, value, `one of ${[...TRUE, ...FALSE].join(', ')}`);
}

/** A whole number of at least `min`; empty gives `fallback` (which may be null). */
export function integerInput<F extends number | null>({
  get,
  name,
  fallback,
  min = 0,
}: {
  get: GetInput;
  name: string;
  fallback: F;
  min?: number;
}): number | F {
  const value = get(name);
  if (!value) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw invalid(name, value, `a whole number of at least ${min}`);
  return Number(value);
}

/** One of a fixed set of words. */
export function choiceInput<T extends string>({
  get,
  name,
  choices,
  fallback,
}: {
  get: GetInput;
  name: string;
  choices: readonly T[];
  fallback: T;
}): T {
  const value = get(name);
  if (!value) return fallback;
  if (!choices.includes(value as T)) throw invalid(name, value, `one of ${choices.join(', ')}`);
  return value as T;
}

/** A list: a JSON array of strings, or items separated by commas or new lines. */
export function listInput({ get, name, fallback }: { get: GetInput; name: string; fallback: string[] }): string[] {
  const value = get(name);
  if (!value) return fallback;
  if (value.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid(name, value, 'a JSON array of strings like ["self-hosted", "gpu"], or words separated by commas');
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === 'string' && x.trim()))
      throw invalid(name, value, 'a non-empty JSON array of strings');
    return parsed.map((x: string) => x.trim());
  }
  const items = value
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
  if (items.length === 0) throw invalid(name, value, 'at least one item');
  return items;
}

/** A path inside the workspace (relative paths are resolved against it); returns the absolute path. */
export function pathInput({
  get,
  name,
  workspace,
  fallback,
}: {
  get: GetInput;
  name: string;
  workspace: string;
  fallback: string;
}): string {
  const value = get(name) || fallback;
  const resolved = path.resolve(workspace, value);
  const inside = path.relative(workspace, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside))
    throw invalid(name, value, `a path inside the workspace (${workspace})`);
  return resolved;
}

/** `owner/repo`. */
export function repositoryInput({ get, name, fallback }: { get: GetInput; name: string; fallback: string }): {
  owner: string;
  repo: string;
} {
  const value = get(name) || fallback;
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!match) throw invalid(name, value, 'the form owner/repo');
  return { owner: match[1]!, repo: match[2]! };
}
