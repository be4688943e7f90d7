import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { readBaseLabels } from '../../pipeline/evaluate/base-labels.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * An outside tester (a small gallery; init left "Drawing", 15 objects, and "Photograph", 1, out of the vocabulary):
 * a pull request moving one drawing and the one photograph to "Painting" was reported as "“Drawing” and “Photograph”
 * are now part of “Painting”", the 14 drawings left untouched counted as paintings before, and the right fix called
 * "Worse" (p = 0.004). The labels now, as the evaluate stage gives them, hold only those in the vocabulary: the 14
 * drawings were not in them, so the one moved was "every object of the label". A label is renamed only when it is
 * gone from labels.csv, and only a label of the vocabulary before can be renamed.
 */

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const drawings = ids('D', 15);
const paintings = ids('P', 30);
const sculptures = ids('S', 20);
const photograph = 'F1';
const objectIds = new Set([...drawings, ...paintings, ...sculptures, photograph]);

function labelsText(labelOf: (id: string) => string): string {
  return `object_id,label\n${[...objectIds].map((id) => `${id},${labelOf(id)}`).join('\n')}\n`;
}

function paramsText(vocabulary: string[]): string {
  return `collection:\n  vocabulary:\n${vocabulary.map((l) => `    - ${l}\n`).join('')}`;
}

/** A repository with `first` committed, then `second` committed; the base is the first commit. */
async function twoCommits({
  first,
  second,
}: {
  first: { labels: string; vocabulary: string[] };
  second: { labels: string; vocabulary: string[] };
}) {
  const root = await tempDir('vitrine-rename-outside-');
  const ws = workspace(root);
  const git = gitIn({ root });
  git('init', '-q', '-b', 'main');
  const write = async ({ labels, vocabulary }: { labels: string; vocabulary: string[] }) => {
    await writeFile(ws.labels, labels);
    await writeFile(path.join(root, 'params.yaml'), paramsText(vocabulary));
  };
  await write(first);
  git('add', '-A');
  git('commit', '-qm', 'labels');
  const base = git('rev-parse', 'HEAD').trim();
  await write(second);
  git('commit', '-qam', 'fix labels');
  // The labels now as the dataset stage leaves them for the evaluate stage: those of the vocabulary only.
  const { labelOf: now } = checkLabels({
    labels: parseLabels({ text: second.labels, file: 'labels.csv' }),
    objectIds,
    vocabulary: second.vocabulary,
    name: 'labels.csv',
  });
  const log = memoryLogger();
  const read = await readBaseLabels({
    ws,
    env: {},
    source: { ref: 'main where this branch left it', commit: base, branchPoint: true },
    objectIds,
    vocabulary: second.vocabulary,
    now,
    log,
  });
  expect(read, log.lines.map((l) => l.message).join('\n')).not.toBeNull();
  return read!;
}

const vocabulary = ['Painting', 'Sculpture'];
const labelBefore = (id: string) =>
  id === photograph ? 'Photograph' : id.startsWith('D') ? 'Drawing' : id.startsWith('P') ? 'Painting' : 'Sculpture';

describe('a correction out of a label the model does not learn', () => {
  it('is not read as merging that label when its other objects keep it', async () => {
    const base = await twoCommits({
      first: { labels: labelsText(labelBefore), vocabulary },
      second: { labels: labelsText((id) => (id === 'D1' ? 'Painting' : labelBefore(id))), vocabulary },
    });
    expect(base.renames).toEqual([]);
    // The drawing moved had no label the model could use before: a newly labelled object, not a painting before.
    expect(base.labelOf.get('D1')).toBeUndefined();
    expect(base.labelOf.get('D2')).toBeUndefined();
    expect(base.labelOf.get('P1')).toBe('Painting');
  });

  it('is not read as merging a label never in the vocabulary, even when its one object moved', async () => {
    const base = await twoCommits({
      first: { labels: labelsText(labelBefore), vocabulary },
      second: {
        labels: labelsText((id) => (id === 'D1' || id === photograph ? 'Painting' : labelBefore(id))),
        vocabulary,
      },
    });
    expect(base.renames).toEqual([]);
    expect(base.labelOf.get(photograph)).toBeUndefined();
  });

  it('is not read as a merge when the label leaves the vocabulary and all but one of its objects keep it', async () => {
    const base = await twoCommits({
      first: { labels: labelsText(labelBefore), vocabulary: ['Drawing', ...vocabulary] },
      second: { labels: labelsText((id) => (id === 'D1' ? 'Painting' : labelBefore(id))), vocabulary },
    });
    expect(base.renames).toEqual([]);
  });

  it('still reads a label of the vocabulary whose every object moved to another as merged into it', async () => {
    const base = await twoCommits({
      first: { labels: labelsText(labelBefore), vocabulary: ['Drawing', ...vocabulary] },
      second: { labels: labelsText((id) => (id.startsWith('D') ? 'Painting' : labelBefore(id))), vocabulary },
    });
    expect(base.renames).toEqual([{ from: 'Drawing', to: 'Painting', objects: 15, joined: true }]);
    expect(base.labelOf.get('D2')).toBe('Painting');
  });
});
