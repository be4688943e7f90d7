import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { checkLabels, unknownObjectsMessage } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * Tester, 2026-12-02 #2: after an import of a partial export, the dataset printed one warning per labels.csv
 * line whose object was gone, 128 times "check the id for a typo". So many are not typos: said once, with a
 * count and examples, and what to do (remove the lines, or import the complete export again).
 */

afterAll(removeTempDirs);

const kept = ['a1', 'a2', 'a3', 'a4'];
const gone = Array.from({ length: 30 }, (_, i) => `artic_${111164 + i}`);
const labelsText = `object_id,label\n${[...kept, ...gone].map((id) => `${id},coin`).join('\n')}\n`;

describe('labels.csv lines naming many objects that are not in the collection', () => {
  it('are said once, with the count, the lines, examples and what to do, not once per line', async () => {
    const ws = await makeCollection({ objects: kept.map((id) => object(id)), labelsText });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log, jobs: 1 });
    // dataset.json keeps one issue per line, for the pull request's annotations.
    expect(dataset.issues.filter((i) => i.code === 'LABEL_UNKNOWN_OBJECT')).toHaveLength(30);
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings.filter((m) => m.includes('artic_'))).toHaveLength(1);
    const said = warnings.find((m) => m.includes('artic_'))!;
    // Annotated on the first of those lines, which a pull request shows.
    expect(log.lines.find((l) => l.message === said)!.where).toEqual({ file: 'labels.csv', line: 6 });
    expect(said).toMatch(/^labels\.csv: 30 lines \(lines 6 to 35\) name objects that are not in data\/objects\.csv/);
    expect(said).toContain('"artic_111164" (line 6)');
    expect(said).not.toMatch(/typo/);
    expect(said).toMatch(/remove those lines from labels\.csv/);
    expect(said).toMatch(/import the complete export/);
  });

  it('are said once also in the error when dataset.on_invalid is "fail"', async () => {
    const ws = await makeCollection({ objects: kept.map((id) => object(id)), labelsText });
    const log = memoryLogger();
    const error = await buildDataset({
      ws,
      params: testParams((p) => (p.dataset.on_invalid = 'fail')),
      log,
      jobs: 1,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message.match(/artic_/g)?.length ?? 0).toBeLessThanOrEqual(5);
    expect(message).toMatch(/30 lines \(lines 6 to 35\) name objects that are not in data\/objects\.csv/);
  });

  it('keeps the per-line message, with its typo hint, for a few', async () => {
    const text = `object_id,label\n${kept.map((id) => `${id},coin`).join('\n')}\nXX-9,coin\n`;
    const ws = await makeCollection({ objects: kept.map((id) => object(id)), labelsText: text });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log, jobs: 1 });
    expect(log.lines.map((l) => l.message)).toContain(
      'labels.csv:6: there is no object "XX-9" in the collection: check the id for a typo, or, if the object was ' +
        'removed from the collection (an import said it left the export), delete this line in a pull request.',
    );
  });
});

// D42 leftover: an id with a right-to-left override, quoted as it is, turned the rest of the message round.
describe('an id naming no object that holds a character that does not show', () => {
  const overridden = (n: number) => ({ objectId: `XX-\u202e${n}`, label: 'coin', line: n + 2 });
  const check = (labels: ReturnType<typeof overridden>[]) =>
    checkLabels({ labels, objectIds: new Set(kept), vocabulary: ['coin'], name: 'labels.csv' });

  it('is written with that character by its code, in its own message and in the message for many', () => {
    const { issues, unknown } = check([overridden(9)]);
    const message = issues.find((i) => i.code === 'LABEL_UNKNOWN_OBJECT')!.message;
    expect(message).toContain('labels.csv:11: there is no object "XX-<U+202E>9" in the collection');
    expect(message).not.toContain('\u202e');
    const many = check(Array.from({ length: 30 }, (_, i) => overridden(i)));
    const said = unknownObjectsMessage({
      unknown: many.unknown,
      labelsName: 'labels.csv',
      objectsName: 'x.csv',
    })!.message;
    expect(said).toContain('"XX-<U+202E>0" (line 2)');
    expect(said).not.toContain('\u202e');
    expect(unknown[0]!.objectId).toBe('XX-\u202e9');
  });
});
