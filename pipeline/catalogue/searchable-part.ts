/*
 * What the search index is made of: the part of each object page Pagefind reads (`searchablePart`), which pages it
 * reads and with which settings. A module of its own, importing nothing; the hash of the code that makes the index
 * (`searchCodeHash` in search-index.ts) takes it in, as search-index.ts imports it.
 */

/** Pagefind's settings, the same for every part (they are in each part's key). */
export const INDEX_OPTIONS = { rootSelector: 'html', excludeSelectors: ['[data-pagefind-ignore]'] };

/** The pages Pagefind reads in a folder of pages: the object pages. */
export const PAGES_GLOB = 'objects/*/index.html';

/**
 * The part of an object page Pagefind reads, as a page of its own: the `<html>` element's language,
 * the `<title>`, and the `data-pagefind-body` element with everything in it except the contents of
 * `data-pagefind-ignore` elements, of which only what Pagefind still reads is kept: elements with
 * `data-pagefind-*` metadata or filters, with an `id` (Pagefind numbers every anchor) and images.
 * Pagefind gives such a page exactly the index entry of the whole page (`test/site/search-index.test.ts`
 * checks it on the site's own pages) and parses it in about half the time: its cost is per element.
 * A page without a `data-pagefind-body` element is returned whole.
 */
export function searchablePart(html: string): string {
  const tag = new RegExp(TAG.source, 'g');
  let lang = '';
  let title = '';
  let body = -1;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const [whole, close, rawName, attrs = ''] = m;
    const name = rawName?.toLowerCase();
    if (!name || close) continue;
    if (name === 'html') lang = /\blang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/i.exec(attrs)?.[1] ?? '';
    else if (name === 'title' && !title) title = html.slice(m.index, html.indexOf('</title>', m.index) + 8);
    else if (/\sdata-pagefind-body\b/i.test(attrs)) {
      body = m.index;
      break;
    }
    if (name === 'script' || name === 'style') tag.lastIndex = skipRawText(html, name, m.index + whole.length);
  }
  if (body < 0) return html;
  const out: string[] = [`<!DOCTYPE html><html${lang ? ` lang=${lang}` : ''}><head>${title}</head><body>`];
  interface Open {
    name: string;
    /** Inside a `data-pagefind-ignore` element. */
    ignored: boolean;
    /** Kept whole, with all it holds. */
    whole: boolean;
    written: boolean;
  }
  const stack: Open[] = [];
  let last = body;
  tag.lastIndex = body;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const [whole, close, rawName, attrs = '', selfClosing] = m;
    const top = stack.at(-1);
    // Text between tags: kept where Pagefind reads it.
    if (top && m.index > last && (!top.ignored || top.whole)) out.push(html.slice(last, m.index));
    last = m.index + whole.length;
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (close) {
      const at = stack.findLastIndex((o) => o.name === name);
      if (at < 0) continue;
      for (const o of stack.splice(at).reverse()) if (o.written) out.push(`</${o.name}>`);
      if (stack.length === 0) break;
      continue;
    }
    const ignoredHere = /\sdata-pagefind-ignore\b/i.test(attrs);
    let open: Open;
    if (!top) open = { name, ignored: ignoredHere, whole: false, written: true };
    else if (!top.ignored || top.whole)
      open = { name, ignored: top.ignored || ignoredHere, whole: top.whole, written: true };
    else if (PAGEFIND_READS.test(attrs) || name === 'img') open = { name, ignored: true, whole: true, written: true };
    else open = { name, ignored: true, whole: false, written: false };
    if (open.written) out.push(whole);
    if (name === 'script' || name === 'style') {
      last = tag.lastIndex = skipRawText(html, name, last);
      if (open.written) out.push(`</${name}>`);
      continue;
    }
    if (!VOID.has(name) && !selfClosing) stack.push(open);
  }
  out.push('</body></html>');
  return out.join('');
}

/** A start or end tag (quoted attribute values may hold `>`), or a comment. */
const TAG =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/;
/** Attributes Pagefind reads on an ignored element's children: metadata, filters, sorts, anchors. */
const PAGEFIND_READS = /\s(id|data-pagefind-(meta|default-meta|filter|sort|index-attrs|title))\s*(=|\s|$)/i;
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Where the raw text of a `<script>` or `<style>` that starts at `from` ends (after its end tag). */
function skipRawText(html: string, name: string, from: number): number {
  const end = new RegExp(`</${name}`, 'gi');
  end.lastIndex = from;
  const at = end.exec(html)?.index;
  return at === undefined ? html.length : html.indexOf('>', at) + 1;
}
