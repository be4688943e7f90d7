import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageDigestsFile, planObjectPages, writePageDigests } from '../../pipeline/catalogue/plan.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';

/*
 * Planning keys the pages from digests the catalogue data step writes beside catalogue.json (it has
 * every object in hand), instead of parsing the whole catalogue again (15 s at 100,000 objects). The
 * plan must be the one a parse gives: the same keys, the same props for the pages to render; and the
 * digests count only for the bytes they were made from.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A catalogue with similar objects, a model card, colours (family and swatch lists) and a review queue. */
function catalogueOf(count: number): Catalogue {
  const colour = (i: number) => ({
    family: i % 2 ? 'red' : 'blue',
    name: i % 3 ? 'Brick' : 'Navy',
    slug: i % 3 ? 'brick' : 'navy',
    hex: i % 3 ? '#a33' : '#113',
    share: ((i * 37) % 100) / 100,
  });
  const objects = Array.from({ length: count }, (_, i) => ({
    id: `O-${i}`,
    slug: `o-${i}`,
    title: `Object ${i} “é”`,
    maker: i % 2 ? 'Unknown' : '',
    date: `${1800 + i}`,
    alt: `A picture of object ${i}`,
    label: i % 4 ? 'coin' : null,
    images: [{ width: 240, height: 180, webp: `media/${i}.webp`, jpeg: `media/${i}.jpg` }],
    colours: [colour(i), colour(i + 1)],
    similar: [`O-${(i + 1) % count}`, `O-${(i + 5) % count}`, 'O-missing'],
    annotation:
      i % 3 ? { modelVersion: i % 2 ? 'v1.0.0' : 'v0.9.0', label: 'coin', confidence: 0.5 + i / (4 * count) } : null,
    reviewReason: i % 5 ? null : 'disagrees',
    suggestUrl: null,
  }));
  return {
    title: 'Test collection',
    collection: 'test',
    counts: {
      objects: count,
      byFamily: [
        { value: 'red', count: count / 2 },
        { value: 'blue', count: count / 2 },
      ],
    },
    models: [{ version: 'v1.0.0' }],
    reviewQueue: objects.filter((o) => o.reviewReason).map((o) => o.id),
    objects,
  } as unknown as Catalogue;
}

async function setUp(catalogue: Catalogue) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-plan-digests-'));
  dirs.push(dir);
  const file = path.join(dir, 'catalogue.json');
  await writeFile(file, JSON.stringify(catalogue));
  const plan = (planDir: string) =>
    planObjectPages({
      file,
      cacheDir: path.join(dir, 'pages'),
      planDir: path.join(dir, planDir),
      chunkSize: 7,
      reuse: true,
      fingerprint: 'f',
    });
  return { dir, file, plan };
}

/** A plan's keys, and the props of the pages it renders as its chunk files hold them. */
async function planned(result: Awaited<ReturnType<typeof planObjectPages>>, planDir: string) {
  const chunks: string[] = [];
  for (const f of (await readdir(planDir)).filter((f) => f.startsWith('chunk-')).sort())
    chunks.push(await readFile(path.join(planDir, f), 'utf8'));
  return { pages: result.pages, listings: result.listings, chunks, plan: await readFile(result.plan, 'utf8') };
}

describe('planning from the catalogue data step’s digests', () => {
  it('plans what a parse of the catalogue plans: the same keys, the same props to render', async () => {
    const catalogue = catalogueOf(60);
    const { dir, file, plan } = await setUp(catalogue);
    expect(await writePageDigests({ file, catalogue })).toBe(true);
    const fromDigests = await plan('a');
    expect(fromDigests.read).toBe('digests');
    const a = await planned(fromDigests, path.join(dir, 'a'));
    expect(a.chunks.length).toBe(Math.ceil(60 / 7));
    await rm(pageDigestsFile(file));
    const parsed = await plan('b');
    expect(parsed.read).toBe('catalogue');
    const b = await planned(parsed, path.join(dir, 'b'));
    expect(a.pages).toEqual(b.pages);
    expect(a.listings).toEqual(b.listings);
    expect(a.chunks).toEqual(b.chunks);
    expect(a.plan.replaceAll(`${path.sep}a${path.sep}`, `${path.sep}b${path.sep}`)).toBe(b.plan);
    // The cards of similar objects are there (one of each page's three names no object).
    expect((JSON.parse(a.chunks[0]!) as { similar: unknown[] }[])[0]!.similar).toHaveLength(2);
  });

  it('are not used for a catalogue whose bytes changed since they were made', async () => {
    const catalogue = catalogueOf(20);
    const { file, plan } = await setUp(catalogue);
    await writePageDigests({ file, catalogue });
    const before = await plan('a');
    // The same length, one object's title changed: a plan from the old digests would keep its old key.
    await writeFile(file, (await readFile(file, 'utf8')).replace('"Object 7 “é”"', '"Object X “é”"'));
    const after = await plan('b');
    expect(after.read).toBe('catalogue');
    const changed = after.pages.filter((p, i) => p.key !== before.pages[i]!.key).map((p) => p.slug);
    expect(changed).toContain('o-7');
  });

  it('are not written for a catalogue file that does not hold each object as the data step wrote it', async () => {
    const catalogue = catalogueOf(5);
    const { file, plan } = await setUp(catalogue);
    await writeFile(file, JSON.stringify(catalogue, null, 2));
    expect(await writePageDigests({ file, catalogue })).toBe(false);
    expect((await plan('a')).read).toBe('catalogue');
  });
});
