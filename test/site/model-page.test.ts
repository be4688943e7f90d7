import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { ModelCard } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * What an outside tester read on a model page: "macro-F1 changed by +1.4 points" and further down "macro-F1
 * 95.4% → 100.0% (+4.6 pts)", with nothing saying that the first scores both models on the same test objects
 * and labels and the second compares the scores each version was registered with;. A small fixture site, read back as HTML.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });
/** As pipeline/registry/card.ts writes it under "What changed" (since edc47e2: with the sentence after it). */
const REGISTERED =
  'Accuracy 95.0% → 98.0% (+3.0 pts); macro-F1 95.4% → 100.0% (+4.6 pts); test objects 60 → 66. These are the ' +
  'scores each version was registered with, each measured on the labels and test objects of its own time, so they ' +
  'do not compare like for like; the comparison of both models on the same test objects is the one under Metrics.';

describe('model page', () => {
  let root = '';
  let text = '';
  let html = '';
  let slugA1 = '';
  let olderText = '';

  beforeAll(async () => {
    root = await tempDir('vitrine-model-page-');
    const objects = ['A-1', 'A-2', 'A-3', 'A-4'].map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: ['coin', 'vase', 'mask'][i % 3]!,
      image: null,
    }));
    await writeFixture({ root, objects, labels: ['coin', 'vase', 'mask'] });
    const ws = workspace(root);
    const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
    const comparison = {
      metric: 'macroF1',
      difference: iv(0.014, 0, 0.051),
      pValue: 0.705,
      test: 'paired bootstrap',
      alpha: 0.05,
    };
    metrics.baseline = {
      ...metrics,
      version: 'v1.0.0',
      comparison: { ...comparison, verdict: 'no detectable difference' },
    } as Metrics['baseline'];
    await writeFile(file, JSON.stringify(metrics));
    // The card's "What changed", as the registry writes it.
    const cardFile = path.join(ws.registry, 'cards', 'v1.1.0.json');
    const card = JSON.parse(await readFile(cardFile, 'utf8'));
    card.details.changes = ['minor version bump from v1.0.0: labels changed.', REGISTERED];
    // As the registry records them: the summary counts every labelled object in its split, the head those it used.
    card.details.head = { trainCount: 18, validationCount: 6, leftOut: 1 };
    card.data = {
      objects: 70,
      labelled: 57,
      bySplit: { train: 20, validation: 6, test: 31 },
      byLabel: {},
      factors: [],
    };
    // train.flagged: drop, as the registry records it: the labels left out of training, one object since deleted.
    card.details.flagged = {
      objects: [
        { id: 'A-1', label: 'coin' },
        { id: 'A-2', label: 'coin' },
        { id: 'GONE-1', label: 'vase' },
      ],
      complete: true,
      // The evaluation's list (`vitrine review`) flags A-3, learnt from, and not GONE-1.
      differs: { learnt: ['A-3'], notFlagged: ['GONE-1'] },
    };
    await writeFile(cardFile, JSON.stringify(card));
    // An older model, saved before the labels left out were recorded: its list is every flagged id, without labels,
    // a test object (A-3, still tested on) among them.
    const older = {
      ...card,
      version: 'v0.9.0',
      details: {
        ...card.details,
        flagged: {
          objects: [
            { id: 'A-3', label: null },
            { id: 'A-4', label: null },
          ],
          complete: false,
          differs: null,
        },
      },
    };
    await writeFile(path.join(ws.registry, 'cards', 'v0.9.0.json'), JSON.stringify(older));
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const version = catalogue.models.find((m: ModelCard) => m.current)!.version;
    expect(version).toBe('v1.1.0');
    slugA1 = catalogue.objects.find((o: { id: string }) => o.id === 'A-1')!.slug;
    await buildSite({ ws, params, log: memoryLogger() });
    html = await readFile(path.join(ws.site, 'models', version, 'index.html'), 'utf8');
    olderText = (await readFile(path.join(ws.site, 'models', 'v0.9.0', 'index.html'), 'utf8'))
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/ ([.,;:])/g, '$1');
    // As read: the space a tag leaves before a full stop or comma is not there on the page.
    text = html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/ ([.,;:])/g, '$1');
  }, 300_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('says which change compares both models on the same test objects and which the registered scores', () => {
    expect(text).toContain(
      'Compared with v1.0.0 on the same test objects and labels (both models scored on this version’s): macro-F1 ' +
        'changed by +1.4 points (95% range: +0.0 to +5.1 points), p = 0.705 (with no real difference, one this large ' +
        'would turn up by chance about 7 times in 10) — ' +
        'no detectable difference.',
    );
    expect(text).toContain(
      'This can differ from the change under “About this version”, which compares the scores each version was ' +
        'registered with, each measured on its own test objects.',
    );
    expect(text).toContain(
      'As registered (each version scored on its own test objects, so not like for like): accuracy 95.0% → 98.0% ' +
        '(+3.0 points); macro-F1 95.4% → 100.0% (+4.6 points); test objects 60 → 66.',
    );
    // The card's own pointer names a heading ("Metrics") the page does not have: the page's is linked instead.
    expect(text).not.toContain('under Metrics');
    expect(html).toMatch(/<a href="#metrics">[^<]*How well it does/);
  });

  // Tester C read “Stage: prod”, “minor version bump” and “Labels md5” on the public model page: a stage name,
  // semantic versioning and a hash, none of them explained. Plain words first; the technical record folded away.
  it('says in plain words where the version is used, why its number changed and what its record is', () => {
    expect(text).toContain('In production: its predictions are the ones shown on object pages. Registered 2026-11-20.');
    expect(text).not.toContain('Stage: prod');
    expect(text).toContain(
      'Labels changed since v1.0.0, so this is a new minor version (the same types, new or changed photographs ' +
        'or labels).',
    );
    expect(text).not.toMatch(/version bump/);
    // Said once (the reviewer: “Why this version: labels changed” stood right above it).
    expect(text).not.toContain('Why this version: labels changed');
    expect(html).toMatch(/<details[^>]*>\s*<summary[^>]*>Technical record/);
    expect(text).toContain('Labels file (labels.csv), its fingerprint (md5) abcd');
    expect(text).toContain('Photographs (data.dvc), their fingerprint 1234.dir');
    expect(text).not.toMatch(/\bBump\b/);
  });

  // A tester read “31 for testing” beside “Measured on 29 test objects”: the split counted the labelled objects
  // without a usable picture, which were neither trained on nor tested.
  it('counts only the objects the model learnt from and was tested on, and says how many had no usable picture', () => {
    expect(text).toContain('Measured on 29 test objects');
    expect(text).toContain(
      '57 of the 70 objects have a staff label: 18 for training, 6 for validation (to tune it while it learns) and ' +
        '29 for testing. The other 4 labelled objects were neither learnt from nor tested on: their pictures could ' +
        'not be used (missing, damaged or unreadable), or their labels looked wrong and were left out of training.',
    );
    expect(text).not.toContain('31 for testing');
  });

  // train.flagged: drop trained without the labels the check of every label found likely wrong; the page did not say
  // which, so neither the public nor staff could see what the model never learnt from.
  it('lists the labels training left out as likely wrong, each linked to its object’s page', () => {
    expect(text).toContain(
      'Training left out 3 labels as likely wrong (train.flagged: drop): before training, a check of every label ' +
        'found them likely wrong, so the model did not learn from these objects.',
    );
    expect(html).toMatch(new RegExp(`<a href="[^"]*objects/${slugA1}/"[^>]*>A-1</a>`));
    // The label shown is the one at training; staff may have corrected it since (A-2 is a vase in labels.csv today).
    expect(text).toContain('A-1, labelled coin when the model was trained A-2');
    expect(text).toContain('A-2, labelled coin when the model was trained, since changed to vase');
    expect(text).not.toContain('unchanged');
    // There is no way to confirm a label: a correct one is left as it is.
    expect(text).toContain(
      'Staff correct each label that is wrong, and leave a correct label as it is; training leaves it out again ' +
        'while the check finds it unlikely.',
    );
    expect(text).not.toContain('or confirm it');
  });

  // A reviewer: an object taken out of the catalogue (a takedown) stayed named, with its label, on the public page
  // for ever. Only objects in the catalogue today are named; the others are counted.
  it('never names an object no longer in the catalogue, in the list or where the second check differs', () => {
    expect(html).not.toContain('GONE-1');
    expect(text).toContain('1 object no longer in the catalogue is not listed.');
    expect(text).toContain(
      'A second check, made when this version was tested, learnt from a different sample of objects and flags some ' +
        'different labels: it flags A-3, which the model learnt from.',
    );
    expect(text).not.toContain('cv_max_objects');
  });

  // A model saved before the labels left out were recorded counted test objects (still tested on) as left out, and
  // showed “labelled (not recorded)”.
  it('leaves test objects off an older model’s list and shows each label as it is now', () => {
    expect(olderText).toContain('Training left out 1 label as likely wrong');
    expect(olderText).toContain('A-4, label now: coin');
    expect(olderText).not.toMatch(/A-3,|not recorded/);
  });
});
