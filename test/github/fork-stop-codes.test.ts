import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkStopped, STOP_REASONS, UNNAMED_STOPS } from '../../actions/report/fork.ts';

/*
 * D40: the comment on a fork's stopped run names why from a fixed list of error codes (STOP_REASONS), and a code
 * added elsewhere was silently not named. The codes are derived from the source: every code a VitrineError is made
 * with in the modules a fork's run reaches (`vitrine run report`: the stages it runs, their imports, static or
 * dynamic), the system codes a failure note carries (pipeline/errors.ts) and BUG. Each must be named or
 * deliberately left to the run's log (UNNAMED_STOPS).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What `vitrine run report` runs in a fork's pull request (pull-request.yml), and its lock. */
const ENTRIES = ['dataset', 'train', 'evaluate', 'report', 'graph'].map((s) => `pipeline/stages/${s}.ts`);
ENTRIES.push('pipeline/cli/run-lock.ts');

// Imports that bring code (import or export from, a dynamic import), not those of types only.
const IMPORTS = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
const MADE = /VitrineError\(\s*'([A-Z][A-Z0-9_]+)'/g;

async function reachedCodes(): Promise<Map<string, string>> {
  const seen = new Set<string>();
  const codes = new Map<string, string>();
  const stack = [...ENTRIES];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(IMPORTS)) {
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] ?? m[2]!));
      if (next.startsWith('pipeline/') && next.endsWith('.ts')) stack.push(next);
    }
    for (const m of text.matchAll(MADE)) if (!codes.has(m[1]!)) codes.set(m[1]!, file);
  }
  expect(seen.size).toBeGreaterThan(50);
  return codes;
}

/** The system codes a failure note carries for a runner's disk or files (SYSTEM_CODES in pipeline/errors.ts). */
async function systemCodes(): Promise<string[]> {
  const text = await readFile(path.join(ROOT, 'pipeline/errors.ts'), 'utf8');
  const list = /const SYSTEM_CODES = new Set\(\[([^\]]*)\]\)/.exec(text)![1]!;
  return [...list.matchAll(/'([A-Z]+)'/g)].map((m) => m[1]!);
}

describe('why a fork run stopped, by its error code', () => {
  it('names every code a fork run can stop on, or leaves it to the log on purpose', async () => {
    const codes = await reachedCodes();
    for (const code of [...(await systemCodes()), 'BUG']) codes.set(code, 'the failure note');
    expect(codes.size).toBeGreaterThan(100);
    const neither = [...codes].filter(
      ([code]) => !Object.hasOwn(STOP_REASONS ?? {}, code) && !UNNAMED_STOPS?.has(code),
    );
    expect(neither.map(([code, file]) => `${code} (${file})`)).toEqual([]);
  });

  it('lists no code as both named and left to the log', () => {
    expect(Object.keys(STOP_REASONS).filter((code) => UNNAMED_STOPS.has(code))).toEqual([]);
  });

  it('says a full disk of the runner by its system code', () => {
    const comment = forkStopped({ failureJson: JSON.stringify({ code: 'ENOSPC', message: 'x' }), runUrl: null });
    expect(comment).toContain('It stopped because of a full disk on the runner.');
  });
});
