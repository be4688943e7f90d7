import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareModelInput } from '../../pipeline/dataset/images.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { type BackboneParams, builtinId, loadBackbone } from '../../pipeline/model/backbone.ts';
import { selectBackend, type TF } from '../../pipeline/model/backend.ts';
import { defaultParams } from '../../pipeline/params.ts';

/*
 * Real weights, real images: the built-in backbones load from node_modules with no network, and a
 * custom model is served by a real HTTP server on 127.0.0.1. Slow-ish (seconds): loading MobileNetV2.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const egyptian = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');
const image = path.join(egyptian, 'images', 'Pottery');
const require = createRequire(import.meta.url);

let tf: TF;
let dir: string;
let server: Server;
let baseUrl: string;
let pixels: Uint8Array;

function params(overrides: Partial<BackboneParams>): BackboneParams {
  return { ...defaultParams().backbone, ...overrides };
}

beforeAll(async () => {
  tf = (await selectBackend({ preference: 'wasm', log: silentLogger })).tf;
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-backbone-'));
  const first = (await import('node:fs/promises')).readdir(image).then((names) => names.sort()[0]!);
  pixels = await prepareModelInput({ file: path.join(image, await first), size: 224, fit: 'letterbox' });
  server = createServer(async (req, res) => {
    try {
      const body = await readFile(path.join(dir, path.basename(new URL(req.url!, 'http://x').pathname)));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Write a small TF.js layers model (conv + pooling) as model.json + weights.bin into `dir`. */
async function writeTinyLayersModel(): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [32, 32, 3],
        filters: 4,
        kernelSize: 3,
        strides: 2,
        activation: 'relu',
        name: 'conv',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        name: 'classes',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      await writeFile(
        path.join(dir, 'tiny.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: ['tiny.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      await writeFile(path.join(dir, 'tiny.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

describe('built-in backbones (offline, from node_modules/nsfwjs)', () => {
  it('MobileNetV2 embeds a real museum photograph to a vector of its stated size, deterministically', async () => {
    const backbone = await loadBackbone({ params: params({ name: 'mobilenet_v2' }), root, tf, log: silentLogger });
    try {
      expect(backbone.inputSize).toBe(224);
      expect(backbone.embeddingSize).toBe(1280);
      expect(backbone.id).toMatch(/^nsfwjs-mobilenet_v2@\d+\.\d+\.\d+#flatten_1$/);
      expect(backbone.licence).toContain('MIT');
      const [a] = await backbone.embed([pixels]);
      const [b, c] = await backbone.embed([pixels, new Uint8Array(224 * 224 * 3)]);
      expect(a).toHaveLength(1280);
      expect(Array.from(a!)).toEqual(Array.from(b!));
      expect(a!.every(Number.isFinite)).toBe(true);
      expect(a!.some((v) => v > 0)).toBe(true);
      // A black square is not the pottery photograph.
      expect(Array.from(c!)).not.toEqual(Array.from(a!));
      await expect(backbone.embed([new Uint8Array(10)])).rejects.toMatchObject({ code: 'BACKBONE_INPUT' });
    } finally {
      backbone.dispose();
    }
  });

  it('the input range changes the vectors (and so the identity used by the cache)', async () => {
    const zeroOne = await loadBackbone({
      params: params({ name: 'mobilenet_v2', input_range: '0,1' }),
      root,
      tf,
      log: silentLogger,
    });
    const minusOne = await loadBackbone({
      params: params({ name: 'mobilenet_v2', input_range: '-1,1' }),
      root,
      tf,
      log: silentLogger,
    });
    const [a] = await zeroOne.embed([pixels]);
    const [b] = await minusOne.embed([pixels]);
    expect(Array.from(a!)).not.toEqual(Array.from(b!));
    zeroOne.dispose();
    minusOne.dispose();
  });

  it('names the last layers when params ask for a layer that does not exist', async () => {
    const error = await loadBackbone({
      params: params({ name: 'mobilenet_v2', layer: 'no_such_layer' }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'BACKBONE_LAYER')).toBe(true);
    expect((error as Error).message).toContain('dense_3');
  });
});

describe('multi-layer pooling (backbone.layer with several parts)', () => {
  it('concatenates pooled feature maps of several blocks in order; the mean of conv_1 is the feature vector', async () => {
    const single = await loadBackbone({
      params: params({ name: 'mobilenet_v2_mid', layer: 'feature_vector' }),
      root,
      tf,
      log: silentLogger,
    });
    const multi = await loadBackbone({
      params: params({ name: 'mobilenet_v2_mid', layer: 'conv_1:mean+max, block_13_expand:gem' }),
      root,
      tf,
      log: silentLogger,
    });
    try {
      // MobileNetV2 1.4: conv_1 has 1,792 channels, the expansion of block 13 has 816.
      expect(multi.embeddingSize).toBe(1792 * 2 + 816);
      expect(multi.id).not.toBe(single.id);
      expect(multi.id).toMatch(/#conv_1:mean\+max,block_13_expand:gem$/);
      const [v] = await multi.embed([pixels]);
      const [f] = await single.embed([pixels]);
      const mean = v!.slice(0, 1792);
      const max = v!.slice(1792, 3584);
      for (let j = 0; j < 1792; j++) expect(mean[j]).toBeCloseTo(f![j]!, 4);
      // ReLU6 maps: a channel's maximum is at least its mean, and never above 6.
      expect(max.every((m, j) => m >= mean[j]! - 1e-6 && m <= 6)).toBe(true);
      expect(max.some((m, j) => m > mean[j]! + 0.1)).toBe(true);
      expect(v!.slice(3584).every((g) => Number.isFinite(g) && g >= 0)).toBe(true);
    } finally {
      single.dispose();
      multi.dispose();
    }
  });

  it('names the same features the same way (one cache folder), however backbone.layer is spaced', () => {
    const id = (layer: string) => builtinId({ params: params({ name: 'mobilenet_v2_mid', layer }) });
    expect(id('conv_1, block_16_expand:mean')).toBe(id('conv_1,block_16_expand'));
    expect(id('conv_1:mean+max')).not.toBe(id('conv_1'));
    // Today's default keeps its id, so existing caches and promoted models stay valid.
    expect(id('')).toMatch(/#feature_vector$/);
  });

  it('refuses an unknown pooling and an unknown block, naming them', async () => {
    const pooling = await loadBackbone({
      params: params({ name: 'mobilenet_v2_mid', layer: 'conv_1:median' }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(pooling, 'BACKBONE_LAYER')).toBe(true);
    expect((pooling as Error).message).toContain('"conv_1:median"');
    const block = await loadBackbone({
      params: params({ name: 'mobilenet_v2_mid', layer: 'conv_1:mean,block_99:max' }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(block, 'BACKBONE_LAYER')).toBe(true);
    expect((block as Error).message).toContain('block_99');
  });
});

describe('custom backbones by path and by URL', () => {
  it('loads a layers model from a path and from http://127.0.0.1, with the same id and vectors', async () => {
    await writeTinyLayersModel();
    const log = memoryLogger();
    const byPath = await loadBackbone({
      params: params({
        name: 'custom',
        source: path.join(dir, 'tiny.json'),
        layer: 'conv',
        input_size: 32,
        licence: 'CC0',
      }),
      root,
      tf,
      log,
    });
    const byUrl = await loadBackbone({
      params: params({ name: 'custom', source: `${baseUrl}/tiny.json`, layer: 'conv', input_size: 32, licence: 'CC0' }),
      root,
      tf,
      log,
    });
    expect(byPath.embeddingSize).toBe(4); // conv feature map, globally average-pooled
    expect(byUrl.id).toBe(byPath.id);
    expect(byUrl.source).toBe(`${baseUrl}/tiny.json`);
    expect(byUrl.licence).toBe('CC0');
    const image = new Uint8Array(32 * 32 * 3).map((_, i) => (i * 37) % 256);
    expect(Array.from((await byUrl.embed([image]))[0]!)).toEqual(Array.from((await byPath.embed([image]))[0]!));
    // Without a layer the model's own output is the embedding.
    const whole = await loadBackbone({
      params: params({ name: 'custom', source: `${baseUrl}/tiny.json`, input_size: 32, licence: 'CC0' }),
      root,
      tf,
      log,
    });
    expect(whole.embeddingSize).toBe(2);
    expect(whole.id).not.toBe(byUrl.id);
    for (const b of [byPath, byUrl, whole]) b.dispose();
  });

  it('loads a graph model over HTTP (the TF Hub MobileNetV2 inside nsfwjs, saved as plain files)', async () => {
    const models = path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2_mid');
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(require(path.join(models, 'model.min.js'))));
    for (const shard of ['group1-shard1of2', 'group1-shard2of2']) {
      await writeFile(
        path.join(dir, shard),
        Buffer.from(require(path.join(models, `${shard}.min.js`)) as string, 'base64'),
      );
    }
    const builtin = await loadBackbone({ params: params({ name: 'mobilenet_v2_mid' }), root, tf, log: silentLogger });
    const custom = await loadBackbone({
      params: params({ name: 'custom', source: `${baseUrl}/model.json`, layer: builtin.layer, licence: 'MIT' }),
      root,
      tf,
      log: silentLogger,
    });
    expect(custom.embeddingSize).toBe(1792); // MobileNetV2 1.4 width: 1.4 × 1280 features
    expect(custom.embeddingSize).toBe(builtin.embeddingSize);
    expect(Array.from((await custom.embed([pixels]))[0]!)).toEqual(Array.from((await builtin.embed([pixels]))[0]!));
    builtin.dispose();
    custom.dispose();
  });

  it('reports a missing file, a bad URL scheme and an empty source clearly', async () => {
    const missing = await loadBackbone({
      params: params({ name: 'custom', source: `${baseUrl}/nothing.json` }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(missing, 'BACKBONE_LOAD')).toBe(true);
    expect((missing as Error).message).toContain('HTTP 404');
    expect((missing as Error).message).toContain('/nothing.json');
    const scheme = await loadBackbone({
      params: params({ name: 'custom', source: 'ftp://example.org/model.json' }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(scheme, 'BACKBONE_SOURCE')).toBe(true);
    const empty = await loadBackbone({
      params: params({ name: 'custom', source: '' }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(empty, 'BACKBONE_SOURCE')).toBe(true);
    const notJson = await loadBackbone({
      params: params({ name: 'custom', source: path.join(dir, 'tiny.bin') }),
      root,
      tf,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(notJson, 'BACKBONE_LOAD')).toBe(true);
  });
});
