import { closest } from '../cli/suggest.ts';
import type { Logger } from '../log.ts';
import { seedIndependent, type Tf } from '../model/head.ts';
import { type LeftOutObject, leftOutError, splitByEmbedding, warnLeftOut } from '../model/left-out.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { childSeed } from '../random.ts';
import { factorValue } from '../registry/card.ts';
import type { Dataset, DatasetObject, Metrics, ModelInfo } from '../types.ts';
import { listWords } from '../words.ts';
import { type BaseLabels, type BaseSource, readBaseLabels, renumberedFor } from './base-labels.ts';
import { assignFolds, outOfFoldProbabilities, stratifiedSample, warnUnlearntLabels } from './crossval.ts';
import { compareLabelSets, type LabelChangeComparison, labelsLeftToJudge } from './label-change.ts';
import { labelsBeingBuilt } from './new-labels.ts';
import { embedObjects, type OofFile, oofFile } from './oof.ts';
import { outOfCollectionEstimate } from './out-of-collection.ts';
import { notJudgedWords } from './verdict-words.ts';

/*
 * The evaluate stage's cross-validation over the whole collection: out-of-fold predictions for every
 * labelled object (oof.json) and, when the labels a pull request started from are known and differ,
 * the same folds trained on those base labels for the cross-validated verdict.
 */

export async function crossValidateCollection({
  ws,
  params,
  env,
  dataset,
  info,
  tf,
  source,
  log,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
  dataset: Dataset;
  info: ModelInfo;
  tf: Tf;
  /** Where the labels before come from (baseSource; null: no baseline, so no comparison of labels). */
  source: BaseSource | null;
  log: Logger;
}): Promise<{
  oof: OofFile;
  crossValidated: LabelChangeComparison | null;
  /** The labels differ, but fewer than two are left once those being built up are set aside: why not judged. */
  notJudged: NonNullable<Metrics['crossValidatedNotJudged']> | null;
  outOfCollection: Metrics['outOfCollection'] | null;
  /** Why evaluate.group_by gave no estimate (groupByProblem); null when it gave one or is empty. */
  outOfCollectionMissing: string | null;
  /** Objects left out because their image has no usable embedding (none: empty). */
  leftOut: LeftOutObject[];
  /** The labels at the base (null: no base, or it could not be read). */
  base: BaseLabels | null;
}> {
  const labels = dataset.labels;
  const classOf = new Map(labels.map((l, i) => [l, i]));
  const withImage = dataset.objects.filter((o) => o.image !== '' && o.imageMd5 !== '');
  const base = await readBaseLabels({
    ws,
    env,
    source,
    objectIds: new Set(dataset.objects.map((o) => o.id)),
    vocabulary: labels,
    now: new Map(dataset.objects.flatMap((o) => (o.label !== null && classOf.has(o.label) ? [[o.id, o.label]] : []))),
    renumbered: renumberedFor({ ws, objects: dataset.objects, log }),
    log,
  });
  const headOf = (o: DatasetObject) => (o.label !== null && classOf.has(o.label) ? classOf.get(o.label)! : -1);
  const baseOf = (o: DatasetObject) => {
    const l = base?.labelOf.get(o.id);
    return l !== undefined && classOf.has(l) ? classOf.get(l)! : -1;
  };
  // Objects labelled now or at the base: the folds are drawn over both, so the two arms share them.
  const wanted = withImage.filter((o) => headOf(o) >= 0 || baseOf(o) >= 0);
  const vectors = await embedObjects({ ws, params, info, objects: wanted, log });
  // Those whose image has no usable embedding are left out of both arms before the folds are drawn.
  const { kept: objects, leftOut } = splitByEmbedding({ objects: wanted, vectors });
  if (objects.length === 0 && leftOut.length > 0)
    throw leftOutError({ code: 'CROSSVAL_NO_EMBEDDINGS', problem: 'Cross-validation has no object', leftOut });
  warnLeftOut({
    leftOut,
    what: 'cross-validation (oof.json, the labels to review, the publication thresholds)',
    log,
  });
  const head = Int32Array.from(objects, headOf);
  const prev = Int32Array.from(objects, baseOf);
  const strata = Int32Array.from(objects, (_, i) => (head[i]! >= 0 ? head[i]! : prev[i]!));
  const k = params.evaluate.folds;
  const folds = assignFolds({ keys: objects.map((o) => o.imageMd5), k, seed: params.train.seed });
  const x = objects.map((o) => vectors.get(o.imageMd5)!);
  const validation = objects.map((o) => o.split === 'validation');
  const learn = cvLearnSample({
    keys: objects.map((o) => o.imageMd5),
    strata,
    params,
    // The labels the pull request changes are what the verdict is about: always learnt.
    ...(base ? { keep: Uint8Array.from(head, (c, i) => (c !== prev[i] ? 1 : 0)) } : {}),
  });
  const sample = learn ? { objects: learn.reduce((a, b) => a + b, 0), of: objects.length } : undefined;
  if (sample)
    log.info(
      `Cross-validation: the ${k}-fold models learn from a stratified sample of ${sample.objects} of the ${sample.of} labelled objects ` +
        `(evaluate.cv_max_objects), and predict every one.`,
    );
  // Every fold's head takes one L2, instead of choosing again by 18 inner fits each: one edited label could
  // switch one fold's choice and move unrelated objects' answers (one by 0.63), and those fits were most of the
  // evaluate stage's time (twice in a pull request: the head arm is now these same fits). It is the L2 the train
  // stage chose with every label: the model's own, or with train.flagged: drop the one the cross-validation that
  // picked the labels to leave out took (these fold models learn from every label too), so that review.json flags
  // exactly what training left out. It was chosen on the training split, which holds objects predicted here out of
  // fold: a small optimism in one number among a few.
  const l2 = info.flagged ? (info.flagged.l2 ?? undefined) : info.l2;
  const train = l2 !== undefined && sharesOneL2(params.train) ? { ...params.train, l2_choices: [l2] } : params.train;
  if (train !== params.train)
    log.info(
      info.flagged
        ? `Cross-validation: the fold models take the L2 the labels left out of training were found with (${l2}), ` +
            'chosen on every label, so that the labels to review are the ones training left out.'
        : `Cross-validation: the fold models take the L2 the train stage chose (${l2}), ` +
            'rather than each choosing its own: a label edited leaves the other objects’ answers as they were.',
    );
  const fit = learn ? Int32Array.from(head, (c, i) => (learn[i] ? c : -1)) : head;
  // Said once, of the labels now: not again for the labels before, nor for each rerun of the comparison.
  warnUnlearntLabels({
    y: head,
    notLearnt: validation.map((v, i) => v || (learn !== undefined && !learn[i])),
    folds,
    k,
    labels,
    log,
  });
  const rows = await outOfFoldProbabilities({ tf, x, y: fit, validation, folds, k, labels, train, log });
  const labelled = objects.map((o, i) => ({ o, i })).filter(({ i }) => head[i]! >= 0);
  const oof = oofFile({
    labels,
    objects: labelled.map(({ o }) => o as DatasetObject & { label: string }),
    folds: labelled.map(({ i }) => folds[i]!),
    rows: labelled.map(({ i }) => rows[i]!),
    k,
    seed: params.train.seed,
    // Counted over the objects labelled now (the oof.json objects), as the file lists them.
    sample: learn ? { objects: labelled.filter(({ i }) => learn[i]).length, of: labelled.length } : undefined,
  });
  let crossValidated: LabelChangeComparison | null = null;
  let notJudged: NonNullable<Metrics['crossValidatedNotJudged']> | null = null;
  const differs = base !== null && head.some((c, i) => c !== prev[i]);
  if (base && differs) {
    // Both arms take the L2 the train stage chose: each choosing its own, one fold's choice could flip between them
    // for a label or two changed, and that flip, the same in every rerun, was measured as the labels' effect (a
    // tester's one deleted line: "between −0.01 and −0.01, p = 0.002"). The fold models above took it already
    // (then the head arm is their rows); an L2 the train stage did not report leaves each fold choosing its own.
    const shared = train;
    // Labels being built up (a new label on a few objects) are left out of both arms: too thin to judge yet.
    const building = labelsBeingBuilt({
      labels,
      objects: objects.map((o, i) => ({
        split: o.split,
        now: head[i]! >= 0 ? labels[head[i]!]! : null,
        before: prev[i]! >= 0 ? labels[prev[i]!]! : null,
      })),
      base: true,
      minTestPerClass: params.dataset.min_test_per_class,
      testShare: params.dataset.split.test,
    });
    const setAside = building.map((l) => classOf.get(l.label)!);
    // One label left gets all of every answer, in both arms: no verdict, and no claim about any object.
    const left = labelsLeftToJudge({ labels, head, base: prev, setAside });
    if (left.length < 2) {
      notJudged = {
        base: { ref: base.ref, commit: base.commit },
        changed: head.filter((c, i) => c !== prev[i]).length,
        setAside: building.map((l) => l.label),
        left,
      };
      log.info(notJudgedWords(notJudged));
    } else {
      const result = await compareLabelSets({
        tf,
        x,
        objects,
        head,
        base: prev,
        folds,
        k,
        labels,
        params: { ...params, train: shared },
        ...(shared === train ? { headRows: rows } : {}),
        learn,
        // A head that does not depend on its seed has no training noise to measure by reruns.
        ...(seedIndependent(shared) ? { trainingSd: 0 } : {}),
        setAside,
        log,
      });
      crossValidated = { base: { ref: base.ref, commit: base.commit }, ...result, ...(sample ? { sample } : {}) };
    }
  } else if (base) {
    log.debug(`The labels are the same as at ${base.ref}: no cross-validated comparison of labels to make.`);
  }
  let outOfCollection: Metrics['outOfCollection'] | null = null;
  let outOfCollectionMissing: string | null = null;
  const field = params.evaluate.group_by.trim();
  if (field) {
    const groups = labelled.map(({ o }) => factorValue(o, field));
    outOfCollectionMissing = groupByProblem({ objects: labelled.map(({ o }) => o), field });
    if (outOfCollectionMissing) {
      log.warn(
        `${outOfCollectionMissing} There is no estimate on a source the model has not seen (out-of-collection).`,
      );
    } else {
      outOfCollection = await outOfCollectionEstimate({
        tf,
        x: labelled.map(({ i }) => x[i]!),
        y: labelled.map(({ i }) => head[i]!),
        groups,
        validation: labelled.map(({ i }) => validation[i]!),
        randomRows: labelled.map(({ i }) => rows[i]!),
        labels,
        params: { ...params, train },
        field,
        learn: learn ? labelled.map(({ i }) => learn[i]!) : undefined,
        log,
      });
    }
  }
  return {
    oof,
    crossValidated,
    notJudged,
    outOfCollection,
    outOfCollectionMissing,
    leftOut: leftOut.map(({ id, image }) => ({ id, image })),
    base,
  };
}

/**
 * Whether the cross-validation's fold models all take one L2 (the lbfgs linear head) rather than each choosing
 * its own (an adam head, or one with hidden units, takes train.l2 and no choice).
 */
export function sharesOneL2(train: Params['train']): boolean {
  return train.solver === 'lbfgs' && train.hidden_units === 0;
}

/**
 * A large collection (more than evaluate.cv_max_objects): the stratified sample every fold model learns from
 * (each still predicts every object it did not learn from); undefined: all. The evaluate stage and train.flagged:
 * drop draw the same one.
 */
export function cvLearnSample({
  keys,
  strata,
  params,
  keep,
}: {
  keys: string[];
  strata: ArrayLike<number>;
  params: Pick<Params, 'train' | 'evaluate'>;
  keep?: ArrayLike<number>;
}): Uint8Array | undefined {
  const max = params.evaluate.cv_max_objects;
  if (!(max > 0 && keys.length > max)) return undefined;
  return stratifiedSample({
    keys,
    strata,
    max,
    seed: childSeed(params.train.seed, 'cv-sample') % 2_147_483_647,
    ...(keep ? { keep } : {}),
  });
}

/** An object's fields a source can be read from (evaluate.group_by), besides the museum's extra columns. */
const SOURCE_FIELDS = ['department', 'medium', 'maker', 'date', 'creditLine', 'rights'];

/**
 * Why evaluate.group_by `field` gives no estimate on a source the model has not seen, or null when it can: no
 * object has the field (a tester's "departement": the fields there are, with a did-you-mean), or every labelled
 * object has the same value of it (one source, none to hold out).
 */
export function groupByProblem({ objects, field }: { objects: DatasetObject[]; field: string }): string | null {
  const recorded = (o: DatasetObject, f: string) =>
    factorValue(o, f) !== factorValue({ extra: {} } as DatasetObject, f);
  const setting = `evaluate.group_by is "${field}"`;
  if (!objects.some((o) => recorded(o, field))) {
    const extras = [...new Set(objects.flatMap((o) => Object.keys(o.extra ?? {})))];
    const fields = [...SOURCE_FIELDS, ...extras].filter((f) => objects.some((o) => recorded(o, f)));
    const guess = closest(field, fields);
    const there = fields.length
      ? `the fields there are: ${listWords(fields, { max: 20 })}`
      : 'the objects record no field a source could be read from';
    return (
      `${setting}, but no labelled object has a field "${field}" (${there}).` +
      (guess ? ` Did you mean "${guess}"?` : ' Check its spelling in params.yaml.')
    );
  }
  const values = new Set(objects.map((o) => factorValue(o, field)));
  if (values.size < 2)
    return (
      `${setting}, but every labelled object has the same ${field} ("${[...values][0]}"): there is no other source ` +
      'to hold out.'
    );
  return null;
}
