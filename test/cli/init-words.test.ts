import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { checkVocabulary, learnableLabels, tooFewWhy } from '../../pipeline/collection/vocabulary.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from './egypt-export.ts';

/* Tester, session 22 #3 #5 #6 #7: the words of vitrine init and import that a museum reads. */

const REPO = path.resolve(import.meta.dirname, '..', '..');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-words-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The first `perLabel` objects of each label of the Egyptian export, in `<root>/<name>/export`. */
const egyptCopy = (name: string, perLabel: number) =>
  copyEgyptExport({ dir: path.join(root, name, 'export'), pick: perLabel });

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('the params.yaml that vitrine init writes', () => {
  it('points to documentation the museum has, and leaves out the demo section', async () => {
    const { dir } = await egyptCopy('params', 2);
    const museum = path.join(root, 'params', 'museum');
    await mkdir(museum, { recursive: true });
    const result = await vitrine(['init', '--from', path.join(dir, 'metadata.csv'), '--name', 'Egypt'], museum);
    expect(result.code, result.messages).toBe(0);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    // A museum's repository has no pipeline/ folder.
    expect(params).not.toContain('See pipeline/params.ts');
    expect(params).toMatch(/every key with its default:\n# .*pipeline\/params\.ts \(in Vitrine's folder\)/);
    expect(params).not.toContain(REPO);
    expect(params).not.toMatch(/^demo:/m);
    expect(params).not.toContain('per_type');
    // And it still runs: the demo keys take their defaults.
    const again = await vitrine(['import'], museum);
    expect(again.code, again.messages).toBe(0);
  });
});

describe('rows refused with --on-invalid fail', () => {
  it('are listed once, in the error, not also as warnings', async () => {
    const { dir } = await egyptCopy('refused', 2);
    const csv = path.join(dir, 'metadata.csv');
    await writeFile(csv, `${await readFile(csv, 'utf8')}EVIL_1,../../../../etc/passwd,Pottery,Bad,,,,,,,,,,\n`);
    const museum = path.join(root, 'refused', 'museum');
    await mkdir(museum, { recursive: true });
    const result = await vitrine(['init', '--from', csv, '--on-invalid', 'fail'], museum);
    expect(result.code).toBe(1);
    expect(result.messages.match(/etc\/passwd/g)).toHaveLength(1);
    expect(result.messages).toMatch(/^error: .*cannot be imported/m);
  });
});

describe('an export separated by semicolons', () => {
  // Tester: Excel's default in much of Europe was refused; an export is read once, so its separator is detected.
  it('is read as Excel wrote it, and objects.csv written comma-separated', async () => {
    const { dir, header, rows } = await egyptCopy('semi', 2);
    const semi = [header, ...rows].map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c}"` : c)).join(';'));
    // A quoted cell a few lines down, as Excel writes a title with a comma or a quote in it.
    semi[3] = semi[3]!.replace(/;([^;]*);/, ';"$1";');
    await writeFile(path.join(dir, 'objects.csv'), `${semi.join('\n')}\n`);
    const museum = path.join(root, 'semi', 'museum');
    await mkdir(museum, { recursive: true });
    const result = await vitrine(['init', '--from', path.join(dir, 'objects.csv'), '--name', 'Egypt'], museum);
    expect(result.code, result.messages).toBe(0);
    const objects = (await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8')).split('\n');
    expect(objects[0]).toMatch(/^id,title,/);
    expect(objects.filter(Boolean)).toHaveLength(rows.length + 1);
    // The quoted cell is one cell: no quote left in it.
    expect(objects.join('\n')).not.toContain('";');
  });

  it("and labels.csv, which staff edit in pull requests, is still refused with ';', with how to save it", async () => {
    const museum = path.join(root, 'semi', 'museum');
    await writeFile(path.join(museum, 'labels.csv'), 'object_id;label\nA;coin\n');
    const result = await vitrine(['run', 'dataset'], museum);
    expect(result.code).not.toBe(0);
    expect(result.messages).toContain('separated by semicolons (;)');
    expect(result.messages).toContain('comma-separated');
  });
});

describe('how many objects a label needs', () => {
  it('is said with the same numbers by init (small collection) and by a later import (larger one)', () => {
    // At init, few objects: fewer than two labels have 25, so 2 is enough to start.
    const small = learnableLabels({
      counts: [
        { label: 'Statuary', count: 10 },
        { label: 'Reliefs', count: 3 },
        { label: 'Odd', count: 1 },
      ],
      minPerLabel: 25,
    });
    const atInit = tooFewWhy(small.min, 25).why;
    // Later, more objects: now Reliefs (17) is below 25.
    const later = checkVocabulary({
      labels: [
        ...Array.from({ length: 40 }, () => ({ label: 'Statuary' })),
        ...Array.from({ length: 30 }, () => ({ label: 'Pottery' })),
        ...Array.from({ length: 17 }, () => ({ label: 'Reliefs' })),
      ],
      vocabulary: ['Statuary', 'Pottery'],
      minPerLabel: 25,
    }).message;
    for (const text of [atInit, later]) {
      expect(text).toContain('at least 25');
      expect(text).toContain('fewer than two labels have 25');
    }
  });
});
