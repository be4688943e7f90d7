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
 * An outside tester read the public model page: it named "nsfwjs" with no word on why (the image model's weights
 * ship in that npm package), showed "Owners: Collections Data Team" (the placeholder params.yaml starts with) as if
 * someone had been named, and gave percentages in its headline table beside F1 scores from 0 to 1 per type.
 */

describe('the public model page', () => {
  it('says what the image model is, names no placeholder owner, and gives every score in per cent', async () => {
    const root = await tempDir('vitrine-card-plain-');
    const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums', 'images');
    const artic = path.join(shared, 'artic');
    const photo = path.join(artic, (await readdir(artic)).sort()[0]!);
    const objects = ['A-1', 'A-2', 'A-3', 'A-4'].map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: i % 2 ? 'coin' : 'vase',
      image: photo,
    }));
    await writeFixture({ root, objects, labels: ['coin', 'vase'] });
    const ws = workspace(root);
    // Per-type scores as evaluate makes them from its confusion matrix (the fixture's are made up apart from it).
    const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
    metrics.perClass = metrics.labels.map((label, i) => {
      const right = metrics.confusion[i]![i]!;
      const support = metrics.confusion[i]!.reduce((a, b) => a + b, 0);
      const called = metrics.confusion.reduce((a, row) => a + row[i]!, 0);
      const precision = called ? right / called : 0;
      const recall = support ? right / support : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      return { label, precision, recall, f1, support };
    });
    const right = metrics.labels.reduce((a, _, i) => a + metrics.confusion[i]![i]!, 0);
    metrics.accuracy = { ...metrics.accuracy, value: right / metrics.confusion.flat().reduce((a, b) => a + b, 0) };
    await writeFile(file, JSON.stringify(metrics));
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const card = catalogue.models.find((m) => m.current)!;
    await buildSite({ ws, params, log: memoryLogger() });
    const html = await readFile(path.join(ws.site, 'models', card.version, 'index.html'), 'utf8');
    // What a reader sees without opening the folded technical record.
    const open = html.replace(/<details>[\s\S]*?<\/details>/g, '');
    const text = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    expect(text(open)).toContain(
      'MobileNetV2, a general-purpose image model trained on everyday photographs (ImageNet)',
    );
    expect(text(open)).toContain('nsfwjs is only the software package its weights ship in, so that they work offline');
    expect(text(html)).not.toContain('Collections Data Team');

    // The per-type table: per cent, as the headline table, and the same figures as the evaluation's.
    const perType = /<caption>Scores per object type<\/caption>([\s\S]*?)<\/table>/.exec(html)![1]!;
    const m = card.metrics!;
    const p = (x: number) => `${(x * 100).toFixed(1)}%`;
    for (const c of m.perClass) {
      const row = text(new RegExp(`<th scope="row"[^>]*>${c.label}</th>([\\s\\S]*?)</tr>`).exec(perType)![1]!).trim();
      // The page's figures are those of its confusion matrix: right / called, right / labelled.
      const i = m.labels.indexOf(c.label);
      const right = m.confusion[i]![i]!;
      const called = m.confusion.reduce((s, r) => s + r[i]!, 0);
      const support = m.confusion[i]!.reduce((s, x) => s + x, 0);
      const f1 = (2 * right) / (called + support);
      expect(row).toBe(`${p(right / called)} ${p(right / support)} ${p(f1)} ${support}`);
    }
    // The headline accuracy is the matrix's diagonal over its total.
    const total = m.confusion.flat().reduce((a, b) => a + b, 0);
    const diagonal = m.confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(m.n).toBe(total);
    expect(m.accuracy.value).toBeCloseTo(diagonal / total, 9);
    expect(text(open)).toContain(`Accuracy ${p(diagonal / total)} (`);
    expect(text(html)).not.toMatch(/From 0 to 1/);
  }, 300_000);
});
