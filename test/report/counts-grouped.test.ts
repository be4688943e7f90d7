import { describe, expect, it } from 'vitest';
import { unusablePhotosSection } from '../../pipeline/report/photos.ts';
import { removedObjectsSection } from '../../pipeline/report/removed-objects.ts';
import type { UnusablePhoto } from '../../pipeline/report/types.ts';

/* Tester T16 F6: counts printed without separators ("…and 99950 more") where other numbers say "10,485,760". */

describe('counts of objects not named', () => {
  it('are written with thousands separators in the photographs and removed objects sections', () => {
    const photo = (i: number): UnusablePhoto => ({
      id: `X-${i}`,
      title: '',
      file: `data/images/X-${i}.jpg`,
      code: 'IMAGE_UNREADABLE',
      reason: 'the file cannot be opened as a photograph',
      labelled: true,
      newInChange: null,
    });
    const objects = Array.from({ length: 1020 }, (_, i) => photo(i));
    expect(unusablePhotosSection({ photos: { objects, comparedWithBase: false } })).toContain('…and 1,000 more');
    const removed = objects.map((o) => ({ id: o.id, title: '', labelled: false }));
    expect(removedObjectsSection({ objects: removed })).toMatch(/ and 1,0\d\d more/);
  });
});
