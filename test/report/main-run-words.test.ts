import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Clock, silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { assignStage, registerVersion, rollback } from '../../pipeline/registry/registry.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { editedObjectsSection } from '../../pipeline/report/edited-objects.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { headline, renderMarkdown } from '../../pipeline/report/render.ts';
import { testerRun } from '../fixtures/tester-run.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

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

/*
 * An outside tester read more reports of runs on main: a photograph that cannot be used said to "commit the changed
 * data.dvc to this pull request" and "Merging keeps these objects"; a model kept in production said "**This pull
 * request changes nothing the model learns from** … merging it keeps"; the model a rollback took out said "merging
 * this pull request does not put it back". None of them had a pull request. Each said of the run on main here.
 */
describe('the report of a run on main itself, in every situation that names the change', () => {
  const onMain = { code: 'on-branch', reason: 'this run is on main itself' } as const;
  /** No sentence that speaks of a pull request of this run, or of merging it. */
  const noPullRequest = (md: string) => {
    expect(md).not.toMatch(/\b(this|the) pull request\b/i);
    expect(md).not.toMatch(/\bmerging (this|it)\b|^Merging|\. Merging/m);
  };

  it('a photograph that cannot be used: the fix goes in a new pull request', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws, objects, head: labels });
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8'));
    const [one, two] = [objects[1]!.id, objects[2]!.id];
    dataset.issues = [one, two].map((id, i) => ({
      code: 'IMAGE_UNREADABLE',
      message: `data/objects.csv:${i + 3}: data/images/${id}.png cannot be decoded (VipsJpeg: premature end of JPEG image).`,
      file: 'data/objects.csv',
      line: i + 3,
      object: id,
    }));
    for (const o of dataset.objects) if (o.id === one || o.id === two) Object.assign(o, { image: '', imageMd5: '' });
    await writeFile(file, JSON.stringify(dataset));
    const { fullMarkdown } = await buildReport({ ws, params, noBase: onMain, log: silentLogger });
    const md = plain(fullMarkdown);
    expect(md).toContain('### Photographs that cannot be used');
    expect(md).toContain(
      "⚠️ **2 objects' photographs cannot be used.** The catalogue keeps these objects, but the model is trained " +
        'without them and their pages in the public catalogue show no photograph.',
    );
    expect(md).toContain('run `npx vitrine data add` and commit the changed data.dvc in a new pull request.');
    noPullRequest(md);
  });

  it('label changes to check: merged already, so not “before merging”', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const relabelled = objects.slice(0, 5).map((o) => ({ id: o.id, old: 'vessel', new: o.label }));
    const cv = { ...testerRun({ ref: 'the commit of v1.0.0', comparison: { verdict: 'better' } }), changed: 5 };
    await writeStageOutputs({
      ws,
      objects,
      head: labels,
      metrics: { crossValidated: { ...cv, before: { relabelled: 5, old: 4, objects: relabelled.slice(0, 4) } } },
    });
    const { fullMarkdown, json } = await buildReport({ ws, params, noBase: onMain, log: silentLogger });
    expect(json.verdict).toBe('check label changes');
    const md = plain(fullMarkdown);
    expect(md.split('\n')[0]).toContain(
      '**Check these label changes: the model fits the new labels, but the photographs point to the old label for 4 ' +
        'of the 5 objects relabelled.** If this is a deliberate change in how these objects are catalogued, keeping ' +
        'it is fine;',
    );
    expect(md.split('\n')[0]).toContain('If not, correct the labels in a new pull request.');
    expect(md).toContain('Check them; the model cannot judge which this is.');
    expect(md).not.toContain('before merging');
    noPullRequest(md);
  });

  /** The stage outputs of a run whose model is `identity`, with production's versions registered as `versions`. */
  async function withRegistry(versions: string[], identity: string) {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    metrics.inputs = { ...metrics.inputs, model: identity };
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    let t = Date.parse('2026-05-01T12:00:00Z');
    const clock: Clock = { now: () => new Date((t += 1000)) };
    const name = params.registry.model_name;
    for (const identity of versions) {
      const record = {
        manifest: await manifestOf({ dir: repo.ws.model }),
        evidence: null,
        remote: 'local',
        identity,
        inputs: { labels: VOCABULARY, data: 'data.dir', labelsMd5: 'labels-1' },
        headline: { accuracy: 0.86, macroF1: 0.85, macroF1Low: 0.73, macroF1High: 0.95, n: 36, labels: VOCABULARY },
        lineage: {} as never,
      };
      const commit = identity === versions[0] ? repo.baseCommit : repo.headCommit;
      const { version } = await registerVersion({ dir: repo.ws.root, name, commit, record, clock, log: silentLogger });
      await assignStage({ dir: repo.ws.root, name, version, stage: 'prod', clock, log: silentLogger });
    }
    return { ...repo, clock };
  }

  it('a change that keeps the model in production: this run keeps it', async () => {
    const { ws } = await withRegistry(['model-same'], 'model-same');
    const { fullMarkdown, json } = await buildReport({ ws, params, noBase: onMain, log: silentLogger });
    expect(json.sameModelAs).toBe('v1.0.0');
    const md = plain(fullMarkdown);
    expect(md).toContain(
      '**Nothing the model learns from changed**, so the model tested is the one in production (v1.0.0), scored ' +
        'again: this run keeps v1.0.0 in production and registers no new version.',
    );
    noPullRequest(md);
  });

  it('the model a rollback took out of production: this run does not put it back', async () => {
    const { ws, clock } = await withRegistry(['model-old', 'model-new'], 'model-new');
    await rollback({ ws, params, version: 'v1.0.0', clock, log: silentLogger });
    const { fullMarkdown, json } = await buildReport({ ws, params, noBase: onMain, log: silentLogger });
    expect(json.rolledBackModel).toBe('v1.0.1');
    const md = plain(fullMarkdown);
    expect(md).toContain(
      '**The model tested is v1.0.1, which a rollback took out of production**: this run does not put it back. It ' +
        'keeps v1.0.0 in production and registers no new version',
    );
    noPullRequest(md);
  });
});

// A report.json of a 'check label changes' run on main with no labelsToCheck (an older report, read by the report
// action): its status said "Check these label changes before merging" while its comment said "Check these label changes".
describe('the headline of a run on main itself', () => {
  const gate = { passed: true, checks: [] };
  for (const noBaseCode of ['on-branch', 'merged'] as const) {
    it(`says “Check these label changes”, not “before merging” (${noBaseCode})`, () => {
      const labels = { baseCommit: null, baseUnavailable: null, noBaseCode };
      const words = headline({ verdict: 'check label changes', gate, labels });
      expect(words).toBe('Check these label changes. The promotion gate passes.');
    });
  }

  it('says “before merging” on a pull request’s branch', () => {
    const labels = { baseCommit: 'abc', baseUnavailable: null, noBaseCode: null };
    expect(headline({ verdict: 'check label changes', gate, labels })).toContain('before merging');
  });
});

/*
 * A reviewer: the first line of a run on main itself still said "This pull request makes 2 photographs unusable" and
 * "A label this pull request sets looks wrong" (as a report.json rebuilt into a comment can hold them).
 */
describe('the first line of a run on main itself, over photographs and labels it flags', () => {
  async function firstLine(noBase: { code: 'on-branch'; reason: string } | undefined) {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const built = await buildReport({ ws, params, ...(noBase ? { noBase } : { base: 'main' }), log: silentLogger });
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'));
    const [one, two] = [objects[1]!, objects[2]!];
    const photo = (o: typeof one) => ({ id: o.id, title: o.id, file: null, reason: 'unreadable', newInChange: true });
    const report = {
      ...built.json,
      unusablePhotos: { comparedWithBase: true, objects: [photo(one), photo(two)] },
      labelsThatLookWrong: [{ id: one.id, label: 'coin', suggested: 'mask' }],
    } as typeof built.json;
    const md = renderMarkdown({
      report,
      metrics,
      model: null,
      dataset: null,
      drift: null,
      collectionName: 'Demo',
      maxLabelChanges: 50,
      limit: Number.POSITIVE_INFINITY,
    });
    return plain(md).split('\n')[0]!;
  }

  it('says “this change”, with no pull request', async () => {
    const line = await firstLine({ code: 'on-branch', reason: 'this run is on main itself' });
    expect(line).not.toMatch(/pull request/i);
    expect(line).toContain('**This change makes 2 photographs unusable** (listed below).');
    expect(line).toContain('**A label this change sets looks wrong to the model:**');
  });

  it('says “this pull request” on a pull request’s branch', async () => {
    const line = await firstLine(undefined);
    expect(line).toContain('**This pull request makes 2 photographs unusable** (listed below).');
    expect(line).toContain('**A label this pull request sets looks wrong to the model:**');
  });
});
