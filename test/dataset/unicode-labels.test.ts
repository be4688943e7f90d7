import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { parseParams } from '../../pipeline/params.ts';
import { decideBump } from '../../pipeline/registry/semver.ts';
import { alignProbabilities } from '../../pipeline/stages/evaluate.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Outside tester: the same label saved composed ("é", one character: NFC) by one program and decomposed ("e" and
 * an accent: NFD) by another, as some Mac programs write it, became two classes that look the same; where the
 * vocabulary was composed, every decomposed line was dropped with "Did you mean "Textilé"?" naming the same
 * text. Labels are compared in one Unicode form.
 */

afterAll(removeTempDirs);

const nfc = 'Pièce'.normalize('NFC');
const nfd = 'Pièce'.normalize('NFD');

describe('a label written in two Unicode forms', () => {
  it('is one label: a decomposed line in labels.csv matches the composed vocabulary', async () => {
    expect(nfc).not.toBe(nfd);
    const ws = await makeCollection({
      objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
      labelsText: `object_id,label\na1,${nfc}\na2,${nfd}\na3,coin\n`,
    });
    const params = testParams((p) => {
      p.collection.vocabulary = [nfc, 'coin'];
    });
    const dataset = await buildDataset({ ws, params, log: memoryLogger() });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.label)).toEqual([nfc, nfc, 'coin']);
  });

  it('is one label in the vocabulary too: a decomposed vocabulary matches composed lines', () => {
    const params = parseParams({ text: `collection:\n  vocabulary: [${nfd}, coin]\n`, name: 'params.yaml' });
    expect(params.collection.vocabulary).toEqual([nfc, 'coin']);
  });

  it('is refused when the vocabulary holds both forms, saying why in plain words', () => {
    let error: unknown;
    try {
      parseParams({ text: `collection:\n  vocabulary: [${nfc}, coin, ${nfd}]\n`, name: 'params.yaml' });
    } catch (e) {
      error = e;
    }
    expect(isVitrineError(error, 'PARAMS_INVALID')).toBe(true);
    expect((error as Error).message).toContain('params.yaml:2');
    expect((error as Error).message).toContain('look the same but their accented letters are stored differently');
    // One message for the pair: not also "differ only in capitals" (both checks fired before).
    expect((error as Error).message).not.toContain('capitals');
  });
});

describe('a model trained before labels were read in one Unicode form', () => {
  // Reviewer: a production model whose vocabulary was saved decomposed kept "ce\u0301ramique"; compared with today's
  // composed labels, its probabilities for that label were dropped and the next version was a major bump.
  const [nfcLabel, nfdLabel] = ['céramique'.normalize('NFC'), 'céramique'.normalize('NFD')];

  it('keeps its probabilities for the label when they are aligned with today’s labels', () => {
    const rows = alignProbabilities({ rows: [[0.9, 0.1]], from: [nfdLabel, 'coin'], to: [nfcLabel, 'coin'] });
    expect(rows).toEqual([[0.9, 0.1]]);
  });

  it('is the same vocabulary for the version number', () => {
    const base = { labels: [nfdLabel, 'coin'], data: 'd1.dir', labelsMd5: 'l1' };
    expect(decideBump({ previous: base, next: { ...base, labels: [nfcLabel, 'coin'], labelsMd5: 'l2' } }).bump).toBe(
      'minor',
    );
  });
});
