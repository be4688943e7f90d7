import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture, writeMonitoringFixture } from '../site/fixture.ts';

/*
 * Reviewer V15 (task D12): a maintainer who runs `vitrine monitor --reference <ref>` for each batch gets one group per
 * batch. The page had two line styles for references, repeated from the third (so a caption named two groups for
 * one style), and the words above the charts named every group, however many. Now the two references checked most
 * recently are named and drawn each on their own; the others share one style and one entry, and the table names
 * each. "main" at two commits is two groups (history-reference.test.ts checks the data).
 */

let dir = '';
let html = '';

const sha = (d: string) => d.repeat(40);
const line = (day: string, novelty: number, reference?: string, commit?: string) => ({
  createdAt: `2026-12-${day}T08:00:00Z`,
  modelVersion: 'v1.1.0',
  commit: null,
  referenceCount: 16,
  currentCount: 12,
  currentKind: 'added-since',
  ...(reference ? { reference } : {}),
  ...(commit ? { referenceCommit: commit } : {}),
  embeddingEffect: null,
  noveltyIncrease: novelty,
  maxImageStat: null,
  labelDistance: null,
  unusualShare: 0.1,
  drifted: false,
  driftedSignals: [],
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-many-references-page-'));
  const image = path.join(dir, 'photo.png');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } })
    .png()
    .toFile(image);
  const objects: FixtureObject[] = [
    { id: 'A1', title: 'Vase', label: 'vessel', image },
    { id: 'A2', title: 'Sampler', label: 'textile', image },
  ];
  await writeFixture({ root: dir, objects, labels: ['vessel', 'textile'], withMetrics: false });
  await writeMonitoringFixture({ root: dir, version: 'v1.1.0', otherVersion: 'v1.0.0', unfamiliar: [], nearest: 'A1' });
  const entries = [
    line('01', 0.3),
    line('02', 0.35, 'main', sha('1')),
    line('03', 0.4, 'main', sha('1')),
    line('04', 0.42, 'main', sha('2')),
    line('05', 0.44, 'main', sha('2')),
    line('06', 0.5, 'batch-3', sha('3')),
    line('07', 0.45, 'batch-4', sha('4')),
    line('08', 0.47, 'batch-5', sha('5')),
    line('09', 0.46, 'batch-4', sha('4')),
  ];
  const ws = workspace(dir);
  await writeFile(
    path.join(ws.monitor, 'history.json'),
    JSON.stringify({ schema: 'vitrine.drift-history/1', entries }),
  );
  const params = defaultParams();
  await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
  html = await readFile(path.join(ws.site, 'models', 'v1.1.0', 'monitoring', 'index.html'), 'utf8');
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const noveltyChart = () =>
  html.slice(html.indexOf('id="chart-novelty-cap"'), html.indexOf('</figure>', html.indexOf('id="chart-novelty-cap"')));

describe('the Monitoring page with checks against five references', () => {
  it('draws the references before the two latest in one shared style, with one entry in the caption', () => {
    const chart = noveltyChart();
    const lines = [
      ...chart.matchAll(/<polyline class="line group-([a-z0-9-]+)" points="[^"]*" stroke-dasharray="([^"]*)"/g),
    ];
    const dash = Object.fromEntries(lines.map((l) => [l[1], l[2]]));
    expect(Object.keys(dash)).toEqual(['reference-1', 'reference-2', 'reference-4']);
    expect(dash['reference-1']).toBe(dash['reference-2']);
    expect(dash['reference-4']).not.toBe(dash['reference-1']);
    expect(chart.replace(/\s+/g, ' ')).toContain(
      'Points that judged different objects are not joined: solid line, the objects added since the model; ' +
        'long-dashed line, the objects added since batch-4 (4444444); long dash and two dots line, the objects ' +
        'added since batch-5 (5555555); long and short dashed line, 3 older comparisons with other references ' +
        '(the table names each).',
    );
    // Each point still says which objects it judged.
    expect(chart).toMatch(/2026-12-02: 0\.350\s+\(objects added since main \(1111111\)\)/);
  });

  it('names only the two latest references above the charts, and the table names every one', () => {
    const words = html.slice(html.indexOf('id="history-h"'), html.indexOf('class="charts"')).replace(/\s+/g, ' ');
    expect(words).toContain(
      'Each line is one set of objects: the objects added since the model, the objects added since batch-4 ' +
        '(4444444), the objects added since batch-5 (5555555) and 3 older comparisons with other references ' +
        '(the table names each).',
    );
    expect(words).not.toContain('main');
    const start = html.indexOf('id="history-table"');
    const table = html.slice(start, html.indexOf('</table>', start));
    const judged = [...table.matchAll(/<td>Objects added since ([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(judged).toEqual([
      'the model',
      'main (1111111)',
      'main (1111111)',
      'main (2222222)',
      'main (2222222)',
      'batch-3 (3333333)',
      'batch-4 (4444444)',
      'batch-5 (5555555)',
      'batch-4 (4444444)',
    ]);
  });
});
