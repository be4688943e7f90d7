import { createHash } from 'node:crypto';
import { link, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { VitrineError } from '../errors.ts';

/*
 * The search index's metadata, made small enough for a large collection's search page.
 *
 * Every search loads Pagefind's metadata file whole. It lists each page's fragment name (`en_` and 7
 * hexadecimal characters of a content hash) and word count: at 100,000 objects 521 kB gzip, nine tenths
 * of it the random names, which no compression shrinks (Pagefind issue #842). Here the fragments are
 * named by their page's number instead (`<prefix><number in base 36>`, the prefix taken from the
 * metadata's own content hash, so a changed index gets new names and cached files stay right), and the
 * metadata file keeps only the prefix and the word counts. Pagefind's script, in the same folder, gets
 * `vitrineExpandMeta`, which puts Pagefind's own metadata back together in the browser before Pagefind
 * reads it; the WebAssembly sees exactly the layout it wrote, with the new names.
 *
 * Compact layout, after Pagefind's `pagefind_dcd` signature and gzipped as Pagefind's is: the marker
 * ff 76 6d 31 (0xff never starts CBOR), then unsigned LEB128 numbers and bytes: the prefix's length and
 * text, the number of fields of a page (2, or 3 with Pagefind 1.6's empty fragment-group name), the
 * length and bytes of the CBOR before the page list (the metadata's list header and version), the
 * number of pages, each page's word count, and the rest of the CBOR (word chunks, filters, sorts).
 */

/** What Pagefind's script and worker do with a metadata file they fetched; the hook goes around it. */
const LOAD_META = 'this.searchMeta=this.decompress(new Uint8Array(compressed_meta),"Pagefind metadata");';
const HOOKED =
  'this.searchMeta=vitrineExpandMeta(this.decompress(new Uint8Array(compressed_meta),"Pagefind metadata"));';
const SCRIPTS = ['pagefind.js', 'pagefind-worker.js'];
const MARKER = [0xff, 0x76, 0x6d, 0x31];

/**
 * Pagefind's metadata (CBOR, after its signature) from the compact layout above; anything else is
 * returned as it is. Runs in the browser too (its source is put into Pagefind's script), so it uses
 * nothing from outside itself.
 */
export function expandSearchMeta(data: Uint8Array): Uint8Array {
  if (data[0] !== 0xff || data[1] !== 0x76 || data[2] !== 0x6d || data[3] !== 0x31) return data;
  let at = 4;
  const cut = () => new Error('The search metadata is cut short');
  const number = () => {
    let n = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = data[at++];
      if (b === undefined) throw cut();
      n += (b & 127) * scale;
      if (b < 128) return n;
    }
  };
  const bytes = (n: number) => {
    if (at + n > data.length) throw cut();
    at += n;
    return data.subarray(at - n, at);
  };
  const prefix = bytes(number());
  const fields = number();
  const head = bytes(number());
  const count = number();
  const words: number[] = [];
  for (let i = 0; i < count; i++) words.push(number());
  const tail = data.subarray(at);
  const out = new Uint8Array(head.length + 5 + count * (prefix.length + 20) + tail.length);
  let put = 0;
  const item = (major: number, n: number) => {
    const type = major << 5;
    if (n < 24) out[put++] = type | n;
    else if (n < 256) out.set([type | 24, n], (put += 2) - 2);
    else if (n < 65536) out.set([type | 25, n >> 8, n & 255], (put += 3) - 3);
    else out.set([type | 26, n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255], (put += 5) - 5);
  };
  out.set(head, put);
  put += head.length;
  item(4, count);
  for (let i = 0; i < count; i++) {
    const name = i.toString(36);
    item(4, fields);
    item(3, prefix.length + name.length);
    out.set(prefix, put);
    put += prefix.length;
    for (let k = 0; k < name.length; k++) out[put++] = name.charCodeAt(k);
    item(0, words[i]!);
    if (fields === 3) item(3, 0);
  }
  out.set(tail, put);
  return out.subarray(0, put + tail.length);
}

/** The fragment name of page `number` in a compacted index: the same rule as `expandSearchMeta`'s. */
export function compactFragmentName(prefix: string, number: number): string {
  return `${prefix}${number.toString(36)}`;
}

interface MetaLayout {
  /** Bytes before the page list, the pages (name, words, fields), bytes after it. */
  head: Uint8Array;
  pages: { hash: string; words: number; fields: number; group: string }[];
  tail: Uint8Array;
}

/**
 * Make the Pagefind index in `dir` (one part, as Pagefind wrote it, not yet in the site) compact, in place.
 * Returns false, changing nothing, when Pagefind's script has no place for the hook (another Pagefind version)
 * or its pages are bundled (`maxFragments`): that index stays as Pagefind wrote it and still works.
 */
export async function compactSearchIndex({ dir }: { dir: string }): Promise<boolean> {
  const scripts = new Map<string, string>();
  for (const name of SCRIPTS) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    if (!text.includes(LOAD_META)) return false;
    scripts.set(name, text);
  }
  const entryFile = path.join(dir, 'pagefind-entry.json');
  const entry = JSON.parse(await readFile(entryFile, 'utf8')) as { languages: Record<string, { hash: string }> };
  const layouts = new Map<string, { layout: MetaLayout; file: string }>();
  for (const [language, { hash }] of Object.entries(entry.languages)) {
    const file = path.join(dir, `pagefind.${hash}.pf_meta`);
    const layout = metaLayout(await readFile(file), file);
    if (layout.pages.some((p) => p.group !== '' || p.fields !== layout.pages[0]!.fields)) return false;
    layouts.set(language, { layout, file });
  }
  for (const [language, { layout, file }] of layouts) {
    const hash = entry.languages[language]!.hash;
    const prefix = `${hash}_`;
    await renameFragments({ dir, prefix, pages: layout.pages });
    const compact = gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), compactLayout(prefix, layout)]), { level: 9 });
    const named = `${language}_${createHash('sha256').update(compact).digest('hex').slice(0, 10)}`;
    await writeFile(path.join(dir, `pagefind.${named}.pf_meta`), compact);
    if (`pagefind.${named}.pf_meta` !== path.basename(file)) await rm(file);
    entry.languages[language]!.hash = named;
  }
  for (const [name, text] of scripts) {
    const hooked = text.replace(LOAD_META, HOOKED);
    await writeFile(path.join(dir, name), `${hooked}\nvar vitrineExpandMeta = ${expandSearchMeta.toString()};\n`);
  }
  await writeFile(entryFile, JSON.stringify(entry));
  return true;
}

/** Each page's fragment file renamed to its number's name (a second page of the same fragment gets a link). */
async function renameFragments({ dir, prefix, pages }: { dir: string; prefix: string; pages: MetaLayout['pages'] }) {
  const folder = path.join(dir, 'fragment');
  const moved = new Map<string, string>();
  const present = new Set(await readdir(folder).catch(() => []));
  for (const [number, { hash }] of pages.entries()) {
    const to = path.join(folder, `${compactFragmentName(prefix, number)}.pf_fragment`);
    const first = moved.get(hash);
    if (first) await link(first, to);
    else if (present.has(`${hash}.pf_fragment`)) {
      await rename(path.join(folder, `${hash}.pf_fragment`), to);
      moved.set(hash, to);
    } else
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${dir} has no fragment for page ${number} (${hash})`, {
        dir,
        hash,
      });
  }
}

function compactLayout(prefix: string, { head, pages, tail }: MetaLayout): Buffer {
  const numbers = (list: number[]) => {
    const out: number[] = [];
    for (let n of list) {
      for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 128);
      out.push(n);
    }
    return Buffer.from(out);
  };
  const name = Buffer.from(prefix, 'latin1');
  return Buffer.concat([
    Buffer.from(MARKER),
    numbers([name.length]),
    name,
    numbers([pages[0]?.fields ?? 2, head.length]),
    head,
    numbers([pages.length, ...pages.map((p) => p.words)]),
    tail,
  ]);
}

/** Pagefind's metadata split around its page list (its second field), read with the CBOR subset it uses. */
function metaLayout(gzipped: Buffer, file: string): MetaLayout {
  const fail = (why: string): never => {
    throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${file} is not a Pagefind 1.x metadata file (${why})`, {
      file,
    });
  };
  const all = gunzipSync(gzipped);
  if (all.toString('latin1', 0, 12) !== 'pagefind_dcd') fail('no signature');
  const bytes = all.subarray(12);
  const root = header(bytes, 0, fail);
  if (root.major !== 4 || root.n < 2) fail('the metadata is not a list');
  const version = header(bytes, root.next, fail);
  if (version.major !== 3) fail('the version is not text');
  const listAt = version.next + version.n;
  const list = header(bytes, listAt, fail);
  if (list.major !== 4) fail('pages is not a list');
  const pages: MetaLayout['pages'] = [];
  let at = list.next;
  for (let i = 0; i < list.n; i++) {
    const page = header(bytes, at, fail);
    if (page.major !== 4 || page.n < 2 || page.n > 3) fail('a page is not a name and a word count');
    const name = header(bytes, page.next, fail);
    if (name.major !== 3) fail('a page hash is not text');
    const hash = bytes.toString('utf8', name.next, name.next + name.n);
    const words = header(bytes, name.next + name.n, fail);
    if (words.major !== 0) fail('a word count is not a number');
    at = words.next;
    let group = '';
    if (page.n === 3) {
      const g = header(bytes, at, fail);
      if (g.major !== 3) fail('a fragment group is not text');
      group = bytes.toString('utf8', g.next, g.next + g.n);
      at = g.next + g.n;
    }
    pages.push({ hash, words: words.n, fields: page.n, group });
  }
  return { head: bytes.subarray(0, listAt), pages, tail: bytes.subarray(at) };
}

/** One CBOR item's head: its major type, its number (a length for text and lists), where what follows starts. */
function header(
  bytes: Buffer,
  start: number,
  fail: (why: string) => never,
): { major: number; n: number; next: number } {
  const head = bytes[start] ?? fail('cut short');
  const extra = head & 31;
  if (extra < 24) return { major: head >> 5, n: extra, next: start + 1 };
  if (extra > 26) return fail(`CBOR item ${head} is not read here`);
  const width = 1 << (extra - 24);
  if (start + 1 + width > bytes.length) fail('cut short');
  return { major: head >> 5, n: bytes.readUIntBE(start + 1, width), next: start + 1 + width };
}
