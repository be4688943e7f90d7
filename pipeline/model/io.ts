import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { VitrineError } from '../errors.ts';
import type { ModelInfo } from '../types.ts';
import type { Tf } from './head.ts';

/*
 * A model folder: `model.json` + `weights.bin` in the TF.js layers format (what a browser loads with
 * tf.loadLayersModel('…/model.json')) and `model-info.json` (ModelInfo: labels, backbone, history).
 * tfjs-node's file:// handler is not available on every backend, so the artifacts go through our own
 * save handler and come back through tf.io.fromMemory.
 */

export const MODEL_FILES = { topology: 'model.json', weights: 'weights.bin', info: 'model-info.json' } as const;

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
}

function joinWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/** Save a trained head and its ModelInfo to `dir`, replacing the folder whole (temp folder, then rename). */
export async function saveModel({
  dir,
  model,
  info,
}: {
  dir: string;
  model: TF.LayersModel;
  info: ModelInfo;
}): Promise<void> {
  const abs = path.resolve(dir);
  await mkdir(path.dirname(abs), { recursive: true });
  await sweepLeftovers(abs);
  const temp = `${abs}.tmp-${randomBytes(6).toString('hex')}`;
  const old = `${abs}.old-${randomBytes(6).toString('hex')}`;
  try {
    await mkdir(temp);
    // A save handler is a plain object: no tf instance is needed, so any backend's model saves here.
    await model.save({
      save: async (artifacts: TF.io.ModelArtifacts) => {
        const json: ModelJson = {
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          modelTopology: artifacts.modelTopology as object,
          weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
        };
        const weights = joinWeights(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
        await writeFile(path.join(temp, MODEL_FILES.topology), JSON.stringify(json));
        await writeFile(path.join(temp, MODEL_FILES.weights), weights);
        return {
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength },
        };
      },
    });
    await writeFile(path.join(temp, MODEL_FILES.info), `${JSON.stringify(info, null, 2)}\n`);
    // Swap folders: readers see the old model or the new one, never a mix.
    let hadOld = false;
    try {
      await rename(abs, old);
      hadOld = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(temp, abs);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** A temp folder younger than this may be another save's, under way: it is left alone. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Remove what an earlier save of `abs` left when it was stopped between its two renames: `<name>.old-<hex>` (the
 * model before) and `<name>.tmp-<hex>` (the one being written, once stale). Only saveModel's own names.
 */
async function sweepLeftovers(abs: string): Promise<void> {
  const own = new RegExp(`^${escapeRegExp(path.basename(abs))}\\.(old|tmp)-[0-9a-f]{12}$`);
  const entries = await readdir(path.dirname(abs)).catch(() => [] as string[]);
  for (const name of entries) {
    const match = own.exec(name);
    if (!match) continue;
    const file = path.join(path.dirname(abs), name);
    if (match[1] === 'tmp') {
      const age = await stat(file).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age < STALE_TEMP_MS) continue;
    }
    await rm(file, { recursive: true, force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Read `model-info.json` of a model folder. */
export async function readModelInfo({ dir }: { dir: string }): Promise<ModelInfo> {
  const file = path.join(dir, MODEL_FILES.info);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'MODEL_MISSING',
        `There is no trained model in "${dir}" (no ${MODEL_FILES.info}). Run "vitrine train" first.`,
        { file },
        { cause: error },
      );
    }
    throw error;
  }
  const info = JSON.parse(text) as ModelInfo;
  if (info.schema !== 'vitrine.model/1') {
    throw new VitrineError(
      'MODEL_SCHEMA',
      `"${file}" is not a Vitrine model description (schema "${String(info.schema)}", expected "vitrine.model/1").`,
      { file },
    );
  }
  return info;
}

/** Load a model folder written by saveModel: the head as a LayersModel and its ModelInfo. */
export async function loadModel({
  dir,
  tf,
}: {
  dir: string;
  tf: Tf;
}): Promise<{ model: TF.LayersModel; info: ModelInfo }> {
  const info = await readModelInfo({ dir });
  const topologyFile = path.join(dir, MODEL_FILES.topology);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(topologyFile, 'utf8')) as ModelJson;
  } catch (error) {
    throw new VitrineError(
      'MODEL_MISSING',
      `The model in "${dir}" is incomplete: ${MODEL_FILES.topology} is missing or damaged.`,
      { file: topologyFile },
      { cause: error },
    );
  }
  const buffers = await Promise.all(
    json.weightsManifest.flatMap((group) => group.paths.map((p) => readFile(path.join(dir, p)))),
  );
  const weightData = joinWeights(
    buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer as ArrayBuffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined,
    }),
  );
  if (model.outputs[0]?.shape.at(-1) !== info.labels.length) {
    throw new VitrineError(
      'MODEL_SCHEMA',
      `The model in "${dir}" has ${model.outputs[0]?.shape.at(-1)} outputs but ${info.labels.length} labels in ${MODEL_FILES.info}.`,
      { dir },
    );
  }
  return { model, info };
}
