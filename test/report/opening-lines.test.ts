import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * What a registrar must know before merging, said at the top of the comment, right under its first line, and never
 * under a green tick (testers T7, T8): a change that publishes more on the public site, data/ that is not this
 * branch's, many labels taken out, a label newly learnt, an id retyped in other capitals.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const PARAMS = 'train:\n  epochs: 60\n';

/** The comment's first line and the paragraph after it. */
function top(markdown: string): [string, string] {
  const [first = '', second = ''] = markdown.split('\n\n');
  return [first, second];
}

async function withSettings(head: string) {
  const { ws } = await makeRepo({ objects, base: labels, head: labels, baseParams: PARAMS, headParams: PARAMS + head });
  const params = validateParams({ raw: { train: { epochs: 60 }, ...JSON.parse(JSON.stringify(readYaml(head))) } });
  return buildReport({ ws, params, base: 'main', log: silentLogger });
}

/** The few settings these tests write, read back (one key path per line, two-space indents). */
function readYaml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const path: Record<string, unknown>[] = [out];
  for (const line of text.split('\n').filter(Boolean)) {
    const depth = (line.length - line.trimStart().length) / 2;
    const [key, value] = line.trim().split(/:\s*/);
    const parent = path[depth]!;
    if (value === undefined || value === '') {
      const child: Record<string, unknown> = {};
      parent[key!] = child;
      path[depth + 1] = child;
    } else parent[key!] = Number.isNaN(Number(value)) ? value : Number(value);
  }
  return out;
}

describe('settings that change what the public site shows', () => {
  it('photographs in copyright shown in full: a warning right under the first line, and no green tick', async () => {
    const { markdown } = await withSettings('catalogue:\n  images:\n    in_copyright: full\n');
    const [first, second] = top(markdown);
    expect(first).not.toMatch(/^✅/);
    expect(first).toMatch(/^⚠️ /);
    expect(second).toBe(
      '⚠️ **This pull request changes what the public site shows, once merged:** photographs in copyright would be ' +
        'shown in full, zoomable and downloadable, instead of as one small picture ' +
        '(`catalogue.images.in_copyright`: thumbnail → full). Check that the museum holds the rights to show them so.',
    );
  });

  it('larger small pictures and less sure guesses published are said too', async () => {
    const { markdown } = await withSettings(
      'catalogue:\n  images:\n    thumbnail_max: 800\nannotate:\n  min_precision: 0.6\n',
    );
    const [first, second] = top(markdown);
    expect(first).toMatch(/^⚠️ /);
    expect(second).toContain('⚠️ **This pull request changes what the public site shows, once merged:**');
    expect(second).toContain(
      'the small pictures of photographs shown small for their rights would be larger: up to 800 pixels on their ' +
        'long side instead of 300 (`catalogue.images.thumbnail_max`: 300 → 800)',
    );
    expect(second).toContain(
      "the model's guesses would be published on object pages when less sure: once its guesses of a label are " +
        'right 60% of the time instead of 90% (`annotate.min_precision`: 0.9 → 0.6)',
    );
    expect(second).toContain('Check that the museum holds the rights');
    expect(second).toContain('Check that guesses this sure are fit for the public.');
  });

  it('a change that shows less is one plain line, without a warning', async () => {
    const { markdown } = await withSettings('catalogue:\n  images:\n    unknown: none\n');
    const [first, second] = top(markdown);
    expect(first).toMatch(/^✅ /);
    expect(second).toBe(
      'This pull request shows less on the public site, once merged: photographs whose rights are unknown or not ' +
        'recognised would not be shown, instead of in full, zoomable and downloadable ' +
        '(`catalogue.images.unknown`: full → none).',
    );
  });

  it('a setting that does not change what the site shows says nothing at the top', async () => {
    const { markdown } = await withSettings('catalogue:\n  review_queue: 0\n');
    expect(top(markdown)[0]).toMatch(/^✅ /);
    expect(markdown).not.toContain('public site');
  });
});

describe('data/ that is not what data.dvc records', () => {
  it('is said at the top with the command, and the verdict has no green tick', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws, objects, head: labels });
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    lock.stages.dataset.deps = { paths: { data: '226b7d9f84efea950bac7559ac8058bb.dir' } };
    await writeFile(ws.lock, JSON.stringify(lock));
    await writeFile(ws.dataDvc, 'outs:\n- md5: 3f2a9c1b5d7e8f90a1b2c3d4e5f60718.dir\n  hash: md5\n  path: data\n');
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const [first, second] = top(markdown);
    expect(first).toMatch(/^⚠️ /);
    expect(second).toBe(
      '⚠️ **data/ on the computer that ran this is not what data.dvc records for this commit** (a branch checked ' +
        'out without its data, say): the model was trained and scored on data/ as it was there, and the object ' +
        'records and photographs below are compared as they are in data/, so they may be another branch’s changes, ' +
        'not this pull request’s. Run `npx vitrine data checkout`, then `npx vitrine run` again.',
    );
  });
});

describe('labels taken out', () => {
  const emptied = (n: number) =>
    `object_id,label\n${objects.map((o, i) => `${o.id},${i < n ? '' : o.label}`).join('\n')}\n`;
  const without = (n: number) => Object.fromEntries(objects.slice(n).map((o) => [o.id, o.label]));

  it('a tenth of the labelled objects with their label cells emptied is said first', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: without(5), headText: emptied(5) });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const [first, second] = top(markdown);
    expect(first).toMatch(/^⚠️ /);
    expect(second).toBe(
      '⚠️ **This pull request takes the labels of 5 of the 36 labelled objects out** (5 label cells emptied in ' +
        'labels.csv): once merged, no model learns from them or is scored on them. If that was not meant (a filter ' +
        'left on in a spreadsheet, say), restore their labels in labels.csv.',
    );
  });

  it('a label or two taken out says nothing at the top', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: without(2), headText: emptied(2) });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(top(markdown)[0]).toMatch(/^✅ /);
    expect(markdown).not.toContain('takes the labels of');
  });

  it('a label merged into another in labels.csv only is said first, with where its objects went, not as 0 removed', async () => {
    const merged = Object.fromEntries(objects.map((o) => [o.id, o.label === 'mask' ? 'figurine' : o.label]));
    const { ws } = await makeRepo({ objects, base: labels, head: merged });
    const masks = objects.filter((o) => o.label === 'mask').length;
    await writeStageOutputs({
      ws,
      objects,
      head: merged,
      metrics: { labelLoss: { ref: 'main', before: 36, removed: 0, lost: [{ label: 'mask', objects: masks }] } },
    });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const [first, second] = top(markdown);
    expect(first).toMatch(/^⚠️ /);
    expect(
      second.startsWith(`⚠️ **1 label lost all its objects: mask \\(all ${masks} now labelled figurine\\).**\n`),
    ).toBe(true);
    expect(markdown).not.toContain('0 labels removed');
  });
});

describe('an id retyped in other capitals', () => {
  it('is said at the top as a label lost', async () => {
    const headText = `object_id,label\n${objects.map((o) => `${o.id === 'DM-0002' ? 'dm-0002' : o.id},${o.label}`).join('\n')}\n`;
    const head = Object.fromEntries(objects.filter((o) => o.id !== 'DM-0002').map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: labels, head, headText });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const [first, second] = top(markdown);
    expect(first).toMatch(/^⚠️ /);
    expect(second).toContain(
      '⚠️ **An object would lose its staff label: line 3 of labels.csv names “dm-0002”, which is not an object id in ' +
        'the collection** (it differs from an id in the collection only in capitals. Did you mean "DM-0002"?). ' +
        'Correct the id on that line.',
    );
    expect(second).toMatch(/^⚠️ \*\*An object would lose its staff label/);
  });
});

describe('a label added to the vocabulary', () => {
  it('says how many objects are learnt for the first time', async () => {
    const seals = objects.slice(0, 3).map((o) => o.id);
    const both = { ...labels, ...Object.fromEntries(seals.map((id) => [id, 'seal'])) };
    const grown = [...VOCABULARY, 'seal'];
    const { ws } = await makeRepo({
      objects,
      base: both,
      head: both,
      baseParams: '',
      headParams: `collection:\n  name: Test Museum\n  vocabulary: [${grown.join(', ')}]\n`,
    });
    const params = validateParams({ raw: { collection: { vocabulary: grown } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(top(markdown)[1]).toBe(
      'This pull request adds the label seal to the vocabulary: the 3 objects labelled seal in labels.csv are learnt ' +
        'and judged by the model for the first time.',
    );
  });
});
