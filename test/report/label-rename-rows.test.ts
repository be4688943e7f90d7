import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * A reviewer: a plain rename ("vessel" → "Vessels" in labels.csv and the vocabulary) that also moves a few of its
 * objects to other labels (stragglers) was read object by object as if every renamed object had its label changed
 * by this pull request: counted among the labels changed, listed as labels it "sets" that look wrong, marked
 * "changed from vessel" in the mislabelled table. Each object is said as what it really was: a renamed object kept its
 * label under the new name; a straggler's label was "vessel" and is now another.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const renamedIds = ['DM-0031', 'DM-0032', 'DM-0033', 'DM-0034', 'DM-0035'];
const head: Record<string, string> = { ...correct, 'DM-0036': 'figurine' };
for (const id of renamedIds) head[id] = 'Vessels';
const vocabulary = VOCABULARY.map((l) => (l === 'vessel' ? 'Vessels' : l));

describe('a rename with stragglers in the pull-request comment', () => {
  it('says the renamed objects kept their label and the stragglers changed theirs', async () => {
    const { ws } = await makeRepo({ objects, base: correct, head });
    const flagged = (id: string, label: string, suggested: string) => ({
      id,
      label,
      suggested,
      score: 0.9,
      confidence: 0.9,
      confident: true,
      reason: 'flagged' as const,
    });
    await writeStageOutputs({
      ws,
      objects,
      head,
      vocabulary,
      metrics: {
        labelRenames: [{ from: 'vessel', to: 'Vessels', objects: 5 }],
        mislabelled: {
          checked: 36,
          candidates: 2,
          confident: 2,
          flagged: 2,
          top: [flagged('DM-0031', 'Vessels', 'mask'), flagged('DM-0036', 'figurine', 'Vessels')],
        },
      },
    });
    const params = validateParams({ raw: { collection: { vocabulary }, train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const rows = json.labels.changes.map((c) => [c.id, c.before, c.after, c.renamed === true]);
    expect(rows).toEqual([
      ...renamedIds.map((id) => [id, 'vessel', 'Vessels', true]),
      ['DM-0036', 'vessel', 'figurine', false],
    ]);
    expect(markdown).toContain('1 label changed, 5 renamed (the same label under its new name).');
    expect(markdown).toMatch(/\| DM-0031 \(line \d+\) \| [^|]+ \| vessel \| Vessels \(renamed\) \|/);
    expect(markdown).toMatch(/\| DM-0036 \(line \d+\) \| [^|]+ \| vessel \| figurine \|/);
    // Only the straggler is a label this pull request sets.
    expect((json.labelsThatLookWrong ?? []).map((l) => l.id)).toEqual(['DM-0036']);
    expect(markdown).toContain('figurine (changed from vessel in this pull request)');
    expect(markdown).not.toContain('Vessels (changed from vessel in this pull request)');
  });
});
