import fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { editedObjectsSection } from '../../pipeline/report/edited-objects.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { CollectionObject } from '../../pipeline/types.ts';
import { makeCollection, object, removeTempDirs, solidImage } from '../dataset/fixtures.ts';
import { type ObjectSpec, twelveObjects, VOCABULARY, versionedCollection, writeStageOutputs } from './fixture.ts';

/*
 * Tester C: a pull request that corrects titles (the model reads none of them) was said to keep production’s model,
 * and nothing in the comment named what it changed: data/objects.csv is in the DVC cache, so GitHub’s diff shows
 * nothing either. The comment now lists the object records changed, field by field.
 */

afterAll(removeTempDirs);

// The last id has an accent, written composed (NFC) in the base.
const { specs, objects, labels, params } = twelveObjects(
  Array.from({ length: 12 }, (_, i) => (i === 11 ? 'DÉ-0012' : `DM-${String(i + 1).padStart(4, '0')}`)),
);

/** `photographs`: file → its new bytes, or the name of another file of data/ to copy over it. */
async function edited(
  edit: (o: CollectionObject) => CollectionObject,
  photographs: Record<string, Buffer | string> = {},
) {
  const ws = await makeCollection({ objects, labels });
  const { commitAll, baseCommit } = await versionedCollection({ ws });
  await git.branch({ fs, dir: ws.root, ref: 'titles', checkout: true });
  await writeObjects({ file: ws.objects, objects: objects.map(edit) });
  for (const [file, bytes] of Object.entries(photographs))
    await writeFile(
      path.join(ws.data, file),
      typeof bytes === 'string' ? await readFile(path.join(ws.data, bytes)) : bytes,
    );
  await writeLabels({ file: ws.labels, labels });
  await addData({ root: ws.root, log: silentLogger });
  await commitAll('Correct titles', 1);
  await writeStageOutputs({ ws, objects: specs, head: Object.fromEntries(specs.map((s) => [s.id, s.label])), params });
  return buildReport({ ws, params, base: baseCommit, log: silentLogger, predict: async () => [] });
}

describe('object records a pull request changes', () => {
  it('are listed near the top, field by field, saying the model does not read them', async () => {
    const { markdown, json } = await edited((o) =>
      o.id === 'DM-0002'
        ? { ...o, title: 'Woven Panel with Lozenges' }
        : o.id === 'DM-0007'
          ? { ...o, title: 'Seated Deity', date: 'c. 1400' }
          : o,
    );
    expect(json.objectsEdited?.count).toBe(2);
    expect(json.objectsEdited?.columns).toEqual([]);
    expect(json.objectsEdited?.objects[0]).toEqual({
      id: 'DM-0002',
      fields: [{ name: 'title', before: 'Object DM-0002', after: 'Woven Panel with Lozenges' }],
    });
    const line = markdown.split('\n').find((l) => l.includes('records changed'))!;
    expect(line).toBe(
      '**2 object records changed** in data/objects.csv: DM-0002 title “Object DM-0002” → “Woven Panel with ' +
        'Lozenges”; DM-0007 title “Object DM-0007” → “Seated Deity”, date “c. 1400” (was empty). The catalogue ' +
        'shows these changes. The model does not read them: it reads only the photographs.',
    );
    expect(markdown.indexOf(line)).toBeLessThan(markdown.indexOf('### Promotion gate'));
  });

  it('says nothing when no record changed', async () => {
    const { markdown, json } = await edited((o) => o);
    expect(json.objectsEdited).toBeUndefined();
    expect(markdown).not.toContain('records changed');
  });

  // The reviewer: a column added or renamed read as every object changed, a change past the 80th character of a long
  // description as none, an id saved with its accents decomposed (NFD) as another object.
  it('says a column added or renamed once, not object by object', async () => {
    const added = await edited((o) => ({ ...o, extra: { location: `Gallery ${o.id.slice(-1)}` } }));
    expect(added.json.objectsEdited).toMatchObject({ columns: [{ name: 'location', change: 'added', objects: 12 }] });
    expect(added.markdown).toContain(
      '**A column changed** in data/objects.csv: a new column “location” (filled for 12 objects). The catalogue ' +
        'shows these changes. The model does not read them: it reads only the photographs.',
    );
    const renamed = await edited((o) => ({ ...o, title: '', extra: { name: o.title } }));
    expect(renamed.json.objectsEdited?.columns).toEqual([
      { name: 'title', change: 'renamed', to: 'name', objects: 12 },
    ]);
    expect(renamed.json.objectsEdited?.count).toBe(0);
    expect(renamed.markdown).toContain('the column “title” renamed “name” (12 objects).');
  });

  it('quotes a long value around its first difference, and names a change of spacing as such', async () => {
    const long = 'A long description of the object, its making and its history in the collection, '.repeat(3);
    const { markdown } = await edited((o) =>
      o.id === 'DM-0003' ? { ...o, description: long } : o.id === 'DM-0004' ? { ...o, title: 'Object  DM-0004' } : o,
    );
    const line = markdown.split('\n').find((l) => l.includes('records changed'))!;
    expect(line).not.toContain('DM-0004 title “Object DM-0004” → “Object DM-0004”');
    expect(line).toContain('DM-0004 title: spacing only');
    // A description changed past its first 80 characters.
    const fix = editedObjectsSection({
      columns: [],
      count: 1,
      photographs: 0,
      objects: [
        { id: 'DM-0003', fields: [{ name: 'description', before: `${long}the end`, after: `${long}teh end` }] },
      ],
    });
    expect(fix).toMatch(/description “…[^”]*the end” → “…[^”]*teh end”/);
  });

  it('reads an id saved with its accents decomposed (NFD) as the same object, neither edited nor removed', async () => {
    const { json, markdown } = await edited((o) => (o.id === 'DÉ-0012' ? { ...o, id: o.id.normalize('NFD') } : o));
    expect(json.objectsEdited).toBeUndefined();
    expect(markdown).not.toContain('leaves the catalogue');
  });

  // The museum’s maintainer: a new export gave MET_544743 another statue’s photograph under the same file name; the
  // stored path was unchanged, only the bytes, and the comment neither counted nor named it.
  it('counts and names a photograph replaced under the same file name, with its label to check', async () => {
    const other = await solidImage({ colour: '#123456' });
    const { markdown, json } = await edited((o) => o, { 'images/DM-0003.png': other });
    expect(json.objectsEdited?.count).toBe(1);
    expect(json.objectsEdited?.photographs).toBe(1);
    expect(json.objectsEdited?.objects[0]).toMatchObject({
      id: 'DM-0003',
      label: specs[2]!.label,
      fields: [{ name: 'photograph' }],
    });
    const line = markdown.split('\n').find((l) => l.includes('record changed'))!;
    expect(line).toBe(
      '**1 object record changed** in data/objects.csv: DM-0003 new photograph under the same file name, ' +
        `labelled “${specs[2]!.label}”: check the label still fits. The catalogue shows these changes. The model ` +
        'reads only the photographs, and 1 photograph changed.',
    );
  });

  // Outside tester (session 49): an object given a copy of another object’s photograph, labelled otherwise. The run
  // log warned that the two have the same image; the comment said “check the label still fits” and never named the
  // other object.
  it('names the other object whose photograph the new one is, and says one of the two labels is wrong', async () => {
    const { markdown, json } = await edited((o) => o, { 'images/DM-0003.png': 'images/DM-0004.png' });
    expect(specs[2]!.label).not.toBe(specs[3]!.label);
    expect(json.objectsEdited?.objects[0]).toMatchObject({
      id: 'DM-0003',
      label: specs[2]!.label,
      samePhotograph: [{ id: 'DM-0004', label: specs[3]!.label }],
    });
    const line = markdown.split('\n').find((l) => l.includes('record changed'))!;
    expect(line).toContain(
      `DM-0003 new photograph under the same file name, labelled “${specs[2]!.label}”, ⚠️ the same photograph as ` +
        `DM-0004’s, labelled “${specs[3]!.label}”: one of the two labels is wrong, or one of the two objects was ` +
        'given the other’s photograph; check which.',
    );
    // Said in the first line too, under a ⚠️: staff read it first.
    const top = markdown.split('\n')[0]!;
    expect(top).toMatch(/^⚠️ /);
    expect(top).toContain(
      '⚠️ **A new photograph is the same as another object’s with another label** (DM-0003 and DM-0004): one of the ' +
        'labels or photographs is wrong.',
    );
  });

  it('with the same label, says one object may have been given the other’s photograph', async () => {
    const { markdown } = await edited((o) => o, { 'images/DM-0003.png': 'images/DM-0009.png' });
    expect(specs[2]!.label).toBe(specs[8]!.label);
    const line = markdown.split('\n').find((l) => l.includes('record changed'))!;
    expect(line).toContain(
      `labelled “${specs[2]!.label}”, ⚠️ the same photograph as DM-0009’s (labelled the same): unless both objects ` +
        'are in the photograph, one of the two objects was given the other’s photograph.',
    );
    expect(markdown.split('\n')[0]).not.toContain('with another label');
  });
});

describe('a copied photograph among many new ones', () => {
  // A new export replaced six photographs and gave DM-0011 a copy of DM-0004’s, labelled otherwise: the first line
  // said so and sent staff to the object records changed, whose list named only the first five, not DM-0011.
  it('is listed first, where the first line sends staff', async () => {
    const photographs: Record<string, Buffer | string> = {};
    for (const n of [1, 2, 3, 5, 6, 7])
      photographs[`images/DM-000${n}.png`] = await solidImage({ colour: `#${String(n).repeat(6)}` });
    photographs['images/DM-0011.png'] = 'images/DM-0004.png';
    expect(specs[10]!.label).not.toBe(specs[3]!.label);
    const { markdown, json } = await edited((o) => o, photographs);
    expect(json.objectsEdited?.photographs).toBe(7);
    expect(json.objectsEdited?.objects[0]).toMatchObject({ id: 'DM-0011', samePhotograph: [{ id: 'DM-0004' }] });
    const line = markdown.split('\n').find((l) => l.includes('records changed**'))!;
    expect(line).toContain('DM-0011 new photograph under the same file name');
    expect(markdown.split('\n')[0]).toContain('(DM-0011 and DM-0004)');
  });
});

describe('one photograph given to many objects', () => {
  // A new export gave a placeholder picture (“no image”) to thousands of objects: each of the 100 objects report.json
  // lists carried every other one, some hundred thousand entries. Each now carries the first few and the count.
  it('lists the first ten others of each, with how many there are', async () => {
    const photographs: Record<string, string> = {};
    for (const s of specs.slice(1, 11)) photographs[`images/${s.id}.png`] = 'images/DM-0001.png';
    const { markdown, json } = await edited((o) => o, photographs);
    const listed = json.objectsEdited!.objects.find((o) => o.id === 'DM-0002')!;
    expect(listed.samePhotograph).toHaveLength(10);
    expect(listed.samePhotographCount).toBe(10);
    const many = await edited((o) => o, { ...photographs, 'images/DÉ-0012.png': 'images/DM-0001.png' });
    const one = many.json.objectsEdited!.objects.find((o) => o.id === 'DM-0002')!;
    expect(one.samePhotograph).toHaveLength(10);
    expect(one.samePhotographCount).toBe(11);
    const line = many.markdown.split('\n').find((l) => l.includes('records changed**'))!;
    expect(line).toMatch(/DM-0002 new photograph [^;]* and 8 more objects’/);
    expect(markdown).toContain('records changed**');
  });
});

describe('more copied photographs than report.json lists', () => {
  // An outside tester: a new export gave 105 objects, under several labels, the photograph of DM-0001. The first line
  // said “100 new photographs are the same as another object’s with another label”: it counted the 100 objects
  // report.json lists, not all of them.
  it('counts them all in the first line', async () => {
    const many = Array.from({ length: 110 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`);
    const manySpecs: ObjectSpec[] = many.map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: VOCABULARY[i % VOCABULARY.length]!,
      split: (['train', 'validation', 'test'] as const)[i % 3]!,
    }));
    const manyLabels = manySpecs.map((s) => ({ objectId: s.id, label: s.label }));
    const ws = await makeCollection({
      objects: manySpecs.map((s) => object(s.id, `images/${s.id}.png`, { title: s.title })),
      labels: manyLabels,
    });
    const { commitAll, baseCommit } = await versionedCollection({ ws });
    await git.branch({ fs, dir: ws.root, ref: 'new-export', checkout: true });
    const copy = await readFile(path.join(ws.data, 'images/DM-0001.png'));
    // DM-0002 … DM-0106: 105 objects given DM-0001’s photograph.
    for (const id of many.slice(1, 106)) await writeFile(path.join(ws.data, `images/${id}.png`), copy);
    await addData({ root: ws.root, log: silentLogger });
    await commitAll('New export', 1);
    const head = Object.fromEntries(manySpecs.map((s) => [s.id, s.label]));
    await writeStageOutputs({ ws, objects: manySpecs, head, params });
    const { markdown, json } = await buildReport({
      ws,
      params,
      base: baseCommit,
      log: silentLogger,
      predict: async () => [],
    });
    expect(json.objectsEdited?.count).toBe(105);
    expect(json.objectsEdited?.objects).toHaveLength(100);
    expect(markdown.split('\n')[0]).toContain(
      '⚠️ **105 new photographs are the same as another object’s with another label** (DM-0002 and DM-0001, …)',
    );
  });
});
