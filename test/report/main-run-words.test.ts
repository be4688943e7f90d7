import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { editedObjectsSection } from '../../pipeline/report/edited-objects.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { testerRun } from '../fixtures/tester-run.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester, 2026-12-06, read the report of a run on main after a rename was merged: it was headed "**This
 * pull request renames a label**" with no pull request; it said "too few to judge a change of 2 labels" and then
 * "label changes are not listed"; and "(the catalogue shows them; the model reads only the photograph of them (1
 * changed))" was hard to read.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const plain = (markdown: string) => markdown.replace(/\\([()[\]_*.])/g, '$1');

async function mainRun() {
  const { ws } = await makeRepo({ objects, base: labels, head: labels });
  await writeStageOutputs({
    ws,
    objects,
    head: labels,
    metrics: {
      labelRenames: [{ from: 'Prints', to: 'print', objects: 6 }],
      crossValidated: testerRun({ ref: 'the commit of v1.0.0' }),
    },
  });
  const { fullMarkdown } = await buildReport({
    ws,
    params,
    noBase: { code: 'on-branch', reason: 'this run is on main itself' },
    log: silentLogger,
  });
  return plain(fullMarkdown);
}

describe('the report of a run on main itself', () => {
  it('says “this change” of a rename, with no pull request named', async () => {
    const md = await mainRun();
    expect(md).not.toContain('This pull request');
    expect(md).toContain('**This change renames a label:** “Prints” is now “print” (6 objects).');
  });

  it('says where the labels changed that it judged come from, instead of only “label changes are not listed”', async () => {
    const md = await mainRun();
    expect(md).toContain('too few to judge a change of 2 labels');
    expect(md).not.toContain('### Label changes in this pull request');
    const section = md.slice(md.indexOf('### Label changes'));
    expect(section).toContain(
      'The judgement above compares the labels now with those at the commit of v1.0.0 (`d56d990b7956`): 2 ' +
        'labels differ. This run is on main itself, with no pull request to compare with, so they are not listed ' +
        'here. To list them, run with `VITRINE_BASE_REF=d56d990b7956`',
    );
  });
});

describe('object records changed in data/objects.csv', () => {
  it('say in a sentence of their own what the catalogue and the model read of them', () => {
    const edited = {
      count: 1,
      columns: [],
      photographs: 1,
      objects: [{ id: 'NHM.2019.1.1', fields: [{ name: 'photograph', before: 'a', after: 'b' }], label: 'Mineral' }],
    };
    const md = editedObjectsSection(edited as unknown as Parameters<typeof editedObjectsSection>[0]);
    expect(md).not.toContain('(the catalogue shows them;');
    expect(md).toMatch(/^\*\*1 object record changed\*\* in data\/objects\.csv: NHM\.2019\.1\.1 /);
    expect(md).toContain(
      'The catalogue shows these changes. The model reads only the photographs, and 1 photograph changed.',
    );
    const text = editedObjectsSection({ ...edited, photographs: 0 } as unknown as Parameters<
      typeof editedObjectsSection
    >[0]);
    expect(text).toContain(
      'The catalogue shows these changes. The model does not read them: it reads only the photographs.',
    );
  });
});
