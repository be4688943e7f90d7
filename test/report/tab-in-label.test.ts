import { describe, expect, it } from 'vitest';
import { formatLabels } from '../../pipeline/collection/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * Finding 3 (task D3): a tab inside a label of labels.csv ("Roman<tab>coin", two cells pasted into one, most often)
 * is read as a space, and nothing said so. The run goes on with the label read, but the report says it, as a
 * tidy-up: a tab does not look like a space where staff read the file (a wide gap in the pull request's changes),
 * and a line copied into a spreadsheet splits into two cells at it.
 */

const vocabulary = VOCABULARY.map((l) => (l === 'coin' ? 'Roman coin' : l));
const objects = demoObjects().map((o) => (o.label === 'coin' ? { ...o, label: 'Roman coin' } : o));
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const paramsText = `collection:\n  name: Test Museum\n  vocabulary: [${vocabulary.join(', ')}]\n`;
const params = validateParams({ raw: { collection: { vocabulary } } });
const [first, second] = objects;

async function repo(headText: string) {
  const made = await makeRepo({
    objects,
    base: labels,
    head: labels,
    headText,
    baseParams: paramsText,
    headParams: paramsText,
  });
  await writeStageOutputs({ ws: made.ws, objects, head: labels, vocabulary, params });
  return made;
}

const asLines = (map: Record<string, string>) =>
  formatLabels({ labels: Object.entries(map).map(([objectId, label]) => ({ objectId, label })) });

describe('a tab inside a label of labels.csv', () => {
  it('is said in the report, with its line and the label as read, and the run goes on', async () => {
    const headText = asLines(labels).replace(`${first!.id},Roman coin`, `${first!.id},Roman\tcoin`);
    const { ws } = await repo(headText);
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain(
      `Line 2 of labels.csv has a tab inside the label of ${first!.id} (“Roman→coin”, → for the tab): ` +
        'it is read as a space, “Roman coin”',
    );
    expect(json.labels.tabbedLabels).toEqual([{ id: first!.id, line: 2, label: 'Roman coin' }]);
    // The same label as read: no change, no warning.
    expect(json.labels.changes).toEqual([]);
    expect(json.openingWarnings).toBeUndefined();
  });

  it('names each line when there are several, and says nothing without a tab', async () => {
    const none = await buildReport({ ws: (await repo(asLines(labels))).ws, params, base: 'main', log: silentLogger });
    expect(none.json.labels.tabbedLabels).toBeUndefined();
    expect(none.markdown).not.toContain('a tab inside');
    const headText = asLines(labels)
      .replace(`${first!.id},Roman coin`, `${first!.id},Roman\tcoin`)
      .replace(`${second!.id},Roman coin`, `${second!.id},"Roman \t coin"`);
    const { markdown } = await buildReport({ ws: (await repo(headText)).ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain(
      `2 labels of labels.csv have a tab inside, read as a space:** line 2 (${first!.id}, “Roman→coin”) and ` +
        `line 3 (${second!.id}, “Roman → coin”) (→ for the tab). ` +
        'A tab shows as a wide gap in the pull request’s changes, and splits the line into two cells when copied into ' +
        'a spreadsheet: retype each tab as a space.',
    );
  });
});
