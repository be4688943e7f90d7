import * as tf from '@tensorflow/tfjs';
import { compareLabelSets, crossValidatedSummary } from '../../pipeline/evaluate/label-change.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { makeRepo, type ObjectSpec, writeStageOutputs } from './fixture.ts';

/*
 * A collection with a group of look-alike objects inside one type (an outside tester's 25 Cleveland beads among the
 * Jewellery), for the tests of a group moved together to another label and moved back (labels-to-check,
 * revert-group-move). Heads are trained for real, on embeddings made to look like such a collection.
 */

export const LABELS = ['jewellery', 'pottery', 'reliefs', 'statuary'];
/** The first jewellery objects: a group of their own (beads), near the other jewellery. */
export const BEADS = 12;
const DIM = 8;
export const params = validateParams({ raw: { train: { epochs: 60 } } });

/** `perClass` objects of each type; the labels as they should be, and with the beads moved to pottery. */
export function beadGroup({ perClass }: { perClass: number }) {
  const digits = String(perClass - 1).length;
  const objects: ObjectSpec[] = LABELS.flatMap((label, c) =>
    Array.from({ length: perClass }, (_, i) => ({
      id: `OBJ-${c}${String(i).padStart(digits, '0')}`,
      title: label === 'jewellery' && i < BEADS ? `Petal-shaped bead ${i + 1}` : `${label} ${i + 1}`,
      label,
      split: (['train', 'validation', 'test'] as const)[i % 3]!,
    })),
  );
  const isBead = (i: number) => i < BEADS;
  const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  const beadsAsPottery = { ...correct };
  for (const o of objects.filter((o, i) => o.label === 'jewellery' && isBead(i))) beadsAsPottery[o.id] = 'pottery';

  /** Each object's embedding: its class's corner, the beads a little apart on an axis of their own, and noise. */
  function embeddings(): Float32Array[] {
    const u = seededUniform(11);
    return objects.map((o, i) => {
      const v = new Float32Array(DIM);
      v[LABELS.indexOf(o.label)] = 3;
      if (isBead(i)) v[5] = 3;
      for (let d = 0; d < DIM; d++) v[d]! += u() - 0.5;
      return v;
    });
  }

  /** Both label sets trained in the same folds (compareLabelSets, as the evaluate stage does), then the report. */
  async function judged(base: Record<string, string>, head: Record<string, string>) {
    const classOf = (labels: Record<string, string>) => objects.map((o) => LABELS.indexOf(labels[o.id]!));
    const result = await compareLabelSets({
      tf,
      x: embeddings(),
      objects,
      head: classOf(head),
      base: classOf(base),
      folds: objects.map((_, i) => i % 5),
      k: 5,
      labels: LABELS,
      params: { ...params, train: { ...params.train, backend: 'cpu' } },
      trainingSd: 0,
      log: silentLogger,
    });
    const crossValidated = { base: { ref: 'main', commit: 'a'.repeat(40) }, ...result };
    const { ws } = await makeRepo({ objects, base, head });
    await writeStageOutputs({ ws, objects, head, vocabulary: LABELS, metrics: { crossValidated } });
    const report = await buildReport({ ws, params, base: 'main', log: silentLogger });
    return { crossValidated, result, summary: crossValidatedSummary(crossValidated), ...report };
  }

  return { objects, isBead, correct, beadsAsPottery, embeddings, judged };
}
