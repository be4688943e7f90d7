import { createHash } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { VitrineError } from '../errors.ts';

/*
 * The search index's metadata, made small enough for a large collection's search page.
 *
 * Every search loads Pagefind's metadata file whole. It lists each page's fragment name (`en_` and 7
 * hexadecimal characters of a content hash) and word count: at 100,000 objects 521 kB gzip, nine tenths
 * of it the random names, which no compression shrinks (Pagefind issue #842). Here the pages are taken
 * in blocks of BLOCK_PAGES, in Pagefind's order; a block gets a name of 8 hexadecimal characters, a hash
 * of its pages' own fragment names, and page n's fragment is renamed `<its block's name><n in base 36>`.
 * A changed page renames the fragments of its block (256 files to upload, not one), and a name never
 * stands for other bytes: files a browser or a CDN keeps (`immutable`, pipeline/publish/files.ts) are
 * never wrong.
 *
 * The word counts, most of what was left (37 kB at 100,000 objects), serve only Pagefind's page-length
 * ranking, which favours short pages. An object page is one object whatever its length: a longer
 * description is more cataloguing, not a sign of a less relevant object. So the catalogue ranks without
 * it (Pagefind's `pageLength: 0`, set by the search page) and the metadata keeps one count, the pages'
 * mean, which every page gets back: with every page of that length a stock ranking is the same.
 *
 * Pagefind's script and worker, in the same folder, get EXPANDER, which puts Pagefind's own metadata back
 * together in the browser before Pagefind reads it: the WebAssembly sees the bytes Pagefind wrote, with
 * the new names and that one word count. The build runs the same source (not a copy) to rename the files
 * and to read an index. A stock Pagefind script cannot read a compact index (a site merging this
 * catalogue's index with its own Pagefind script, say). The scripts get more hooks: EVERY_WORD, for
 * searches over the parts of an index; SEARCH_FILE, which hands Pagefind the entry and metadata files
 * the search page already has (`pagefind/parts.json` carries them: search-index.ts), so on the search
 * page each part of the index costs two requests fewer; FETCH_FAILED, which notes a file Pagefind could not
 * fetch. Those two are left out when Pagefind's script has no place for them (the index works as before).
 *
 * Compact layout, after Pagefind's `pagefind_dcd` signature and gzipped as Pagefind's is: the marker
 * ff 76 6d 33 (0xff never starts CBOR), then unsigned LEB128 numbers and bytes: the number of fields of a
 * page (2, or 3 with Pagefind 1.6's empty fragment-group name), the pages a block, the width of a block
 * name, the length and bytes of the block names, the length and bytes of the CBOR before the page list
 * (the metadata's list header and version), the number of pages, the word count every page gets, and the
 * rest of the CBOR (word chunks, filters, sorts).
 */

/** Pages named together: a changed page renames its block's fragments. */
const BLOCK_PAGES = 256;
/** Hexadecimal characters of a block's name. */
const BLOCK_NAME = 8;
const MARKER = [0xff, 0x76, 0x6d, 0x33];

/** What Pagefind's script and worker do with a metadata file they fetched; the hook goes around it. */
const LOAD_META = 'this.searchMeta=this.decompress(new Uint8Array(compressed_meta),"Pagefind metadata");';
const HOOKED =
  'this.searchMeta=vitrineExpandMeta(this.decompress(new Uint8Array(compressed_meta),"Pagefind metadata"));';
/** Where Pagefind's script and worker fetch every file: SEARCH_FILE is asked first. */
const FETCH = 'throttledFetch(input){return new Promise(';
const FETCH_HOOKED =
  'throttledFetch(input){var vitrineFile=vitrineSearchFile(input);if(vitrineFile)return Promise.resolve(vitrineFile);' +
  'return new Promise(';
/** Where Pagefind's script and worker see a fetch fail (which it then searches without): FETCH_FAILED notes it. */
const FETCH_CAUGHT = 'catch(error){queued.reject(error);}';
const FETCH_CAUGHT_HOOKED = 'catch(error){vitrineFetchFailed(queued.input);queued.reject(error);}';
/** Pagefind's search over merged indexes (the parts of a large collection's index); its names differ in the worker. */
const MERGED_SEARCH = /let (\w+)=await Promise\.all\(this\.instances\.map\(\((\w+)\)=>\2\.search\(term,(\w+)\)\)\);/;
const SCRIPT = 'pagefind.js';
const WORKER = 'pagefind-worker.js';

/**
 * The browser's and the build's expansion, plain JavaScript put as it is into Pagefind's scripts (no
 * compiler or bundler touches it). Pagefind's metadata (CBOR, after its signature) from the compact
 * layout; anything else is returned as it is.
 */
const EXPANDER = `function vitrineExpandMeta(data) {
  if (data[0] !== 0xff || data[1] !== 0x76 || data[2] !== 0x6d) return data;
  // The layout before (32: one word count a page) may still be online while a publish puts this script up.
  var perPage = data[3] === 0x32;
  if (!perPage && data[3] !== 0x33) return data;
  var at = 4;
  function number() {
    var n = 0;
    for (var scale = 1; ; scale *= 128) {
      if (at >= data.length) throw new Error('The search metadata is cut short');
      var b = data[at++];
      n += (b & 127) * scale;
      if (b < 128) return n;
    }
  }
  function bytes(n) {
    if (at + n > data.length) throw new Error('The search metadata is cut short');
    at += n;
    return data.subarray(at - n, at);
  }
  var fields = number();
  var blockPages = number();
  var width = number();
  var blocks = bytes(number());
  var head = bytes(number());
  var count = number();
  var words = [];
  for (var i = 0; i < (perPage ? count : 1); i++) words.push(number());
  if (count > 0 && blocks.length < Math.ceil(count / blockPages) * width)
    throw new Error('The search metadata is cut short');
  var tail = data.subarray(at);
  // Per page at most: a list head, a text head of 2, the name (width + 11 digits), a number of 5, an empty text.
  var out = new Uint8Array(head.length + 5 + count * (width + 20) + tail.length);
  var put = 0;
  function item(major, n) {
    var type = major << 5;
    if (n < 24) out[put++] = type | n;
    else if (n < 256) { out[put++] = type | 24; out[put++] = n; }
    else if (n < 65536) { out[put++] = type | 25; out[put++] = n >> 8; out[put++] = n & 255; }
    else {
      out[put++] = type | 26;
      out[put++] = n >>> 24; out[put++] = (n >> 16) & 255; out[put++] = (n >> 8) & 255; out[put++] = n & 255;
    }
  }
  out.set(head, put);
  put += head.length;
  item(4, count);
  for (var p = 0; p < count; p++) {
    var digits = p.toString(36);
    var block = Math.floor(p / blockPages) * width;
    item(4, fields);
    item(3, width + digits.length);
    out.set(blocks.subarray(block, block + width), put);
    put += width;
    for (var k = 0; k < digits.length; k++) out[put++] = digits.charCodeAt(k);
    item(0, perPage ? words[p] : words[0]);
    if (fields === 3) item(3, 0);
  }
  out.set(tail, put);
  return out.subarray(0, put + tail.length);
}`;

/** EXPANDER, run in Node: what `readPagefindMeta` and the renaming use, so the build and the browser agree. */
export const expandSearchMeta = new Function(`${EXPANDER}\nreturn vitrineExpandMeta;`)() as (
  data: Uint8Array,
) => Uint8Array;

/**
 * Pagefind answers a word its index does not have with a shorter word it starts with, or leaves it out ("votive
 * zzz" finds what "votive" finds). Each part of a large collection's index is an index of its own, so a part
 * without "0267" answered "DM 0267" with every DM object, and the merged results held them all. Here, searched
 * over several parts, a part answers only if it has every whole word some part has (it has no page with all of
 * them otherwise); the others add no result and no filter count. A word no part has whole (the start of a word
 * being typed, "amul") is searched as Pagefind searches it. Unlike one index, a part that holds such a word only
 * as the start of a longer one ("02671" where another holds "0267") does not answer. One index, one word or an
 * exact phrase ("…"): as Pagefind searches them.
 */
const EVERY_WORD = `async function vitrineEveryWord(instances, term, options) {
  var all = await Promise.all(instances.map(function (i) { return i.search(term, options); }));
  var words = typeof term === 'string' && !/^\\s*".+"\\s*$/.test(term) ? term.trim().split(/ +/) : [];
  // Each word once, the first 10: a longer search costs no more.
  words = words.filter(function (w, k) { return words.indexOf(w) === k; }).slice(0, 10);
  if (instances.length < 2 || words.length < 2) return all;
  // Whether each part has each word: the word alone, as an exact phrase, finds one of its pages. (Searched
  // plainly, a word a part lacks finds the pages of a shorter word it starts with: "amulet" finds "a".)
  var has = await Promise.all(words.map(function (w) {
    return Promise.all(instances.map(function (i) {
      return i.search('"' + w.replace(/"/g, '') + '"', {}).then(function (s) { return s.results.length > 0; });
    }));
  }));
  var known = has.filter(function (row) { return row.indexOf(true) >= 0; });
  return all.map(function (s, k) {
    if (known.every(function (row) { return row[k]; })) return s;
    var none = {};
    for (var f in s.filters) {
      none[f] = {};
      for (var v in s.filters[f]) none[f][v] = 0;
    }
    return Object.assign({}, s, { results: [], unfilteredResultCount: 0, filters: none });
  });
}`;

/**
 * A file the search page already has, as a fetch would answer it: `globalThis.vitrineSearchFiles` maps a
 * path (`/pagefind/pagefind-entry.json`, a part's metadata file…) to its bytes (site/src/pages/browse.astro
 * fills it from `pagefind/parts.json`). Anything else, or no such map (a worker, another page), is fetched.
 */
const SEARCH_FILE = `function vitrineSearchFile(input) {
  var files = globalThis.vitrineSearchFiles;
  if (!files || typeof input !== 'string') return null;
  var at;
  try {
    at = new URL(input, globalThis.location && globalThis.location.href).pathname;
  } catch (e) {
    return null;
  }
  var bytes = files.get(at);
  return bytes === undefined ? null : new Response(bytes);
}`;

/**
 * A file Pagefind could not fetch, noted in `globalThis.vitrineSearchFailed`: Pagefind searches without a word
 * chunk or filter file it lacks, and the search page says search is unavailable rather than show part of it.
 */
const FETCH_FAILED = `function vitrineFetchFailed(input) {
  (globalThis.vitrineSearchFailed = globalThis.vitrineSearchFailed || []).push(String(input));
}`;

/** Whether the Pagefind script in `dir` takes the entry and metadata files from the search page (SEARCH_FILE). */
export async function takesSearchFiles(dir: string): Promise<boolean> {
  return (await readFile(path.join(dir, SCRIPT), 'utf8').catch(() => '')).includes(FETCH_HOOKED);
}

/** Whether Pagefind's metadata (after its signature) is in the compact layout. */
export function isCompactMeta(data: Uint8Array): boolean {
  return MARKER.slice(0, 3).every((b, i) => data[i] === b) && (data[3] === 0x32 || data[3] === 0x33);
}

interface MetaLayout {
  /** Bytes before the page list, the pages (name, words, fields, fragment group), bytes after it. */
  head: Uint8Array;
  pages: { hash: string; words: number; fields: number; group: string }[];
  tail: Uint8Array;
}

/**
 * Make the Pagefind index in `dir` (as Pagefind wrote it: a part not yet in the site, or `pagefind/` of a
 * build without parts, which has just been written afresh) compact, in place. Returns false, changing
 * nothing, when it is compact already, when Pagefind's script has no place for the hook (another Pagefind
 * version) or its pages are bundled (`maxFragments`): such an index stays as it is and works.
 */
export async function compactSearchIndex({ dir }: { dir: string }): Promise<boolean> {
  const scripts = new Map<string, string>();
  for (const name of [SCRIPT, WORKER]) {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => null);
    if (text === null && name === WORKER) continue;
    if (text === null || !text.includes(LOAD_META) || !MERGED_SEARCH.test(text)) return false;
    scripts.set(name, text);
  }
  const entryFile = path.join(dir, 'pagefind-entry.json');
  const entry = JSON.parse(await readFile(entryFile, 'utf8')) as { languages: Record<string, { hash: string }> };
  const metas = new Map<string, { layout: MetaLayout; file: string }>();
  for (const [language, { hash }] of Object.entries(entry.languages)) {
    const file = path.join(dir, `pagefind.${hash}.pf_meta`);
    const payload = metaPayload(await readFile(file), file);
    if (isCompactMeta(payload)) return false;
    const layout = metaLayout(payload, file);
    if (layout.pages.some((p) => p.group !== '' || p.fields !== layout.pages[0]!.fields)) return false;
    metas.set(language, { layout, file });
  }
  for (const [language, { layout, file }] of metas) {
    const compact = compactLayout({ language, layout });
    // The new names as the browser will make them: the expansion itself, checked against Pagefind's own.
    const expanded = metaLayout(expandSearchMeta(compact), file);
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
    if (
      !same(expanded.head, layout.head) ||
      !same(expanded.tail, layout.tail) ||
      expanded.pages.some((p) => p.words !== pageWords(layout.pages))
    )
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${file} could not be made compact (a bug)`, { file });
    await renameFragments({ dir, from: layout.pages, to: expanded.pages });
    const gzipped = gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), compact]), { level: 9 });
    const named = `${language}_${createHash('sha256').update(gzipped).digest('hex').slice(0, 10)}`;
    await writeFile(path.join(dir, `pagefind.${named}.pf_meta`), gzipped);
    if (`pagefind.${named}.pf_meta` !== path.basename(file)) await rm(file);
    entry.languages[language]!.hash = named;
  }
  for (const [name, text] of scripts) {
    const hooked = text
      .replace(LOAD_META, HOOKED)
      .replace(FETCH, FETCH_HOOKED)
      .replace(FETCH_CAUGHT, FETCH_CAUGHT_HOOKED)
      .replace(MERGED_SEARCH, 'let $1=await vitrineEveryWord(this.instances,term,$3);');
    const hooks = `var vitrineExpandMeta = ${EXPANDER};\n${EVERY_WORD}\n${SEARCH_FILE}\n${FETCH_FAILED}\n`;
    await writeFile(path.join(dir, name), `${hooked}\n${hooks}`);
  }
  await writeFile(entryFile, JSON.stringify(entry));
  return true;
}

/** Page i's fragment file renamed from its name in `from` to its name in `to` (a page sharing a fragment: a link). */
async function renameFragments({
  dir,
  from,
  to,
}: {
  dir: string;
  from: MetaLayout['pages'];
  to: MetaLayout['pages'];
}): Promise<void> {
  const file = (name: string) => path.join(dir, 'fragment', `${name}.pf_fragment`);
  const first = new Map<string, number>();
  const shared: number[] = [];
  for (const [i, { hash }] of from.entries()) {
    if (first.has(hash)) shared.push(i);
    else first.set(hash, i);
  }
  const moves = [...first.values()];
  for (let i = 0; i < moves.length; i += 64)
    await Promise.all(
      moves.slice(i, i + 64).map(async (n) => {
        await rename(file(from[n]!.hash), file(to[n]!.hash)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          throw new VitrineError(
            'SITE_INDEX_FAILED',
            `Search index: ${dir} has no fragment for page ${n} (${from[n]!.hash})`,
            { dir, hash: from[n]!.hash },
          );
        });
      }),
    );
  for (const n of shared) await link(file(to[first.get(from[n]!.hash)!]!.hash), file(to[n]!.hash));
}

/** The word count every page of a compact index gets: the mean, at least 1 (Pagefind divides by the mean). */
function pageWords(pages: MetaLayout['pages']): number {
  return Math.max(1, Math.round(pages.reduce((n, p) => n + p.words, 0) / Math.max(1, pages.length)));
}

/** The compact layout of Pagefind's metadata for `language` (see the top of this file). */
function compactLayout({ language, layout: { head, pages, tail } }: { language: string; layout: MetaLayout }): Buffer {
  const numbers = (list: number[]) => {
    const out: number[] = [];
    for (let n of list) {
      for (; n >= 128; n = Math.floor(n / 128)) out.push((n % 128) | 128);
      out.push(n);
    }
    return Buffer.from(out);
  };
  // A block's name: its pages' own fragment names (content hashes) and the language, hashed.
  const names: string[] = [];
  for (let b = 0; b < pages.length; b += BLOCK_PAGES) {
    const hashes = pages.slice(b, b + BLOCK_PAGES).map((p) => p.hash);
    names.push(
      createHash('sha256')
        .update([language, ...hashes].join('\n'))
        .digest('hex')
        .slice(0, BLOCK_NAME),
    );
  }
  const blocks = Buffer.from(names.join(''), 'utf8');
  return Buffer.concat([
    Buffer.from(MARKER),
    numbers([pages[0]?.fields ?? 2, BLOCK_PAGES, BLOCK_NAME, blocks.length]),
    blocks,
    numbers([head.length]),
    head,
    numbers([pages.length, pageWords(pages)]),
    tail,
  ]);
}

/** A metadata file's bytes after Pagefind's signature (gzip of "pagefind_dcd" + CBOR). */
export function metaPayload(gzipped: Buffer, file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gzipped);
  } catch {
    return notMeta(file, 'not gzip');
  }
  if (bytes.toString('latin1', 0, 12) !== 'pagefind_dcd') notMeta(file, 'no signature');
  return bytes.subarray(12);
}

function notMeta(file: string, why: string): never {
  throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${file} is not a Pagefind 1.x metadata file (${why})`, {
    file,
  });
}

/** Pagefind's metadata (CBOR) split around its page list, its second field. */
function metaLayout(bytes: Uint8Array, file: string): MetaLayout {
  const cbor = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string): never => notMeta(file, why);
  const root = cborHead(cbor, 0, fail);
  if (root.major !== 4 || root.n < 2) fail('the metadata is not a list');
  const version = decodeCbor(cbor, root.next, fail);
  if (typeof version.value !== 'string') fail('the version is not text');
  const list = cborHead(cbor, version.next, fail);
  if (list.major !== 4) fail('pages is not a list');
  const pages: MetaLayout['pages'] = [];
  let at = list.next;
  for (let i = 0; i < list.n; i++) {
    const page = decodeCbor(cbor, at, fail);
    const [hash, words, group = ''] = Array.isArray(page.value) ? page.value : [];
    if (typeof hash !== 'string' || typeof words !== 'number' || typeof group !== 'string')
      fail('a page is not a name and a word count');
    pages.push({ hash, words, fields: (page.value as unknown[]).length, group });
    at = page.next;
  }
  return { head: cbor.subarray(0, version.next), pages, tail: cbor.subarray(at) };
}

/** One CBOR item's head: its major type, its number (a length for text and lists), where what follows starts. */
function cborHead(
  bytes: Buffer,
  start: number,
  fail: (why: string) => never,
): { major: number; n: number; next: number } {
  if (start >= bytes.length) fail('cut short');
  const head = bytes[start]!;
  const extra = head & 31;
  if (extra < 24) return { major: head >> 5, n: extra, next: start + 1 };
  if (extra > 27) return fail(`CBOR item ${head} is not read here`);
  const width = 1 << (extra - 24);
  if (start + 1 + width > bytes.length) fail('cut short');
  const n = width === 8 ? Number(bytes.readBigUInt64BE(start + 1)) : bytes.readUIntBE(start + 1, width);
  return { major: head >> 5, n, next: start + 1 + width };
}

/** The subset of CBOR (RFC 8949) Pagefind's metadata uses: unsigned integers, text, bytes, lists. */
export function decodeCbor(
  bytes: Buffer,
  start: number,
  fail: (why: string) => never,
): { value: unknown; next: number } {
  const { major, n, next } = cborHead(bytes, start, fail);
  if (major === 0) return { value: n, next };
  if (major === 2 || major === 3) {
    if (next + n > bytes.length) fail('cut short');
    return {
      value: major === 3 ? bytes.toString('utf8', next, next + n) : bytes.subarray(next, next + n),
      next: next + n,
    };
  }
  if (major === 4) {
    const items: unknown[] = [];
    let at = next;
    for (let i = 0; i < n; i++) {
      const item = decodeCbor(bytes, at, fail);
      items.push(item.value);
      at = item.next;
    }
    return { value: items, next: at };
  }
  return fail(`CBOR major type ${major} is not read here`);
}
