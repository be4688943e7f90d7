import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { crossValidatedSection } from '../../pipeline/report/mislabelled.ts';
import { photoReason } from '../../pipeline/report/photos.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Tester #3: "a change of 3 labels" in the verdict's section, "4 objects newly labelled" in the label table, for the
 * same pull request. The cross-validated comparison counts the objects with a usable photograph whose label differs
 * from the base; the table counts changed lines of labels.csv, one of them on an object whose photograph was refused.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });
const metrics = (changed: number) =>
  ({
    n: 12,
    crossValidated: {
      base: { ref: 'main', commit: 'c' },
      changed,
      objects: 60,
      k: 5,
      candidate: iv(0.95, 0.92, 0.97),
      baseline: iv(0.93, 0.9, 0.96),
      probability: { candidate: 0.97, baseline: 0.95, trainingSd: 0.003 },
      comparison: {
        metric: 'probability',
        difference: iv(0.02, 0.01, 0.03),
        pValue: 0.01,
        test: 't',
        verdict: 'better',
      },
    },
  }) as unknown as Metrics;

describe('the number of changed labels', () => {
  it('says what each count counts when the table lists more than were judged', () => {
    const md = crossValidatedSection({ metrics: metrics(3), listed: { changes: 4, photoUnusable: 1 } });
    expect(md).toContain('too few to judge a change of 3 labels on its own.');
    expect(md).toContain(
      'This counts the objects with a usable photograph whose label differs from the labels before; the label table ' +
        'lists 4 labels changed in labels.csv, 1 of them on an object whose photograph cannot be used (no model can ' +
        'learn from those).',
    );
  });

  it('says nothing more when both count the same', () => {
    const md = crossValidatedSection({ metrics: metrics(4), listed: { changes: 4, photoUnusable: 0 } });
    expect(md).toContain('too few to judge a change of 4 labels on its own. So the model');
    expect(md).not.toContain('This counts');
  });
});

// Outside tester: 2 labels changed and 2 lines added for ids the collection does not have ("MS 99/9", "Ms 12/3a")
// were "2 labels changed, 2 lines name an object id that is not in the collection" in the label table, and "the
// label table lists 4 labels changed in labels.csv" in the section above it.
describe('lines naming no object of the collection', () => {
  it('are not counted as labels changed where the verdict says what the label table lists', async () => {
    const objects = demoObjects();
    const base = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const head = { ...base, 'DM-0001': 'figurine', 'DM-0002': 'figurine' };
    const lines = Object.entries(head).map(([id, label]) => `${id},${label}\n`);
    const headText = `object_id,label\n${lines.join('')}XX-99,print\nZZ-12,mask\n`;
    const { ws } = await makeRepo({ objects, base, head, headText });
    await writeStageOutputs({ ws, objects, head, metrics: metrics(2) });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.counts).toMatchObject({ changed: 2, unknownIds: 2 });
    expect(markdown).toContain('2 labels changed');
    expect(markdown).toContain('2 lines name an object id that is not in the collection');
    expect(markdown).toContain('too few to judge a change of 2 labels on its own. So the model');
    expect(markdown).not.toContain('label table lists');
  });
});

describe('why a photograph cannot be used, in plain words', () => {
  it('gives the size and the limit of a photograph over dataset.image.max_pixels', () => {
    const reason = photoReason({
      code: 'IMAGE_TOO_LARGE',
      message:
        'data/objects.csv:3: object "DM-1001": data/images/DM-1001.jpg: the image is 12000×9000 (108,000,000 pixels), ' +
        'more than 100,000,000 (dataset.image.max_pixels); it was refused to protect memory. Resize it, or raise the limit.',
    });
    expect(reason).toBe(
      'the photograph is too large (12000 × 9000 pixels, over the limit of 100,000,000 pixels set in params.yaml, ' +
        'dataset.image.max_pixels)',
    );
  });

  it('keeps the image reader’s words after the plain ones', () => {
    const reason = photoReason({
      code: 'IMAGE_UNREADABLE',
      message:
        'data/objects.csv:2: object "DM-0001": data/images/DM-0001.jpg: this image cannot be decoded; it may be damaged ' +
        'or in an unsupported format (VipsJpeg: premature end of JPEG image).',
    });
    expect(reason).toBe(
      'the file cannot be opened as a photograph; it is damaged, cut short or not a picture at all (the image reader ' +
        'said "VipsJpeg: premature end of JPEG image")',
    );
  });

  it('says a missing file is missing', () => {
    expect(
      photoReason({ code: 'OBJECT_NO_IMAGE', message: 'the image of object "A" is missing (no file data/x.jpg).' }),
    ).toBe('the file is missing from the data folder');
  });
});
