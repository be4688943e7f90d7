import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { md5Of, normalised, readImageBytes } from '../pipeline/dataset/images.ts';
import { assignSplits } from '../pipeline/dataset/split.ts';
import { bootstrapIntervals, pairedBootstrap } from '../pipeline/evaluate/bootstrap.ts';
import { macroF1Of, type Prepared, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { type EmbedItem, embedImages } from '../pipeline/model/embed.ts';
import { predictProbabilities, trainHead } from '../pipeline/model/head.ts';
import { defaultParams } from '../pipeline/params.ts';
import type { Interval } from '../pipeline/types.ts';
import { readEgyptian } from './model.ts';
import { normalisePhotograph, PHOTOMETRIC_CHOICES, type Photometric } from './photometric-methods.ts';

/*
 * Photographs normalised before the backbone (issue 13): does making the photography style count less
 * (greyscale, auto-levels, white balance, background flattening) help across museums?
 *   npx node bench/photometric.ts [variant ...] [--embed-only]   e.g. grey stretch greyworld background_mask grey+stretch
 * Each variant is one or more of bench/photometric-methods.ts's methods joined by "+" (applied in order).
 * Every Egyptian photograph is normalised (cached as a PNG per variant under $TMPDIR/photometric-cache) and
 * embedded through the production path (embedImages, default params; the cache key is the PNG's md5, so a
 * variant never reuses another's vectors). Scored with the head `vitrine train` ships (params.train,
 * `train.solver: lbfgs`, the training objects' "validation" share scored, not learnt from): Met → Cleveland,
 * Cleveland → Met, and the split `vitrine import` gives; macro-F1 with 1,000-resample bootstrap intervals
 * and the paired difference from today's photographs (same test objects, same resamples).
 * The heads' probabilities are cached per variant, so adding a variant costs only that variant.
 */

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const RESAMPLES = 1000;
const root = path.resolve(import.meta.dirname, '..');
const cacheRoot = path.join(tmpdir(), 'photometric-cache');
const embeddingCache = path.join(tmpdir(), 'vitrine-bench-embeddings');

const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
const sign = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

function methodsOf(variant: string): Photometric[] {
  const methods = variant.split('+') as Photometric[];
  for (const m of methods) {
    if (!PHOTOMETRIC_CHOICES.includes(m)) {
      throw new Error(`bench/photometric.ts: "${m}" is not one of ${PHOTOMETRIC_CHOICES.join(', ')}.`);
    }
  }
  return methods;
}

/** The normalised photograph of each item as a PNG (cached), keyed by the PNG's md5. */
async function normalisedItems({ items, variant }: { items: EmbedItem[]; variant: string }): Promise<EmbedItem[]> {
  const methods = methodsOf(variant);
  if (methods.every((m) => m === 'none')) return items;
  const dir = path.join(cacheRoot, variant);
  await mkdir(dir, { recursive: true });
  const made = new Map<string, EmbedItem>();
  const out: EmbedItem[] = [];
  for (const item of items) {
    const known = made.get(item.key);
    if (known) {
      out.push(known);
      continue;
    }
    const file = path.join(dir, `${item.key}.png`);
    if (!existsSync(file)) {
      const { data, info } = await normalised({ data: await readImageBytes({ file: item.file }) })
        .raw()
        .toBuffer({ resolveWithObject: true });
      let pixels: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.length);
      for (const method of methods) {
        pixels = normalisePhotograph({ pixels, width: info.width, height: info.height, method });
      }
      const png = await sharp(pixels, { raw: { width: info.width, height: info.height, channels: 3 } })
        .png()
        .toBuffer();
      await writeFile(`${file}.tmp`, png);
      await rename(`${file}.tmp`, file);
    }
    const result = { key: md5Of(await readFile(file)), file };
    made.set(item.key, result);
    out.push(result);
  }
  return out;
}

/** A scenario: its name, then the rows it trains on, validates on and tests on. */
export type Scenario = [string, number[], number[], number[]];

/**
 * The Egyptian set's classes, each row's class, and the three scenarios the photometric benches score: each museum
 * to the other (trained on one, tested on the other) and the random split `vitrine import` gives the set.
 */
export function egyptianScenarios({
  rows,
  items,
  params,
}: {
  rows: Awaited<ReturnType<typeof readEgyptian>>['rows'];
  items: EmbedItem[];
  params: ReturnType<typeof defaultParams>;
}): { classes: string[]; y: number[]; scenarios: Scenario[] } {
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => classes.indexOf(r.label));
  const splits = assignSplits({
    objects: rows.map((r, i) => ({ id: r.id, image: items[i]!.key })),
    fractions: params.dataset.split,
  });
  const split = rows.map((r) => splits.get(r.id)!);
  const all = rows.map((_, i) => i);
  const of = (museum: string) => all.filter((i) => rows[i]!.museum === museum);
  const trainValidation = (indices: number[]): [number[], number[]] => [
    indices.filter((i) => split[i] !== 'validation'),
    indices.filter((i) => split[i] === 'validation'),
  ];
  const scenarios: Scenario[] = [
    ['Met → Cleveland', ...trainValidation(of(MET)), of(CLEVELAND)],
    ['Cleveland → Met', ...trainValidation(of(CLEVELAND)), of(MET)],
    [
      'random split',
      all.filter((i) => split[i] === 'train'),
      all.filter((i) => split[i] === 'validation'),
      all.filter((i) => split[i] === 'test'),
    ],
  ];
  return { classes, y, scenarios };
}

export async function photometric(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  // --embed-only: normalise and embed the variants (to score them later), no heads.
  const embedOnly = process.argv.includes('--embed-only');
  const variants = embedOnly ? asked : ['none', ...asked.filter((v) => v !== 'none')];
  for (const v of variants) methodsOf(v);
  const { rows, items } = await readEgyptian();
  const params = defaultParams();
  const { tf, name } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  console.log(`Backend ${name}; ${items.length} photographs; variants: ${variants.join(', ')}.`);

  const { classes, y, scenarios } = egyptianScenarios({ rows, items, params });

  const baseline = new Map<string, Prepared>();
  const lines: string[] = [];
  for (const variant of variants) {
    const started = performance.now();
    const variantItems = await normalisedItems({ items, variant });
    const { vectors, computed } = await embedImages({
      items: variantItems,
      params,
      root,
      // One cache folder per variant: runs for different variants may embed side by side.
      cacheDir: variant === 'none' ? embeddingCache : path.join(cacheRoot, variant),
      workers: Math.min(2, availableParallelism()),
      log: silentLogger,
    });
    const x = variantItems.map((item) => vectors.get(item.key)!);
    const embedded = (performance.now() - started) / 1000;
    if (embedOnly) {
      console.log(`${variant}: ${computed} embedded in ${embedded.toFixed(0)} s`);
      continue;
    }
    const cells: string[] = [];
    for (const [label, train, validation, test] of scenarios) {
      const probsFile = path.join(cacheRoot, 'probs', `${variant}--${label.replace(/\W+/g, '-')}.json`);
      let probs: number[][];
      if (existsSync(probsFile)) {
        probs = JSON.parse(await readFile(probsFile, 'utf8'));
      } else {
        const pick = (idx: number[]) => ({ x: idx.map((i) => x[i]!), y: idx.map((i) => y[i]!) });
        const { model } = await trainHead({
          tf,
          train: pick(train),
          validation: pick(validation),
          labels: classes,
          params: params.train,
          log: silentLogger,
        });
        const predicted = predictProbabilities({ tf, model, x: test.map((i) => x[i]!) });
        model.dispose();
        probs = predicted.map((p) => Array.from(p, Number));
        await mkdir(path.dirname(probsFile), { recursive: true });
        await writeFile(`${probsFile}.tmp`, JSON.stringify(probs));
        await rename(`${probsFile}.tmp`, probsFile);
      }
      const prepared = prepare({ y: test.map((i) => y[i]!), probs });
      const f1 = bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of }, resamples: RESAMPLES }).macroF1;
      if (!baseline.has(label)) baseline.set(label, prepared);
      const delta = pairedBootstrap({
        candidate: prepared,
        baseline: baseline.get(label)!,
        statistic: macroF1Of,
        resamples: RESAMPLES,
      }).difference;
      cells.push(show(f1), variant === 'none' ? '—' : `${sign(delta.value)} [${sign(delta.low)}, ${sign(delta.high)}]`);
    }
    const line = `| ${variant} | ${cells.join(' | ')} |`;
    lines.push(line);
    console.log(`${line}   (${computed} embedded, ${embedded.toFixed(0)} s)`);
  }
  console.log(
    '\n| photographs | Met → Cleveland (654) | paired Δ | Cleveland → Met (1,173) | paired Δ | random split | paired Δ |\n' +
      '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const line of lines) console.log(line);
}

if (import.meta.main) await photometric();
