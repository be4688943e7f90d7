import type { APIRoute } from 'astro';
import { href, loadCatalogue } from '../lib/catalogue.ts';

/*
 * sitemap.xml: every object page and the main pages, at their full addresses when the site's
 * address is known (catalogue.site or the Pages URL), else at their paths under the base.
 * No <lastmod>: the build's day, the only date at hand, would say every page changed at every
 * rebuild; search engines ignore a lastmod that is not the page's own last change.
 */
export const GET: APIRoute = async ({ site }) => {
  const catalogue = await loadCatalogue();
  const full = (p: string) => (site ? new URL(href(p), site).href : href(p));
  const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paths = [
    '',
    'browse/',
    'all/',
    'colours/',
    // catalogue.review_queue: 0: the queue is kept for staff, and no public page links to it.
    ...(catalogue.reviewQueuePublic === false ? [] : ['review/']),
    'models/',
    'data/',
    ...catalogue.models.map((m) => `models/${m.version}/`),
    ...catalogue.objects.map((o) => `objects/${o.slug}/`),
  ];
  const body = paths.map((p) => `<url><loc>${xmlEscape(full(p))}</loc></url>`).join('\n');
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`,
    { headers: { 'Content-Type': 'application/xml' } },
  );
};
