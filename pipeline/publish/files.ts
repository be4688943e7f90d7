/*
 * How each file of the built catalogue is served from a bucket: its Content-Type, how long browsers
 * and CDNs may keep it, and whether it is a page (an entry point, uploaded last) or an asset.
 */

const IIIF_MANIFEST = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  wasm: 'application/wasm',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  avif: 'image/avif',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  pdf: 'application/pdf',
  // Pagefind's index files are gzip it unpacks itself: served as plain bytes, never Content-Encoding.
  pf_meta: 'application/octet-stream',
  pf_index: 'application/octet-stream',
  pf_filter: 'application/octet-stream',
  pf_fragment: 'application/octet-stream',
  pagefind: 'application/octet-stream',
  bin: 'application/octet-stream',
};

/** Content-Type for a site path such as "objects/a-1/index.html". */
export function contentType(file: string): string {
  const name = file.split('/').pop() ?? file;
  if (name === 'manifest.json' && /(^|\/)iiif\//.test(file)) return IIIF_MANIFEST;
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Names that change whenever their content does: Astro's bundles, Pagefind's index chunks. */
export function isContentAddressed(file: string): boolean {
  if (file.startsWith('_astro/')) return true;
  // A merged part of the search index (`pagefind/parts/<key>/`) is a new folder whenever it changes.
  if (/^pagefind\/parts\/[^/]+\//.test(file)) return true;
  return /^pagefind\/(fragment|index|filter)\//.test(file) || /^pagefind\/[^/]+\.pf_meta$/.test(file);
}

/**
 * Thumbnails, named by the photograph's md5 (`media/thumbs/<md5>-240.webp`): a new photograph gets a
 * new name, but a new thumbnail quality or background keeps it, so they are not kept forever.
 */
export function isThumbnail(file: string): boolean {
  return file.startsWith('media/') && /(^|[^0-9a-f])[0-9a-f]{32}([^0-9a-f]|$)/.test(file.split('/').pop() ?? '');
}

/** Pages and the files that name the others: uploaded after everything they point at. */
export function isEntry(file: string): boolean {
  if (/\.(html|xml|txt|webmanifest)$/.test(file)) return true;
  return file === 'pagefind/pagefind-entry.json' || file === 'pagefind/pagefind.js' || file === 'pagefind/parts.json';
}

/**
 * Pagefind's own program at the top of `pagefind/`: what its script loads (`loaded`: its WebAssembly, one a
 * language, and its worker), the script (`loader`: `pagefind.js`), and the scripts and styles of its ready-made
 * interfaces, which load the script (`interface`). Their names do not change with their bytes, and a script
 * works only with the WebAssembly of its own version: a Pagefind upgrade changes them all at once.
 */
export function searchProgram(file: string): 'loaded' | 'loader' | 'interface' | undefined {
  if (!/^pagefind\/[^/]+$/.test(file)) return undefined;
  if (/^pagefind\/wasm\.[^/]+\.pagefind$/.test(file) || file === 'pagefind/pagefind-worker.js') return 'loaded';
  if (file === 'pagefind/pagefind.js') return 'loader';
  if (/^pagefind\/pagefind-[^/]+\.(js|css)$/.test(file)) return 'interface';
  return undefined;
}

export const CACHE = {
  /** A year, never revalidated: the name changes when the content does. */
  immutable: 'public, max-age=31536000, immutable',
  /** Always asked again (cheap with the ETag): a new build shows at once. */
  revalidate: 'public, max-age=0, must-revalidate',
  /** Thumbnails: a day. */
  day: 'public, max-age=86400',
  /** Everything else (model files, data downloads): five minutes. */
  short: 'public, max-age=300',
} as const;

/** Cache-Control for a site path. */
export function cacheControl(file: string): string {
  // Pagefind's program too: a browser that kept the old WebAssembly beside a new script could not search.
  if (isEntry(file) || searchProgram(file)) return CACHE.revalidate;
  if (isContentAddressed(file)) return CACHE.immutable;
  if (isThumbnail(file)) return CACHE.day;
  return CACHE.short;
}
