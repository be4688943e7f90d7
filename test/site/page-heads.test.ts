import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * What every built page says of itself in its head, and what the public pages say to the public. A small site from
 * real photographs, with listing pages of 2 cards (so that /all/, the review queue and the colour pages have several
 * pages), guesses held back for staff and one photograph that cannot be used; the built HTML read back.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const SITE = 'https://museum.example.org';
let dir = '';
let site = '';
let catalogue: Catalogue;
/** Every built page, by its path in the site ("colours/red/2/index.html"). */
const pages = new Map<string, string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-page-heads-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 5 === 0).slice(0, 12);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const objects: FixtureObject[] = picked.map((r, i) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    label: i % 3 === 0 ? null : r.label!,
    image: path.join(shared, r.file!),
    // Three guesses held back for staff: the review queue has two pages.
    ...(i < 3 ? { predicted: { label: r.label!, confidence: 0.4 }, published: false } : {}),
  }));
  // Two objects with one title, maker and date (a collection has many "Bead"s): their pages are still told apart.
  objects[4]!.title = objects[3]!.title;
  objects[4]!.maker = objects[3]!.maker;
  objects[4]!.date = objects[3]!.date;
  objects.push({ id: 'BROKEN-1', title: 'Broken jar', label: null, image: null });
  await writeFixture({ root: dir, objects, labels });
  const ws = workspace(dir);
  const file = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
  dataset.issues.push({
    code: 'IMAGE_UNREADABLE',
    message: 'data/objects.csv:14: data/images/broken-1.jpg cannot be read (unsupported image format).',
    file: 'data/objects.csv',
    line: 14,
    object: 'BROKEN-1',
  });
  // A swatch with its family's name: /colours/black/ and /colours/swatch/black-black/ had one title.
  const first = dataset.objects.find((o) => o.id === objects[1]!.id)!;
  first.colours = [{ hex: '#111111', lab: [5, 0, 0], share: 0.3, name: 'black', family: 'black' }, ...first.colours];
  await writeFile(file, JSON.stringify(dataset));
  const params = defaultParams();
  // Published under a project path, with the site's address known (as the Pages workflows give them).
  params.catalogue.site = SITE;
  params.catalogue.base = '/collection/';
  // A museum cataloguing in German (tester T2): every page says so, the site's own words stay English.
  params.catalogue.language = 'de';
  catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
  await buildSite({ ws, params, log: memoryLogger(), listingPageSize: 2 });
  site = ws.site;
  for (const e of await readdir(site, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.html')) {
      const f = path.join(e.parentPath, e.name);
      pages.set(path.relative(site, f), await readFile(f, 'utf8'));
    }
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const titleOf = (html: string) => decode(/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '');
const descriptionOf = (html: string) => decode(/<meta name="description" content="([^"]*)"/.exec(html)?.[1] ?? '');

describe('page heads', () => {
  it('builds the pages this test is about', () => {
    const names = [...pages.keys()];
    for (const p of ['index.html', 'all/2/index.html', 'review/2/index.html', 'models/index.html', 'data/index.html'])
      expect(names).toContain(p);
    expect(names.filter((n) => /^colours\/[^/]+\/2\/index\.html$/.test(n)).length).toBeGreaterThan(0);
    expect(catalogue.objects.length).toBe(13);
  });

  // The museum's web editor: 79 pages other than object pages had no description for search engines and link previews.
  it('gives every page a description of its own, in plain words', () => {
    const site = titleOf(pages.get('index.html')!).split(' — ').slice(1).join(' — ');
    const seen = new Map<string, string>();
    for (const [file, html] of pages) {
      const description = descriptionOf(html);
      expect(description, file).toMatch(/\w{3,}/);
      expect(description, file).not.toBe(site);
      // Object pages are described by their own title, maker, date and number; every other page by what it is.
      expect(seen.get(description), `${file} and ${seen.get(description)}`).toBeUndefined();
      seen.set(description, file);
    }
    expect(descriptionOf(pages.get('all/2/index.html')!)).toMatch(/page 2 of \d+/i);
    const red = [...pages.keys()].find((n) => /^colours\/[^/]+\/2\/index\.html$/.test(n))!;
    expect(descriptionOf(pages.get(red)!)).toContain(red.split('/')[1]!);
    expect(descriptionOf(pages.get('review/index.html')!)).toMatch(/waiting for the museum’s staff/);
    expect(descriptionOf(pages.get('browse/index.html')!)).toMatch(/^Search the 13 objects of .+ by words, type/);
  });

  // The museum's web editor: the second page of a colour had the same title as its first.
  it('gives every page a title no other page has, "page 2" and on saying which page of a list it is', () => {
    const seen = new Map<string, string>();
    for (const [file, html] of pages) {
      const title = titleOf(html);
      expect(seen.get(title), `${file} and ${seen.get(title)} are both titled "${title}"`).toBeUndefined();
      seen.set(title, file);
    }
    for (const [file, html] of pages) {
      const n = /\/(\d+)\/index\.html$/.exec(file)?.[1];
      if (n) expect(titleOf(html), file).toMatch(new RegExp(`, page ${n} of \\d+ — `));
    }
    const [family, swatch] = ['colours/black/index.html', 'colours/swatch/black-black/index.html'].map((f) =>
      titleOf(pages.get(f) ?? ''),
    );
    expect(family).toMatch(/black/);
    expect(swatch).toMatch(/black/);
    expect(family).not.toBe(swatch);
    expect(titleOf(pages.get('all/index.html')!)).toMatch(/^All objects, page 1 of \d+ — /);
    expect(titleOf(pages.get('all/2/index.html')!)).toMatch(/^All objects, page 2 of \d+ — /);
  });
});

// The museum's web editor: only object pages had a canonical link (80 pages had none: /all/2/, /browse/, colour pages,
// /models/), there was no robots.txt, and every sitemap date was the build's, so each rebuild claimed every page
// changed.
describe('what search engines read', () => {
  const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1];

  it('gives every page but the page-not-found one its own canonical address, under the base path', () => {
    for (const [file, html] of pages) {
      if (file === '404.html') {
        expect(canonicalOf(html), file).toBeUndefined();
        continue;
      }
      const own = `${SITE}/collection/${file.replace(/index\.html$/, '')}`;
      expect(canonicalOf(html), file).toBe(own);
      expect(html, file).toContain(`<meta property="og:url" content="${own}"`);
    }
    expect(pages.size).toBeGreaterThan(40);
  });

  it('has a robots.txt that names the sitemap at its full address', async () => {
    const robots = await readFile(path.join(site, 'robots.txt'), 'utf8');
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toMatch(/^Allow: \/$/m);
    expect(robots).toMatch(new RegExp(`^Sitemap: ${SITE}/collection/sitemap\\.xml$`, 'm'));
  });

  it('gives no sitemap date that changes when the page did not', async () => {
    const sitemap = await readFile(path.join(site, 'sitemap.xml'), 'utf8');
    expect(sitemap).toContain(`<loc>${SITE}/collection/objects/`);
    expect(sitemap).not.toContain('<lastmod>');
  });
});

/** A page's text in <main>, scripts and the part for museum staff (a <details class="staff">) taken out or kept. */
function mainText(file: string, part: 'public' | 'staff'): string {
  const main = /<main[\s\S]*?<\/main>/.exec(pages.get(file)!)![0].replace(/<script[\s\S]*?<\/script>/g, ' ');
  const staff = /<details class="staff\b[^"]*"[\s\S]*?<\/details>/g;
  const text = part === 'public' ? main.replace(staff, ' ') : [...main.matchAll(staff)].map((m) => m[0]).join(' ');
  return decode(text.replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words for staff: the collection's files, settings and commands. */
const STAFF_WORDS =
  /labels\.csv|params\.yaml|\.jpe?g\b|data\/|README|\bcommit\b|\bdata add\b|command|catalogue\.review_queue/i;

describe('public pages speak to the public', () => {
  // The museum's web editor: the review queue, in the public menu, told visitors to edit labels.csv and run commands.
  it('says what the review queue is in plain words, and keeps staff instructions in a part marked for staff', () => {
    const text = mainText('review/index.html', 'public');
    expect(text).toMatch(/waiting for the museum’s staff/);
    expect(text).not.toMatch(STAFF_WORDS);
    expect(text).toContain('Broken jar');
    const staff = mainText('review/index.html', 'staff');
    expect(staff).toMatch(/^For museum staff/);
    expect(staff).toContain('data/images/broken-1.jpg');
    expect(staff).toMatch(/data add/);
    expect(staff).toMatch(/labels\.csv/);
    // Later pages of the queue speak as plainly.
    expect(mainText('review/2/index.html', 'public')).not.toMatch(STAFF_WORDS);
  });

  it('tells the public why an object has no photograph, and staff which file to replace, in their own part', () => {
    const file = `objects/${catalogue.objects.find((o) => o.id === 'BROKEN-1')!.slug}/index.html`;
    const text = mainText(file, 'public');
    expect(text).toContain('could not be used');
    expect(text).not.toMatch(STAFF_WORDS);
    const staff = mainText(file, 'staff');
    expect(staff).toMatch(/^For museum staff/);
    expect(staff).toContain('data/images/broken-1.jpg');
  });
});

// Tester T2: every page said lang="en" in a German museum's catalogue, so screen readers read German titles with
// English sounds and Pagefind stemmed them as English words.
describe('the catalogue language', () => {
  it('is the language of every page, and the site words around the records say they are English', () => {
    for (const [file, html] of pages) {
      expect(/<html[^>]*>/.exec(html)?.[0], file).toBe('<html lang="de">');
      expect(/<header class="masthead"[^>]*>/.exec(html)?.[0], file).toContain(' lang="en"');
      expect(/<footer class="footer"[^>]*>/.exec(html)?.[0], file).toContain(' lang="en"');
    }
  });

  it('is the language of the search index, so the search page (of the same language) loads it', async () => {
    const entry = JSON.parse(await readFile(path.join(site, 'pagefind', 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { wasm?: string }>;
    };
    // One index, stemmed by Pagefind's German stemmer (its WebAssembly for "de").
    expect(Object.keys(entry.languages)).toEqual(['de']);
    expect(entry.languages.de!.wasm).toBe('de');
  });
});

// D28: a screen reader read the site's English words inside the pages ("Date", "Maker", the headings, the facet
// names, the model's box) with German sounds; the records' own values stay in the page's language.
describe('the site words inside the pages of a catalogue not in English', () => {
  const objectPages = () => [...pages].filter(([file]) => /^objects\/[^/]+\/index\.html$/.test(file));
  // The title of the site and of an object are the museum's words; every other heading is the site's.
  const ownHeading = (file: string, tag: string) =>
    tag === 'h1' && (file === 'index.html' || /^objects\/[^/]+\/index\.html$/.test(file));

  it('marks every heading of the site English, and no heading that is the title of the site or an object', () => {
    for (const [file, html] of pages)
      for (const [, tag, attrs] of html.matchAll(/<(h[1-4])\b([^>]*)>/g)) {
        if (ownHeading(file, tag!)) expect(attrs, `${file} ${tag}`).not.toContain('lang=');
        else expect(attrs, `${file} ${tag}`).toContain('lang="en"');
      }
  });

  it('marks the field names and the words of the model of an object page English, not the values of the record', () => {
    expect(objectPages().length).toBeGreaterThan(5);
    for (const [file, html] of objectPages()) {
      const names = [...html.matchAll(/<dt\b([^>]*)>/g)].map((m) => m[1]!);
      expect(names.length, file).toBeGreaterThan(0);
      for (const attrs of names) expect(attrs, file).toContain('lang="en"');
      for (const [, attrs] of html.matchAll(/<dd\b([^>]*)>/g)) expect(attrs, file).not.toContain('lang=');
      // The staff label is the record's, in the page's language.
      const label = /<p class="value" data-pagefind-weight="5"[^>]*>/.exec(html)?.[0];
      if (label) expect(label, file).not.toContain('lang=');
      for (const [, attrs] of html.matchAll(/<span class="confidence"([^>]*)>/g))
        expect(attrs, file).toContain('lang="en"');
      expect(/<a [^>]*>Collection<\/a>/.exec(html)?.[0], file).toContain('lang="en"');
    }
  });

  it('marks the facet names and the status lines of the search page English', () => {
    const browse = pages.get('browse/index.html')!;
    expect(/<p class="status"[^>]*>/.exec(browse)?.[0]).toContain('lang="en"');
    expect(/<p class="muted needs-script" id="search-help"[^>]*>/.exec(browse)?.[0]).toContain('lang="en"');
  });

  it('has the search page script mark the facet names it draws English on such a page', async () => {
    // Drawn in the browser (no browser here: the source is read); the page's lang says which.
    const source = await readFile(path.resolve(import.meta.dirname, '../../site/src/pages/browse.astro'), 'utf8');
    expect(source.match(/legend\.lang = /g)).toHaveLength(2);
  });

  it('says the language in the structured data, the Open Graph locale and the data download', async () => {
    for (const [file, html] of pages) expect(html, file).toContain('<meta property="og:locale" content="de_DE">');
    for (const [file, html] of objectPages()) {
      const json = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html)?.[1];
      expect(JSON.parse(json!).inLanguage, file).toBe('de');
    }
    const pkg = JSON.parse(await readFile(path.join(site, 'data', 'datapackage.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg.languages).toEqual(['de']);
  });

  it('gives the values of the records in the IIIF manifests in German, their field names in English', async () => {
    const o = catalogue.objects.find((x) => x.images.length > 0 && !x.withheld && x.maker)!;
    const manifest = JSON.parse(await readFile(path.join(site, 'iiif', o.slug, 'manifest.json'), 'utf8')) as {
      label: Record<string, string[]>;
      metadata: { label: Record<string, string[]>; value: Record<string, string[]> }[];
    };
    expect(Object.keys(manifest.label)).toEqual(['de']);
    const maker = manifest.metadata.find((m) => m.label.en?.[0] === 'Maker')!;
    expect(maker.value).toEqual({ de: [o.maker] });
  });
});

/** Each visible text of `html` (and each aria-label, alt, title and placeholder) with the lang it is read in. */
function textsWithLang(html: string): { lang: string; text: string }[] {
  const out: { lang: string; text: string }[] = [];
  const open: { tag: string; lang?: string; hidden: boolean }[] = [];
  const page = /<html lang="([^"]*)"/.exec(html)?.[1] ?? '';
  const langNow = () => open.findLast((e) => e.lang !== undefined)?.lang ?? page;
  const hiddenNow = () => open.some((e) => e.hidden);
  const body = html.slice(html.indexOf('<body'));
  const token = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/g;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    const [, closing, name, attrs = '', text] = m;
    if (text !== undefined) {
      const t = decode(text).replace(/\s+/g, ' ').trim();
      if (t && !hiddenNow()) out.push({ lang: langNow(), text: t });
    } else if (name && closing) {
      const at = open.findLastIndex((e) => e.tag === name.toLowerCase());
      if (at >= 0) open.length = at;
    } else if (name) {
      const tag = name.toLowerCase();
      const lang = /\slang="([^"]*)"/.exec(attrs)?.[1];
      const hidden = /^(?:script|style|noscript|template)$/.test(tag) || /\shidden\b/.test(attrs);
      for (const [, value] of attrs.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]+)"/g))
        if (!hidden && !hiddenNow()) out.push({ lang: lang ?? langNow(), text: decode(value!) });
      if (/^(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/.test(tag)) continue;
      open.push({ tag, lang, hidden });
      // A script's or style's text is no page text: skipped to its end.
      if (tag === 'script' || tag === 'style') token.lastIndex = body.indexOf(`</${tag}`, token.lastIndex);
    }
  }
  return out;
}

// Tester T14: the site's English (the model card, the review queue, the pager, the colour names, the lists' names)
// was marked with the records' language, and a record's values inside English were read as English.
describe('the languages of the words of a page in a catalogue not in English', () => {
  const values = () => {
    const all = new Set<string>([catalogue.title]);
    for (const o of catalogue.objects) {
      for (const v of [o.id, o.title, o.maker, o.date, o.department, o.medium, o.creditLine, o.rights, o.description])
        if (v) all.add(v);
      for (const v of [o.label, o.annotation?.label, ...(o.annotation?.top.map((t) => t.label) ?? [])])
        if (v) all.add(v);
    }
    for (const m of catalogue.models)
      for (const f of m.metrics?.factors ?? []) for (const g of f.groups) if (g.value) all.add(g.value);
    return [...all].sort((a, b) => b.length - a.length);
  };

  it('marks every visible text English but the values of the records, which are in the language of the page', () => {
    const known = values();
    // What is left of a text once the records' values are taken out: words of the site's, when any.
    const rest = (text: string) =>
      known.reduce((t, v) => t.split(v).join(' '), text).replace(/[\d\s\p{P}\p{S}]+/gu, '');
    const types = new Set(catalogue.labels);
    const wrong: string[] = [];
    for (const [file, html] of pages)
      for (const { lang, text } of textsWithLang(html)) {
        if (lang === 'de' && rest(text)) wrong.push(`${file}: "${text.slice(0, 80)}" is marked German`);
        if (lang === 'en' && types.has(text)) wrong.push(`${file}: the type "${text}" is marked English`);
      }
    // A search box's hint is its placeholder: marked English, it would make the words typed in it English.
    // A photograph's alt text is made by the pipeline in English around the values (derive.ts altText): left to it.
    const hint = /"(?:Title, maker, date, material, type…|Search titles, makers, materials…|Photograph of )/;
    expect(wrong.filter((w) => !hint.test(w))).toEqual([]);
  });

  // An Arabic date ("77 هـ / 696") was drawn "77 696 / هـ": its value was laid out as the English around it.
  it('lays out each value of a record on an object page by its own direction', () => {
    const pagesOfObjects = [...pages].filter(([file]) => /^objects\/[^/]+\/index\.html$/.test(file));
    for (const [file, html] of pagesOfObjects) {
      for (const [dd] of html.matchAll(/<dd\b[^>]*>/g)) expect(dd, file).toContain('dir="auto"');
      for (const [p] of html.matchAll(/<p class="value"[^>]*>/g))
        if (!p.includes('lang="en"')) expect(p, file).toContain('dir="auto"');
      const lede = /<p class="lede"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
      for (const [span] of lede.matchAll(/<span\b[^>]*>/g)) expect(span, file).toContain('dir="auto"');
    }
  });
});
