import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { md5Of, readImageBytes } from '../pipeline/dataset/images.ts';
import { silentLogger } from '../pipeline/log.ts';
import { embedImages } from '../pipeline/model/embed.ts';
import { classifierTwoSampleTest } from '../pipeline/monitor/classifier-test.ts';
import { computeDrift } from '../pipeline/monitor/drift.ts';
import { subsample, unitVectors } from '../pipeline/monitor/stats.ts';
import type { DriftReport } from '../pipeline/monitor/types.ts';
import { defaultParams } from '../pipeline/params.ts';
import { workspace } from '../pipeline/paths.ts';
import { seededUniform, shuffleInPlace } from '../pipeline/random.ts';
import type { Dataset, DatasetObject } from '../pipeline/types.ts';

/*
 * Drift detection on real museum photographs (../shared/datasets/egyptian-antiquities), through
 * `computeDrift` with the default params, as `vitrine monitor` runs it:
 *  - The Met's objects as the reference and Cleveland's as the new ones: another museum's
 *    photography must be flagged (the classifier two-sample test is the headline signal);
 *  - a random half of The Met against the other half (five seeds): nothing must be flagged.
 * Embeddings are cached in the OS temp folder, shared with bench/model.ts (the same content-
 * addressed cache as training), so only the first run embeds the 1,827 images.
 */

const root = path.resolve(import.meta.dirname, '..');
const egyptian = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');
const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';

interface Row {
  id: string;
  file: string;
  label: string;
  title: string;
  museum: string;
}

async function egyptianDataset(): Promise<Dataset> {
  const rows = parse(await readFile(path.join(egyptian, 'metadata.csv')), { columns: true }) as Row[];
  const objects = await Promise.all(
    rows.map(async (r): Promise<DatasetObject> => {
      const imageMd5 = md5Of(await readImageBytes({ file: path.join(egyptian, r.file) }));
      const blank = {
        maker: '',
        date: '',
        medium: '',
        creditLine: '',
        rights: '',
        description: '',
        colours: [],
        thumbnails: [],
      };
      const split = 'train' as const;
      const object = {
        id: r.id,
        title: r.title,
        department: r.museum,
        image: r.file,
        extra: { museum: r.museum },
        label: r.label,
      };
      return { ...blank, ...object, imageMd5, width: 224, height: 224, split };
    }),
  );
  const n = objects.length;
  const counts = { objects: n, labelled: n, bySplit: { train: n, validation: 0, test: 0 }, byLabel: {} };
  return {
    schema: 'vitrine.dataset/1',
    labels: [...new Set(rows.map((r) => r.label))].sort(),
    objects,
    issues: [],
    counts,
  };
}

function line(name: string, r: DriftReport, seconds: number): string {
  const c = r.signals.classifier;
  const n = r.signals.novelty;
  const e = r.signals.embeddings;
  return (
    `  ${name.padEnd(34)} classifier AUC ` +
    `${c ? `${c.value.toFixed(3)} [${c.low.toFixed(3)}, ${c.high.toFixed(3)}]${c.drifted ? ' DRIFT' : ''}` : 'not run'}; ` +
    `novelty ${n ? `${n.value >= 0 ? '+' : ''}${n.value.toFixed(2)}${n.drifted ? ' DRIFT' : ''}` : '-'}; ` +
    `energy effect ${e ? `${e.effect.toFixed(3)}${e.drifted ? ' DRIFT' : ''}` : '-'}; ` +
    `drifted: ${r.driftedSignals.join(', ') || 'none'} (${r.reference.count} vs ${r.current.count}, ${seconds.toFixed(1)} s)`
  );
}

export async function run(): Promise<void> {
  const dataset = await egyptianDataset();
  const params = defaultParams();
  // The images live in ../shared; caches in the OS temp folder, never in the repository.
  const cache = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const ws = { ...workspace(path.join(tmpdir(), 'vitrine-bench-monitor')), data: egyptian, cache };
  const drift = async (reference: string[], current: string[]) => {
    const started = performance.now();
    const report = await computeDrift({
      ws,
      params,
      log: silentLogger,
      reference,
      current,
      dataset,
      annotations: null,
      workers: 0,
    });
    return { report, seconds: (performance.now() - started) / 1000 };
  };
  const met = dataset.objects.filter((o) => o.extra.museum === MET).map((o) => o.id);
  const cleveland = dataset.objects.filter((o) => o.extra.museum === CLEVELAND).map((o) => o.id);
  console.log(
    `Drift on the Egyptian set (${met.length} Met, ${cleveland.length} Cleveland objects), default params ` +
      `(classifier_min_auc ${params.monitor.classifier_min_auc}, at most ${params.monitor.max_objects} objects a side):`,
  );

  const cross = await drift(met, cleveland);
  console.log(line('Met reference, Cleveland new', cross.report, cross.seconds));
  const flaggedCross = cross.report.signals.classifier?.drifted === true;

  let falseAlarms = 0;
  let anyAlarm = 0;
  const aucs: number[] = [];
  for (let seed = 1; seed <= 5; seed++) {
    const order = shuffleInPlace([...met], seededUniform(seed));
    const half = Math.floor(order.length / 2);
    const r = await drift(order.slice(0, half), order.slice(half));
    console.log(line(`Met half vs half (seed ${seed})`, r.report, r.seconds));
    if (r.report.signals.classifier?.drifted) falseAlarms++;
    if (r.report.drifted) anyAlarm++;
    aucs.push(r.report.signals.classifier?.value ?? NaN);
  }
  // The classifier test alone, on the same vectors computeDrift used (cached embeddings, unit length).
  const items = dataset.objects.map((o) => ({ key: o.imageMd5, file: path.join(egyptian, o.image) }));
  const embedded = await embedImages({
    items,
    params,
    root,
    cacheDir: ws.cache,
    workers: 0,
    flips: false,
    log: silentLogger,
  });
  const md5ById = new Map(dataset.objects.map((o) => [o.id, o.imageMd5]));
  const vectorsOf = (ids: string[]) => unitVectors(ids.map((id) => embedded.vectors.get(md5ById.get(id)!)!));
  const { max_objects: max, seed } = params.monitor;
  const sides = [met, cleveland].map((ids) => vectorsOf(subsample({ items: ids, max, seed })));
  const started = performance.now();
  classifierTwoSampleTest({
    reference: sides[0]!,
    current: sides[1]!,
    seed,
    minAuc: params.monitor.classifier_min_auc,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const [a, b] = [sides[0]!, sides[1]!];
  console.log(
    `  the classifier test alone (${a.length} + ${b.length} objects, ${a[0]!.length} numbers each): ${seconds} s`,
  );
  console.log(`  target: Met → Cleveland flagged by the classifier test: ${flaggedCross ? 'met' : 'MISSED'}`);
  const halves = falseAlarms === 0 ? 'met' : `MISSED (${falseAlarms} of 5)`;
  console.log(`  target: Met half vs half flagged by the classifier test in 0 of 5 splits: ${halves}`);
  console.log(`  any signal flagged in ${anyAlarm} of 5 half-vs-half splits`);
  console.log(`  half-vs-half AUCs: ${aucs.map((a) => a.toFixed(3)).join(', ')}`);
}

if (import.meta.main) await run();
