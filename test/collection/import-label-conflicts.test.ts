import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * A tester's staff corrected labels in labels.csv (in git); each re-import then printed one warning per corrected
 * object, "labels.csv keeps 'X'; the export says 'Y'": 107 lines, every time. The first few are named, then one
 * line says how many more, a few of their ids, and where to see each (--verbose, or --json's labels.conflicts).
 */

const CONFLICT = /^object ".*": labels\.csv keeps ".*"; the export says ".*"\./;

let root: string;
let museum: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-conflicts-'));
  const { dir } = await copyEgyptExport({ dir: path.join(root, 'export'), pick: 4 });
  museum = path.join(root, 'museum');
  await mkdir(museum);
  const made = await vitrine(['init', '--from', path.join(dir, 'metadata.csv')]);
  expect(made.code, made.messages).toBe(0);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function vitrine(args: string[]) {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd: museum, env: {}, stdout: (t) => (stdout += t), log, interactive: false });
  return { code, stdout, lines: log.lines, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** Staff correct the first `n` labels of labels.csv: each to the next label of the vocabulary. */
async function correctLabels(n: number): Promise<void> {
  const file = path.join(museum, 'labels.csv');
  const [header, ...rows] = parse(await readFile(file, 'utf8')) as string[][];
  const labels = [...new Set(rows.map((r) => r[1]!))].sort();
  for (const row of rows.slice(0, n)) row[1] = labels[(labels.indexOf(row[1]!) + 1) % labels.length]!;
  await writeFile(file, stringify([header!, ...rows]));
}

describe('re-importing after staff corrected labels in labels.csv', () => {
  it('a few corrections are each named, as before', async () => {
    await correctLabels(3);
    const got = await vitrine(['import']);
    expect(got.code, got.messages).toBe(0);
    const named = got.lines.filter((l) => l.level === 'warn' && CONFLICT.test(l.message));
    expect(named).toHaveLength(3);
    expect(got.messages).not.toMatch(/more objects/);
  });

  it('six: the first 5 named, then "1 more object has", not "1 more objects have" (reviewer)', async () => {
    await correctLabels(6);
    const got = await vitrine(['import']);
    expect(got.code, got.messages).toBe(0);
    expect(got.messages).toContain('1 more object has a label in labels.csv that differs');
    expect(got.messages).not.toMatch(/1 more objects/);
  });

  it('many: the first 5 named, then one line with the count, a few ids, and where to see each', async () => {
    await correctLabels(20);
    const got = await vitrine(['import']);
    expect(got.code, got.messages).toBe(0);
    const warnings = got.lines.filter((l) => l.level === 'warn');
    expect(warnings.filter((l) => CONFLICT.test(l.message))).toHaveLength(5);
    const summary = warnings.filter((l) => /15 more objects/.test(l.message));
    expect(summary, got.messages).toHaveLength(1);
    expect(summary[0]!.message).toMatch(/labels\.csv keeps its own/);
    expect(summary[0]!.message).toMatch(/--verbose/);
    expect(summary[0]!.message).toMatch(/--labels replace/);
    expect(summary[0]!.message).toMatch(/\(.+, .+ and \d+ more\)/);
    // With --verbose each of the 20 is said; with --json the whole list is in labels.conflicts.
    const verbose = await vitrine(['import', '--verbose']);
    expect(verbose.lines.filter((l) => CONFLICT.test(l.message))).toHaveLength(20);
    const json = await vitrine(['import', '--json']);
    expect((JSON.parse(json.stdout) as { labels: { conflicts: unknown[] } }).labels.conflicts).toHaveLength(20);
  });
});
