import { createHash, randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { checkLabels } from '../../pipeline/dataset/validate.ts';
import { embeddingConfigKey } from '../../pipeline/model/embed.ts';
import { appendSegment } from '../../pipeline/model/embedding-store.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { seededUniform } from '../../pipeline/random.ts';
import type { Annotation, Dataset, DatasetObject, DominantColour, Metrics, Thumbnail } from '../../pipeline/types.ts';

/*
 * Fixture workspaces for the catalogue: the files the dataset, registry and evaluate stages would
 * have written (dataset.json with real thumbnails, annotations, versions, a card, metrics), built
 * from a few real photographs. Used by the site tests, the benchmark and the real-image try-outs.
 */

/** The five-museums set (../shared/datasets/five-museums): real photographs of paintings and other art. */
export const FIVE_MUSEUMS = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');

/** The five-museums set's rows (its metadata.csv), each with `image`, its photograph's full path. */
export async function fiveMuseumsRows(): Promise<(Record<string, string> & { image: string })[]> {
  const rows = parse(await readFile(path.join(FIVE_MUSEUMS, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  return rows.map((r) => ({ ...r, image: path.join(FIVE_MUSEUMS, r.file!) }));
}

export interface FixtureObject {
  id: string;
  title: string;
  maker?: string;
  date?: string;
  department?: string;
  medium?: string;
  rights?: string;
  description?: string;
  /** The credit line ("Gift of …"); omitted: none, so its words are in no search but a test's own. */
  creditLine?: string;
  label: string | null;
  /** Source photograph (any format sharp reads). Objects may share one. */
  image: string | null;
  /** The model's answer; omitted: agrees with the label at 0.9. */
  predicted?: { label: string; confidence: number };
  /** The registry's contract fields (absent: published, not scored). */
  published?: boolean;
  /** Held back because its photograph is unlike the training set's (the registry's `unfamiliar`). */
  unfamiliar?: boolean;
  /** Held back because the model publishes no guess of its label (the registry's `noThreshold`). */
  noThreshold?: boolean;
  labelIssue?: {
    score: number;
    suggested: string;
    flagged?: boolean;
    lookAlike?: { id: string; label: string; similarity?: number };
    lookAlikes?: { id: string; label: string; similarity?: number }[];
  } | null;
  extra?: Record<string, string>;
}

const PALETTE: { name: string; family: string; rgb: [number, number, number] }[] = [
  { name: 'ivory', family: 'white', rgb: [240, 234, 214] },
  { name: 'charcoal', family: 'neutral', rgb: [54, 54, 54] },
  { name: 'stone grey', family: 'neutral', rgb: [140, 138, 130] },
  { name: 'terracotta', family: 'red', rgb: [180, 90, 60] },
  { name: 'crimson', family: 'red', rgb: [160, 30, 45] },
  { name: 'ochre', family: 'yellow', rgb: [200, 150, 60] },
  { name: 'umber', family: 'brown', rgb: [110, 75, 45] },
  { name: 'sand', family: 'brown', rgb: [194, 170, 130] },
  { name: 'olive', family: 'green', rgb: [110, 115, 60] },
  { name: 'verdigris', family: 'green', rgb: [70, 140, 120] },
  { name: 'navy', family: 'blue', rgb: [30, 45, 90] },
  { name: 'lapis', family: 'blue', rgb: [40, 80, 160] },
];

function nearest(rgb: [number, number, number]) {
  let best = PALETTE[0]!;
  let d = Infinity;
  for (const p of PALETTE) {
    const e = (p.rgb[0] - rgb[0]) ** 2 + (p.rgb[1] - rgb[1]) ** 2 + (p.rgb[2] - rgb[2]) ** 2;
    if (e < d) {
      d = e;
      best = p;
    }
  }
  return best;
}

const hex = (rgb: number[]) => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** Thumbnails and rough dominant colours of one photograph (cached per source path). */
async function derive({
  source,
  dir,
  key,
  widths,
}: {
  source: string;
  dir: string;
  key: string;
  widths: number[];
}): Promise<{ thumbnails: Thumbnail[]; colours: DominantColour[]; width: number; height: number }> {
  const meta = await sharp(source).rotate().metadata();
  const thumbnails: Thumbnail[] = [];
  for (const w of widths) {
    const base = sharp(source)
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({ width: w, withoutEnlargement: false });
    const webp = `thumbnails/${key}-${w}.webp`;
    const jpeg = `thumbnails/${key}-${w}.jpg`;
    const out = await base.clone().webp({ quality: 75 }).toFile(path.join(dir, webp));
    await base.clone().jpeg({ quality: 78 }).toFile(path.join(dir, jpeg));
    thumbnails.push({ width: out.width, height: out.height, webp, jpeg });
  }
  // A 4×4 mosaic stands in for the dataset stage's colour clustering.
  const { data } = await sharp(source)
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(4, 4, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const counts = new Map<string, { n: number; sum: number[] }>();
  for (let i = 0; i < data.length; i += 3) {
    const rgb: [number, number, number] = [data[i]!, data[i + 1]!, data[i + 2]!];
    const p = nearest(rgb);
    const c = counts.get(p.name) ?? { n: 0, sum: [0, 0, 0] };
    c.n++;
    rgb.forEach((v, k) => (c.sum[k]! += v));
    counts.set(p.name, c);
  }
  const colours = [...counts]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, 4)
    .map(([name, c]) => {
      const p = PALETTE.find((x) => x.name === name)!;
      return {
        hex: hex(c.sum.map((s) => s / c.n)),
        lab: [0, 0, 0] as [number, number, number],
        share: c.n / 16,
        name,
        family: p.family,
      };
    });
  return {
    thumbnails,
    colours,
    width: meta.autoOrient?.width ?? meta.width ?? 0,
    height: meta.autoOrient?.height ?? meta.height ?? 0,
  };
}

/*
 * The tests write some 60 fixtures, most from the same few five-museums photographs: each photograph's
 * thumbnails and colours are derived once per machine and kept under os.tmpdir() (one folder per user, beside the
 * trained demo's: test/evaluate/helpers-trained-demo.ts), named by a hash of the photograph (path, size, time), the
 * widths, sharp's version and the code below. A fixture gets copies: the same bytes derive() writes, which a test may
 * change or cut short without touching the kept ones.
 */
const DERIVED = path.join(os.tmpdir(), `vitrine-test-cache-${os.userInfo().uid}`, 'fixture-derived');
const DATASETS = path.dirname(FIVE_MUSEUMS);

type Derived = Awaited<ReturnType<typeof derive>>;

/** derive(), or copies of what it wrote for the same photograph and widths before. */
async function derivedOnce(options: { source: string; dir: string; key: string; widths: number[] }): Promise<Derived> {
  const { source, dir, key, widths } = options;
  // Only in the test suite (the benchmarks time their fixtures as they always did), and only for the shared
  // datasets' photographs: one a test made for itself is never asked for again.
  const inShared = !path.relative(DATASETS, path.resolve(source)).startsWith('..');
  if (!process.env.VITEST || !inShared) return derive(options);
  const info = await stat(source);
  const inputs = { source: path.resolve(source), size: info.size, mtime: info.mtimeMs, widths, sharp: sharp.versions };
  const code = [derive, nearest, hex].map((f) => f.toString()).join('\n') + JSON.stringify(PALETTE);
  const kept = path.join(DERIVED, createHash('sha256').update(JSON.stringify(inputs)).update(code).digest('hex'));
  const named = (d: Derived, k: string): Derived => ({
    ...d,
    thumbnails: d.thumbnails.map((t, i) => ({
      ...t,
      webp: `thumbnails/${k}-${widths[i]}.webp`,
      jpeg: `thumbnails/${k}-${widths[i]}.jpg`,
    })),
  });
  const found = await readFile(path.join(kept, 'derived.json'), 'utf8').then(
    (text) => JSON.parse(text) as Derived,
    () => null,
  );
  if (found) {
    const mine = named(found, key);
    for (const [i, t] of found.thumbnails.entries()) {
      await copyFile(path.join(kept, t.webp), path.join(dir, mine.thumbnails[i]!.webp));
      await copyFile(path.join(kept, t.jpeg), path.join(dir, mine.thumbnails[i]!.jpeg));
    }
    return mine;
  }
  const made = await derive(options);
  // Kept whole or not at all: written in a folder of its own, renamed into place (another worker may have won).
  const temp = `${kept}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(path.join(temp, 'thumbnails'), { recursive: true });
  const keep = named(made, 'kept');
  for (const [i, t] of made.thumbnails.entries()) {
    await copyFile(path.join(dir, t.webp), path.join(temp, keep.thumbnails[i]!.webp));
    await copyFile(path.join(dir, t.jpeg), path.join(temp, keep.thumbnails[i]!.jpeg));
  }
  await writeFile(path.join(temp, 'derived.json'), JSON.stringify(keep));
  await rename(temp, kept).catch(() => rm(temp, { recursive: true, force: true }));
  return made;
}

/** Write a fixture workspace under `root`; returns the labels.csv line of each object. */
export async function writeFixture({
  root,
  objects,
  labels,
  version = 'v1.1.0',
  widths = [240, 480],
  withMetrics = true,
  uniqueThumbnails = false,
  embeddingSize = 0,
}: {
  root: string;
  objects: FixtureObject[];
  labels: string[];
  version?: string;
  widths?: number[];
  withMetrics?: boolean;
  /** Give every object its own thumbnail files (hard links to the shared ones), as a real dataset has. */
  uniqueThumbnails?: boolean;
  /**
   * Cache an embedding of this length per object, as the train stage does, with the model-info.json
   * that names its backbone: a fixed random projection of the photograph's 8×8 pixels (0: none).
   */
  embeddingSize?: number;
}): Promise<void> {
  const work = path.join(root, '.vitrine');
  const datasetDir = path.join(work, 'dataset');
  await mkdir(path.join(datasetDir, 'thumbnails'), { recursive: true });
  await mkdir(path.join(work, 'registry', 'cards'), { recursive: true });
  await mkdir(path.join(work, 'evaluate'), { recursive: true });
  const derived = new Map<string, Derived>();
  const dsObjects: DatasetObject[] = [];
  const annotations: Annotation[] = [];
  for (const [i, o] of objects.entries()) {
    let d = o.image ? derived.get(o.image) : undefined;
    if (o.image && !d) {
      d = await derivedOnce({ source: o.image, dir: datasetDir, key: `img${derived.size}`, widths });
      derived.set(o.image, d);
    }
    dsObjects.push({
      id: o.id,
      title: o.title,
      maker: o.maker ?? '',
      date: o.date ?? '',
      department: o.department ?? '',
      medium: o.medium ?? '',
      creditLine: o.creditLine ?? '',
      rights: o.rights ?? 'Public domain',
      description: o.description ?? '',
      image: o.image ? `images/${o.id}.jpg` : '',
      extra: o.extra ?? {},
      imageMd5: `${i}`.padStart(32, '0'),
      width: d?.width ?? 0,
      height: d?.height ?? 0,
      label: o.label,
      split: (['train', 'validation', 'test'] as const)[i % 3]!,
      colours: d?.colours ?? [],
      thumbnails:
        d && uniqueThumbnails
          ? await linkThumbnails({ dir: datasetDir, thumbnails: d.thumbnails, key: `o${i}` })
          : (d?.thumbnails ?? []),
    });
    const predicted =
      o.predicted ??
      (o.label ? { label: o.label, confidence: 0.9 } : { label: labels[i % labels.length]!, confidence: 0.55 });
    const rest = labels.filter((l) => l !== predicted.label);
    const top = [
      { label: predicted.label, p: predicted.confidence },
      ...rest.slice(0, 2).map((l, k) => ({ label: l, p: ((1 - predicted.confidence) * (2 - k)) / 3 })),
    ];
    annotations.push({
      id: o.id,
      label: predicted.label,
      confidence: predicted.confidence,
      top,
      modelVersion: version,
      humanLabel: o.label,
      agrees: o.label === null ? null : o.label === predicted.label,
      ...(o.published === undefined ? {} : { published: o.published }),
      ...(o.unfamiliar === undefined ? {} : { unfamiliar: o.unfamiliar }),
      ...(o.noThreshold === undefined ? {} : { noThreshold: o.noThreshold }),
      ...(o.labelIssue === undefined ? {} : { labelIssue: o.labelIssue }),
    });
  }
  if (embeddingSize > 0) await writeEmbeddings({ work, objects, dataset: dsObjects, size: embeddingSize });
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels,
    objects: dsObjects,
    issues: [],
    counts: {
      objects: dsObjects.length,
      labelled: dsObjects.filter((o) => o.label).length,
      bySplit: { train: 0, validation: 0, test: 0 },
      byLabel: {},
    },
  };
  await writeFile(path.join(datasetDir, 'dataset.json'), JSON.stringify(dataset));
  await writeFile(path.join(work, 'registry', 'annotations.json'), JSON.stringify(annotations));
  await writeFile(
    path.join(work, 'registry', 'versions.json'),
    JSON.stringify({
      schema: 'vitrine.versions/1',
      model: 'collection-classifier',
      prod: version,
      versions: [
        {
          version,
          stages: ['prod'],
          date: '2026-11-20T10:00:00Z',
          tag: `collection-classifier@${version}`,
          commit: 'abc1234',
          active: true,
          bump: 'minor',
          reason: 'labels changed',
          headline: null,
          pullRequest: { number: 12, url: 'https://github.com/example-museum/collection/pull/12' },
          card: { markdown: `cards/${version}.md`, json: `cards/${version}.json` },
        },
        {
          version: 'v1.0.0',
          stages: [],
          date: '2026-10-01T10:00:00Z',
          tag: 'collection-classifier@v1.0.0',
          commit: 'def5678',
          active: true,
          bump: 'first',
          reason: null,
          headline: null,
          pullRequest: null,
          card: null,
        },
      ],
    }),
  );
  await writeFile(
    path.join(work, 'registry', 'cards', `${version}.json`),
    JSON.stringify({
      schema: 'vitrine.card/1',
      version,
      date: '2026-11-20T10:00:00Z',
      stages: ['prod'],
      details: {
        owners: ['Collections Data Team'],
        previous: 'v1.0.0',
        reason: 'labels changed',
        licence: 'MIT',
        changes: ['12 labels corrected'],
      },
      intendedUse: {
        primary: ['Suggest an object type for photographs of the collection, for staff to confirm.'],
        users: ['Collections staff'],
        outOfScope: ['Deciding attribution or date'],
      },
      factors: [{ name: 'department', why: 'Departments photograph objects differently.' }],
      ethics: ['Predicted types are suggestions, always shown beside the staff label.'],
      caveatsAndRecommendations: ['Rare types are often confused.'],
      lineage: {
        data: { hash: '1234.dir', source: 'data.dvc' },
        labels: { md5: 'abcd', commit: 'abc1234' },
        code: { commit: 'abc1234' },
        backbone: { id: 'nsfwjs-mobilenet_v2_mid@4.2.1#conv_1', source: 'npm:nsfwjs', licence: 'MIT' },
        backend: 'wasm',
        promotedAt: '2026-11-20T10:00:00Z',
      },
      sections: [{ heading: 'Raw markdown', text: '| a | b |' }],
    }),
  );
  await writeFile(path.join(work, 'registry', 'cards', `${version}.md`), `# Model card ${version}\n`);
  // labels.csv sorted by id, header on line 1.
  const labelled = objects.filter((o) => o.label !== null).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await writeFile(
    path.join(root, 'labels.csv'),
    `object_id,label\n${labelled.map((o) => `${csvCell(o.id)},${csvCell(o.label!)}`).join('\n')}\n`,
  );
  if (withMetrics) {
    const k = labels.length;
    const confusion = labels.map((_, r) => labels.map((__, c) => (r === c ? 8 + r : (r + c) % 3 === 0 ? 1 : 0)));
    const iv = (value: number) => ({ value, low: value - 0.06, high: Math.min(1, value + 0.05) });
    const metrics: Partial<Metrics> = {
      schema: 'vitrine.metrics/1',
      createdAt: '2026-11-20T09:00:00Z',
      labels,
      n: confusion.flat().reduce((a, b) => a + b, 0),
      accuracy: iv(0.874),
      macroF1: iv(0.861),
      topK: { k: 2, accuracy: iv(0.95) },
      ece: iv(0.041),
      perClass: labels.map((label, j) => ({
        label,
        precision: 0.8 + j / (10 * k),
        recall: 0.85,
        f1: 0.82,
        support: confusion[j]!.reduce((a, b) => a + b, 0),
      })),
      confusion,
      factors: [
        {
          factor: 'department',
          groups: [
            { value: 'Textiles', n: 12, accuracy: 0.9, macroF1: 0.88 },
            { value: 'Asian Art', n: 9, accuracy: 0.78, macroF1: 0.7 },
          ],
        },
      ],
      baseline: null,
      changedPredictions: [],
      leastConfident: [],
    };
    await writeFile(path.join(work, 'evaluate', 'metrics.json'), JSON.stringify(metrics));
  }
}

/** Embeddings of the fixture's photographs in the pipeline's cache, and a model-info.json naming their backbone. */
async function writeEmbeddings({
  work,
  objects,
  dataset,
  size,
}: {
  work: string;
  objects: FixtureObject[];
  dataset: DatasetObject[];
  size: number;
}): Promise<void> {
  const backbone = {
    id: 'fixture-pixels-8x8',
    source: 'test/site/fixture.ts',
    licence: 'MIT',
    inputSize: 8,
    fit: 'letterbox' as const,
    inputRange: '0,1' as const,
    layer: '',
    embeddingSize: size,
  };
  await mkdir(path.join(work, 'model'), { recursive: true });
  await writeFile(
    path.join(work, 'model', 'model-info.json'),
    JSON.stringify({ schema: 'vitrine.model/1', labels: [], backbone }),
  );
  const uniform = seededUniform(11);
  const projection = Float32Array.from({ length: 192 * size }, () => uniform() - 0.5);
  const pixels = new Map<string, Float32Array>();
  const entries: [string, Float32Array][] = [];
  for (const [i, o] of objects.entries()) {
    if (!o.image) continue;
    let v = pixels.get(o.image);
    if (!v) {
      const raw = await sharp(o.image)
        .rotate()
        .flatten({ background: '#ffffff' })
        .resize(8, 8, { fit: 'fill' })
        .raw()
        .toBuffer();
      v = new Float32Array(size);
      for (let k = 0; k < size; k++) for (let j = 0; j < 192; j++) v[k]! += (raw[j]! / 255) * projection[j * size + k]!;
      pixels.set(o.image, v);
    }
    entries.push([dataset[i]!.imageMd5, v]);
  }
  const key = embeddingConfigKey({
    backboneId: backbone.id,
    inputSize: backbone.inputSize,
    fit: backbone.fit,
    inputRange: backbone.inputRange,
    background: '#ffffff',
  });
  const folder = path.join(work, 'cache', 'embeddings', key);
  await mkdir(folder, { recursive: true });
  await appendSegment({ folder, entries });
}

async function linkThumbnails({
  dir,
  thumbnails,
  key,
}: {
  dir: string;
  thumbnails: Thumbnail[];
  key: string;
}): Promise<Thumbnail[]> {
  const out: Thumbnail[] = [];
  for (const t of thumbnails) {
    const webp = `thumbnails/${key}-${t.width}.webp`;
    const jpeg = `thumbnails/${key}-${t.width}.jpg`;
    await link(path.join(dir, t.webp), path.join(dir, webp));
    await link(path.join(dir, t.jpeg), path.join(dir, jpeg));
    out.push({ ...t, webp, jpeg });
  }
  return out;
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Monitoring files as `vitrine monitor` writes them: drift.json (with the novelty signal and
 * `unfamiliar` naming the given objects), history.json with three runs of `version` (the first two
 * over the novelty threshold) and one of `otherVersion`, and corrections.json for `version`.
 */
export async function writeMonitoringFixture({
  root,
  version,
  otherVersion,
  unfamiliar,
  nearest,
}: {
  root: string;
  version: string;
  otherVersion: string;
  unfamiliar: { id: string; title: string }[];
  nearest: string;
}): Promise<void> {
  const dir = path.join(root, '.vitrine', 'monitor');
  await mkdir(dir, { recursive: true });
  const drift = {
    schema: 'vitrine.drift/1',
    createdAt: '2026-11-21T08:00:00Z',
    modelVersion: version,
    reference: {
      kind: 'model-training',
      description: `the 16 training objects of ${version}`,
      modelVersion: version,
      ref: null,
      count: 16,
    },
    current: { kind: 'added-since', description: '9 objects added since', modelVersion: null, ref: null, count: 9 },
    signals: {
      embeddings: {
        signal: 'embeddings',
        value: 0.2,
        effect: 0.31,
        pValue: 0.002,
        threshold: 0.01,
        minEffect: 0.1,
        drifted: true,
        permutations: 500,
        seed: 1,
        backbone: 'test',
        compared: { reference: 16, current: 9 },
      },
      novelty: {
        signal: 'novelty',
        value: 0.83,
        pValue: 0.004,
        threshold: 0.01,
        minIncrease: 0.5,
        drifted: true,
        permutations: 500,
        seed: 1,
      },
      imageStats: [
        {
          signal: 'brightness',
          description: 'brightness (mean pixel lightness, 0-1)',
          reference: { mean: 0.6, sd: 0.2, n: 16 },
          current: { mean: 0.5, sd: 0.2, n: 9 },
          value: 0.4,
          threshold: 0.8,
          drifted: false,
        },
      ],
      predictedLabels: null,
    },
    unfamiliarThreshold: 0.2,
    unusualShare: 0.44,
    unfamiliar: unfamiliar.map((u, i) => ({
      id: u.id,
      title: u.title,
      distance: 0.91 - i / 10,
      nearestId: nearest,
      unusual: i === 0,
      predicted: i === 0 ? { label: 'mask', confidence: 0.41 } : null,
    })),
    drifted: true,
    driftedSignals: ['embeddings', 'novelty'],
    summary: 'The new photographs look different from the training photographs.',
  };
  const run = (
    createdAt: string,
    modelVersion: string,
    novelty: number,
    effect: number,
    stat: number,
    share: number,
  ) => ({
    createdAt,
    modelVersion,
    commit: `${createdAt.slice(8, 10)}`.padEnd(40, 'a'),
    referenceCount: 16,
    currentCount: 9,
    embeddingEffect: effect,
    embeddingPValue: 0.002,
    noveltyIncrease: novelty,
    noveltyPValue: 0.004,
    maxImageStat: stat,
    labelDistance: null,
    unusualShare: share,
    drifted: novelty >= 0.5,
    driftedSignals: novelty >= 0.5 ? ['novelty'] : [],
  });
  const history = {
    schema: 'vitrine.drift-history/1',
    entries: [
      run('2026-11-01T08:00:00Z', version, 0.12, 0.05, 0.3, 0.0),
      run('2026-10-01T08:00:00Z', otherVersion, 0.2, 0.04, 0.2, 0.1),
      run('2026-11-10T08:00:00Z', version, 0.61, 0.18, 1.2, 0.22),
      // An entry from an older or broken writer is skipped, not fatal.
      'not a run',
      run('2026-11-21T08:00:00Z', version, 0.83, 0.31, 0.4, 0.44),
    ],
  };
  const corrections = {
    schema: 'vitrine.corrections/1',
    modelVersion: version,
    since: 'abc1234'.padEnd(40, '0'),
    until: 'fed9876'.padEnd(40, '0'),
    commits: 2,
    changed: 3,
    added: 1,
    removed: 0,
    labelled: 49,
    rate: 0.0625,
    byCommit: [
      {
        commit: '1111111'.padEnd(40, '1'),
        date: '2026-11-12T10:00:00Z',
        message: 'Merge pull request #21 from staff/masks\n\nTwo masks were figurines',
        changed: 2,
        added: 0,
        removed: 0,
      },
      {
        commit: '2222222'.padEnd(40, '2'),
        date: '2026-11-18T10:00:00Z',
        message: 'Merge pull request #24: <img src=x onerror="window.__pwned=2"> label fix',
        changed: 1,
        added: 1,
        removed: 0,
      },
    ],
  };
  await writeFile(path.join(dir, 'drift.json'), JSON.stringify(drift));
  await writeFile(path.join(dir, 'history.json'), JSON.stringify(history));
  await writeFile(path.join(dir, 'corrections.json'), JSON.stringify(corrections));
}

/**
 * Write `labelsText` as labels.csv and add to dataset.json the issues the dataset stage would give its lines
 * (checkLabels: unknown ids, labels outside the vocabulary and their near misses, lines that disagree).
 */
export async function withCheckedLabels({
  ws,
  labelsText,
  objectIds,
  vocabulary,
  minPerLabel,
}: {
  ws: Workspace;
  labelsText: string;
  objectIds: Set<string>;
  vocabulary: string[];
  minPerLabel?: number;
}): Promise<void> {
  await writeFile(ws.labels, labelsText);
  const file = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
  const { issues } = checkLabels({
    labels: parseLabels({ text: labelsText, file: 'labels.csv' }),
    objectIds,
    vocabulary,
    name: 'labels.csv',
    ...(minPerLabel === undefined ? {} : { minPerLabel }),
  });
  dataset.issues.push(...issues);
  await writeFile(file, JSON.stringify(dataset));
}
