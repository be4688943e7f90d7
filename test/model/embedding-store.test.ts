import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendSegment, compactStore, forgetDecodedSegments, openStore } from '../../pipeline/model/embedding-store.ts';

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
