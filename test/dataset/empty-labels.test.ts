import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An empty labels.csv (zero bytes, only blank lines, or only the header) printed one "Only 0 objects
 * labelled …" warning per label of the vocabulary before the error that mattered. Now the first and only
 * thing said is what is wrong with labels.csv and how to fill it in.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));
// min_test_per_class above 0, as in a real project: the small-class warnings are what piled up.
const params = () => testParams((p) => (p.dataset.min_test_per_class = 2));

async function runStage(labelsText: string) {
  const ws = await makeCollection({ objects, labelsText });
  const log = memoryLogger();
  const error = await datasetStage
    .run({ ws, params: params(), log, clock: systemClock, env: {} })
    .catch((e: unknown) => e);
  return { ws, log, error };
}

describe('an empty labels.csv', () => {
  for (const [what, labelsText, says] of [
    ['zero bytes', '', /^labels\.csv is empty \(0 bytes\)/],
    ['only blank lines', '\n\n\r\n\n', /^labels\.csv holds only blank lines/],
    ['only the header', 'object_id,label\n', /^labels\.csv has no rows below its header/],
    ['only the header and blank lines', 'object_id,label\r\n\r\n\r\n', /^labels\.csv has no rows below its header/],
  ] as const) {
    it(`(${what}) is one clear error naming the file, with no warnings before it`, async () => {
      const { log, error } = await runStage(labelsText);
      expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
      const message = (error as Error).message;
      expect(message).toMatch(says);
      expect(message).toContain('one line per object');
      expect(message).toContain('"a1,coin"'); // an example from this collection and its vocabulary
      expect(message).toContain('collection.vocabulary in params.yaml');
      expect(error).toMatchObject({ data: { file: 'labels.csv' } });
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
      // Said before any image is read: nothing to wait for.
      expect(log.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
    });
  }

  it('with rows but no label filled in says so', async () => {
    const { log, error } = await runStage('object_id,label\na1,\na2,\n');
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toMatch(/^labels\.csv has 2 rows but none has a label/);
    expect((error as Error).message).toContain('Fill in the label column of those rows (a row reads like "a1,coin")');
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('missing altogether: one warning that says so, not one per label', async () => {
    const ws = await makeCollection({ objects });
    await rm(ws.labels, { force: true });
    const log = memoryLogger();
    const error = await datasetStage
      .run({ ws, params: params(), log, clock: systemClock, env: {} })
      .catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([expect.stringContaining('labels.csv does not exist yet')]);
  });
});
