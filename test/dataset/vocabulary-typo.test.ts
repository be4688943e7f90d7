import { access, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { checkVocabulary, vocabularyEntryLines } from '../../pipeline/collection/vocabulary.ts';
import { buildDataset, datasetFile } from '../../pipeline/dataset/build.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { makeCollection, object, removeTempDirs } from './fixtures.ts';

/*
 * Tester, 2026-12-03 #1: "- textile" changed to "- texitle" in params.yaml made the dataset stage print 50 lines of
 * 'labels.csv:6: "textile" is not one of the labels… Did you mean "texitle"?', a summary saying to correct those lines
 * of labels.csv, and exit 0 with the 50 labels dropped. A vocabulary word no object has, a letter or two from a label
 * many lines use, is a typo in params.yaml: said once, on its line of params.yaml, and the stage stops.
 */

afterAll(removeTempDirs);

const PARAMS = (onInvalid?: string) =>
  [
    'collection:',
    '  name: Test Museum',
    '  vocabulary:',
    '    - coin',
    '    - mask',
    '    - texitle',
    'dataset:',
    '  min_test_per_class: 0',
    ...(onInvalid ? [`  on_invalid: ${onInvalid}`] : []),
    '  thumbnails:',
    '    widths: [32]',
    '',
  ].join('\n');

const labelOf = (i: number) => ['coin', 'mask', 'textile'][i % 3]!;
const ids = Array.from({ length: 30 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`);

async function typoCollection(onInvalid?: string) {
  const ws = await makeCollection({
    objects: ids.map((id) => object(id)),
    labels: ids.map((id, i) => ({ objectId: id, label: labelOf(i) })),
  });
  await writeFile(ws.params, PARAMS(onInvalid));
  return { ws, params: await loadParams({ file: ws.params }) };
}

describe('a typo in the vocabulary of params.yaml', () => {
  for (const onInvalid of [undefined, 'skip', 'fail']) {
    it(`stops the dataset once, on its params.yaml line, without per-line advice (on_invalid: ${onInvalid ?? 'unset'})`, async () => {
      const { ws, params } = await typoCollection(onInvalid);
      const log = memoryLogger();
      const error = await buildDataset({ ws, params, log, jobs: 1 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isVitrineError(error, 'VOCABULARY_TYPO')).toBe(true);
      if (!isVitrineError(error)) return;
      const first = error.message.split('\n')[0];
      expect(first).toBe('params.yaml:6: "texitle" — did you mean "textile", the label 10 lines of labels.csv use?');
      expect(error.data).toMatchObject({ file: 'params.yaml', line: 6 });
      // Never the advice to change the ten correct lines to the typo.
      const said = [error.message, ...log.lines.map((l) => l.message)].join('\n');
      expect(said).not.toContain('Did you mean "texitle"');
      expect(said).not.toMatch(/Then correct those lines/);
      expect(said.match(/did you mean/gi)).toHaveLength(1);
      expect(error.message).toMatch(/run "npx vitrine run dataset" again/);
      // A way out when the near label is left out of the vocabulary on purpose (reviewer: "paint" beside a new "print").
      expect(error.message).toContain(
        'if "textile" is left out of the vocabulary on purpose, take "texitle" out of it until an object has that label',
      );
      // Stopped before any dataset was written.
      await expect(access(datasetFile(ws))).rejects.toThrow();
    });
  }

  it('is said the same way at import (checkVocabulary), once, where the annotation points at params.yaml', () => {
    const labels = [...ids.map((_, i) => ({ label: labelOf(i), line: i + 2 })), { label: 'Textile', line: 32 }];
    const check = checkVocabulary({
      labels,
      vocabulary: ['coin', 'mask', 'texitle'],
      entryLines: new Map([['texitle', 6]]),
    });
    const lines = check.message.split('\n');
    expect(lines[0]).toBe('params.yaml:6: "texitle" — did you mean "textile", the label 10 lines of labels.csv use?');
    expect(check.message).not.toContain('Did you mean "texitle"');
    expect(check.message).not.toMatch(/correct those lines of labels\.csv/);
    expect(check.where).toEqual({ file: 'params.yaml', line: 6 });
    expect(check.typos.map((t) => [t.entry, t.label, t.count, t.alike])).toEqual([
      ['texitle', 'textile', 10, ['Textile']],
    ]);
    // The rest of the advice is as after the correction: "Textile" is a slip for "textile", not for the typo.
    expect(lines.slice(2)).toEqual([
      'labels.csv:32: "Textile" is not one of the labels of this collection. Did you mean "textile"?',
    ]);
    expect(check.suggested).toEqual(['coin', 'mask', 'textile']);
  });

  it('is not blamed for a slip on one line of labels.csv', async () => {
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((id, i) => ({ objectId: id, label: i === 4 ? 'textle' : ['coin', 'mask'][i % 2]! })),
    });
    await writeFile(ws.params, PARAMS().replace('texitle', 'textile'));
    const log = memoryLogger();
    await buildDataset({ ws, params: await loadParams({ file: ws.params }), log, jobs: 1 });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings[0]).toBe(
      'labels.csv:6: "textle" is not one of the labels of this collection. Did you mean "textile"?',
    );
  });

  it('names the line of a vocabulary written as one list, and says the key when params.yaml has no such line', () => {
    const text = '# settings\ncollection:\n  name: Test\n  vocabulary: [coin, mask, "texitle"]\n';
    expect([...vocabularyEntryLines(text)]).toEqual([
      ['coin', 4],
      ['mask', 4],
      ['texitle', 4],
    ]);
    expect(vocabularyEntryLines('not: [valid')).toEqual(new Map());
    const check = checkVocabulary({
      labels: ids.map((_, i) => ({ label: labelOf(i), line: i + 2 })),
      vocabulary: ['coin', 'mask', 'texitle'],
    });
    expect(check.message.split('\n')[0]).toBe(
      'params.yaml (collection.vocabulary): "texitle" — did you mean "textile", the label 10 lines of labels.csv use?',
    );
    expect(check.where).toEqual({ file: 'params.yaml' });
  });

  it('in a small collection, takes a label on 2 lines for the vocabulary’s meaning when they are most of the near misses', () => {
    const used = (label: string, n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ label, line: from + i }));
    const vocabulary = ['coin', 'mask', 'texitle'];
    const typos = (labels: { label: string; line: number }[]) => checkVocabulary({ labels, vocabulary }).typos;
    expect(typos([...used('coin', 5, 2), ...used('textile', 2, 7)]).map((t) => t.label)).toEqual(['textile']);
    // 2 of 4 lines near the vocabulary: not most of them, each line keeps its "did you mean".
    expect(typos([...used('coin', 5, 2), ...used('textile', 2, 7), ...used('Coin', 2, 9)])).toEqual([]);
    // One line is a slip in labels.csv.
    expect(typos([...used('coin', 5, 2), ...used('textile', 1, 7)])).toEqual([]);
  });
});
