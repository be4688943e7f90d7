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
 * The Monitoring page as built: a history of checks of v1.1.0, one written before the group was recorded (not
 * known: task D4), one of the pool, then two that judged the objects added since the model, then one more of the pool
 * (too few added to judge alone), then two of `vitrine monitor --reference spring-2026` (the objects added since that
 * tag, task D5). The chart draws each group as its own line, never one through all seven, the check not known as a
 * point on its own, and the table says which objects each check judged.
 * (history-groups.test.ts and history-reference.test.ts check the data and the lines' points.)
 */

let dir = '';
let html = '';

const line = (day: string, novelty: number, kind: string | null, current: number, reference?: string) => ({
  createdAt: `2026-12-${day}T08:00:00Z`,
  modelVersion: 'v1.1.0',
  commit: null,
  referenceCount: 16,
  currentCount: current,
  ...(kind ? { currentKind: kind } : {}),
  ...(reference ? { reference } : {}),
  embeddingEffect: null,
  noveltyIncrease: novelty,
  maxImageStat: null,
  labelDistance: null,
  unusualShare: 0.1,
  drifted: novelty >= 0.5,
  driftedSignals: novelty >= 0.5 ? ['novelty'] : [],
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-history-page-'));
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
    line('01', 0.2, null, 61),
    line('02', 0.25, 'new-and-unlabelled', 63),
    line('03', 0.83, 'added-since', 12),
    line('04', 0.9, 'added-since', 14),
    line('05', 0.3, 'new-and-unlabelled', 66),
    line('06', 0.4, 'added-since', 20, 'spring-2026'),
    line('07', 0.45, 'added-since', 22, 'spring-2026'),
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

/** The novelty chart's figure. */
const noveltyChart = () =>
  html.slice(html.indexOf('id="chart-novelty-cap"'), html.indexOf('</figure>', html.indexOf('id="chart-novelty-cap"')));

describe('the Monitoring page with checks of both groups', () => {
  it('draws one line per group on the chart, never one through checks that judged different objects', () => {
    const chart = noveltyChart();
    const lines = [...chart.matchAll(/<polyline class="line group-([a-z0-9-]+)" points="([^"]*)"/g)];
    expect(lines.map((l) => [l[1], l[2]!.split(' ').length])).toEqual([
      ['pool', 2],
      ['added-since', 2],
      ['reference-1', 2],
    ]);
    expect(chart).toContain('Points that judged different objects are not joined: dotted line, the new and unlabelled');
    expect(chart).toContain('solid line, the objects added since the model; long-dashed line, the objects added since');
    expect(chart).toContain('long-dashed line, the objects added since spring-2026.');
    expect(chart).toMatch(/2026-12-06: 0\.400\s+\(objects added since spring-2026\)/);
    expect(chart).toMatch(/2026-12-03: 0\.830, at or over the threshold \(objects added since the model\)/);
    expect(chart.replace(/\s+/g, ' ')).toContain(
      'the objects added since spring-2026. Points on their own are checks that did not record which objects they ' +
        'judged: not known.',
    );
    // Titled by what its checks compared with: training, and the objects at spring-2026 (task D4).
    expect(chart).toContain('<span class="name">Unlike anything in training or the reference (novelty)</span>');
  });

  it('says in the table which objects each check judged, an older check as not known', () => {
    const table = html.slice(
      html.indexOf('id="history-table"'),
      html.indexOf('</table>', html.indexOf('id="history-table"')),
    );
    expect(table).toContain('>Objects judged</th>');
    const judged = [...table.matchAll(/<td>((?:New and unlabelled|Objects) [^<]+)<\/td>/g)];
    expect(judged.map((m) => m[1])).toEqual([
      'Objects not known, as the check did not record which',
      'New and unlabelled objects together',
      'Objects added since the model',
      'Objects added since the model',
      'New and unlabelled objects together',
      'Objects added since spring-2026',
      'Objects added since spring-2026',
    ]);
  });

  it('names every group in the words above the charts, those added since a reference of their own too', () => {
    const words = html.slice(html.indexOf('id="history-h"'), html.indexOf('class="charts"'));
    expect(words.replace(/\s+/g, ' ')).toContain(
      'Checks that judged different objects are drawn as separate lines, never joined: a jump between them is a ' +
        'change of objects, not of the collection. Each line is one set of objects: the new and unlabelled objects ' +
        'together, the objects added since the model and the objects added since spring-2026. Points on their own ' +
        'are checks that did not record which objects they judged: not known.',
    );
  });
});
