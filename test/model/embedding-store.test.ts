import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import {
  appendSegment,
  compactStore,
  decodeSegment,
  forgetDecodedSegments,
  openStore,
} from '../../pipeline/model/embedding-store.ts';

/*
 * The stages of one `vitrine run` (train twice, evaluate three times, promote) each open the same
 * embedding cache: at 100,000 objects a 717 MB read every time. Segments are never rewritten in
 * place (new vectors go to a new file, a merge writes a new file), so a segment already read is
 * reused as long as its file is the same one.
 */

let dir: string;
const v = (seed: number) => Float32Array.from({ length: 4 }, (_, i) => seed + i / 10);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openStore reuses the segments it already read', () => {
  it('gives the same vectors without decoding an unchanged segment again', async () => {
    const folder = path.join(dir, 'reuse');
    await appendSegment({
      folder,
      entries: [
        ['a', v(1)],
        ['b', v(2)],
      ],
    });
    const first = await openStore({ folder });
    const second = await openStore({ folder });
    // The very same arrays: the segment was not read and copied again.
    expect(second.vectors.get('a')!.buffer).toBe(first.vectors.get('a')!.buffer);
    expect(Array.from(second.vectors.get('b')!)).toEqual(Array.from(v(2)));
  });

  it('sees new segments, merged segments and a segment replaced on disk', async () => {
    const folder = path.join(dir, 'changes');
    for (let i = 0; i < 10; i++) await appendSegment({ folder, entries: [[`k${i}`, v(i)]] });
    const before = await openStore({ folder });
    expect(before.vectors.size).toBe(10);
    await appendSegment({ folder, entries: [['new', v(20)]] });
    const grown = await openStore({ folder });
    expect(grown.vectors.size).toBe(11);
    expect(grown.vectors.get('k3')!.buffer).toBe(before.vectors.get('k3')!.buffer);
    expect(await compactStore({ store: grown, maxSegments: 8 })).toBe(true);
    const merged = await openStore({ folder });
    expect(merged.segments).toHaveLength(1);
    expect(Array.from(merged.vectors.get('new')!)).toEqual(Array.from(v(20)));

    // A file of the same name with other content (restored from another cache) is read again.
    const file = path.join(folder, merged.segments[0]!);
    const other = path.join(dir, 'other');
    const name = await appendSegment({ folder: other, entries: [['only', v(30)]] });
    await writeFile(file, await readFile(path.join(other, name!)));
    const replaced = await openStore({ folder });
    expect([...replaced.vectors.keys()]).toEqual(['only']);
  });

  it('lets the decoded segments go when asked (the catalogue stage, so Astro does not run beside them)', async () => {
    const folder = path.join(dir, 'forget');
    await appendSegment({ folder, entries: [['a', v(1)]] });
    const first = await openStore({ folder });
    forgetDecodedSegments();
    const again = await openStore({ folder });
    // Read from the file again: equal vectors, not the same arrays.
    expect(again.vectors.get('a')!.buffer).not.toBe(first.vectors.get('a')!.buffer);
    expect(Array.from(again.vectors.get('a')!)).toEqual(Array.from(v(1)));
  });
});

/*
 * A segment damaged without changing its size (a cache restored with bad blocks, a bit flip) once
 * passed every check: its vectors were used as they were, the model learnt from garbage, and the
 * pull request was told the change made things worse. It is found by a checksum written with the
 * segment, deleted with a warning naming it, and its embeddings are computed again.
 */
describe('a damaged segment of the right size', () => {
  const damage = async (file: string, at: number, bytes: Uint8Array) => {
    const data = await readFile(file);
    data.set(bytes, at);
    await writeFile(file, data);
  };
  const segmentOf = async (folder: string) => {
    const name = await appendSegment({
      folder,
      entries: [
        ['a', v(1)],
        ['b', v(2)],
      ],
    });
    const kept = await appendSegment({ folder, entries: [['c', v(3)]] });
    return { name: name!, file: path.join(folder, name!), kept: kept! };
  };
  const expectDropped = async (folder: string, name: string, kept: string) => {
    const log = memoryLogger();
    const store = await openStore({ folder, log });
    expect([...store.vectors.keys()]).toEqual(['c']);
    expect(store.segments).toEqual([kept]);
    const warning = log.lines.find((l) => l.level === 'warn');
    expect(warning?.message).toContain(name);
    expect(warning?.message).toMatch(/damaged.*computed again/);
    expect((await readdir(folder)).filter((n) => n.endsWith('.emb'))).toEqual([kept]);
  };

  it('is deleted with a warning when its values are not numbers (bytes overwritten with 0xff)', async () => {
    const folder = path.join(dir, 'damaged-nan');
    const { name, file, kept } = await segmentOf(folder);
    const size = (await readFile(file)).length;
    await damage(file, size - 20, new Uint8Array(12).fill(0xff));
    await expectDropped(folder, name, kept);
  });

  it('is deleted with a warning when its values are other numbers than were written', async () => {
    const folder = path.join(dir, 'damaged-other');
    const { name, file, kept } = await segmentOf(folder);
    const size = (await readFile(file)).length;
    await damage(file, size - 8, new Uint8Array(new Float32Array([123.5]).buffer));
    await expectDropped(folder, name, kept);
  });

  it('is deleted when a key in it was changed (its vectors would be used for another image)', async () => {
    const folder = path.join(dir, 'damaged-key');
    const { name, file, kept } = await segmentOf(folder);
    const data = await readFile(file);
    const at = data.indexOf(Buffer.from('"b"'));
    await damage(file, at + 1, Buffer.from('z'));
    await expectDropped(folder, name, kept);
  });

  it('a segment written by an earlier version (no checksum) is read, unless it holds values that are not numbers', async () => {
    // The earlier layout: magic, header length, header {dim, keys}, padding, float32 values.
    const earlier = (entries: [string, Float32Array][]) => {
      const magic = Buffer.from('VTEMB01\n', 'latin1');
      const header = Buffer.from(JSON.stringify({ dim: 4, keys: entries.map(([k]) => k) }), 'utf8');
      const start = (magic.length + 4 + header.length + 3) & ~3;
      const out = new Uint8Array(start + entries.length * 16);
      out.set(magic, 0);
      new DataView(out.buffer).setUint32(magic.length, header.length, true);
      out.set(header, magic.length + 4);
      entries.forEach(([, x], i) => new Float32Array(out.buffer, start + i * 16, 4).set(x));
      return out;
    };
    const folder = path.join(dir, 'earlier');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, '000000001-aaaaaaaa.emb'), earlier([['old', v(5)]]));
    const bad = v(6);
    bad[2] = Number.NaN;
    await writeFile(path.join(folder, '000000002-bbbbbbbb.emb'), earlier([['nan', bad]]));
    const log = memoryLogger();
    const store = await openStore({ folder, log });
    expect([...store.vectors.keys()]).toEqual(['old']);
    expect(Array.from(store.vectors.get('old')!)).toEqual(Array.from(v(5)));
    expect(log.lines.find((l) => l.level === 'warn')?.message).toContain('000000002-bbbbbbbb.emb');
  });

  it('a good segment still round-trips exactly', async () => {
    const folder = path.join(dir, 'good');
    const name = await appendSegment({ folder, entries: [['g', v(7)]] });
    const bytes = await readFile(path.join(folder, name!));
    const decoded = decodeSegment({ bytes, file: name! });
    expect(decoded.keys).toEqual(['g']);
    expect(Array.from(decoded.data)).toEqual(Array.from(v(7)));
  });
});

/*
 * A vector the backbone gave as NaN was once written with a valid checksum; reading it then took the
 * whole segment for damaged (a merged segment is the whole store: 100,000 images embedded again) and
 * warned "damaged" when nothing was. Such a vector is now never written.
 */
describe('a vector that is not numbers', () => {
  it('is not stored; the good vectors written with it are all kept, with no "damaged" warning', async () => {
    const folder = path.join(dir, 'nan-at-write');
    const entries: [string, Float32Array][] = Array.from({ length: 1000 }, (_, i) => [`k${i}`, v(i)]);
    entries.push(['nan', Float32Array.from([Number.NaN, 0, 0, 0])], ['inf', Float32Array.from([0, Infinity, 0, 0])]);
    const writeLog = memoryLogger();
    await appendSegment({ folder, entries, log: writeLog });
    expect(writeLog.lines.find((l) => l.level === 'warn')?.message).toMatch(/nan.*inf/);
    forgetDecodedSegments();
    const log = memoryLogger();
    const store = await openStore({ folder, log });
    expect(store.vectors.size).toBe(1000);
    expect(store.vectors.has('nan')).toBe(false);
    expect(Array.from(store.vectors.get('k999')!)).toEqual(Array.from(v(999)));
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('written with a checksum by an earlier version is left out on reading, not taken for damage', async () => {
    const folder = path.join(dir, 'nan-checksummed');
    const bad = v(2);
    bad[1] = Number.NaN;
    // What the version that checked nothing at write time wrote: a valid checksum over a NaN.
    const entries: [string, Float32Array][] = [
      ['a', v(1)],
      ['b', bad],
    ];
    const keys = entries.map(([k]) => k);
    const values = new Uint8Array(new Float32Array(entries.flatMap(([, x]) => Array.from(x))).buffer);
    const sha256 = createHash('sha256')
      .update(JSON.stringify({ dim: 4, keys }))
      .update(values)
      .digest('hex');
    const magic = Buffer.from('VTEMB01\n', 'latin1');
    const header = Buffer.from(JSON.stringify({ dim: 4, keys, sha256 }), 'utf8');
    const start = (magic.length + 4 + header.length + 3) & ~3;
    const out = new Uint8Array(start + values.length);
    out.set(magic, 0);
    new DataView(out.buffer).setUint32(magic.length, header.length, true);
    out.set(header, magic.length + 4);
    out.set(values, start);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, '000000001-cccccccc.emb'), out);
    const log = memoryLogger();
    const store = await openStore({ folder, log });
    expect([...store.vectors.keys()]).toEqual(['a']);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect((await readdir(folder)).filter((n) => n.endsWith('.emb'))).toEqual(['000000001-cccccccc.emb']);
  });
});
