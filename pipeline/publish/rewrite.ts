import { gunzipSync, gzipSync } from 'node:zlib';

/*
 * `catalogue.s3.image_base_url`: the thumbnails are served from another address (a CDN or image
 * server in front of the media/ folder), so the links to `<base>media/` in the pages and in the
 * search results point there instead. The site is built once; the links change only as it is sent.
 */

const PAGEFIND_SIGNATURE = 'pagefind_dcd';

/** A function that rewrites a file's bytes before upload, or undefined when nothing is rewritten. */
export type Rewrite = (file: string, bytes: Buffer) => Buffer;

/** The rewrite for image links, or undefined without `imageBaseUrl`. */
export function imageLinks({ base, imageBaseUrl }: { base: string; imageBaseUrl: string }): Rewrite | undefined {
  if (!imageBaseUrl) return undefined;
  const from = `${base.endsWith('/') ? base : `${base}/`}media/`;
  const to = `${imageBaseUrl.replace(/\/+$/, '')}/`;
  // Only where a link starts: after a quote, a srcset comma or a space (not inside longer paths).
  const pattern = new RegExp(`(["'(,\\s])${escapeRegExp(from)}`, 'g');
  const swap = (text: string) => text.replace(pattern, (_, before: string) => `${before}${to}`);
  return (file, bytes) => {
    if (file.endsWith('.html')) return Buffer.from(swap(bytes.toString('utf8')));
    if (file.endsWith('.pf_fragment')) {
      // Pagefind's fragments are gzip of "pagefind_dcd" + JSON: the result cards' image is inside.
      const text = gunzipSync(bytes).toString('utf8');
      if (!text.startsWith(PAGEFIND_SIGNATURE)) return bytes;
      return gzipSync(Buffer.from(swap(text)));
    }
    return bytes;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
