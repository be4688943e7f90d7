import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { TF } from './backend.ts';

/*
 * The backbone turns a square RGB image into an embedding vector; the head learns the museum's
 * labels on top. Built-in backbones ship inside the nsfwjs npm package (MIT, Infinite Red), so a
 * run works offline: each model is a browserify bundle (`model.min.js` exporting the model.json
 * object, `group1-shardNofM.min.js` each exporting one base64 weight shard). We unwrap them with
 * require() and hand TF.js the bytes from memory. NSFWJS trained a small classifier on top of
 * ImageNet backbones; we cut it off and use a feature layer (see docs/backbone.md for the choice).
 * A "custom" backbone is any TF.js layers or graph model.json, by path or http(s) URL.
 */

export type BackboneParams = Params['backbone'];
export type Fit = 'letterbox' | 'crop';
export type InputRange = BackboneParams['input_range'];

/** What every consumer of a backbone may rely on; also what is written to model-info.json. */
export interface BackboneInfo {
  /** Stable identity for cache keys: name, weights and layer (different weights, different id). */
  id: string;
  /** Where the weights came from: an npm package path or the custom path/URL. */
  source: string;
  licence: string;
  /** Side of the square RGB input, in pixels. */
  inputSize: number;
  fit: Fit;
  /** Pixel scaling applied before the network: "0,1" or "-1,1". */
  inputRange: InputRange;
  /** Layer (layers model) or node (graph model) the embedding is read from. */
  layer: string;
  embeddingSize: number;
}

export interface Backbone extends BackboneInfo {
  /** Embed RGB images (each inputSize×inputSize×3 uint8, row-major); one vector per image, in order. */
  embed(images: Uint8Array[]): Promise<Float32Array[]>;
  dispose(): void;
}

type BuiltinName = Exclude<BackboneParams['name'], 'custom'>;

interface Builtin {
  folder: string;
  shards: number;
  inputSize: number;
  /** The feature layer used when params.backbone.layer is empty. */
  layer: string;
  /** Short names for long graph node names (the short name goes into the backbone id). */
  aliases?: Record<string, string>;
  description: string;
}

const MOBILENET_V2_MID =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall';

/** The backbones inside node_modules/nsfwjs/dist/models. */
export const BUILTINS: Record<BuiltinName, Builtin> = {
  mobilenet_v2: {
    folder: 'mobilenet_v2',
    shards: 1,
    inputSize: 224,
    layer: 'flatten_1',
    description: 'MobileNetV2 (Keras, layers model), 1280-d global-average-pooled features',
  },
  mobilenet_v2_mid: {
    folder: 'mobilenet_v2_mid',
    shards: 2,
    inputSize: 224,
    layer: 'feature_vector',
    aliases: {
      feature_vector: `${MOBILENET_V2_MID}/predict/feature_vector/SpatialSqueeze`,
      // Feature maps of the last blocks (7×7 and 14×14), for multi-layer pooling.
      conv_1: `${MOBILENET_V2_MID}/predict/MobilenetV2/Conv_1/Relu6`,
      block_16_expand: `${MOBILENET_V2_MID}/predict/MobilenetV2/expanded_conv_16/expand/Relu6`,
      block_16_project: `${MOBILENET_V2_MID}/predict/MobilenetV2/expanded_conv_16/project/BatchNorm/FusedBatchNormV3`,
      block_15: `${MOBILENET_V2_MID}/predict/MobilenetV2/expanded_conv_15/add`,
      block_13_expand: `${MOBILENET_V2_MID}/predict/MobilenetV2/expanded_conv_13/expand/Relu6`,
      block_12: `${MOBILENET_V2_MID}/predict/MobilenetV2/expanded_conv_12/add`,
    },
    description: 'MobileNetV2 1.4 (TF Hub feature vector, graph model), 1792-d features',
  },
  inception_v3: {
    folder: 'inception_v3',
    shards: 6,
    inputSize: 299,
    layer: 'flatten_1',
    description: 'InceptionV3 (Keras, layers model), 2048-d global-average-pooled features',
  },
};

/** Licence of the built-in weights as shown on model cards. */
export const BUILTIN_LICENCE =
  'MIT (nsfwjs by Infinite Red; ImageNet-pretrained MobileNetV2/InceptionV3 weights, Apache-2.0)';

const require = createRequire(import.meta.url);

/** The installed nsfwjs package folder (its "exports" hide package.json, so walk up from the entry). */
function nsfwjsDir(): string {
  let folder = path.dirname(require.resolve('nsfwjs'));
  while (!existsSync(path.join(folder, 'package.json')) || path.basename(folder) !== 'nsfwjs') {
    const parent = path.dirname(folder);
    if (parent === folder)
      throw new VitrineError(
        'BACKBONE_LOAD',
        'The nsfwjs package (built-in backbones) is not installed. Run npm ci.',
        {},
      );
    folder = parent;
  }
  return folder;
}

/** The nsfwjs version in node_modules, part of every built-in backbone id. */
export function nsfwjsVersion(): string {
  return (JSON.parse(readFileSync(path.join(nsfwjsDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The id a built-in backbone will have, without loading its weights (for cache look-ups). */
export function builtinId({ params }: { params: BackboneParams }): string | undefined {
  if (params.name === 'custom') return undefined;
  const builtin = BUILTINS[params.name];
  // The layer text as written (aliases unresolved), normalised so spacing never splits the cache.
  return `nsfwjs-${params.name}@${nsfwjsVersion()}#${formatFeatureSpec(parseFeatureSpec({ layer: params.layer || builtin.layer }))}`;
}

/** How a feature map (batch × height × width × channels) becomes one number per channel. */
export type Pooling = 'mean' | 'max' | 'gem';
const POOLINGS: readonly Pooling[] = ['mean', 'max', 'gem'];

/** One part of an embedding: a layer or node, and the poolings of its feature map, in order. */
export interface FeaturePart {
  layer: string;
  pools: Pooling[];
}

/**
 * Parse backbone.layer: one layer or node ("feature_vector"), or several with their poolings,
 * "conv_1:mean+max, block_13_expand:mean". The embedding is the parts' pooled vectors, concatenated
 * in that order; a part without poolings is average-pooled (a vector output is used as it is).
 */
export function parseFeatureSpec({ layer }: { layer: string }): FeaturePart[] {
  if (!layer.trim()) return [];
  return layer.split(',').map((text) => {
    // A graph node may be named with its output index ("name:1"); poolings are words.
    const colon = text.lastIndexOf(':');
    const words = colon >= 0 && /^[a-z+\s]+$/i.test(text.slice(colon + 1));
    const name = words ? text.slice(0, colon) : text;
    const pools = words
      ? text
          .slice(colon + 1)
          .split('+')
          .map((p) => p.trim())
      : ['mean'];
    const bad = pools.find((p) => !(POOLINGS as readonly string[]).includes(p));
    if (!name.trim() || bad !== undefined) {
      throw new VitrineError(
        'BACKBONE_LAYER',
        `backbone.layer "${layer}" in params.yaml: "${text.trim()}" is not a layer name ` +
          'optionally followed by poolings (":mean", ":max", ":gem", joined by "+").',
        { layer },
      );
    }
    return { layer: name.trim(), pools: pools as Pooling[] };
  });
}

/** The parts a built-in or custom backbone reads its embedding from, with aliases resolved. */
export function resolveFeatureParts({ params }: { params: BackboneParams }): FeaturePart[] {
  if (params.name === 'custom') return parseFeatureSpec({ layer: params.layer });
  const builtin = BUILTINS[params.name];
  return parseFeatureSpec({ layer: params.layer || builtin.layer }).map((p) => ({
    ...p,
    layer: builtin.aliases?.[p.layer] ?? p.layer,
  }));
}

/** The layer or node name(s) a backbone reads its embedding from (aliases resolved), as written in backbone.layer. */
export function resolveLayer({ params }: { params: BackboneParams }): string {
  return formatFeatureSpec(resolveFeatureParts({ params }));
}

/** backbone.layer text for parts: a lone average-pooled layer is just its name. */
export function formatFeatureSpec(parts: FeaturePart[]): string {
  if (parts.length === 1 && parts[0]!.pools.length === 1 && parts[0]!.pools[0] === 'mean') return parts[0]!.layer;
  return parts.map((p) => `${p.layer}:${p.pools.join('+')}`).join(',');
}

/** Load the backbone params.backbone names: a built-in (offline) or a custom model by path or URL. */
export async function loadBackbone({
  params,
  root,
  tf,
  log,
  fetchImpl = fetch,
}: {
  params: BackboneParams;
  root: string;
  tf: TF;
  log: Logger;
  fetchImpl?: typeof fetch;
}): Promise<Backbone> {
  if (params.name === 'custom') return loadCustom({ params, root, tf, log, fetchImpl });
  const builtin = BUILTINS[params.name];
  const folder = path.join(nsfwjsDir(), 'dist', 'models', builtin.folder);
  let modelJson: ModelJson;
  const shards: Uint8Array[] = [];
  try {
    modelJson = require(path.join(folder, 'model.min.js')) as ModelJson;
    for (let i = 1; i <= builtin.shards; i++) {
      const base64 = require(path.join(folder, `group1-shard${i}of${builtin.shards}.min.js`)) as string;
      shards.push(Buffer.from(base64, 'base64'));
      // The base64 text is large (up to 30 MB for InceptionV3) and no longer needed.
      delete require.cache[require.resolve(path.join(folder, `group1-shard${i}of${builtin.shards}.min.js`))];
    }
  } catch (error) {
    throw new VitrineError(
      'BACKBONE_LOAD',
      `The built-in backbone "${params.name}" could not be read from ${folder} (${messageOf(error)}). Reinstall ` +
        `the nsfwjs package (npm ci).`,
      { backbone: params.name },
      { cause: error },
    );
  }
  if (params.input_size !== builtin.inputSize) {
    log.debug(
      `backbone.input_size ${params.input_size} is ignored: ${params.name} takes ${builtin.inputSize}×${builtin.inputSize} images.`,
    );
  }
  return fromArtifacts({
    tf,
    log,
    modelJson,
    weights: concat(shards),
    id: builtinId({ params })!,
    source: `npm:nsfwjs@${nsfwjsVersion()}/dist/models/${builtin.folder}`,
    licence: BUILTIN_LICENCE,
    layer: resolveLayer({ params }),
    inputSize: builtin.inputSize,
    fit: params.fit,
    inputRange: params.input_range,
  });
}

interface ModelJson {
  format?: string;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: import('@tensorflow/tfjs').io.WeightsManifestEntry[] }[];
}

async function loadCustom({
  params,
  root,
  tf,
  log,
  fetchImpl,
}: {
  params: BackboneParams;
  root: string;
  tf: TF;
  log: Logger;
  fetchImpl: typeof fetch;
}): Promise<Backbone> {
  const source = params.source.trim();
  if (!source) {
    throw new VitrineError(
      'BACKBONE_SOURCE',
      'params.yaml sets backbone.name to "custom" but backbone.source is empty. Give the path or http(s) URL of a TF.js model.json.',
      { key: 'backbone.source' },
    );
  }
  const isUrl = /^https?:\/\//i.test(source);
  if (!isUrl && /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new VitrineError(
      'BACKBONE_SOURCE',
      `backbone.source "${source}" is neither a file path nor an http(s) URL.`,
      { key: 'backbone.source', source },
    );
  }
  const read = async (ref: string): Promise<Uint8Array> => {
    if (isUrl) {
      const url = new URL(ref, source).href;
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (error) {
        throw new VitrineError(
          'BACKBONE_LOAD',
          `The custom backbone file ${url} could not be downloaded (${messageOf(error)}).`,
          { source, url },
          { cause: error },
        );
      }
      if (!response.ok)
        throw new VitrineError(
          'BACKBONE_LOAD',
          `The custom backbone file ${url} could not be downloaded: HTTP ${response.status} ${response.statusText}.`,
          { source, url, status: response.status },
        );
      return new Uint8Array(await response.arrayBuffer());
    }
    const file = path.resolve(root, path.dirname(source), ref);
    try {
      return await readFile(file);
    } catch (error) {
      throw new VitrineError(
        'BACKBONE_LOAD',
        `The custom backbone file ${file} could not be read (${messageOf(error)}).`,
        { source, file },
        { cause: error },
      );
    }
  };
  const jsonBytes = await read(isUrl ? source : path.basename(source));
  let modelJson: ModelJson;
  try {
    modelJson = JSON.parse(Buffer.from(jsonBytes).toString('utf8')) as ModelJson;
  } catch (error) {
    throw new VitrineError(
      'BACKBONE_LOAD',
      `backbone.source ${source} is not a TF.js model.json (not valid JSON: ${messageOf(error)}).`,
      { source },
      { cause: error },
    );
  }
  if (!modelJson || typeof modelJson.modelTopology !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new VitrineError(
      'BACKBONE_LOAD',
      `backbone.source ${source} is not a TF.js model.json (it needs "modelTopology" and "weightsManifest").`,
      { source },
    );
  }
  const shards: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) for (const p of group.paths) shards.push(await read(p));
  const weights = concat(shards);
  const hash = createHash('sha256').update(jsonBytes).update(weights).digest('hex').slice(0, 16);
  const licence = params.licence.trim() || 'unknown';
  if (licence === 'unknown')
    log.warn(
      'backbone.licence is empty in params.yaml: the model card will say the backbone licence is unknown. Set ' +
        'it to the licence of the custom weights.',
    );
  return fromArtifacts({
    tf,
    log,
    modelJson,
    weights,
    id: `custom-${hash}#${params.layer || 'output'}`,
    source,
    licence,
    layer: params.layer,
    inputSize: params.input_size,
    fit: params.fit,
    inputRange: params.input_range,
  });
}

async function fromArtifacts({
  tf,
  log,
  modelJson,
  weights,
  id,
  source,
  licence,
  layer,
  inputSize,
  fit,
  inputRange,
}: {
  tf: TF;
  log: Logger;
  modelJson: ModelJson;
  weights: Uint8Array;
  id: string;
  source: string;
  licence: string;
  layer: string;
  inputSize: number;
  fit: Fit;
  inputRange: InputRange;
}): Promise<Backbone> {
  const artifacts = {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  };
  const isGraph =
    modelJson.format === 'graph-model' || Array.isArray((modelJson.modelTopology as { node?: unknown }).node);
  type Tensor = import('@tensorflow/tfjs').Tensor;
  // Empty: the model's own output, used as it is (average-pooled if it is a feature map).
  const parts = parseFeatureSpec({ layer });
  const names = parts.map((p) => p.layer);
  let run: (x: import('@tensorflow/tfjs').Tensor4D) => Tensor[];
  let release: () => void;
  let fixedSize: number | undefined;
  try {
    if (isGraph) {
      const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
      const shape = model.inputs[0]?.shape;
      fixedSize = shape && shape[1] && shape[1] > 0 ? shape[1] : undefined;
      const nodes = (modelJson.modelTopology as { node?: { name: string }[] }).node ?? [];
      const missing = names.find((name) => !nodes.some((n) => n.name === name.replace(/:\d+$/, '')));
      if (missing !== undefined) {
        const message = `The backbone has no node "${missing}" (backbone.layer in params.yaml). Use the name of a node in its model.json.`;
        throw new VitrineError('BACKBONE_LAYER', message, { layer: missing, source });
      }
      // execute() returns a lone tensor (not an array) for one output name.
      run = (x) => [names.length > 0 ? model.execute(x, names) : (model.predict(x) as Tensor)].flat();
      release = () => model.dispose();
    } else {
      const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const shape = model.inputs[0]?.shape;
      fixedSize = shape && shape[1] && shape[1] > 0 ? shape[1] : undefined;
      let features = model;
      if (names.length > 0) {
        const outputs = names.map((name) => {
          try {
            return model.getLayer(name).output as import('@tensorflow/tfjs').SymbolicTensor;
          } catch {
            const last = model.layers.slice(-8).map((l) => l.name);
            throw new VitrineError(
              'BACKBONE_LAYER',
              `The backbone has no layer "${name}" (backbone.layer in params.yaml). Its last layers are: ${last.join(', ')}.`,
              { layer: name, source },
            );
          }
        });
        features = tf.model({ inputs: model.inputs, outputs });
      }
      run = (x) => {
        const y = features.predict(x);
        return Array.isArray(y) ? y : [y];
      };
      release = () => model.dispose();
    }
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    throw new VitrineError(
      'BACKBONE_LOAD',
      `The backbone ${source} could not be loaded by TensorFlow.js (${messageOf(error)}).`,
      { source },
      { cause: error },
    );
  }
  if (fixedSize && fixedSize !== inputSize) {
    log.debug(`The backbone takes ${fixedSize}×${fixedSize} images; using that instead of ${inputSize}.`);
    inputSize = fixedSize;
  }
  const [scale, offset] = inputRange === '-1,1' ? [1 / 127.5, -1] : [1 / 255, 0];
  const pools: Pooling[][] = parts.length > 0 ? parts.map((p) => p.pools) : [['mean']];

  const forward = (batch: Uint8Array[]): import('@tensorflow/tfjs').Tensor2D =>
    tf.tidy(() => {
      const n = inputSize * inputSize * 3;
      const pixels = new Float32Array(batch.length * n);
      batch.forEach((image, i) => {
        if (image.length !== n) {
          throw new VitrineError(
            'BACKBONE_INPUT',
            `An image given to the backbone has ${image.length} values; expected ${inputSize}×${inputSize}×3 = ${n}.`,
            { expected: inputSize },
          );
        }
        for (let j = 0, k = i * n; j < n; j++, k++) pixels[k] = image[j]! * scale + offset;
      });
      const x = tf.tensor4d(pixels, [batch.length, inputSize, inputSize, 3]);
      const vectors = run(x).flatMap((y, i) =>
        pools[i]!.map((pool) => pooled(tf, y, pool).reshape([batch.length, -1])),
      );
      return (vectors.length === 1 ? vectors[0]! : tf.concat(vectors, 1)) as import('@tensorflow/tfjs').Tensor2D;
    });

  // Probe once: the embedding size, and a failure here is a load failure rather than a run failure.
  let embeddingSize: number;
  try {
    const probe = forward([new Uint8Array(inputSize * inputSize * 3)]);
    embeddingSize = probe.shape[1];
    probe.dispose();
  } catch (error) {
    release();
    if (error instanceof VitrineError) throw error;
    throw new VitrineError(
      'BACKBONE_LOAD',
      `The backbone ${source} loaded but could not embed a ${inputSize}×${inputSize} image (${messageOf(error)}).`,
      { source },
      { cause: error },
    );
  }

  const BATCH = 16;
  return {
    id,
    source,
    licence,
    inputSize,
    fit,
    inputRange,
    layer,
    embeddingSize,
    async embed(images) {
      const out: Float32Array[] = [];
      for (let start = 0; start < images.length; start += BATCH) {
        const batch = images.slice(start, start + BATCH);
        const y = forward(batch);
        const data = (await y.data()) as Float32Array;
        y.dispose();
        for (let i = 0; i < batch.length; i++) out.push(data.slice(i * embeddingSize, (i + 1) * embeddingSize));
      }
      return out;
    },
    dispose: release,
  };
}

/**
 * A feature map (rank 4) as one number per channel: its mean, its maximum, or its generalised mean
 * with p = 3 (GeM, between the two; on the non-negative part). Anything else is used as it is.
 */
function pooled(tf: TF, y: import('@tensorflow/tfjs').Tensor, pool: Pooling): import('@tensorflow/tfjs').Tensor {
  if (y.rank !== 4) return y;
  if (pool === 'max') return y.max([1, 2]);
  if (pool === 'gem') return tf.pow(tf.pow(tf.relu(y).add(1e-6), 3).mean([1, 2]), 1 / 3);
  return y.mean([1, 2]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
