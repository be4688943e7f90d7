import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Of, readImageBytes } from '../../pipeline/dataset/images.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import { type EmbedItem, embedImages } from '../../pipeline/model/embed.ts';
import { flipHorizontal } from '../../pipeline/model/embed-batch.ts';
import {
  appendSegment,
  compactStore,
  decodeSegment,
  encodeSegment,
  openStore,
} from '../../pipeline/model/embedding-store.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';

/*
 * Real images from the shared Egyptian antiquities set, the real MobileNetV2 on the wasm backend,
 * a real cache folder in a temp dir. Each embedding run here takes a few seconds.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const egyptian = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities', 'images');
let cacheDir: string;
let items: EmbedItem[];
const params: Params = {
  ...defaultParams(),
  backbone: { ...defaultParams().backbone, name: 'mobilenet_v2_mid' },
  train: { ...defaultParams().train, backend: 'wasm' },
};

beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-'));
  const files: string[] = [];
  for (const label of ['Jewellery', 'Pottery', 'Statuary']) {
    const names = (await readdir(path.join(egyptian, label))).sort().slice(0, 6);
    files.push(...names.map((n) => path.join(egyptian, label, n)));
  }
  // The set has lots photographed together (identical bytes): keep 12 distinct images.
  const all = await Promise.all(files.map(async (file) => ({ key: md5Of(await readImageBytes({ file })), file })));
  items = [...new Map(all.map((item) => [item.key, item])).values()].slice(0, 12);
  expect(items).toHaveLength(12);
});

afterAll(async () => {
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

describe('embedImages', () => {
  it('embeds once, then a labels-only change embeds nothing and 2 new images embed 2', async () => {
    const first = items.slice(0, 8);
    const cold = await embedImages({ items: first, params, root, cacheDir, workers: 1, log: silentLogger });
    expect(cold).toMatchObject({ computed: 8, fromCache: 0, backend: 'wasm' });
    expect(cold.vectors.size).toBe(8);
    expect(cold.backbone).toMatchObject({
      inputSize: 224,
      embeddingSize: 1792,
      id: expect.stringMatching(/^nsfwjs-mobilenet_v2_mid@.*#feature_vector$/),
    });
    for (const v of cold.vectors.values()) expect(v).toHaveLength(1792);

    // A labels-only pull request: the same objects and images (labels are not part of the key).
    const log = memoryLogger();
    const warm = await embedImages({ items: [...first].reverse(), params, root, cacheDir, workers: 1, log });
    expect(warm).toMatchObject({ computed: 0, fromCache: 8, backend: 'none' });
    expect(warm.backbone).toEqual(cold.backbone);
    for (const { key } of first) expect(Array.from(warm.vectors.get(key)!)).toEqual(Array.from(cold.vectors.get(key)!));
    // Nothing was loaded: no backend line in the log.
    expect(log.lines.some((l) => l.message.includes('TensorFlow.js backend'))).toBe(false);

    const grown = await embedImages({
      items: items.slice(0, 10),
      params,
      root,
      cacheDir,
      workers: 1,
      log: silentLogger,
    });
    expect(grown).toMatchObject({ computed: 2, fromCache: 8 });

    // The same image under two object ids is embedded once.
    const duplicate = await embedImages({
      items: [...items.slice(0, 10), { key: items[0]!.key, file: items[0]!.file }],
      params,
      root,
      cacheDir,
      workers: 1,
      log: silentLogger,
    });
    expect(duplicate).toMatchObject({ computed: 0, fromCache: 10 });
  });

  it('keys the cache by preprocessing: another fit or input range embeds again', async () => {
    const some = items.slice(0, 3);
    await embedImages({ items: some, params, root, cacheDir, workers: 1, log: silentLogger });
    const crop = await embedImages({
      items: some,
      params: { ...params, backbone: { ...params.backbone, fit: 'crop' } },
      root,
      cacheDir,
      workers: 1,
      log: silentLogger,
    });
    expect(crop.computed).toBe(3);
    const range = await embedImages({
      items: some,
      params: { ...params, backbone: { ...params.backbone, input_range: '-1,1' } },
      root,
      cacheDir,
      workers: 1,
      log: silentLogger,
    });
    expect(range.computed).toBe(3);
    expect(Array.from(range.vectors.get(some[0]!.key)!)).not.toEqual(Array.from(crop.vectors.get(some[0]!.key)!));
    const folders = await readdir(path.join(cacheDir, 'embeddings'));
    expect(folders.length).toBeGreaterThanOrEqual(3);
  });

  it('worker threads produce the same vectors as the main thread, and mirrored images are cached too', async () => {
    const workerCache = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-workers-'));
    try {
      const some = items.slice(0, 10);
      const main = await embedImages({
        items: some,
        params,
        root,
        cacheDir: workerCache + '-main',
        workers: 1,
        flips: true,
        log: silentLogger,
      });
      const log = memoryLogger();
      const threaded = await embedImages({
        items: some,
        params,
        root,
        cacheDir: workerCache,
        workers: 2,
        flips: true,
        log,
      });
      expect(log.lines.some((l) => l.message.includes('2 worker threads'))).toBe(true);
      expect(threaded).toMatchObject({ computed: 20, fromCache: 0 });
      for (const { key } of some) {
        expect(Array.from(threaded.vectors.get(key)!)).toEqual(Array.from(main.vectors.get(key)!));
        expect(Array.from(threaded.flipped.get(key)!)).toEqual(Array.from(main.flipped.get(key)!));
        expect(Array.from(threaded.flipped.get(key)!)).not.toEqual(Array.from(threaded.vectors.get(key)!));
      }
      const again = await embedImages({
        items: some,
        params,
        root,
        cacheDir: workerCache,
        workers: 2,
        flips: true,
        log: silentLogger,
      });
      expect(again).toMatchObject({ computed: 0, fromCache: 20 });
      // Without flips, only the plain vectors are read.
      const plain = await embedImages({
        items: some,
        params,
        root,
        cacheDir: workerCache,
        workers: 2,
        log: silentLogger,
      });
      expect(plain).toMatchObject({ computed: 0, fromCache: 10 });
      expect(plain.flipped.size).toBe(0);
    } finally {
      await rm(workerCache, { recursive: true, force: true });
      await rm(workerCache + '-main', { recursive: true, force: true });
    }
  });

  it('names the image that cannot be read and keeps what was embedded before it', async () => {
    const broken = path.join(cacheDir, 'broken.jpg');
    await writeFile(broken, 'not a jpeg');
    const brokenCache = path.join(cacheDir, 'broken-run');
    const error = await embedImages({
      items: [...items.slice(0, 8), { key: md5Of(await readFile(broken)), file: broken }],
      params,
      root,
      cacheDir: brokenCache,
      workers: 1,
      log: silentLogger,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMAGE_UNREADABLE')).toBe(true);
    expect((error as Error).message).toContain('broken.jpg');
    const again = await embedImages({
      items: items.slice(0, 8),
      params,
      root,
      cacheDir: brokenCache,
      workers: 1,
      log: silentLogger,
    });
    expect(again.fromCache).toBe(8);
  });
});

describe('embedImages interrupted', () => {
  it('writes finished vectors to the cache every 10 s of embedding, not only every 512', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-flush-'));
    try {
      // What a killed run would leave: the segments on disk while the second batch is being counted.
      const onDisk: number[] = [];
      const segments = () => {
        const embeddings = path.join(folder, 'embeddings');
        if (!existsSync(embeddings)) return 0;
        return readdirSync(embeddings).flatMap((config) =>
          readdirSync(path.join(embeddings, config)).filter((n) => n.endsWith('.emb')),
        ).length;
      };
      const log = { ...silentLogger, progress: () => ({ tick: () => void onDisk.push(segments()), done: () => {} }) };
      // A clock on which every batch takes 11 s.
      let t = Date.parse('2026-01-01T00:00:00Z');
      const clock = { now: () => new Date((t += 11_000)) };
      const result = await embedImages({
        items: items.slice(0, 10),
        params,
        root,
        cacheDir: folder,
        workers: 1,
        log,
        clock,
      });
      expect(result.computed).toBe(10);
      // The first batch of 8 was on disk before the second batch finished.
      expect(onDisk.slice(8)).toEqual([1, 1]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('embedImages with a damaged cache segment', () => {
  it('recomputes what the damaged segment held instead of stopping the run', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-damaged-'));
    try {
      const some = items.slice(0, 3);
      const first = await embedImages({ items: some, params, root, cacheDir: folder, workers: 1, log: silentLogger });
      const store = first.cacheFolder;
      const [segment] = (await readdir(store)).filter((n) => n.endsWith('.emb'));
      const bytes = await readFile(path.join(store, segment!));
      await writeFile(path.join(store, segment!), bytes.subarray(0, bytes.length >> 1));
      const log = memoryLogger();
      const again = await embedImages({ items: some, params, root, cacheDir: folder, workers: 1, log });
      expect(again).toMatchObject({ computed: 3, fromCache: 0 });
      for (const { key } of some)
        expect(Array.from(again.vectors.get(key)!)).toEqual(Array.from(first.vectors.get(key)!));
      expect(log.lines.some((l) => l.level === 'warn' && l.message.includes(segment!))).toBe(true);
      const third = await embedImages({ items: some, params, root, cacheDir: folder, workers: 1, log: silentLogger });
      expect(third).toMatchObject({ computed: 0, fromCache: 3 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('embedImages with an image replaced after the dataset was built', () => {
  // The key is the md5 the dataset recorded; the file now holds other bytes (another image).
  const replaced = (at: number) =>
    items.slice(0, 10).map((item, i) => (i === at ? { key: item.key, file: items[11]!.file } : item));

  for (const workers of [1, 2]) {
    it(`refuses to cache the new image's embedding under the old md5 (${workers === 1 ? 'main thread' : 'worker threads'})`, async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-changed-'));
      try {
        // Inside the repo root the message names the file as the museum sees it (relative path).
        const error = await embedImages({
          items: replaced(9),
          params,
          root: path.dirname(egyptian),
          cacheDir: folder,
          workers,
          log: silentLogger,
        }).catch((e: unknown) => e);
        expect(isVitrineError(error, 'IMAGE_CHANGED')).toBe(true);
        const rel = path.relative(path.dirname(egyptian), items[11]!.file).split(path.sep).join('/');
        expect((error as Error).message).toContain(
          `${rel} changed since the dataset was built; run \`vitrine run dataset\``,
        );
        expect((error as Error & { data: Record<string, unknown> }).data).toMatchObject({
          expected: items[9]!.key,
          found: items[11]!.key,
        });
        // Nothing was cached under the stale key; what was embedded correctly is kept.
        const configs = await readdir(path.join(folder, 'embeddings')).catch(() => []);
        const stores = await Promise.all(
          configs.map((config) => openStore({ folder: path.join(folder, 'embeddings', config) })),
        );
        expect(stores.some((store) => store.vectors.has(items[9]!.key))).toBe(false);
        // On the main thread the first batch of 8 was embedded before the changed image.
        if (workers === 1) expect(stores[0]?.vectors.size).toBe(8);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  }
});

/*
 * A backbone can give values that are not numbers for an image. Such a vector was once written to the
 * cache with a valid checksum: the next run took the whole segment (a merged one is the whole store)
 * for damaged, deleted it with a false warning and embedded everything again, run after run.
 */
describe('embedImages when the backbone gives values that are not numbers', () => {
  it('saves the other images, caches nothing for that one, and names it without stopping', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'vitrine-embed-nan-'));
    try {
      // A 1×1 convolution with weights so large that a white pixel overflows float32 (infinite),
      // while a black one stays 0: the real backbone code path, a vector that is not finite numbers.
      const { tf } = await selectBackend({ preference: 'wasm', log: silentLogger });
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [32, 32, 3],
            filters: 2,
            kernelSize: 1,
            activation: 'relu',
            name: 'conv',
            kernelInitializer: tf.initializers.constant({ value: 2e38 }),
          }),
        ],
      });
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          const json = { modelTopology: artifacts.modelTopology, format: 'layers-model' };
          const manifest = [{ paths: ['huge.bin'], weights: artifacts.weightSpecs }];
          await writeFile(path.join(folder, 'huge.json'), JSON.stringify({ ...json, weightsManifest: manifest }));
          await writeFile(path.join(folder, 'huge.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      model.dispose();
      const image = async (name: string, size: number, v: number) => {
        const file = path.join(folder, name);
        const raw = { width: size, height: size, channels: 3 as const };
        await sharp(Buffer.alloc(size * size * 3, v), { raw })
          .png()
          .toFile(file);
        return { key: md5Of(await readFile(file)), file };
      };
      const good = [await image('black.png', 32, 0), await image('black-large.png', 40, 0)];
      const bad = await image('white.png', 32, 255);
      const custom: Params = {
        ...params,
        backbone: {
          ...params.backbone,
          name: 'custom',
          source: path.join(folder, 'huge.json'),
          layer: 'conv',
          input_size: 32,
          fit: 'crop',
          licence: 'CC0',
        },
      };
      const run = (log = memoryLogger()) =>
        embedImages({ items: [good[0]!, bad, good[1]!], params: custom, root, cacheDir: folder, workers: 1, log });
      // One image must not stop a run over a whole collection: it has no vector, and is named for the
      // caller to leave its objects out (left-out.ts).
      const first = await run();
      expect(first.unusable).toEqual([bad.key]);
      expect([...first.vectors.keys()].sort()).toEqual(good.map((g) => g.key).sort());

      const log = memoryLogger();
      const again = await run(log);
      expect(again.unusable).toEqual([bad.key]);
      expect(again.vectors.has(bad.key)).toBe(false);
      // The good vectors were kept; nothing was taken for damage; the bad one was never cached.
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
      expect(log.lines.some((l) => /Embedding 1 image .*; 2 from the cache/.test(l.message))).toBe(true);
      const result = await embedImages({ items: good, params: custom, root, cacheDir: folder, workers: 1, log });
      expect(result).toMatchObject({ computed: 0, fromCache: 2 });
      expect(Array.from(result.vectors.get(good[0]!.key)!)).toEqual([0, 0]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('embedding store', () => {
  it('round-trips vectors, refuses a damaged segment by name, and merges segments', async () => {
    const folder = path.join(cacheDir, 'store');
    const v = (seed: number) => Float32Array.from({ length: 5 }, (_, i) => seed + i / 10);
    const bytes = encodeSegment([
      ['a', v(1)],
      ['b', v(2)],
    ]);
    const decoded = decodeSegment({ bytes: bytes.subarray(0), file: 'x.emb' });
    expect(decoded.keys).toEqual(['a', 'b']);
    expect(Array.from(decoded.data.subarray(5, 10))).toEqual(Array.from(v(2)));
    // An unaligned copy (as a Buffer from disk can be) decodes too.
    const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
    unaligned.set(bytes);
    expect(decodeSegment({ bytes: unaligned, file: 'x.emb' }).keys).toEqual(['a', 'b']);
    expect(() => decodeSegment({ bytes: bytes.subarray(0, bytes.length - 4), file: 'cut.emb' })).toThrow(
      /cut\.emb.*damaged/,
    );

    for (let i = 0; i < 10; i++) await appendSegment({ folder, entries: [[`k${i}`, v(i)]] });
    const store = await openStore({ folder });
    expect(store.vectors.size).toBe(10);
    expect(await compactStore({ store, maxSegments: 8 })).toBe(true);
    const merged = await openStore({ folder });
    expect(merged.segments).toHaveLength(1);
    expect(Array.from(merged.vectors.get('k7')!)).toEqual(Array.from(v(7)));
    const file = path.join(folder, merged.segments[0]!);
    expect((await readFile(file)).length).toBeGreaterThan(10 * 5 * 4);
  });

  it('sets a damaged segment aside with a warning and keeps the others', async () => {
    const folder = path.join(cacheDir, 'store-damaged');
    const v = (seed: number) => Float32Array.from({ length: 5 }, (_, i) => seed + i / 10);
    const good = await appendSegment({ folder, entries: [['a', v(1)]] });
    const cut = await appendSegment({
      folder,
      entries: [
        ['b', v(2)],
        ['c', v(3)],
      ],
    });
    const bytes = await readFile(path.join(folder, cut!));
    await writeFile(path.join(folder, cut!), bytes.subarray(0, bytes.length - 7));
    const log = memoryLogger();
    const store = await openStore({ folder, log });
    expect([...store.vectors.keys()]).toEqual(['a']);
    expect(store.segments).toEqual([good]);
    const warning = log.lines.find((l) => l.level === 'warn');
    expect(warning?.message).toContain(cut!);
    expect(warning?.message).toMatch(/damaged.*computed again/);
    // It is gone from the store folder, so the next run (and CI's cache) does not meet it again.
    expect((await readdir(folder)).filter((n) => n.endsWith('.emb'))).toEqual([good]);
  });

  it('flipHorizontal mirrors left and right', () => {
    const pixels = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2×2 RGB
    expect(Array.from(flipHorizontal({ pixels, size: 2 }))).toEqual([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
  });
});
