/*
 * The catalogue's way of working in a child process (catalogue/apart.ts), reduced to the step that failed
 * for the tester: put a built file into the site folder through a temp name beside it (catalogue/place.ts
 * links, then renames). Usage: node fs-errors-boundary-child.ts <from> <site folder>, run by the runner;
 * the child's error reaches the runner as apart.ts hands it back (its message, without code or path).
 */
import { link } from 'node:fs/promises';
import path from 'node:path';
import { serveApart } from '../../pipeline/catalogue/apart.ts';

serveApart(async ({ from, site }: { from: string; site: string }) => {
  await link(from, path.join(site, 'data', 'catalogue.json.a303c2b71a2e.tmp'));
  return {};
});
