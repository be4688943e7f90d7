import type { APIRoute } from 'astro';
import { href } from '../lib/catalogue.ts';

/*
 * robots.txt: every page may be crawled, and the sitemap is named at its full address when the site's address is
 * known (catalogue.site or the Pages URL; a Sitemap line must be a full address). Crawlers read robots.txt only at a
 * host's root: under a project path (/collection/) this one says what to add to the root's.
 */
export const GET: APIRoute = ({ site }) => {
  const sitemap = site ? new URL(href('sitemap.xml'), site).href : null;
  const lines = [
    ...(href('') === '/'
      ? []
      : [`# Crawlers read robots.txt only at the site's root: add the Sitemap line below to the root's robots.txt.`]),
    'User-agent: *',
    'Allow: /',
    sitemap
      ? `Sitemap: ${sitemap}`
      : `# The sitemap is ${href('sitemap.xml')}: set catalogue.site in params.yaml to name it here at its full address.`,
  ];
  return new Response(`${lines.join('\n')}\n`, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
};
