import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { checkGate, TWO_CLASSES_CHECK } from '../../pipeline/evaluate/gate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { vocabularyWords } from '../../pipeline/report/render.ts';
import type { ModelScores } from '../../pipeline/types.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * Outside tester 4 (F6): a label holding a comma (`W-tiff,"print, framed"`) was listed as "céramique (2), print,
 * framed (1) have too few objects…": the comma read as two labels. In lists of labels, such a label is quoted.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('a label holding a comma, in a list of labels', () => {
  it('is quoted where checkVocabulary lists labels outside the vocabulary and labels with too few objects', () => {
    const labels = ['coin', 'coin', 'mask', 'mask', 'céramique', 'print, framed'].map((label) => ({ label }));
    const check = checkVocabulary({ labels, vocabulary: ['coin', 'mask'], minPerLabel: 2 });
    expect(check.message).toContain('céramique (1), "print, framed" (1) have too few objects to learn and test');
    expect(check.message).toContain('not in collection.vocabulary in params.yaml: céramique (1), "print, framed" (1).');
  });

  it('is quoted where the vocabulary is listed', () => {
    const labels = ['coin', 'coin', 'coin', 'vase', 'vase', 'vase'].map((label) => ({ label }));
    const check = checkVocabulary({ labels, vocabulary: ['coin', 'print, framed'], minPerLabel: 2 });
    expect(check.message).toContain('The vocabulary is coin, "print, framed".');
    const { issues } = checkLabels({
      labels: [{ objectId: 'A-1', label: 'zzz', line: 2 }],
      objectIds: new Set(['A-1']),
      vocabulary: ['coin', 'print, framed'],
      name: 'labels.csv',
    });
    expect(issues[0]!.message).toContain('The labels are: coin, "print, framed" (collection.vocabulary');
    expect(vocabularyWords(['coin', 'print, framed'])).toBe('coin, "print, framed"');
  });

  it('is quoted in the gate check that lists classes without test objects', () => {
    const iv = (v: number) => ({ value: v, low: v, high: v });
    const perClass = (
      [
        ['print, framed', 1, 12],
        ['coin', 0, 0],
        ['vase, lidded', 0, 0],
      ] as const
    ).map(([label, f1, support]) => ({ label, precision: f1, recall: f1, f1, support }));
    const candidate: ModelScores = {
      accuracy: iv(1),
      macroF1: iv(1),
      topK: { k: 2, accuracy: iv(1) },
      ece: iv(0),
      perClass,
      confusion: [],
    };
    const g = checkGate({ candidate, baseline: null, gate: { ...defaultParams().gate, min_test_objects: 10 } });
    expect(g.checks.find((c) => c.name === TWO_CLASSES_CHECK)!.detail).toContain(
      'only "print, framed" has test objects; no test objects for coin, "vase, lidded":',
    );
  });

  it("is quoted in vitrine init's summary of the export's labels and of those left out of the vocabulary", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-label-comma-'));
    dirs.push(root);
    const { dir, header, rows } = await copyEgyptExport({ dir: path.join(root, 'export'), pick: 2 });
    rows[0]![2] = 'Pottery, glazed';
    await writeFile(path.join(dir, 'metadata.csv'), stringify([header, ...rows]));
    const museum = path.join(root, 'museum');
    await mkdir(museum, { recursive: true });
    const log = memoryLogger();
    const args = ['init', '--from', path.join(dir, 'metadata.csv'), '--name', 'Egypt'];
    const code = await main(args, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(code, said).toBe(0);
    expect(said).toContain(
      'Labels in "label": Pottery (2), Reliefs (2), Statuary (2), Unclassified (2), "Pottery, glazed" (1)',
    );
    expect(said).toContain(
      'left out of the vocabulary, used by one object each: "Pottery, glazed", Jewellery. Too few',
    );
  }, 120_000);
});
