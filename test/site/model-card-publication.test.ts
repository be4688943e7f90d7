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
 * An outside tester browsed the demo catalogue: the public model page left out the rules that decide what the public
 * sees (the confidence each type is published from, the precision the museum asks for, the photographs held back,
 * the split counts), which the Markdown card has; an object page showed "99% confident" with no word that the card
 * says to read it as a ranking, and "Not sure: waiting for staff" without the figure the guess needed.
 */

describe('the public model page and the object page', () => {
  it('say from which confidence each type is published, and what a held-back guess needed', async () => {
    const root = await tempDir('vitrine-card-publication-');
    const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums', 'images');
    const artic = path.join(shared, 'artic');
    const photo = path.join(artic, (await readdir(artic)).sort()[0]!);
    const objects = [
      { id: 'A-1', title: 'Object A-1', label: 'vase', image: photo },
      { id: 'A-2', title: 'Object A-2', label: 'coin', image: photo, predicted: { label: 'coin', confidence: 0.99 } },
      {
        id: 'A-3',
        title: 'Object A-3',
        label: 'coin',
        image: photo,
        predicted: { label: 'coin', confidence: 0.6 },
        published: false,
      },
      // A type whose threshold is 100%: annotate.min_precision could not be reached for it (an outside tester read
      // "below the 100% this museum asks for before it publishes a guess of Sculpture").
      {
        id: 'A-4',
        title: 'Object A-4',
        label: 'bust',
        image: photo,
        predicted: { label: 'bust', confidence: 0.84 },
        published: false,
      },
    ];
    await writeFixture({ root, objects, labels: ['coin', 'vase', 'bust'] });
    const ws = workspace(root);
    const file = path.join(ws.root, '.vitrine', 'evaluate', 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as Metrics;
    metrics.publication = {
      minPrecision: 0.9,
      thresholds: { coin: 0.65, vase: 0.44, bust: 1 },
      n: 40,
      coverage: { value: 0.7, low: 0.6, high: 0.8 },
      precision: { value: 0.92, low: 0.85, high: 0.97 },
      familiarity: { k: 5, quantile: 0.95, cut: 0.3, reference: 40 },
    };
    metrics.ece = { value: 0.124, low: 0.08, high: 0.16 };
    await writeFile(file, JSON.stringify(metrics));
    const cardFile = path.join(ws.registry, 'cards', 'v1.1.0.json');
    const cardJson = JSON.parse(await readFile(cardFile, 'utf8'));
    cardJson.data = {
      objects: 60,
      labelled: 50,
      bySplit: { train: 30, validation: 10, test: 10 },
      byLabel: {},
      factors: [],
    };
    await writeFile(cardFile, JSON.stringify(cardJson));
    const params = defaultParams();
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const card = catalogue.models.find((m) => m.current)!;
    expect(card.version).toBe('v1.1.0');
    await buildSite({ ws, params, log: memoryLogger() });
    const text = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const page = text(await readFile(path.join(ws.site, 'models', card.version, 'index.html'), 'utf8'));

    expect(page).toContain('What the public sees');
    expect(page).toContain('only when the model is sure enough for its published guesses to be right at least 90%');
    expect(page).toMatch(/coin 65% or more/);
    expect(page).toMatch(/vase 44% or more/);
    expect(page).toContain(
      'bust never: the model is not yet reliable enough on it for any guess of it to be published',
    );
    expect(page).toContain('Not sure: waiting for staff');
    expect(page).toContain('Photograph unlike those the model learned from');
    expect(page).toContain(
      '50 of the 60 objects have a staff label: 30 for training, 10 for validation (to tune it while it learns) and 10 for testing',
    );
    expect(page).toContain(
      'Its stated confidence is on average 12.4 percentage points away from how often it is right (the calibration ' +
        'error above), so read it as a ranking rather than a probability',
    );

    const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;
    const sure = await readFile(path.join(ws.site, 'objects', slugOf('A-2'), 'index.html'), 'utf8');
    expect(sure).toMatch(/<a[^>]*href="[^"]*models\/v1\.1\.0\/#confidence"[^>]*>99% confident<\/a>/);
    const held = text(await readFile(path.join(ws.site, 'objects', slugOf('A-3'), 'index.html'), 'utf8'));
    expect(held).toContain('below the 65% Vitrine Demo Museum asks for before it publishes a guess of coin');
    const never = text(await readFile(path.join(ws.site, 'objects', slugOf('A-4'), 'index.html'), 'utf8'));
    expect(never).not.toContain('100% Vitrine Demo Museum asks for');
    expect(never).toContain('the model is not yet reliable enough on bust for any guess of it to be published');

    // The home page: not "a type for every photograph" when some guesses are held back.
    const home = text(await readFile(path.join(ws.site, 'index.html'), 'utf8'));
    // No object has a department (the export has no such column): no "Departments: Unassigned 4" (an outside tester).
    expect(home).not.toContain('Departments');
    expect(home).not.toContain('Unassigned');
    expect(catalogue.counts.byDepartment).toEqual([]);
    expect(home).not.toContain('for every photograph');
    expect(home).toContain(
      'a machine-learning model suggests a type from each photograph; its suggestion is published only when the ' +
        'model is sure enough, and the others wait for staff.',
    );
  }, 300_000);
});
