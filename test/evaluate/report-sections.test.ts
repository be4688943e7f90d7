import { describe, expect, it } from 'vitest';
import { mislabelledSection, reportSections } from '../../pipeline/report/mislabelled.ts';
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
    const links = (id: string) => ({ thumbnailUrl: `https://museum.example/media/${id}.jpg`, pageUrl: `https://museum.example/objects/${id}/` });
    const md = mislabelledSection({ metrics, links, titleOf: (id) => `Title of ${id}` });
    expect(md).toContain('### Objects that look mislabelled');
    expect(md).toContain('Each of the 300 labelled objects');
    expect(md).toContain('mask (88% sure)');
    expect(md).toContain('<img src="https://museum.example/media/DM-0007.jpg"');
    expect(md).toContain('[DM-0007](https://museum.example/objects/DM-0007/)');
    expect(md).not.toContain('<b>');
    expect(md.indexOf('DM-0007')).toBeLessThan(md.indexOf('vessel'));
    // The report hooks it in before the lineage, with the catalogue's page names.
    const sections = reportSections({ metrics, dataset: { objects: [{ id: 'DM-0007', title: 'A coin' } as DatasetObject] }, links: (id, slug) => ({ thumbnailUrl: null, pageUrl: `https://m.example/${slug}/` }) });
    expect(sections.beforeLineage[0]).toContain('[DM-0007](https://m.example/dm-0007/) | A coin');
  });

  it('has no image column without a catalogue, and nothing without cross-validation', () => {
    const md = mislabelledSection({ metrics, links: () => ({ thumbnailUrl: null, pageUrl: null }), titleOf: () => '' });
    expect(md).not.toContain('<img');
    expect(mislabelledSection({ metrics: {} as Metrics, links: () => ({ thumbnailUrl: null, pageUrl: null }), titleOf: () => '' })).toBe('');
  });
});
