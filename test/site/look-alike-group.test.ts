import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { toAnnotations } from '../../pipeline/registry/annotate.ts';
import type { DatasetObject } from '../../pipeline/types.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * Three objects with very similar photographs and labels that disagree (review/look-alike.ts): two were a pair on the
 * review page and object pages, and the third was listed as a plain suspect ("Label “Met” may be wrong; perhaps
 * “Cleveland”"). Now each of the three says it is one of a group, and names the others.
 */

let dir = '';
let catalogue: Catalogue;

type Issue = NonNullable<FixtureObject['labelIssue']>;
const others = (id: string) =>
  [
    { id: 'G-1', label: 'Met' },
    { id: 'G-2', label: 'Cleveland' },
    { id: 'G-3', label: 'Met' },
  ].filter((o) => o.id !== id);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-look-alike-group-site-'));
  const member = (id: string, label: string, suggested: string, mate?: { id: string; label: string }) =>
    ({
      id,
      title: `Jug ${id}`,
      label,
      image: null,
      predicted: { label: suggested, confidence: 1 },
      labelIssue: {
        score: 0.99,
        suggested,
        flagged: true,
        ...(mate ? { lookAlike: mate } : {}),
        lookAlikes: others(id),
      } as Issue,
    }) satisfies FixtureObject;
  const objects: FixtureObject[] = [
    member('G-1', 'Met', 'Cleveland', { id: 'G-2', label: 'Cleveland' }),
    member('G-2', 'Cleveland', 'Met', { id: 'G-1', label: 'Met' }),
    member('G-3', 'Met', 'Cleveland'),
    { id: 'O-1', title: 'Bowl', label: 'Chicago', image: null },
  ];
  await writeFixture({ root: dir, objects, labels: ['Chicago', 'Cleveland', 'Met'], withMetrics: false });
  const ws = workspace(dir);
  const params = defaultParams();
  catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
  await buildSite({ ws, params, log: memoryLogger() });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function pageText(file: string): Promise<string> {
  return (
    (await readFile(path.join(workspace(dir).site, file), 'utf8'))
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/\s+/g, ' ')
      // A link's tags leave a space before the punctuation after it.
      .replace(/ ([,.;)])/g, '$1')
  );
}

const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;

describe('three look-alikes with conflicting labels on the site', () => {
  it('each object page names the other two, with links, and says one of the labels is probably wrong', async () => {
    for (const id of ['G-1', 'G-2', 'G-3']) {
      const html = await readFile(path.join(workspace(dir).site, 'objects', slugOf(id), 'index.html'), 'utf8');
      for (const o of others(id)) expect(html, id).toContain(`href="/objects/${slugOf(o.id)}/"`);
    }
    const text = await pageText(`objects/${slugOf('G-3')}/index.html`);
    expect(text).toContain(
      'These 3 objects have very similar photographs but different labels: this one (“Met”), G-1 (“Met”) and G-2 ' +
        '(“Cleveland”). At least one of the labels is probably wrong; staff will check which is right.',
    );
    expect(text).not.toContain('may be wrong');
  });

  it('the review page says each is one of the group, none a plain suspect', async () => {
    const review = await pageText('review/index.html');
    expect(review).toContain(
      'Label “Met”; these 3 objects have very similar photographs but different labels: this one, G-1 (“Met”) and ' +
        'G-2 (“Cleveland”); at least one of the labels is probably wrong',
    );
    expect(review).not.toContain('Label “Met” may be wrong');
    expect(review).not.toContain('perhaps “Cleveland”');
  });
});

describe('three look-alikes in the annotations', () => {
  it('are carried from review.json to the catalogue’s label issues, each naming the others', () => {
    const labels: Record<string, string> = { 'G-1': 'Met', 'G-2': 'Cleveland', 'G-3': 'Met' };
    const item = (id: string) => ({
      id,
      label: labels[id]!,
      suggested: labels[id] === 'Met' ? 'Cleveland' : 'Met',
      score: 0.99,
      confidence: 1,
      confident: true,
      reason: 'flagged' as const,
      split: 'train' as const,
      lookAlikes: others(id).map((o) => ({ ...o, similarity: 0.99 })),
    });
    const objects = Object.entries(labels).map(([id, label]) => ({ id, label }) as DatasetObject);
    const annotations = toAnnotations({
      predictions: objects.map((o) => ({ id: o.id, label: 'Met', confidence: 1, top: [{ label: 'Met', p: 1 }] })),
      objects,
      modelVersion: 'v1.0.0',
      review: {
        schema: 'vitrine.review/1',
        labels: ['Chicago', 'Cleveland', 'Met'],
        checked: 40,
        agreement: { accuracy: 0.9, guessing: 0.33, better: true, labelsInUse: 3 },
        confident: 3,
        flagged: 3,
        items: ['G-1', 'G-2', 'G-3'].map(item),
      },
    });
    // With the similarity, for the pages to say how alike (test/site/look-alike-words.test.ts).
    expect(annotations.find((a) => a.id === 'G-3')!.labelIssue?.lookAlikes).toEqual(
      others('G-3').map((o) => ({ ...o, similarity: 0.99 })),
    );
  });
});
