import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultParams, PLACEHOLDER_OWNERS } from '../../pipeline/params.ts';
import { buildCard, hfLicense, pct, renderCardMarkdown, summariseDataset } from '../../pipeline/registry/card.ts';
import type { Registration } from '../../pipeline/registry/registry.ts';
import type { Dataset, Metrics, ModelInfo } from '../../pipeline/types.ts';

const iv = (value: number, low: number, high: number) => ({ value, low, high });

const metrics: Metrics = {
  schema: 'vitrine.metrics/1',
  createdAt: '2026-03-01T00:00:00Z',
  backend: 'wasm',
  backbone: 'b',
  labels: ['coin', 'mask', 'vessel'],
  n: 20,
  accuracy: iv(0.85, 0.7, 0.95),
  macroF1: iv(0.6123, 0.5, 0.7),
  topK: { k: 2, accuracy: iv(0.95, 0.85, 1) },
  ece: iv(0.142, 0.08, 0.2),
  perClass: [
    { label: 'coin', precision: 0.9, recall: 0.8, f1: 0.847, support: 10 },
    { label: 'mask', precision: 0.5, recall: 0.6, f1: 0.545, support: 10 },
    { label: 'vessel', precision: 0, recall: 0, f1: 0, support: 0 },
  ],
  confusion: [],
  factors: [{ factor: 'medium', groups: [{ value: 'Gold | silver', n: 12, accuracy: 0.9, macroF1: 0.7 }] }],
  baseline: {
    accuracy: iv(0.8, 0.6, 0.9),
    macroF1: iv(0.58, 0.4, 0.7),
    topK: { k: 2, accuracy: iv(0.9, 0.8, 1) },
    ece: iv(0.1, 0.05, 0.2),
    perClass: [],
    confusion: [],
    version: 'v1.0.0',
    comparison: {
      metric: 'macroF1',
      difference: iv(0.0323, -0.01, 0.07),
      pValue: 0.21,
      test: 'paired bootstrap',
      verdict: 'no detectable difference',
    },
  },
  changedPredictions: [],
  leastConfident: [],
  inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
  gate: { passed: true, checks: [] },
};

const dataset = {
  labels: ['coin', 'mask', 'vessel'],
  objects: [
    { id: 'a', label: 'coin', split: 'train', medium: 'Gold | silver', extra: {} },
    { id: 'b', label: 'coin', split: 'test', medium: 'Gold | silver', extra: {} },
    { id: 'c', label: 'mask', split: 'validation', medium: '', extra: {} },
    { id: 'd', label: null, split: 'test', medium: 'Wood', extra: {} },
  ],
} as unknown as Dataset;

function registration(version: string, previous: Registration | null): Registration {
  const params = defaultParams();
  return {
    schema: 'vitrine.registration/1',
    model: 'collection-classifier',
    version,
    previous: previous?.version ?? null,
    bump: previous ? 'major' : 'first',
    reason: previous ? 'label vocabulary changed (added vessel)' : 'first version of this model',
    manifest: { md5: 'x.dir', files: [] },
    evidence: null,
    remote: 'local',
    inputs: { labels: metrics.labels, data: 'd', labelsMd5: 'l' },
    headline: {
      accuracy: previous ? 0.85 : 0.8,
      macroF1: 0.6,
      macroF1Low: 0.5,
      macroF1High: 0.7,
      n: 20,
      labels: previous ? ['coin', 'mask', 'vessel'] : ['coin', 'mask'],
    },
    lineage: {
      data: { hash: previous ? 'd2.dir' : 'd1.dir', source: 'data.dvc' },
      labels: { md5: 'l', commit: null },
      params: { md5: 'p', values: params },
      code: { commit: 'abc' },
      backbone: { id: 'nsfwjs-mobilenet_v2@4.4.0#flatten_1', source: 'npm:nsfwjs', licence: 'MIT' },
      backend: 'wasm',
      runtime: { node: 'v24', packages: {} },
      durations: { embedMs: 1000, trainMs: 2000, evaluateMs: null },
      pullRequest: { number: 12, url: 'https://github.com/m/c/pull/12' },
      run: null,
      promotedAt: '2026-03-02T10:00:00.000Z',
    },
  };
}

describe('model card', () => {
  it('maps the backbone licence to a Hugging Face licence id', () => {
    expect(hfLicense('MIT (nsfwjs by Infinite Red; weights Apache-2.0)')).toEqual({ license: 'mit' });
    expect(hfLicense('Apache-2.0')).toEqual({ license: 'apache-2.0' });
    expect(hfLicense('Museum internal use only')).toEqual({
      license: 'other',
      license_name: 'museum-internal-use-only',
    });
  });

  const info = { epochs: 30, seed: 42, trainCount: 40, validationCount: 8 } as ModelInfo;
  const v1 = registration('v1.0.0', null);
  const v2 = registration('v2.0.0', v1);
  const summary = summariseDataset({ dataset, factors: ['medium'] });
  const cardOptions = {
    registration: v2,
    metrics,
    modelInfo: info,
    summary,
    previous: v1,
    stages: ['prod'],
    owners: ['Registrar'],
    collectionName: 'The Museum',
  };
  const card = buildCard(cardOptions);
  const md = renderCardMarkdown(card);
  /** The same card over another dataset summary. */
  const cardWith = (other: typeof summary) =>
    buildCard({
      registration: v2,
      metrics,
      modelInfo: info,
      summary: other,
      previous: v1,
      stages: ['prod'],
      owners: ['Registrar'],
      collectionName: 'The Museum',
    });

  const cardFor = (over: {
    modelInfo?: object;
    train?: Partial<Registration['lineage']['params']['values']['train']>;
  }) => {
    const reg = registration('v2.0.0', v1);
    reg.lineage.params.values = {
      ...reg.lineage.params.values,
      train: { ...reg.lineage.params.values.train, ...over.train },
    };
    return buildCard({
      registration: reg,
      metrics,
      modelInfo: { ...info, ...over.modelInfo } as ModelInfo,
      summary,
      previous: v1,
      stages: ['prod'],
      owners: ['Registrar'],
      collectionName: 'The Museum',
    });
  };
  const trainingLine = (c: ReturnType<typeof cardFor>) =>
    renderCardMarkdown(c)
      .split('\n')
      .find((l) => l.startsWith('- **Training:**'))!;

  // An outside tester read "Owners: Collections Data Team", the placeholder registry.owners starts with, as a team.
  it('says no owner is named yet while registry.owners is the placeholder', () => {
    const placeholder = renderCardMarkdown(buildCard({ ...cardOptions, owners: [...PLACEHOLDER_OWNERS] }));
    expect(placeholder).toContain('- **Owners:** not named yet\n');
    expect(placeholder).not.toContain('Collections Data Team');
    expect(md).toContain('- **Owners:** Registrar\n');
  });

  it('says what nsfwjs is beside the backbone, for a public that reads the name (an outside tester)', () => {
    const line = md.split('\n').find((l) => l.startsWith('- **Model type:**'))!;
    // What the image model is, in plain words, and that nsfwjs is only where its weights ship (offline).
    expect(line).toContain(
      'on image features from MobileNetV2, a general-purpose image model trained on everyday photographs (ImageNet)',
    );
    expect(line).toContain('nsfwjs is only the software package its weights ship in, so that they work offline');
    expect(line).toContain('not the content filter that package is named for');
    const custom = registration('v2.0.0', v1);
    custom.lineage.backbone = { id: 'custom-abc#output', source: 'file', licence: 'MIT' };
    const customMd = renderCardMarkdown(
      buildCard({
        registration: custom,
        metrics,
        modelInfo: info,
        summary,
        previous: v1,
        stages: [],
        owners: ['Registrar'],
        collectionName: 'The Museum',
      }),
    );
    expect(customMd).not.toContain('nsfwjs is');
  });

  // The card said “Stage: **staging**” where the model page said “in staging”, the home page “(staging)”.
  it('names a stage as the model page and the home page do', () => {
    const inStages = (stages: string[]) =>
      renderCardMarkdown(buildCard({ ...cardOptions, stages }))
        .split('\n')
        .find((l) => l.startsWith('Image classifier for museum objects:'));
    expect(inStages(['prod'])).toMatch(/ \*\*In production\.\*\*$/);
    expect(inStages(['staging'])).toMatch(/ \*\*In staging\.\*\*$/);
    expect(inStages(['review'])).toMatch(/ \*\*In stage “review”\.\*\*$/);
    expect(inStages([])).toMatch(/vessel\.$/);
  });

  it('says "30 epochs" for a mini-batch head (train.solver adam)', () => {
    const adam = cardFor({ train: { solver: 'adam' } });
    expect(trainingLine(adam)).toBe('- **Training:** 30 epochs, seed 42, 40 training and 8 validation objects');
    expect(adam.details.head).toMatchObject({ solver: 'adam', epochs: 30, lbfgs: null });
    // Hidden units always train with Adam, whatever train.solver says.
    expect(trainingLine(cardFor({ train: { hidden_units: 64 } }))).toContain('- **Training:** 30 epochs, seed 42');
  });

  it('says how many objects training left out because their images could not be read', () => {
    const two = cardFor({ modelInfo: { leftOut: { objects: 2, ids: ['a', 'b'] } } });
    expect(trainingLine(two)).toContain(
      '40 training and 8 validation objects (2 objects left out: their images could not be read)',
    );
    expect(two.details.head.leftOut).toBe(2);
    expect(trainingLine(cardFor({ modelInfo: { leftOut: { objects: 1, ids: ['a'] } } }))).toContain(
      '(1 object left out: its image could not be read)',
    );
    expect(trainingLine(cardFor({}))).not.toContain('left out');
  });

  // The model page said “31 for testing” beside “Measured on 29 test objects”, and so did the card: the dataset summary
  // counts every labelled object in its split, those without a usable picture too (neither trained on nor tested).
  it('counts only the objects trained on, validated on and tested, and says how many had no usable picture', () => {
    const used = buildCard({
      ...cardOptions,
      metrics: { ...metrics, n: 29 },
      modelInfo: { ...info, trainCount: 18, validationCount: 6, leftOut: { objects: 2, ids: ['x', 'y'] } } as ModelInfo,
      summary: { ...summary, objects: 70, labelled: 57, bySplit: { train: 20, validation: 6, test: 31 } },
    });
    const text = renderCardMarkdown(used);
    expect(text).toContain('Measured on the test split (29 objects never used in training).');
    expect(text).toContain(
      '70 objects in the collection, 57 with a human label: 18 for training, 6 for validation and 29 for ' +
        'testing. The other 4 labelled objects were neither learnt from nor tested on: their pictures could not be ' +
        'used (missing, damaged or unreadable), or their labels looked wrong and were left out of training.',
    );
    expect(text).not.toContain('31 for testing');
    expect(text).toContain('The tables below count every labelled object, those without a usable picture too.');
    // One such object is said in the singular; none, not at all.
    const one = renderCardMarkdown(
      buildCard({
        ...cardOptions,
        metrics: { ...metrics, n: 30 },
        modelInfo: { ...info, trainCount: 20, validationCount: 6 } as ModelInfo,
        summary: { ...summary, objects: 70, labelled: 57, bySplit: { train: 20, validation: 6, test: 31 } },
      }),
    );
    expect(one).toContain(
      '20 for training, 6 for validation and 30 for testing. The other labelled object was neither learnt from ' +
        'nor tested on: its picture could not be used (missing, damaged or unreadable), or its label looked wrong ' +
        'and was left out of training.',
    );
    expect(md).not.toContain('neither learnt from');
  });

  // train.flagged: drop trained without the labels the check of every label found likely wrong; the card did not say
  // which, so neither the public nor staff could see what the model never learnt from. The card’s JSON lists them;
  // the markdown card, published as it is for ever, counts them and names none (a reviewer: an object taken out of
  // the catalogue stayed named there with its label).
  it('records the labels train.flagged: drop left out of training, and the markdown card counts them, naming none', () => {
    const section = (c: ReturnType<typeof cardFor>) =>
      renderCardMarkdown(c).split('## Training and evaluation data')[1]!.split('\n## ')[0]!;
    const leftOut = [
      { id: 'OBJ-7', label: 'mask' },
      { id: 'OBJ-9', label: 'coin' },
    ];
    // A test object among the ids stays in the test split: flagged, but not left out of training.
    const two = cardFor({ modelInfo: { flagged: { l2: 0.3, ids: ['OBJ-7', 'OBJ-8', 'OBJ-9'], leftOut } } });
    expect(two.details.flagged).toEqual({ objects: leftOut, complete: true, differs: null });
    const text = section(two);
    expect(text).toContain(
      'Training left out 2 labels as likely wrong (train.flagged: drop): before training, a check of every label ' +
        '(confident learning, cross-validated) found them likely wrong, so the model did not learn from these objects.',
    );
    expect(text).toContain('The catalogue’s page for this version names those still in the catalogue.');
    // There is no way to confirm a label: a correct one is left as it is.
    expect(text).toContain(
      'Staff correct in labels.csv each label that is wrong, and leave a correct label as it is; training leaves it ' +
        'out again while the check finds it unlikely.',
    );
    expect(text).not.toMatch(/confirm it|unchanged in labels\.csv/);
    expect(renderCardMarkdown(two)).not.toMatch(/OBJ-[789]|Label it has/);
    // A long list: its count, no id.
    const many = Array.from({ length: 63 }, (_, i) => ({ id: `M-${String(i).padStart(3, '0')}`, label: 'coin' }));
    const long = cardFor({ modelInfo: { flagged: { l2: 0.3, ids: many.map((o) => o.id), leftOut: many } } });
    expect(section(long)).toContain('Training left out 63 labels as likely wrong');
    expect(renderCardMarkdown(long)).not.toContain('M-0');
    expect(long.details.flagged!.objects).toHaveLength(63);
    // Nothing found: said, so that "drop" does not read as though labels were dropped.
    const none = section(cardFor({ modelInfo: { flagged: { l2: 0.3, ids: [], leftOut: [] } } }));
    expect(none).toContain('but the check found none, so the model learnt from every usable label.');
    // A reviewer: "none was found" is false when no check ran, when its model was no better than guessing, or when it
    // flagged only test objects (which are not left out): each is said.
    const noneFor = (flagged: ModelInfo['flagged']) => {
      const c = cardFor({ modelInfo: { flagged } });
      return { why: c.details.flagged!.why, text: section(c) };
    };
    const noFolds = noneFor({ l2: null, ids: [], leftOut: [], unchecked: 'no-folds' });
    expect(noFolds.why).toBe('no-folds');
    expect(noFolds.text).toContain(
      'but no check was made: it needs cross-validation, and evaluate.folds is below 2. So the model learnt from ' +
        'every usable label.',
    );
    const guessing = noneFor({ l2: 0.3, ids: [], leftOut: [], unchecked: 'guessing' });
    expect(guessing.text).toContain('the model of its check was no better than guessing, so its flags say nothing.');
    const testOnly = noneFor({ l2: 0.3, ids: ['OBJ-8'], leftOut: [] });
    expect(testOnly.why).toBe('test-only');
    expect(testOnly.text).toContain('the check flagged only test objects, which stay in the test split');
    for (const t of [none, noFolds.text, guessing.text, testOnly.text]) expect(t).not.toContain('none was found');
    // A model saved before the labels were recorded: its ids, test objects possibly among them.
    const older = cardFor({ modelInfo: { flagged: { l2: 0.3, ids: ['OBJ-7', 'OBJ-8'] } } });
    expect(older.details.flagged).toEqual({
      objects: [
        { id: 'OBJ-7', label: null },
        { id: 'OBJ-8', label: null },
      ],
      complete: false,
      differs: null,
    });
    expect(section(older)).not.toContain('OBJ-8');
    expect(section(older)).toContain('test objects among them were still tested on');
    // train.flagged: keep: nothing changes.
    const keep = cardFor({});
    expect(keep.details.flagged).toBeNull();
    expect(section(keep)).not.toMatch(/likely wrong|Label it has/);
  });

  // In a collection larger than evaluate.cv_max_objects, the evaluation’s check of every label (review.json, what
  // `vitrine review` lists) can learn from other objects than the check before training, and flag others.
  it('says when the evaluation’s list of flagged labels differs from the labels training left out, in counts', () => {
    const leftOut = [
      { id: 'OBJ-7', label: 'mask' },
      { id: 'OBJ-9', label: 'coin' },
    ];
    const item = (id: string, split: 'train' | 'test', reason: 'flagged' | 'ranked') => ({
      id,
      label: 'coin',
      suggested: 'mask',
      score: 0.9,
      confidence: 0.9,
      confident: reason === 'flagged',
      reason,
      split,
    });
    const review = {
      schema: 'vitrine.review/1' as const,
      labels: ['coin', 'mask'],
      checked: 40,
      confident: 3,
      items: [item('OBJ-7', 'train', 'flagged'), item('OBJ-3', 'train', 'flagged'), item('OBJ-8', 'test', 'flagged')],
    };
    const build = (r: typeof review | null) =>
      buildCard({
        ...cardOptions,
        modelInfo: { ...info, flagged: { l2: 0.3, ids: ['OBJ-7', 'OBJ-8', 'OBJ-9'], leftOut } } as ModelInfo,
        review: r,
      });
    const card = build(review);
    expect(card.details.flagged!.differs).toEqual({ learnt: ['OBJ-3'], notFlagged: ['OBJ-9'] });
    const md = renderCardMarkdown(card);
    expect(md).toContain(
      'A second check, made when this version was tested (what `vitrine review` lists), learnt from a different ' +
        'sample of objects and flags some different labels: it flags 1 label the model learnt from; it does not ' +
        'flag 1 of those training left out.',
    );
    expect(md).not.toMatch(/OBJ-[39]/);
    // The same lists, or no review list stored with the version: nothing more is said.
    const same = { ...review, items: [item('OBJ-7', 'train', 'flagged'), item('OBJ-9', 'train', 'flagged')] };
    expect(build(same).details.flagged!.differs).toBeNull();
    expect(build(null).details.flagged!.differs).toBeNull();
    // An evaluation whose check was no better than guessing flags nothing: not a list that differs (the sample is not
    // to blame).
    const guessing = { ...review, agreement: { accuracy: 0.5, guessing: 0.5, better: false } };
    expect(build(guessing).details.flagged!.differs).toBeNull();
    expect(renderCardMarkdown(build(guessing))).not.toContain('A second check');
    expect(renderCardMarkdown(build(same))).not.toContain('A second check');
  });

  it('says how an lbfgs head was fitted: iterations to convergence and the L2 it chose, not "1 epoch"', () => {
    const lbfgs = cardFor({
      modelInfo: {
        epochs: 1,
        l2: 0.1,
        lbfgs: {
          iterations: 47,
          converged: true,
          l2Chosen: 'cross-validation',
          choices: [3, 1, 0.3, 0.1, 0.03, 0.01],
          folds: 3,
          sampled: false,
        },
      },
    });
    const line = trainingLine(lbfgs);
    expect(line).not.toMatch(/\d epochs?/);
    expect(line).toBe(
      '- **Training:** trained until it stopped improving, in 47 rounds; how strongly it is kept from fitting the ' +
        'training photographs too closely: 0.1 (its L2 ' +
        'penalty), chosen among 0.01, 0.03, 0.1, 0.3, 1 and 3 (train.l2_choices) by trying each on 3 parts of the ' +
        'training objects in turn (3-fold cross-validation); seed 42, 40 training and 8 validation objects',
    );
    expect(lbfgs.details.head).toMatchObject({
      solver: 'lbfgs',
      lbfgs: { iterations: 47, converged: true, l2: 0.1, l2Chosen: 'cross-validation', folds: 3 },
    });
    expect(lbfgs.sections[0]!.text).toContain('trained until it stopped improving, in 47 rounds');
  });

  it('says when the L2 was fixed, chosen on a sample, or the largest for want of objects, and a fit that hit its limit', () => {
    const fit = { iterations: 300, converged: false, l2Chosen: 'fixed', choices: [0.5], folds: 0, sampled: null };
    expect(trainingLine(cardFor({ modelInfo: { epochs: 1, l2: 0.5, lbfgs: fit } }))).toContain(
      '- **Training:** stopped after 300 rounds, its limit, while it was still improving a little; ' +
        'how strongly it is kept from fitting the training photographs too closely: 0.5 (its L2 penalty), ' +
        'fixed in params.yaml (train.l2_choices gives one value); seed 42',
    );
    const sampled = { ...fit, converged: true, iterations: 80, l2Chosen: 'cross-validation', choices: [1, 0.1] };
    expect(
      trainingLine(cardFor({ modelInfo: { epochs: 1, l2: 1, lbfgs: { ...sampled, folds: 3, sampled: true } } })),
    ).toContain(
      'chosen among 0.1 and 1 (train.l2_choices) by trying each on 3 parts of a sample of the training objects ' +
        '(train.l2_cv_max_objects) in turn (3-fold cross-validation)',
    );
    const largest = { ...sampled, l2Chosen: 'largest', folds: 0 };
    expect(trainingLine(cardFor({ modelInfo: { epochs: 1, l2: 1, lbfgs: largest } }))).toContain(
      'how strongly it is kept from fitting the training photographs too closely: 1 (its L2 penalty), the ' +
        'largest of train.l2_choices: too few training objects to compare them; seed 42',
    );
  });

  it('still renders the card of an lbfgs model saved before these facts were recorded, saying less', () => {
    // model-info.json with the chosen L2 but no iterations (models trained before they were recorded):
    // 40 training objects, at most train.l2_cv_max_objects (5,000), so the cross-validation ran on all.
    const withL2 = trainingLine(cardFor({ modelInfo: { epochs: 1, l2: 0.3 } }));
    expect(withL2).toBe(
      '- **Training:** trained until it stopped improving; how strongly ' +
        'it is kept from fitting the training photographs too closely: 0.3 (its L2 penalty), chosen among 0.01, ' +
        '0.03, 0.1, 0.3, 1 and 3 (train.l2_choices) by trying each on 3 parts of the training objects in turn ' +
        '(3-fold cross-validation); seed 42, 40 training and 8 validation objects',
    );
    // Too few objects for the folds: how it was chosen is not said.
    const few = trainingLine(cardFor({ modelInfo: { epochs: 1, l2: 3, trainCount: 4 } }));
    expect(few).toContain('too closely: 3 (its L2 penalty); seed 42, 4 training');
    // More than train.l2_cv_max_objects: on a sample; with mirror images the count may or may not exceed it.
    const many = { epochs: 1, l2: 1, trainCount: 6000 };
    expect(trainingLine(cardFor({ modelInfo: many }))).toContain(
      'by trying each on 3 parts of a sample of the training objects (train.l2_cv_max_objects) in turn',
    );
    const mirrored = trainingLine(cardFor({ modelInfo: { ...many, trainCount: 3000 }, train: { augment: true } }));
    expect(mirrored).toContain('chosen among 0.01,');
    expect(mirrored).toContain('by trying each in turn (3-fold cross-validation)');
    // Older still: no L2 either; one choice in params means it was fixed.
    const bare = trainingLine(cardFor({ modelInfo: { epochs: 1 } }));
    expect(bare).toBe(
      '- **Training:** trained until it stopped improving; seed 42, 40 ' + 'training and 8 validation objects',
    );
    expect(trainingLine(cardFor({ modelInfo: { epochs: 1 }, train: { l2_choices: [0.2] } }))).toContain(
      'how strongly it is kept from fitting the training photographs too closely: 0.2 (its L2 penalty), fixed ' +
        'in params.yaml (train.l2_choices gives one value); seed 42',
    );
    for (const line of [withL2, few, bare, mirrored]) expect(line).not.toMatch(/undefined|null|NaN|epoch,|epochs,/);
  });

  it('counts labelled objects per class and per factor value by split', () => {
    expect(summary.byLabel).toEqual({
      coin: { train: 1, validation: 0, test: 1 },
      mask: { train: 0, validation: 1, test: 0 },
      vessel: { train: 0, validation: 0, test: 0 },
    });
    expect(summary.factors[0]!.values).toEqual([
      { value: 'Gold | silver', counts: { train: 1, validation: 0, test: 1 }, unlabelled: 0 },
      { value: '(not recorded)', counts: { train: 0, validation: 1, test: 0 }, unlabelled: 0 },
      { value: 'Wood', counts: { train: 0, validation: 0, test: 0 }, unlabelled: 1 },
    ]);
    expect(summary).toMatchObject({ objects: 4, labelled: 3 });
  });

  // Tester: the Egyptian import's Cleveland objects, none labelled, went unmentioned on the card.
  it('says which factor values the model was never tested on: none labelled, or none in the test split', () => {
    expect(md).toContain('| medium | Train | Validation | Test | Not labelled |');
    expect(md).toContain('| Wood | 0 | 0 | 0 | 1 |');
    expect(card.caveatsAndRecommendations).toContain(
      'No object with medium "Wood" is labelled (1 object in the collection): the model learnt nothing from its ' +
        'photograph and was not tested on it, so how well it annotates it is unknown; expect it to do worse ' +
        'than the scores above. Label it to find out.',
    );
    const museums = {
      labels: ['coin'],
      objects: [
        { id: 'a', label: 'coin', split: 'test', extra: { museum: 'Met' } },
        { id: 'b', label: 'coin', split: 'train', extra: { museum: 'Cleveland' } },
        { id: 'c', label: 'coin', split: 'train', extra: { museum: 'Louvre' } },
        { id: 'd', label: null, split: 'test', extra: { museum: 'Louvre' } },
      ],
    } as unknown as Dataset;
    const few = cardWith(summariseDataset({ dataset: museums, factors: ['museum'] }));
    expect(few.caveatsAndRecommendations).toContain(
      'No test object has museum "Louvre" or "Cleveland": the scores above say nothing about them. ' +
        'Label more of their objects.',
    );
    expect(few.caveatsAndRecommendations.join('\n')).not.toMatch(/"Met"|is labelled \(/);
  });

  // Reviewer: a free-text factor (medium) of a fresh import put a row per value, thousands, into the card.
  it('names at most 20 values no labelled object has, and counts the others in one row', () => {
    const objects = [
      { id: 'l', label: 'coin', split: 'test', extra: { medium: 'Gold' } },
      ...Array.from({ length: 30 }, (_, i) => ({
        id: `u${i}`,
        label: null,
        split: 'test',
        extra: { medium: `m${i}` },
      })),
    ];
    const summary = summariseDataset({
      dataset: { labels: ['coin'], objects } as unknown as Dataset,
      factors: ['medium'],
    });
    expect(summary.factors[0]!.values).toHaveLength(21);
    expect(summary.factors[0]!.otherUnlabelled).toEqual({ values: 10, objects: 10 });
    const wide = cardWith(summary);
    const markdown = renderCardMarkdown(wide);
    expect(markdown).toContain('| *10 other values* | 0 | 0 | 0 | 10 |');
    expect(markdown.split('\n').filter((l) => /^\| m\d+ \|/.test(l))).toHaveLength(20);
    expect(wide.caveatsAndRecommendations.join('\n')).toMatch(
      /No object with medium "m\d+", "m\d+", "m\d+", "m\d+", "m\d+" or 25 others is labelled \(30 objects in the/,
    );
  });

  it('has Hugging Face front matter with the test-split results', () => {
    const front = parseYaml(md.split('---\n')[1]!) as Record<string, any>;
    expect(front).toMatchObject({
      license: 'mit',
      library_name: 'tfjs',
      pipeline_tag: 'image-classification',
      datasets: ['the-museum'],
      base_model: 'nsfwjs-mobilenet_v2@4.4.0#flatten_1',
    });
    expect(front['model-index'][0].results[0].metrics).toEqual([
      { type: 'accuracy', value: 0.85, name: 'Accuracy' },
      { type: 'f1', value: 0.6123, name: 'Macro F1', args: { average: 'macro' } },
      { type: 'accuracy', value: 0.95, name: 'Top-2 accuracy' },
    ]);
  });

  it('keeps labels, factor names and factor values as text: no live link, no picture, no autolink, no bidi', () => {
    const evil = '[click](https://evil.example)';
    const picture = '![x](https://evil.example/p.png)';
    const bare = 'https://evil.example/page';
    const labels = ['coin', evil, picture, 'bowl\u202eevil'];
    const evilMetrics: Metrics = {
      ...metrics,
      labels,
      perClass: labels.map((label) => ({ label, precision: 0.9, recall: 0.8, f1: 0.85, support: 5 })),
      factors: [{ factor: evil, groups: [{ value: bare, n: 12, accuracy: 0.9, macroF1: 0.7 }] }],
    };
    const evilDataset = {
      labels,
      objects: [
        { id: 'a', label: evil, split: 'train', medium: bare, extra: { [evil]: bare } },
        { id: 'b', label: picture, split: 'test', medium: '', extra: { [evil]: 'Wood' } },
      ],
    } as unknown as Dataset;
    const text = renderCardMarkdown(
      buildCard({
        registration: v2,
        metrics: evilMetrics,
        modelInfo: info,
        summary: summariseDataset({ dataset: evilDataset, factors: [evil] }),
        previous: v1,
        stages: ['prod'],
        owners: ['Registrar'],
        collectionName: 'The Museum',
      }),
    );
    expect(text).toContain('\\[click\\](https://evil.example)'.replace('https://', 'https\u200b://'));
    // A "[" or "]" not escaped, followed by "(": a link or a picture.
    expect(text).not.toMatch(/(?<!\\)\]\(/);
    expect(text).not.toMatch(/(?<!\\)!(?<!\\)\[/);
    // Bidi controls would make a label read backwards.
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    // No bare address GitHub would link (the card's own pull request address is Vitrine's, not a label's).
    expect(text.replace('https://github.com/m/c/pull/12', '')).not.toMatch(/https?:\/\//);
  });

  // A value with a carriage return (a spreadsheet’s line break) broke its table row: \r ends a line in Markdown too.
  it('keeps a value with a carriage return on its table row', () => {
    const value = 'Gold\r\nleaf\rfoil';
    const group = { value, n: 12, accuracy: 0.9, macroF1: 0.7 };
    const withCr = buildCard({
      ...cardOptions,
      metrics: { ...metrics, factors: [{ factor: 'medium', groups: [group] }] },
    });
    const text = renderCardMarkdown(withCr);
    expect(text).toContain('| Gold leaf foil | 12 | 90.0% | 70.0% |');
    expect(text).not.toContain('\r');
  });

  it('says what changed, flags untested classes and escapes table cells', () => {
    expect(card.details.changes).toEqual([
      'Label vocabulary changed (added vessel) since v1.0.0, so this is a new major version (the list of types changed).',
      'Accuracy 80.0% → 85.0% (+5.0 pts); macro-F1 60.0% → 60.0% (+0.0 pts); test objects 20 → 20. These are the ' +
        'scores each version was registered with, each measured on the labels and test objects of its own time, so ' +
        'they do not compare like for like; the comparison of both models on the same test objects is the one under Metrics.',
      'New classes: vessel.',
      'Images or object data changed (data d1.dir → d2.dir).',
    ]);
    expect(md).toContain('| vessel | — | — | — | 0 |');
    expect(md).toContain('No test object is labelled "vessel"');
    expect(md).toContain('The weakest class is "mask" (F1 54.5% on 10 test objects)');
    expect(md).toContain('| Gold \\| silver | 12 | 90.0% | 70.0% |');
    expect(md).toContain(
      `Compared with v1.0.0 on the same test objects: macro-F1 difference +3.2 pts (95% interval −1.0 pts to ` +
        `+7.0 pts), p = 0.210 (with no real difference, one this large would turn up by chance about 2 times in 10): ` +
        '**no detectable difference**.',
    );
    expect(md).toContain(`| Expected calibration error (lower is better) | ${pct(0.142)} | ${pct(0.08)}–${pct(0.2)} |`);
    expect(md).toContain('pull request #12 (https://github.com/m/c/pull/12)');
    expect(md).toContain('**Owners:** Registrar');
    // An outside tester: no "backend wasm" on the Training line (the Lineage says it, in brackets), macro-F1
    // explained as the model page does, and what the p-value means in words.
    expect(md).not.toMatch(/\*\*Training:\*\*.*backend/);
    expect(md).toMatch(/- Runtime: Node \S+ \(TensorFlow\.js backend wasm\);/);
    expect(md).toContain('macro-F1 averages it over the types, so rare types count as much as common ones');
    expect(md).toContain('turn up by chance about 2 times in 10');
  });

  // Tester #4: "macro-F1 changed by +1.4 points" and "macro-F1 95.4% → 100.0% (+4.6 pts)" on one card, with nothing
  // saying that the first scores both models again on the same test objects and the second compares registered figures.
  it('says which comparison is like for like and which compares the scores each version was registered with', () => {
    const changed = card.details.changes.find((c) => c.startsWith('Accuracy'))!;
    expect(changed).toContain(
      'These are the scores each version was registered with, each measured on the labels and test objects of its ' +
        'own time, so they do not compare like for like; the comparison of both models on the same test objects is ' +
        'the one under Metrics.',
    );
    const compared = md.split('\n').find((l) => l.startsWith('Compared with v1.0.0'))!;
    expect(compared).toContain(
      'Both models were scored on the test objects and labels of this version, so this is the like-for-like ' +
        'comparison; it can differ from the change under "What changed", which compares the scores each version ' +
        'was registered with.',
    );
  });

  it('says when the model it was compared with trained on some test objects (split changed), and scored on fewer', () => {
    const withExcluded: Metrics = { ...metrics, baseline: { ...metrics.baseline!, excluded: 3, splitChanged: true } };
    const text = renderCardMarkdown(
      buildCard({
        registration: v2,
        metrics: withExcluded,
        modelInfo: info,
        summary,
        previous: v1,
        stages: ['prod'],
        owners: ['Registrar'],
        collectionName: 'The Museum',
      }),
    );
    const paragraph = text.split('\n').find((l) => l.startsWith('Compared with v1.0.0'))!;
    expect(paragraph).toContain('Compared with v1.0.0 on the same 17 test objects: macro-F1 difference +3.2 pts');
    expect(paragraph).toContain(
      'The model it was compared with (v1.0.0) trained on 3 of the 20 test objects (the split settings, ' +
        'dataset.split, changed since it was trained), so those were left out of its scores and of the ' +
        "comparison: its figures come from the other 17, this version's from all 20.",
    );
    expect(paragraph).not.toContain('Caution');
    // Without an exclusion, nothing is added (the plain card above has no such sentence either).
    expect(md).not.toContain('left out of its scores');
    expect(md).not.toContain('split settings');
  });

  it("cautions when the split changed but no test object is known to overlap the compared model's training data", () => {
    for (const baseline of [
      { ...metrics.baseline!, excluded: 0, splitChanged: true },
      { ...metrics.baseline!, splitChanged: true },
    ]) {
      const text = renderCardMarkdown(
        buildCard({
          registration: v2,
          metrics: { ...metrics, baseline },
          modelInfo: info,
          summary,
          previous: v1,
          stages: ['prod'],
          owners: ['Registrar'],
          collectionName: 'The Museum',
        }),
      );
      const paragraph = text.split('\n').find((l) => l.startsWith('Compared with v1.0.0'))!;
      expect(paragraph).toContain('Compared with v1.0.0 on the same test objects:');
      expect(paragraph).toContain(
        '**Caution:** The split settings (dataset.split) changed since the model it was compared with (v1.0.0) was trained.',
      );
      expect(paragraph).toContain('the comparison may favour it');
    }
    // splitChanged false or null (not recorded) with nothing left out: no caution.
    for (const splitChanged of [false, null]) {
      const text = renderCardMarkdown(
        buildCard({
          registration: v2,
          metrics: { ...metrics, baseline: { ...metrics.baseline!, excluded: 0, splitChanged } },
          modelInfo: info,
          summary,
          previous: v1,
          stages: ['prod'],
          owners: ['Registrar'],
          collectionName: 'The Museum',
        }),
      );
      expect(text).not.toContain('Caution');
      expect(text).toContain(
        'Compared with v1.0.0 on the same test objects: macro-F1 difference +3.2 pts (95% interval −1.0 pts to ' +
          '+7.0 pts), p = 0.210 (with no real difference, one this large would turn up by chance about 2 times in 10): ' +
          '**no detectable difference**. Both models were scored on the test objects',
      );
    }
  });

  it('calls the range of the change the (1 − evaluate.alpha) interval the evaluation used, not always 95%', () => {
    const at = (alpha: number) => {
      const comparison = { ...metrics.baseline!.comparison, alpha };
      const m = { ...metrics, baseline: { ...metrics.baseline!, comparison } };
      return renderCardMarkdown(buildCard({ ...cardOptions, metrics: m }));
    };
    expect(at(0.1)).toContain('macro-F1 difference +3.2 pts (90% interval −1.0 pts to +7.0 pts), p = 0.210');
    expect(at(0.01)).toContain('macro-F1 difference +3.2 pts (99% interval −1.0 pts to +7.0 pts), p = 0.210');
    // The scores' own intervals are 95% bootstrap intervals whatever alpha is.
    expect(at(0.1)).toContain('| Metric | Value | 95% interval |');
  });

  // metrics.json written before alpha was stored with each comparison was read as 0.05: a range made at alpha 0.1
  // was called "95%" on the card.
  it('takes the level of a comparison stored without alpha from the settings it was registered with, else says none', () => {
    const registeredWith = (alpha: number, md5: string) => {
      const values = { ...v2.lineage.params.values, evaluate: { ...v2.lineage.params.values.evaluate, alpha } };
      const registration = { ...v2, lineage: { ...v2.lineage, params: { md5, values } } };
      return renderCardMarkdown(buildCard({ ...cardOptions, registration }));
    };
    expect(registeredWith(0.1, 'p')).toContain('macro-F1 difference +3.2 pts (90% interval −1.0 pts to +7.0 pts)');
    // Settings other than those the metrics were made with (another fingerprint): the level is not known.
    const unknown = registeredWith(0.1, 'other');
    expect(unknown).toContain('macro-F1 difference +3.2 pts (interval −1.0 pts to +7.0 pts)');
    expect(unknown).not.toContain('90% interval −1.0');
    expect(unknown).not.toContain('95% interval −1.0');
  });

  // An outside tester: GitHub and Hugging Face typeset `$…$` as mathematics, so an owner "US$5–US$10 fund" or a
  // collection "The $\\huge{X}$ Museum" showed a formula (italic, spaces gone). The report escapes `$`; so does the card.
  it('escapes dollar signs from params so the card shows no mathematics', () => {
    const dollars = renderCardMarkdown(
      buildCard({ ...cardOptions, owners: ['US$5–US$10 fund'], collectionName: 'The $\\huge{X}$ Museum' }),
    );
    const body = dollars.slice(dollars.indexOf('\n---\n', 4) + 5);
    expect(body).toContain('**Owners:** US\\$5–US\\$10 fund');
    expect(body).not.toMatch(/(?<!\\)\$/);
  });

  it('keeps names from params and metadata as text in the markdown: no HTML, no mentions', () => {
    const hostile = renderCardMarkdown(
      buildCard({
        registration: v2,
        metrics,
        modelInfo: info,
        summary,
        previous: v1,
        stages: ['prod'],
        owners: ['@collections-team <b>Registrar</b>'],
        collectionName: 'The <script>x</script> Museum',
      }),
    );
    expect(hostile).toContain('**Owners:** @\u200bcollections-team &lt;b&gt;Registrar&lt;/b&gt;');
    expect(hostile).toContain('The &lt;script&gt;x&lt;/script&gt; Museum');
    // The YAML front matter holds the name as data; the markdown body below it must not.
    const body = hostile.slice(hostile.indexOf('\n---\n', 4) + 5);
    expect(body).not.toMatch(/<script>|<b>|@collections-team/);
  });

  // The reviewer: the downloadable card said “Current stage: **prod**” and “labels.csv md5”, unexplained.
  it('says in plain words that the version is in production, and what its fingerprints are of', () => {
    expect(md).toContain('**In production.**');
    expect(md).not.toContain('Current stage');
    expect(md).toMatch(/- Labels: labels\.csv, its fingerprint \(md5\) `/);
    expect(md).toMatch(/- Settings: params\.yaml, its fingerprint \(md5\) `/);
  });

  it('carries the same content as sections for the catalogue, and the full metrics', () => {
    expect(card.sections.map((x) => x.heading)).toEqual([
      'Model details',
      'Intended use',
      'Factors',
      'Metrics',
      'Training and evaluation data',
      'Quantitative analyses',
      'Ethical considerations',
      'Caveats and recommendations',
      'Lineage',
    ]);
    expect(card.sections.find((x) => x.heading === 'Intended use')!.text).toContain('### Out-of-scope uses');
    // With the evaluate.alpha of the settings that made them, for a comparison stored without it.
    const comparison = { ...metrics.baseline!.comparison, alpha: 0.05 };
    expect(card.metrics).toEqual({ ...metrics, baseline: { ...metrics.baseline!, comparison } });
  });
});

describe('labels that hold a comma, in the card and in models show', () => {
  it('are quoted, so that "pot, lidded" does not read as two labels', async () => {
    const { formatVersionDetail } = await import('../../pipeline/registry/format.ts');
    const labels = ['coin', 'pot, lidded', 'vessel'];
    const v1 = registration('v1.0.0', null);
    const v2 = registration('v2.0.0', v1);
    v2.headline.labels = labels;
    const withComma = { ...metrics, labels };
    const md = renderCardMarkdown(
      buildCard({
        registration: v2,
        metrics: withComma,
        modelInfo: { epochs: 30, seed: 42, trainCount: 40, validationCount: 8 } as ModelInfo,
        summary: summariseDataset({ dataset, factors: [] }),
        previous: v1,
        stages: ['prod'],
        owners: [],
        collectionName: 'The Museum',
      }),
    );
    expect(md).toContain('Suggest a category (coin, "pot, lidded", vessel)');
    expect(md).toContain('Categories outside the vocabulary (coin, "pot, lidded", vessel)');
    expect(md).toContain('New classes: "pot, lidded", vessel.');
    const record = {
      name: 'collection-classifier',
      version: 'v2.0.0',
      stages: ['prod'],
      tag: 'collection-classifier@v2.0.0',
      commit: 'abc',
      createdAt: '2026-03-02',
      author: 'Registrar',
      registration: v2,
    };
    const shown = formatVersionDetail({ record } as Parameters<typeof formatVersionDetail>[0]);
    expect(shown).toContain('  classes   coin, "pot, lidded", vessel\n');
    // Which Vitrine registered it: an upgrade changes how models are trained (an outside tester looked for it).
    expect(shown).toContain('  backend   wasm, Node v24, Vitrine version not recorded\n');
    v2.lineage.runtime.packages = { vitrine: '0.2.0' };
    expect(formatVersionDetail({ record } as Parameters<typeof formatVersionDetail>[0])).toContain(
      '  backend   wasm, Node v24, Vitrine 0.2.0\n',
    );
  });
});

describe('a version bump that adds a label holding a comma', () => {
  it('names it quoted in the reason stored with the version', async () => {
    const { decideBump } = await import('../../pipeline/registry/semver.ts');
    const inputs = { data: 'd', labelsMd5: 'l' };
    const { reason } = decideBump({
      previous: { ...inputs, labels: ['coin', 'mask'] },
      next: { ...inputs, labels: ['coin', 'mask', 'pot, lidded', 'vase'] },
    });
    expect(reason).toBe('label vocabulary changed (added "pot, lidded", vase)');
  });
});

describe('the model card names the backbone package', () => {
  it('as a package spec, not broken like an @mention, in the markdown and in the card data', () => {
    const params = defaultParams();
    const reg = registration('v1.0.0', null);
    reg.lineage.backbone.source = 'npm:nsfwjs@4.3.0/dist/models/mobilenet_v2';
    const info = { epochs: 30, seed: 42, trainCount: 40, validationCount: 8 } as ModelInfo;
    const card = buildCard({
      registration: { ...reg, lineage: { ...reg.lineage, params: { md5: 'p', values: params } } },
      metrics,
      modelInfo: info,
      summary: summariseDataset({ dataset, factors: ['medium'] }),
      previous: null,
      stages: [],
      owners: ['Registrar'],
      collectionName: 'The Museum',
    });
    const md = renderCardMarkdown(card);
    expect(md).toContain('`npm:nsfwjs@4.3.0/dist/models/mobilenet_v2`');
    expect(md).not.toContain('nsfwjs@\u200b');
    expect(JSON.stringify(card)).not.toContain('nsfwjs@\u200b');
  });
});
