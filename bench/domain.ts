import { tmpdir } from 'node:os';
import path from 'node:path';
import { assignSplits } from '../pipeline/dataset/split.ts';
import { bootstrapIntervals } from '../pipeline/evaluate/bootstrap.ts';
import { assignFolds, outOfFoldProbabilities } from '../pipeline/evaluate/crossval.ts';
import { coverageAndPrecision, isPublished, publicationThresholds } from '../pipeline/evaluate/publication.ts';
import { argmax, macroF1Of, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { priorShiftEM, refinePrototypes, standardiseByCollection } from '../pipeline/model/collection-shift.ts';
import { embedImages } from '../pipeline/model/embed.ts';
import { predictProbabilities, trainHead } from '../pipeline/model/head.ts';
import { defaultParams } from '../pipeline/params.ts';
import type { Interval } from '../pipeline/types.ts';
import { readEgyptian } from './model.ts';

/*
 * Another museum without its labels (issue 13): `npx node bench/domain.ts [none|centred|standardised]`.
 * On the cross-museum protocol of docs/backbone.md (Egyptian set, trained on one museum's objects,
 * tested on the other's, both ways), with the head `vitrine train` ships (params.train; the training
 * museum's "validation" objects scored, not learnt from):
 *  - features as they are, centred by each museum's own mean, or standardised by its own mean and
 *    standard deviation (the museum being annotated is its own collection: no labels needed);
 *  - the head's probabilities as they are, re-weighted to the new museum's class shares estimated by
 *    EM, prototypes moved over the new museum (10 k-means steps), and head + prototypes averaged;
 *  - published annotations: per-class thresholds chosen on the training museum's out-of-fold
 *    predictions (5 folds; the L2 the full head chose, to bound the cost) for precision 0.9 and 0.95,
 *    alone or only where the prototypes agree; and the most any thresholds could publish at 0.9
 *    (chosen on the test museum's own labels: a ceiling, not a method).
 * Intervals: 1,000 bootstrap resamples over the test museum's objects.
 */

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const RESAMPLES = 1000;
const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
const percent = (v: Interval) =>
  `${(v.value * 100).toFixed(1)}% [${(v.low * 100).toFixed(1)}, ${(v.high * 100).toFixed(1)}]`;

/** Largest share of objects per-class thresholds could publish at `minPrecision`, chosen with the answers known. */
export function publicationCeiling({
  y,
  probs,
  minPrecision,
}: {
  y: number[];
  probs: ArrayLike<number>[];
  minPrecision: number;
}) {
  const classes = probs[0]?.length ?? 0;
  // Each object scored by the precision of its class's predictions at or above its confidence; the
  // objects then taken in that order as long as the running precision holds.
  const score = new Float64Array(y.length);
  for (let c = 0; c < classes; c++) {
    const mine = y.flatMap((_, i) => (argmax(probs[i]!) === c ? [i] : []));
    mine.sort((a, b) => probs[b]![c]! - probs[a]![c]!);
    let right = 0;
    mine.forEach((i, k) => {
      right += y[i] === c ? 1 : 0;
      score[i] = right / (k + 1);
    });
  }
  const order = y.map((_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let right = 0;
  let best = 0;
  order.forEach((i, k) => {
    right += argmax(probs[i]!) === y[i] ? 1 : 0;
    if (right / (k + 1) >= minPrecision) best = k + 1;
  });
  return best / y.length;
}

export async function domain(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const params = defaultParams();
  const { tf } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  const cacheDir = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const embedded = await embedImages({
    items,
    params,
    root: path.resolve(import.meta.dirname, '..'),
    cacheDir,
    workers: 0,
    flips: false,
    log: silentLogger,
  });
  const raw = items.map((item) => embedded.vectors.get(item.key)!);
  const museum = rows.map((r) => r.museum);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => labels.indexOf(r.label));
  const splits = assignSplits({
    objects: rows.map((r, i) => ({ id: r.id, image: items[i]!.key })),
    fractions: params.dataset.split,
  });
  const inValidation = rows.map((r) => splits.get(r.id) === 'validation');
  const features = {
    none: raw,
    centred: standardiseByCollection({ x: raw, collection: museum, scale: false }),
    standardised: standardiseByCollection({ x: raw, collection: museum, scale: true }),
  };
  const standardised = features.standardised;
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const chosen = (Object.keys(features) as (keyof typeof features)[]).filter(
    (f) => only.length === 0 || only.includes(f),
  );
  for (const [train, test] of [
    [MET, CLEVELAND],
    [CLEVELAND, MET],
  ] as const) {
    const of = (m: string) => rows.flatMap((_, i) => (museum[i] === m ? [i] : []));
    const source = of(train);
    const target = of(test);
    const yt = target.map((i) => y[i]!);
    const f1 = (probs: ArrayLike<number>[]) =>
      show(
        bootstrapIntervals({
          prepared: prepare({ y: yt, probs }),
          statistics: { macroF1: macroF1Of },
          resamples: RESAMPLES,
        }).macroF1,
      );
    const prototypes = refinePrototypes({
      source: { x: source.map((i) => standardised[i]!), y: source.map((i) => y[i]!) },
      target: target.map((i) => standardised[i]!),
      classes: labels.length,
      iterations: 10,
    });
    console.log(
      `\n${train} → ${test} (${target.length} objects); prototypes alone (10 steps): macro-F1 ${f1(prototypes)}`,
    );
    for (const name of chosen) {
      const x = features[name];
      const started = performance.now();
      const pick = (idx: number[]) => ({ x: idx.map((i) => x[i]!), y: idx.map((i) => y[i]!) });
      const { model, history } = await trainHead({
        tf,
        train: pick(source.filter((i) => !inValidation[i])),
        validation: pick(source.filter((i) => inValidation[i])),
        labels,
        params: params.train,
        log: silentLogger,
      });
      const probs = predictProbabilities({ tf, model, x: target.map((i) => x[i]!) });
      model.dispose();
      const em = priorShiftEM({ probs, trainPriors: labels.map(() => 1 / labels.length) });
      const mixed = probs.map((p, k) => Float64Array.from(p, (v, c) => (v + prototypes[k]![c]!) / 2));
      console.log(
        `  ${name}: L2 ${history.l2}; head ${f1(probs)}; + EM class shares ${f1(em.probs)} ` +
          `(estimated ${em.priors.map((p) => p.toFixed(2)).join('/')}, true ${labels
            .map((_, c) => (yt.filter((v) => v === c).length / yt.length).toFixed(2))
            .join('/')}); head + prototypes ${f1(mixed)}`,
      );
      // Out-of-fold predictions of the training museum, for the publication thresholds.
      const k = 5;
      const folds = assignFolds({ keys: source.map((i) => items[i]!.key), k, seed: params.train.seed });
      const oof = await outOfFoldProbabilities({
        tf,
        x: source.map((i) => x[i]!),
        y: source.map((i) => y[i]!),
        validation: source.map((i) => inValidation[i]!),
        folds,
        k,
        labels,
        train: { ...params.train, l2_choices: [history.l2 ?? params.train.l2] },
        log: silentLogger,
      });
      const right = Uint8Array.from(probs, (p, j) => (argmax(p) === yt[j] ? 1 : 0));
      const agree = probs.map((p, j) => argmax(p) === argmax(prototypes[j]!));
      for (const minPrecision of [0.9, 0.95]) {
        const { thresholds } = publicationThresholds({
          y: source.map((i) => y[i]!),
          probs: oof,
          classes: labels.length,
          minPrecision,
        });
        const above = probs.map((p) => isPublished({ thresholds, c: argmax(p), p: p[argmax(p)]! }));
        for (const [how, published] of [
          ['thresholds', above],
          ['thresholds and prototypes agree', above.map((a, j) => a && agree[j]!)],
        ] as const) {
          const s = coverageAndPrecision({
            published: Uint8Array.from(published, Number),
            right,
            resamples: RESAMPLES,
          });
          console.log(
            `    published, ${how}, out-of-fold precision ${minPrecision}: coverage ${percent(s.coverage)}, ` +
              `precision ${show(s.precision)}`,
          );
        }
      }
      const ceiling = publicationCeiling({ y: yt, probs, minPrecision: 0.9 });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `    ceiling: at most ${(ceiling * 100).toFixed(1)}% publishable at precision 0.9 with this head's ` +
          `confidences; ${seconds.toFixed(0)} s`,
      );
    }
  }
}

if (import.meta.main) await domain();
