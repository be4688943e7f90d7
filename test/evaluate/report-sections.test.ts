import { describe, expect, it } from 'vitest';
import {
  crossValidatedSection,
  mislabelledSection,
  outOfCollectionSection,
  reportSections,
} from '../../pipeline/report/mislabelled.ts';
import type { DatasetObject, Metrics } from '../../pipeline/types.ts';

const metrics = {
  mislabelled: {
    checked: 300,
    candidates: 2,
    confident: 1,
    top: [
      { id: 'DM-0007', label: 'coin', suggested: 'mask', score: 0.91, confidence: 0.88, confident: true },
      { id: 'DM-<b>', label: 'vessel', suggested: 'print', score: 0.55, confidence: 0.5, confident: false },
    ],
  },
} as unknown as Metrics;

describe('the report section "objects that look mislabelled"', () => {
  it('lists the top objects with the suggested label, escaped, and thumbnails when the catalogue is known', () => {
    const links = (id: string) => ({
      thumbnailUrl: `https://museum.example/media/${id}.jpg`,
      pageUrl: `https://museum.example/objects/${id}/`,
    });
    const md = mislabelledSection({ metrics, links, titleOf: (id) => `Title of ${id}` });
    expect(md).toContain('### Objects that look mislabelled');
    expect(md).toContain('Each of the 300 labelled objects');
    expect(md).toContain('mask (88% sure)');
    expect(md).toContain('<img src="https://museum.example/media/DM-0007.jpg"');
    expect(md).toContain('[DM-0007](https://museum.example/objects/DM-0007/)');
    expect(md).not.toContain('<b>');
    expect(md.indexOf('DM-0007')).toBeLessThan(md.indexOf('vessel'));
    // The report hooks it in before the lineage, with the catalogue's page names.
    const sections = reportSections({
      metrics,
      dataset: { objects: [{ id: 'DM-0007', title: 'A coin' } as DatasetObject] },
      links: (_id, slug) => ({ thumbnailUrl: null, pageUrl: `https://m.example/${slug}/` }),
    });
    expect(sections.beforeLineage[0]).toContain('[DM-0007](https://m.example/dm-0007/) | A coin');
  });

  it('says plainly when the model is no better than guessing, and marks no object as standing out', () => {
    const atChance = {
      mislabelled: {
        ...metrics.mislabelled!,
        confident: 0,
        top: metrics.mislabelled!.top.map((i) => ({ ...i, confident: false })),
        agreement: { accuracy: 0.23, guessing: 0.25, better: false },
      },
    } as unknown as Metrics;
    const md = mislabelledSection({
      metrics: atChance,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
    expect(md).toContain('not yet better than guessing');
    expect(md).toContain('23%');
    expect(md).toContain('25%');
    expect(md).not.toContain('⚠️');
    expect(md).not.toContain('stand out clearly');
  });

  it('does not say every label agreed when the model is at chance and listed none', () => {
    const collapsed = {
      mislabelled: {
        checked: 40,
        candidates: 0,
        confident: 0,
        top: [],
        agreement: { accuracy: 0.5, guessing: 0.5, better: false, labelsInUse: 2 },
      },
    } as unknown as Metrics;
    const md = mislabelledSection({
      metrics: collapsed,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
    expect(md).not.toContain('every one agreed');
    expect(md).toContain('not yet better than guessing');
  });

  it('has no image column without a catalogue, and nothing without cross-validation', () => {
    const md = mislabelledSection({ metrics, links: () => ({ thumbnailUrl: null, pageUrl: null }), titleOf: () => '' });
    expect(md).not.toContain('<img');
    expect(
      mislabelledSection({
        metrics: {} as Metrics,
        links: () => ({ thumbnailUrl: null, pageUrl: null }),
        titleOf: () => '',
      }),
    ).toBe('');
  });
});

const iv = (value: number, low: number, high: number) => ({ value, low, high });

describe('the report sections from cross-validation', () => {
  it('states the verdict on every labelled object with its range in plain words', () => {
    const md = crossValidatedSection({
      metrics: {
        n: 66,
        crossValidated: {
          base: { ref: 'main', commit: 'c' },
          changed: 19,
          objects: 300,
          k: 5,
          candidate: iv(0.95, 0.92, 0.97),
          baseline: iv(0.93, 0.9, 0.96),
          probability: { candidate: 0.97, baseline: 0.95, trainingSd: 0.003 },
          comparison: {
            metric: 'probability',
            difference: iv(0.0213, 0.004, 0.0561),
            pValue: 0.012,
            test: 't',
            verdict: 'better',
            alpha: 0.05,
          },
        },
      } as unknown as Metrics,
    });
    expect(md).toContain(
      'a probability of 0.95 when trained on the labels before and 0.97 when trained on the labels now',
    );
    expect(md).toContain(
      // The low end, 0.004, keeps its side of zero as the scores’ ranges do: above zero, as p = 0.012 says.
      'a change of +0.02, between +0.00 and +0.06 (95% range, allowing for the variation between training runs), ' +
        'p = 0.012 (with no real difference, one this large would turn up by chance about 1 time in 80). **Better**',
    );
    expect(md).toContain('each of the 300 labelled objects');
    expect(md).not.toContain('sample');
  });

  it('"Worse" beside a higher macro-F1 says what it measures and where to look (a tester took it for a mistake)', () => {
    const section = (verdict: string, before: number, now: number) =>
      crossValidatedSection({
        metrics: {
          n: 66,
          crossValidated: {
            base: { ref: 'main', commit: 'c' },
            changed: 3,
            objects: 300,
            k: 5,
            candidate: iv(now, now - 0.03, now + 0.03),
            baseline: iv(before, before - 0.03, before + 0.03),
            probability: { candidate: 0.83, baseline: 0.84, trainingSd: 0 },
            comparison: {
              metric: 'probability',
              difference: iv(-0.011, -0.015, -0.008),
              pValue: 0.002,
              test: 't',
              verdict,
            },
          },
        } as unknown as Metrics,
      });
    expect(section('worse', 0.92, 0.924)).toContain(
      'Its top answers barely changed, but it is less sure of the labels as they are now: that is what labels that ' +
        'disagree with their photographs do (for example the same photograph under two different labels',
    );
    expect(section('worse', 0.95, 0.9)).not.toContain('barely changed');
    expect(section('better', 0.95, 0.94)).toContain('surer of the labels as they are now');
    expect(section('better', 0.9, 0.95)).not.toContain('did not improve');
  });

  it('says when the models learnt from a sample of a large collection, and how large', () => {
    const md = crossValidatedSection({
      metrics: {
        n: 20_000,
        crossValidated: {
          base: { ref: 'main', commit: 'c' },
          changed: 500,
          objects: 100_000,
          k: 5,
          sample: { objects: 20_000, of: 100_000 },
          candidate: iv(0.95, 0.92, 0.97),
          baseline: iv(0.93, 0.9, 0.96),
          probability: { candidate: 0.97, baseline: 0.95, trainingSd: 0.003 },
          comparison: {
            metric: 'probability',
            difference: iv(0.02, 0.01, 0.03),
            pValue: 0.002,
            test: 't',
            verdict: 'better',
          },
        },
      } as unknown as Metrics,
    });
    expect(md).toContain('each of the 100000 labelled objects was predicted by a model that had not seen it');
    expect(md).toContain(
      'With 100000 labelled objects, each of these models learnt from a sample of 20000 of them, drawn once for ' +
        'all of them and keeping each label’s share (evaluate.cv_max_objects)',
    );
  });

  it('gives the estimate on an unseen source next to the random-split figure', () => {
    const md = outOfCollectionSection({
      metrics: {
        outOfCollection: {
          field: 'museum',
          n: 1827,
          macroF1: iv(0.43, 0.4, 0.46),
          accuracy: iv(0.6, 0.57, 0.63),
          randomFolds: { macroF1: iv(0.58, 0.55, 0.61), accuracy: iv(0.7, 0.68, 0.72) },
          groups: [{ value: 'Cleveland', n: 654, accuracy: 0.6, macroF1: 0.4 }],
        },
      } as unknown as Metrics,
    });
    expect(md).toContain('### On photographs from a museum it has not seen');
    expect(md).toContain('about 0.43 (95% range 0.40 to 0.46), against 0.58');
  });
});
