import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LETTERBOX_COLOUR } from '../dataset/images.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { ModelInfo } from '../types.ts';
import type { DemoModel } from './schema.ts';

/*
 * The in-browser demo runs the promoted model in the visitor's page: the backbone (an npm package's
 * weights) cuts the embedding, the head classifies it. Both are copied next to the site as plain
 * TF.js models (model.json + one weights file; the backbone a layers or a graph model), so the
 * browser loads them itself and nothing leaves the visitor's computer.
 */

interface WeightsManifest {
  paths: string[];
  weights: unknown[];
}

/** Copy the head and backbone into `<publicDir>/model/`; null (with a warning) when either is missing. */
export async function copyDemoModel({
  ws,
  params,
  log,
  modelDir,
  publicDir,
  version,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  modelDir: string;
  publicDir: string;
  version: string;
}): Promise<DemoModel | null> {
  const info = (await readJson(path.join(modelDir, 'model-info.json'))) as ModelInfo | null;
  const head = (await readJson(path.join(modelDir, 'model.json'))) as { weightsManifest?: WeightsManifest[] } | null;
  if (!info || !head) {
    log.warn(
      `No trained model in ${path.relative(ws.root, modelDir) || '.'} (model.json and model-info.json); the ` +
        `catalogue has no in-browser demo`,
    );
    return null;
  }
  const out = path.join(publicDir, 'model');
  await copyLayersModel({ from: modelDir, json: head, to: path.join(out, 'head') });

  const backboneOut = path.join(out, 'backbone');
  const format = await copyBackbone({ ws, source: info.backbone.source, to: backboneOut, log });
  if (!format) return null;
  // The TF.js browser bundle, served from the site itself (no CDN: visitors' images stay local and the page works offline).
  await copyFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs')), 'tf.min.js'),
    path.join(out, 'tf.min.js'),
  );
  const idLayer = info.backbone.id.includes('#') ? info.backbone.id.slice(info.backbone.id.lastIndexOf('#') + 1) : '';
  const backbone = info.backbone as ModelInfo['backbone'] & { inputRange?: string; layer?: string };
  const inputRange =
    backbone.inputRange === '-1,1' || backbone.inputRange === '0,1' ? backbone.inputRange : params.backbone.input_range;
  return {
    bytes: await folderBytes(out),
    version,
    labels: info.labels,
    head: 'model/head/model.json',
    backbone: 'model/backbone/model.json',
    format,
    layer: backbone.layer ?? (idLayer || params.backbone.layer),
    inputSize: info.backbone.inputSize,
    fit: info.backbone.fit,
    inputRange,
    letterbox: LETTERBOX_COLOUR,
    background: params.dataset.image.background,
    runtime: 'model/tf.min.js',
    backboneId: info.backbone.id,
    licence: info.backbone.licence,
  };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function copyLayersModel({
  from,
  json,
  to,
}: {
  from: string;
  json: { weightsManifest?: WeightsManifest[] };
  to: string;
}): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const group of json.weightsManifest ?? [])
    for (const p of group.paths) await copyFile(path.join(from, p), path.join(to, p));
  await writeJsonAtomic({ file: path.join(to, 'model.json'), value: json });
}

/**
 * Find the backbone the model-info names: a folder or model.json (absolute, root-relative or inside
 * an npm package), either a standard TF.js model or nsfwjs's bundled `model.min.js` +
 * `group1-shard1of1.min.js` (topology and base64 weights wrapped in JS), which is unpacked.
 */
async function copyBackbone({
  ws,
  source,
  to,
  log,
}: {
  ws: Workspace;
  source: string;
  to: string;
  log: Logger;
}): Promise<'layers' | 'graph' | null> {
  const dir = await resolveSource({ ws, source });
  if (!dir) {
    log.warn(`The backbone "${source}" named in model-info.json was not found; the catalogue has no in-browser demo`);
    return null;
  }
  const standard = (await readJson(path.join(dir, 'model.json'))) as {
    format?: string;
    modelTopology?: { node?: unknown };
    weightsManifest?: WeightsManifest[];
  } | null;
  if (standard) {
    await copyLayersModel({ from: dir, json: standard, to });
    return formatOf(standard);
  }
  const require = createRequire(path.join(dir, 'x.js'));
  const bundled = require(path.join(dir, 'model.min.js')) as {
    format?: string;
    modelTopology: { node?: unknown };
    weightsManifest: WeightsManifest[];
  } & Record<string, unknown>;
  const shards = bundled.weightsManifest.flatMap((g) => g.paths);
  const buffers = shards.map((p) => Buffer.from(require(path.join(dir, `${p}.min.js`)) as string, 'base64'));
  await mkdir(to, { recursive: true });
  await writeFileAtomic({ file: path.join(to, 'weights.bin'), data: Buffer.concat(buffers) });
  // Keep every field of the bundled model.json (a graph model's signature, say); only the weights move.
  const format = formatOf(bundled);
  await writeJsonAtomic({
    file: path.join(to, 'model.json'),
    value: {
      ...bundled,
      format: format === 'graph' ? 'graph-model' : 'layers-model',
      weightsManifest: [{ paths: ['weights.bin'], weights: bundled.weightsManifest.flatMap((g) => g.weights) }],
    },
  });
  return format;
}

/** A graph model (TF Hub / SavedModel conversions) has nodes; a layers model has a Keras config. */
function formatOf(json: { format?: string; modelTopology?: { node?: unknown } }): 'layers' | 'graph' {
  return json.format === 'graph-model' || Array.isArray(json.modelTopology?.node) ? 'graph' : 'layers';
}

async function resolveSource({ ws, source }: { ws: Workspace; source: string }): Promise<string | null> {
  const isDir = async (p: string): Promise<boolean> => (await stat(p).catch(() => null))?.isDirectory() ?? false;
  const candidates: string[] = [];
  // "npm:nsfwjs@4.4.0/dist/models/mobilenet_v2" (built-in backbones) names a folder inside a package.
  const clean = source
    .replace(/^file:\/\//, '')
    .replace(/^npm:((?:@[^/]+\/)?[^@/]+)@[^/]*/, '$1')
    .replace(/\/model(\.min)?\.js(on)?$/, '');
  if (path.isAbsolute(clean)) candidates.push(clean);
  candidates.push(path.resolve(ws.root, clean), path.resolve(ws.root, 'node_modules', clean));
  // An npm package path ("nsfwjs/dist/models/mobilenet_v2"): look in every node_modules above here too.
  const pkg = clean.replace(/^.*node_modules\//, '');
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'node_modules', pkg));
    if (path.dirname(dir) === dir) break;
  }
  for (const c of candidates) if (await isDir(c)) return c;
  return null;
}

/** Bytes of every file under a folder: what a visitor's first run downloads. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}
