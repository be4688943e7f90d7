import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { reviewList, reviewSummary } from '../../pipeline/catalogue/pages.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * An outside tester (a university gallery): the public review queue said of a curator’s label for a marble statue
 * “Label “Sculpture” may be wrong; perhaps “Painting””, and its object page said “Agrees with the staff label” and, in
 * the same box, that the label “may be wrong”. catalogue.review_queue: 0 keeps the queue and every doubt about a
 * staff label off the public catalogue (pages and downloads); with the queue published, a label the model shown
 * agrees with is one “worth a second look”, not one that “may be wrong”.
 */

async function build({ reviewQueue }: { reviewQueue?: number } = {}) {
  const dir = await tempDir('vitrine-review-public-');
  const labels = ['Painting', 'Sculpture'];
  const objects: FixtureObject[] = Array.from({ length: 12 }, (_, i) => ({
    id: `O-${i}`,
    title: `Object ${i}`,
    label: labels[i % 2]!,
    image: null,
    predicted: { label: labels[i % 2]!, confidence: 0.6 + i / 100 },
  }));
  await writeFixture({ root: dir, objects, labels, withMetrics: false });
  const ws = workspace(dir);
  const file = path.join(ws.registry, 'annotations.json');
  const annotations = JSON.parse(await readFile(file, 'utf8')) as Annotation[];
  // O-1: the check of every label flags it, and the model shown agrees with the staff label (it learnt it).
  annotations[1]!.labelIssue = { score: 0.7, suggested: 'Painting', flagged: true };
  annotations[1]!.agrees = true;
  // O-4: the model shown disagrees, and the check flags it too.
  annotations[4]!.labelIssue = { score: 0.9, suggested: 'Sculpture', flagged: true };
  annotations[4]!.label = 'Sculpture';
  annotations[4]!.agrees = false;
  // O-7: not sure enough to publish.
  annotations[7]!.published = false;
  await writeFile(file, JSON.stringify(annotations));
  const params = defaultParams();
  if (reviewQueue !== undefined) params.catalogue.review_queue = reviewQueue;
  const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
  return { catalogue, ws, params };
}

describe('catalogue.review_queue: 0', () => {
  it('publishes no review queue and no doubt about a staff label', async () => {
    const { catalogue, ws } = await build({ reviewQueue: 0 });
    expect(catalogue.reviewQueue).toEqual([]);
    expect(catalogue.objects.filter((o) => o.needsReview || o.reviewReason)).toEqual([]);
    // Not in the object pages’ data, nor in catalogue.json: the check’s doubts are for staff (npx vitrine review).
    expect(catalogue.objects.filter((o) => o.annotation?.labelIssue)).toEqual([]);
    const download = (await readdir(ws.root, { recursive: true })).find((f) => f.endsWith('data/catalogue.json'));
    expect(download).toBeDefined();
    expect(await readFile(path.join(ws.root, download!), 'utf8')).not.toMatch(/"suggested"/);
    expect(reviewList(catalogue).cards).toEqual([]);
    // The home page’s and review page’s summary: nothing of staff labels.
    expect(reviewSummary(catalogue)).not.toMatch(/staff label/);
  });
});

describe('the published review queue', () => {
  it('calls a label the model shown agrees with worth a second look, not one that may be wrong', async () => {
    const { catalogue } = await build();
    const notes = new Map(reviewList(catalogue).cards.map((c) => [c.number, c.note]));
    expect(notes.get('O-1')).toBe('Label “Sculpture” is worth a second look; perhaps “Painting”');
    // The model shown disagrees too: nothing contradicts the doubt.
    expect(notes.get('O-4')).toBe('Label “Painting” may be wrong; perhaps “Sculpture”');
    // And its summary counts each in its card’s words, not both as labels that may be wrong (helper L).
    expect(reviewSummary(catalogue)).toContain('1 staff label that may be wrong, 1 staff label worth a second look');
  });
});

describe('the public site with catalogue.review_queue: 0', () => {
  it('has no “Review queue” in its menu, on its home page, search page or sitemap', async () => {
    // Built first with the queue published, then with catalogue.review_queue: 0 (a museum that changes its mind):
    // every page kept from the first build must lose the link too.
    const { ws, params } = await build();
    await buildSite({ ws, params, log: memoryLogger() });
    params.catalogue.review_queue = 0;
    await buildCatalogueData({ ws, params, log: memoryLogger() });
    await buildSite({ ws, params, log: memoryLogger() });
    const home = await readFile(path.join(ws.site, 'index.html'), 'utf8');
    // O-11: in the queue in neither build, so only the setting can render its page again.
    const object = await readFile(path.join(ws.site, 'objects', 'o-11', 'index.html'), 'utf8');
    const search = await readFile(path.join(ws.site, 'browse', 'index.html'), 'utf8');
    for (const page of [home, object, search]) {
      expect(page).not.toMatch(/href="[^"]*review\/"/);
      expect(page).not.toContain('Review queue');
    }
    expect(home).toContain('href="/browse/"');
    // No Review filter on the search page.
    expect(search).not.toContain('&quot;review&quot;');
    expect(search).toContain('&quot;predicted&quot;');
    expect(await readFile(path.join(ws.site, 'sitemap.xml'), 'utf8')).not.toContain('review/');
    // Nor is the queue’s page built, linked or not: its address gave the doubts to anyone who tried it (helper L).
    expect(existsSync(path.join(ws.site, 'review'))).toBe(false);
  }, 300_000);
});
