import { describe, expect, it } from 'vitest';
import { withGateChanges } from '../../pipeline/github/publish.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY } from './fixture.ts';

/*
 * A pull request that narrows collection.vocabulary (removes a weak class, or re-cases it) turns that class's objects
 * into invalid rows that dataset.on_invalid: skip drops, so the gate no longer sees the class (a reviewer's probe).
 * Changing the vocabulary stays allowed, but the report and the status say what it leaves out.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const textiles = objects.filter((o) => o.label === 'textile').length;

describe('a pull request that removes labels from the vocabulary', () => {
  it('says so in the report and at the front of the status', async () => {
    const narrowed = VOCABULARY.filter((l) => l !== 'textile').map((l) => (l === 'mask' ? 'Mask' : l));
    const headParams = `collection:\n  name: Test Museum\n  vocabulary: [${[...narrowed].join(', ')}]\n`;
    const { ws } = await makeRepo({ objects, base: labels, head: labels, baseParams: '', headParams });
    const params = validateParams({ raw: { collection: { vocabulary: narrowed } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const masks = objects.filter((o) => o.label === 'mask').length;
    expect(json.labels.vocabularyRemoved).toEqual([
      { label: 'mask', objects: masks },
      { label: 'textile', objects: textiles },
    ]);
    expect(markdown).toContain(
      `This pull request removes the labels mask and textile from the vocabulary: ${masks + textiles} objects ` +
        'labelled mask or textile are no longer trained on or judged. The promotion gate cannot see how the model ' +
        'does on them: check that this is meant.',
    );
    expect(json.headline).toMatch(/^Removes labels mask, textile: /);
    // With the gate-changes note as well, the status still starts with both and GitHub's 140 characters hold it.
    const both = withGateChanges({
      markdown,
      headline: json.headline,
      changes: [{ key: 'gate.min_macro_f1', base: 0.5, head: 0 }],
    });
    expect(both.headline).toMatch(/^Base settings \(PR changes them\): Removes labels mask, textile: /);
  });

  it('one label, named in full; a vocabulary that only grows says nothing', async () => {
    const headParams = `collection:\n  name: Test Museum\n  vocabulary: [${VOCABULARY.filter((l) => l !== 'textile').join(', ')}]\n`;
    const { ws } = await makeRepo({ objects, base: labels, head: labels, baseParams: '', headParams });
    const params = validateParams({ raw: { collection: { vocabulary: VOCABULARY.filter((l) => l !== 'textile') } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain(
      `This pull request removes the label textile from the vocabulary: ${textiles} objects labelled textile are ` +
        'no longer trained on or judged.',
    );
    expect(json.headline).toMatch(/^Removes label textile: /);
    // A warning under the first line takes its tick off (docs/report.md), as the other warnings there do (tester T3).
    const first = markdown.split('\n')[0]!;
    expect(first).toMatch(/^⚠️ /);
    expect(json.headline).toContain('check the warnings');
    expect(json.openingWarnings?.[0]).toMatch(/^This pull request removes the label textile from the vocabulary/);

    const grown = `collection:\n  name: Test Museum\n  vocabulary: [${[...VOCABULARY, 'seal'].join(', ')}]\n`;
    const again = await makeRepo({ objects, base: labels, head: labels, baseParams: '', headParams: grown });
    const more = validateParams({ raw: { collection: { vocabulary: [...VOCABULARY, 'seal'] } } });
    const report = await buildReport({ ws: again.ws, params: more, base: 'main', log: silentLogger });
    expect(report.json.labels.vocabularyRemoved ?? []).toEqual([]);
    expect(report.json.headline).not.toMatch(/^Removes/);
  });
});
