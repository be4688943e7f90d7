import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Thumbnails in the comment come from the published catalogue: its address is the GitHub Pages URL
 * (configure-pages, given to the pipeline as VITRINE_CATALOGUE_URL) or params report.catalogue_url.
 * Without an address, or before the catalogue is published, the comment says so instead of leaving
 * the pictures out without a word. The catalogue here is a real HTTP server on 127.0.0.1.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
/** Base: DM-0007 wrong, DM-0036 not labelled yet. Head: both fixed. */
const base: Record<string, string> = { ...correct, 'DM-0007': 'coin' };
delete base['DM-0036'];

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A catalogue that has published `paths` (under /collection/), and answers 404 for the rest. */
async function catalogue(paths: string[]): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  server = http.createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const found = paths.includes(req.url ?? '');
    res.writeHead(found ? 200 : 404, { 'content-type': found ? 'image/jpeg' : 'text/html' });
    res.end(found && req.method !== 'HEAD' ? 'x' : undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/collection`, asked };
}

function labelSection(markdown: string): string {
  return markdown.slice(markdown.indexOf('### Label changes'), markdown.indexOf('### Scores'));
}

/** The row of the label changes' table that names `id`. */
const rowOf = (markdown: string, id: string) =>
  labelSection(markdown)
    .split('\n')
    .find((l) => l.includes(id))!;

describe('thumbnails from the published catalogue', () => {
  it('shows the published thumbnails and says which objects are not in the catalogue yet', async () => {
    const { url, asked } = await catalogue(['/collection/', '/collection/media/thumbnails/DM-0007-240.jpg']);
    const { ws } = await makeRepo({ objects, base, head: correct });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', catalogueUrl: url, log: silentLogger });
    const section = labelSection(markdown);
    expect(section).toContain(`<img src="${url}/media/thumbnails/DM-0007-240.jpg" alt="Figurine number 1" width="64">`);
    expect(section).toContain(`[DM-0007](${url}/objects/dm-0007/)`);
    // DM-0036 is new in this pull request: the catalogue gets it on merge.
    const row = section.split('\n').find((l) => l.includes('DM-0036'))!;
    expect(row).not.toContain('<img');
    expect(row).toContain('not published yet');
    expect(section).toContain(
      '1 object has no thumbnail in the published catalogue yet: the catalogue is rebuilt when this pull request is merged.',
    );
    expect(json.catalogue).toEqual({ url, source: 'given', published: true, reason: null });
    expect(json.labels.changes.find((c) => c.id === 'DM-0036')!.thumbnailUrl).toBeNull();
    // Asked without downloading the pictures.
    expect(asked.filter((a) => a.includes('thumbnails')).every((a) => a.startsWith('HEAD '))).toBe(true);
  });

  it('links the page of an object whose photograph is withheld and says why, without asking for its thumbnail', async () => {
    // Reviewer V4: a published object in copyright has no thumbnail on the site (catalogue.images); the report said
    // "not published yet" and dropped its page link.
    const { url, asked } = await catalogue(['/collection/', '/collection/objects/dm-0007/']);
    const rightsOf = (id: string) => (id === 'DM-0007' ? 'In Copyright' : id === 'DM-0036' ? 'In Copyright' : '');
    const withRights = objects.map((o) => ({ ...o, rights: rightsOf(o.id) }));
    const { ws } = await makeRepo({ objects: withRights, base, head: correct });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', catalogueUrl: url, log: silentLogger });
    const row = rowOf(markdown, 'DM-0007');
    expect(row).toContain('shown small for copyright reasons');
    expect(row).not.toContain('not published yet');
    expect(row).toContain(`[DM-0007](${url}/objects/dm-0007/)`);
    expect(json.labels.changes.find((c) => c.id === 'DM-0007')!.withheld).toBe('thumbnail');
    expect(asked.some((a) => a.includes('thumbnails/DM-0007'))).toBe(false);
    // DM-0036 is new in this pull request: its page is not there yet.
    const added = rowOf(markdown, 'DM-0036');
    expect(added).toContain('not published yet');
    expect(added).not.toContain('](');
    // Not shown at all when catalogue.images says so.
    const none = validateParams({ raw: { train: { epochs: 60 }, catalogue: { images: { in_copyright: 'none' } } } });
    const again = await buildReport({ ws, params: none, base: 'main', catalogueUrl: url, log: silentLogger });
    expect(labelSection(again.markdown)).toContain('not shown online for copyright reasons');
  });

  it('judges an open object by the photograph it shares with one in copyright, as the catalogue does', async () => {
    // Found by an outside tester: DM-0007 (no rights recorded, shown in full on its own) shares its photograph with
    // DM-0008 (In Copyright); the site shows it small, but the report judged DM-0007 alone and said "not published yet".
    const { url, asked } = await catalogue(['/collection/', '/collection/objects/dm-0007/']);
    const shared = 'a'.repeat(32);
    const withRights = objects.map((o) =>
      o.id === 'DM-0007'
        ? { ...o, imageMd5: shared }
        : o.id === 'DM-0008'
          ? { ...o, rights: 'In Copyright', imageMd5: shared }
          : o,
    );
    const { ws } = await makeRepo({ objects: withRights, base, head: correct });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', catalogueUrl: url, log: silentLogger });
    const row = rowOf(markdown, 'DM-0007');
    expect(row).toContain('shown small for copyright reasons');
    expect(row).not.toContain('not published yet');
    expect(json.labels.changes.find((c) => c.id === 'DM-0007')!.withheld).toBe('thumbnail');
    expect(asked.some((a) => a.includes('thumbnails/DM-0007'))).toBe(false);
  });

  it('says the catalogue is not published yet when it does not answer, and shows no broken images', async () => {
    const { url } = await catalogue([]);
    const { ws } = await makeRepo({ objects, base, head: correct });
    const params = validateParams({ raw: { train: { epochs: 60 }, report: { catalogue_url: url } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const section = labelSection(markdown);
    expect(section).not.toContain('<img');
    expect(section).toContain(
      `Thumbnails are not shown: the catalogue at \`${url}\` is not published yet (it answered 404 Not Found). ` +
        `They appear once the catalogue workflow publishes it.`,
    );
    expect(json.catalogue).toMatchObject({ url, source: 'params', published: false });
  });

  it('says so when no catalogue address is known', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(labelSection(markdown)).toContain('Thumbnails are not shown: no address of a published catalogue is known');
    expect(markdown).not.toContain('<img');
    expect(json.catalogue).toEqual({ url: null, source: null, published: false, reason: null });
  });

  it('takes the Pages URL the workflow gives (VITRINE_CATALOGUE_URL) over params', async () => {
    const { url } = await catalogue(['/collection/', '/collection/media/thumbnails/DM-0007-240.jpg']);
    const { ws } = await makeRepo({ objects, base, head: correct });
    const params = validateParams({
      raw: { train: { epochs: 60 }, report: { catalogue_url: 'http://127.0.0.1:9/elsewhere' } },
    });
    const log = memoryLogger();
    await reportStage.run({
      ws,
      params,
      log,
      clock: { now: () => new Date('2026-01-03T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main', VITRINE_CATALOGUE_URL: `${url}/` },
    });
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect(json.catalogue).toMatchObject({ url: `${url}/`, source: 'given', published: true });
    expect(json.labels.changes.find((c) => c.id === 'DM-0007')!.thumbnailUrl).toBe(
      `${url}/media/thumbnails/DM-0007-240.jpg`,
    );
  });
});
