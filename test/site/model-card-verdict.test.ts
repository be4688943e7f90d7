import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * The README's label fix: its pull request was judged "better" on every labelled object, while the
 * 66 test objects alone say "no detectable difference". The public model page of the version it made
 * must state the verdict the pull request got, not only the test split's.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });

describe('model page of a version made by a label fix', () => {
  it("states the pull request's cross-validated verdict beside the test-split comparison", async () => {
    const root = await tempDir('vitrine-card-verdict-');
    const shared = path.resolve(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'shared',
      'datasets',
      'five-museums',
      'images',
      'artic',
    );
    const photo = path.join(shared, (await readdir(shared)).sort()[0]!);
    const objects = ['A-1', 'A-2', 'A-3', 'A-4'].map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: i % 2 ? 'coin' : 'vase',
      image: photo,
    }));
    await writeFixture({ root, objects, labels: ['coin', 'vase'] });
    const ws = workspace(root);
    const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
    // The test-split comparison with the model in production, as the README's label fix gets it.
    const comparison = { metric: 'macroF1', difference: iv(0.014, 0, 0.051), pValue: 0.705, test: 'paired bootstrap' };
    metrics.baseline = {
      ...metrics,
      version: 'v1.0.0',
      comparison: { ...comparison, verdict: 'no detectable difference' },
    } as Metrics['baseline'];
    metrics.crossValidated = {
      base: { ref: 'main', commit: 'e848d709e50a' },
      changed: 19,
      objects: 300,
      k: 5,
      candidate: iv(1, 1, 1),
      baseline: iv(0.973, 0.95, 0.99),
      probability: { candidate: 0.992, baseline: 0.9, trainingSd: 0.0002 },
      comparison: {
        metric: 'probability',
        difference: iv(0.092, 0.08, 0.11),
        pValue: 0.002,
        test: 'paired',
        verdict: 'better',
      },
    } as Metrics['crossValidated'];
    await writeFile(file, JSON.stringify(metrics));
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const card = catalogue.models.find((m) => m.current)!;
    expect(card.metrics?.labelChange).toMatchObject({ changed: 19, objects: 300, verdict: 'better', pValue: 0.002 });
    await buildSite({ ws, params, log: memoryLogger() });
    const html = await readFile(path.join(ws.site, 'models', card.version, 'index.html'), 'utf8');
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Judged on every labelled object, the verdict of the change that made this version \(19 labels changed\)/,
    );
    // The page shows scores in per cent: a change in points, named "macro-F1", not "macroF1 changed by 1.4% (0.0% to 5.1%)".
    expect(text).toContain(
      'Compared with v1.0.0 on the same test objects and labels (both models scored on this version’s): macro-F1 ' +
        'changed by +1.4 points (95% range: +0.0 to +5.1 points), p = 0.705 — no detectable',
    );
    expect(text).toMatch(/a probability of 0\.90 on average, and 0\.99 trained on the labels now, p = 0\.002 — better/);
  }, 300_000);
});
