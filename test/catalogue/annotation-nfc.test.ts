import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FixtureObject, writeFixture } from '../site/fixture.ts';

/*
 * Reviewer: the catalogue compared the staff label with the model's as stored, so "Céramique" typed with a
 * combining accent (NFD, "Ce\u0301ramique", as some Mac programs save text) was shown as disagreeing with the
 * model's "Céramique" and put in the review queue. Labels are compared, and shown, in the composed form (NFC),
 * as labels.csv and collection.vocabulary are read everywhere else.
 */

const NFC = 'Céramique';
const NFD = 'Ce\u0301ramique';

async function build(objects: FixtureObject[], labels: string[], edit?: (a: Annotation[]) => void) {
  const root = await tempDir('vitrine-annotation-nfc-');
  await writeFixture({ root, objects, labels, withMetrics: false });
  const ws = workspace(root);
  if (edit) {
    const file = path.join(ws.registry, 'annotations.json');
    const annotations = JSON.parse(await readFile(file, 'utf8')) as Annotation[];
    edit(annotations);
    await writeFile(file, JSON.stringify(annotations));
  }
  const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
  return (id: string) => catalogue.objects.find((o) => o.id === id)!;
}

describe('the staff label and the model label, with accents stored two ways', () => {
  it("a label typed decomposed (NFD) agrees with the model's composed one, and is not queued as a disagreement", async () => {
    expect(NFD).not.toBe(NFC);
    expect(NFD.normalize('NFC')).toBe(NFC);
    const object = await build(
      [
        { id: 'O-1', title: 'Bowl', label: NFD, image: null, predicted: { label: NFC, confidence: 0.93 } },
        { id: 'O-2', title: 'Coin', label: 'Monnaie', image: null, predicted: { label: NFC, confidence: 0.9 } },
      ],
      [NFC, 'Monnaie'],
    );
    const bowl = object('O-1');
    expect(bowl.annotation!.agrees).toBe(true);
    expect(bowl.reviewReason).not.toBe('disagrees');
    // A real disagreement is still one.
    expect(object('O-2').annotation!.agrees).toBe(false);
  });

  it("a model's decomposed labels are shown composed, and agree with the staff's composed label", async () => {
    const object = await build(
      [{ id: 'O-1', title: 'Bowl', label: NFC, image: null, predicted: { label: NFD, confidence: 0.93 } }],
      [NFD, 'Monnaie'],
    );
    const annotation = object('O-1').annotation!;
    expect(annotation.agrees).toBe(true);
    expect(annotation.label).toBe(NFC);
    expect(annotation.top.map((t) => t.label)).toContain(NFC);
    expect(annotation.top.map((t) => t.label)).not.toContain(NFD);
  });

  it('a suggestion taken, or a label changed since, is settled whichever way the accents are stored', async () => {
    const issue = { score: 0.8, suggested: NFD, flagged: true };
    // No record of the label scored against: taking the suggestion (typed composed) settles it.
    const taken = await build(
      [
        {
          id: 'O-1',
          title: 'Bowl',
          label: NFC,
          image: null,
          predicted: { label: NFC, confidence: 0.9 },
          labelIssue: issue,
        },
      ],
      [NFC, 'Monnaie'],
      (a) => {
        a[0]!.humanLabel = null;
      },
    );
    expect(taken('O-1').annotation!.labelIssue).toBeNull();
    // Scored against the same label stored the other way: nothing has changed, the issue stands, its
    // suggestion shown composed.
    const standing = await build(
      [
        {
          id: 'O-1',
          title: 'Bowl',
          label: 'Monnaie',
          image: null,
          predicted: { label: NFC, confidence: 0.9 },
          labelIssue: issue,
        },
      ],
      [NFC, 'Monnaie'],
      (a) => {
        a[0]!.humanLabel = 'Monnaie'.normalize('NFD');
      },
    );
    expect(standing('O-1').annotation!.labelIssue).toMatchObject({ suggested: NFC, flagged: true });
    const scoredNfd = await build(
      [
        {
          id: 'O-1',
          title: 'Bowl',
          label: NFC,
          image: null,
          predicted: { label: 'Monnaie', confidence: 0.9 },
          labelIssue: { score: 0.8, suggested: 'Monnaie' },
        },
      ],
      [NFC, 'Monnaie'],
      (a) => {
        a[0]!.humanLabel = NFD;
      },
    );
    expect(scoredNfd('O-1').annotation!.labelIssue).toMatchObject({ suggested: 'Monnaie' });
  });
});
