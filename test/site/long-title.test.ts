import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { MANIFEST_TITLE_MAX, SHOWN_TITLE_MAX, shownTitle } from '../../pipeline/catalogue/shown-title.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture, writeMonitoringFixture } from './fixture.ts';

/*
 * One object whose title is 200,000 characters (a text pasted by accident into the collection system's title
 * field). Before, the title was written about ten times into its own page (<title>, the description and
 * link-preview tags, the heading, the details, JSON-LD...), once into every listing page and card that showed it,
 * three times into its IIIF manifest: a 5 MB title made a 50 MB page and 10 MB listing pages. Now every place
 * that names the object shows its title cut at a word, and its own page gives the whole text once.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const LONG = 'LONG-1';
// Plain words (no letter HTML escapes), so the text can be looked for as it is in every file.
const TITLE = `Giant ${'lorem ipsum dolor sit amet '.repeat(7408)}end`.slice(0, 200_000);
let dir = '';
let site = '';
let catalogue: Catalogue;
/** Every built text file of the site (pages, manifests, data), by its path in the site. */
const files = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-long-title-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 7 === 0).slice(0, 4);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const objects: FixtureObject[] = picked.map((r, i) => ({
    id: i === 1 ? LONG : r.id!,
    title: i === 1 ? TITLE : r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    label: r.label!,
    image: path.join(shared, r.file!),
    // Its guess held back for staff: the object is in the review queue too.
    ...(i === 1 ? { predicted: { label: r.label!, confidence: 0.4 }, published: false } : {}),
  }));
  await writeFixture({ root: dir, objects, labels, embeddingSize: 16 });
  await writeMonitoringFixture({
    root: dir,
    version: 'v1.1.0',
    otherVersion: 'v1.0.0',
    unfamiliar: [{ id: LONG, title: TITLE }],
    nearest: objects[0]!.id,
  });
  const ws = workspace(dir);
  const params = defaultParams();
  params.catalogue.site = 'https://example-museum.github.io';
  params.catalogue.base = '/collection/';
  catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
  await buildSite({ ws, params, log: memoryLogger() });
  site = ws.site;
  for (const e of await readdir(site, { withFileTypes: true, recursive: true }))
    if (e.isFile() && /\.(html|json|csv|xml)$/.test(e.name)) {
      const f = path.join(e.parentPath, e.name);
      files.set(path.relative(site, f), await readFile(f, 'utf8'));
    }
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const times = (text: string, part: string) => text.split(part).length - 1;
/** A text as a failed assertion prints it: a long one by its length and start (the whole title is 200 kB). */
const brief = (text: string | undefined) =>
  text && text.length > 400 ? `${text.length} characters: ${text.slice(0, 80)}` : text;
const slug = () => catalogue.objects.find((o) => o.id === LONG)!.slug;
/** The title as the site shows it where it names the object. */
const SHORT = shownTitle(TITLE);
/** The data downloads, which keep every field whole. */
const DOWNLOADS = ['data/catalogue.csv', 'data/catalogue.json'];

describe('an object with a very long title', () => {
  it('is cut at a word, with "…", in one place the pipeline and the site share', () => {
    expect(SHOWN_TITLE_MAX).toBe(200);
    expect(SHORT.length).toBeLessThanOrEqual(SHOWN_TITLE_MAX);
    expect(SHORT).toMatch(/^Giant lorem ipsum dolor sit amet .*\S…$/);
    // At a word: what is kept is the start of the title, and the next character of the title is a space.
    expect(TITLE.startsWith(SHORT.slice(0, -1))).toBe(true);
    expect(TITLE[SHORT.length - 1]).toBe(' ');
    // Titles of ordinary length, and spaces around them, are left as they are.
    expect(shownTitle('The Bedroom')).toBe('The Bedroom');
    const long = 'a'.repeat(SHOWN_TITLE_MAX);
    expect(shownTitle(long)).toBe(long);
    // A title of one long word (no space to cut at) is cut within it, by letters, never inside one (🏺).
    expect(shownTitle('🏺'.repeat(300))).toBe(`${'🏺'.repeat(SHOWN_TITLE_MAX - 1)}…`);
  });

  it('builds the pages this test is about', () => {
    for (const p of [
      'index.html',
      'all/index.html',
      'review/index.html',
      `objects/${slug()}/index.html`,
      `iiif/${slug()}/manifest.json`,
      'models/v1.1.0/monitoring/index.html',
      ...DOWNLOADS,
    ])
      expect([...files.keys()], p).toContain(p);
    expect(TITLE.length).toBe(200_000);
  });

  it('gives the whole title once, on the object’s own page, and names it by its cut title everywhere else', () => {
    const own = `objects/${slug()}/index.html`;
    for (const [file, text] of files) {
      // The data downloads are the collection’s data: the whole title, once (their size grows as the export’s).
      const most = file === own || DOWNLOADS.includes(file) ? 1 : 0;
      expect(times(text, TITLE), file).toBeLessThanOrEqual(most);
    }
    expect(times(files.get(own)!, TITLE)).toBe(1);
    for (const file of DOWNLOADS) expect(times(files.get(file)!, TITLE), file).toBe(1);
    // Listing pages and cards name it by the cut title.
    for (const p of ['all/index.html', 'review/index.html', 'models/v1.1.0/monitoring/index.html'])
      expect(files.get(p)!.includes(SHORT), p).toBe(true);
  });

  it('keeps every page small but the object’s own, which is its title once and the page', async () => {
    for (const [file, text] of files) {
      if (DOWNLOADS.includes(file)) continue;
      const bound = file === `objects/${slug()}/index.html` ? TITLE.length : 0;
      // What the title could swell: the page less its scripts (the browse page's own search script is about 45 KB,
      // the same whatever the titles; it grew past this bound with the search by year, not with any title).
      const page = text.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
      expect(Buffer.byteLength(page), file).toBeLessThan(bound + 60_000);
    }
    const all = (await stat(path.join(site, 'all', 'index.html'))).size;
    expect(all).toBeLessThan(60_000);
  });

  it('gives the object page’s head, heading and structured data the cut title', () => {
    const html = files.get(`objects/${slug()}/index.html`)!;
    const head = /<head>[\s\S]*?<\/head>/.exec(html)![0];
    expect(times(head, TITLE)).toBe(0);
    expect(brief(/<title>([^<]*)<\/title>/.exec(head)![1])).toBe(`${SHORT} (${LONG}) — ${catalogue.title}`);
    expect(brief(/<meta property="og:title" content="([^"]*)"/.exec(head)![1])).toBe(SHORT);
    expect(/<meta name="description" content="([^"]*)"/.exec(head)![1]!.startsWith(SHORT)).toBe(true);
    const ld = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)![1]!) as {
      name: string;
    };
    expect(brief(ld.name)).toBe(SHORT);
    expect(brief(/<h1[^>]*>([^<]*)<\/h1>/.exec(html)![1])).toBe(SHORT);
    expect(/<img [^>]*alt="Photograph of Giant lorem[^"]{0,300}"/.test(html)).toBe(true);
  });

  it('labels its IIIF manifest with the cut title, the start of the title in its metadata', () => {
    const manifest = JSON.parse(files.get(`iiif/${slug()}/manifest.json`)!) as {
      label: { en: string[] };
      homepage: { label: { en: string[] } }[];
      items: { label: { en: string[] } }[];
      metadata: { label: { en: string[] }; value: { en: string[] } }[];
    };
    expect(manifest.label.en.map(brief)).toEqual([SHORT]);
    expect(manifest.homepage[0]!.label.en.map(brief)).toEqual([SHORT]);
    expect(manifest.items[0]!.label.en.map(brief)).toEqual([SHORT]);
    // A title of 200,000 characters: its first MANIFEST_TITLE_MAX in metadata, and where the whole is.
    const title = manifest.metadata.find((m) => m.label.en[0] === 'Title')!.value.en[0]!;
    expect(title.length).toBeLessThan(MANIFEST_TITLE_MAX + 200);
    expect(TITLE.startsWith(title.slice(0, title.indexOf('…')))).toBe(true);
    expect(title).toMatch(/… \(the whole title, 200,000 characters, is on the object’s page\)$/);
    // An object with a title of ordinary length: its label, and no "Title" line that would repeat it.
    const other = catalogue.objects.find((o) => o.id !== LONG)!;
    const plain = JSON.parse(files.get(`iiif/${other.slug}/manifest.json`)!) as typeof manifest;
    expect(plain.label.en).toEqual([other.title]);
    expect(plain.metadata.some((m) => m.label.en[0] === 'Title')).toBe(false);
  });

  it('gives search the cut title as the result’s title, and the whole title once', async () => {
    const folder = path.join(site, 'pagefind', 'fragment');
    const fragments = await Promise.all(
      (await readdir(folder)).map(async (f) => {
        const text = gunzipSync(await readFile(path.join(folder, f))).toString('utf8');
        return JSON.parse(text.slice(text.indexOf('{'))) as { url: string; content: string; meta: { title: string } };
      }),
    );
    const own = fragments.find((f) => f.url.includes(`/objects/${slug()}/`))!;
    expect(brief(own.meta.title)).toBe(SHORT);
    const whole = JSON.stringify(fragments);
    expect(times(whole, TITLE)).toBe(1);
    expect(times(own.content, TITLE)).toBe(1);
  });
});
