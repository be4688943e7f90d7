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
 * Look-alikes on the catalogue said "a very similar photograph" whatever the similarity (0.9 up to 1): the review page
 * and the object pages now say how alike, by band, as `vitrine review` does (review/look-alike.ts). The number is
 * carried from review.json into the annotations for it; annotations written before say what they said.
 */

let dir = '';
let catalogue: Catalogue;
type Issue = NonNullable<FixtureObject['labelIssue']>;

const labels: Record<string, string> = {
  'S-1': 'Met',
  'S-2': 'Cleveland',
  'L-1': 'Met',
  'L-2': 'Cleveland',
  'G-1': 'Met',
  'G-2': 'Cleveland',
  'G-3': 'Met',
};
const other = (label: string) => (label === 'Met' ? 'Cleveland' : 'Met');
const near = (id: string, similarity: number) => ({ id, label: labels[id]!, similarity });
/** G-1 and G-2 one image twice (1.00), G-3 very similar to both (0.96). */
const group = (id: string) =>
  ['G-1', 'G-2', 'G-3'].filter((o) => o !== id).map((o) => near(o, id === 'G-3' || o === 'G-3' ? 0.96 : 1));
const issueOf = (id: string) => ({
  score: 0.99,
  suggested: other(labels[id]!),
  flagged: true,
  ...(id.startsWith('S')
    ? { lookAlike: near(id === 'S-1' ? 'S-2' : 'S-1', 1) }
    : id.startsWith('L')
      ? { lookAlike: near(id === 'L-1' ? 'L-2' : 'L-1', 0.92) }
      : { lookAlikes: group(id) }),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-look-alike-words-site-'));
  const objects: FixtureObject[] = [
    ...Object.entries(labels).map(([id, label]) => ({
      id,
      title: `Jug ${id}`,
      label,
      image: null,
      predicted: { label: other(label), confidence: 1 },
      labelIssue: issueOf(id) as Issue,
    })),
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
  return (await readFile(path.join(workspace(dir).site, file), 'utf8'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;)])/g, '$1');
}
const objectText = (id: string) => pageText(`objects/${catalogue.objects.find((o) => o.id === id)!.slug}/index.html`);

describe('how alike look-alike photographs are, on the catalogue', () => {
  it('an object page says it by band', async () => {
    expect(await objectText('S-1')).toContain(
      'Another object in the collection, S-2, has almost certainly the same photograph (or a copy of it) but the ' +
        'label “Cleveland”.',
    );
    expect(await objectText('L-1')).toContain(
      'Another object in the collection, L-2, has a similar photograph but the',
    );
    expect(await objectText('G-3')).toContain(
      'These 3 objects have very similar photographs, perhaps of the same object photographed more than once, but ' +
        'different labels: this one',
    );
  });

  it('the review page says it by band', async () => {
    const review = await pageText('review/index.html');
    expect(review).toContain(
      'Label “Met”; S-2 has almost certainly the same photograph (or a copy of it) and the label “Cleveland”',
    );
    expect(review).toContain('Label “Met”; L-2 has a similar photograph and the label “Cleveland”');
    expect(review).toMatch(/Label “Met”; these 3 objects have (very similar photographs, perhaps|almost certainly)/);
    expect(review).not.toContain('very similar photograph and');
  });

  it('the annotations carry the similarity from review.json', () => {
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
        confident: 7,
        flagged: 7,
        items: Object.keys(labels).map((id) => ({
          id,
          label: labels[id]!,
          confidence: 1,
          confident: true,
          reason: 'flagged' as const,
          split: 'train' as const,
          ...issueOf(id),
        })),
      },
    });
    const issue = (id: string) => annotations.find((a) => a.id === id)!.labelIssue;
    expect(issue('L-1')?.lookAlike).toEqual({ id: 'L-2', label: 'Cleveland', similarity: 0.92 });
    expect(issue('G-3')?.lookAlikes).toEqual(group('G-3'));
  });
});
