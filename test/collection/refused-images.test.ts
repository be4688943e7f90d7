import { describe, expect, it } from 'vitest';
import { refusedImageMessage } from '../../pipeline/collection/refused-images.ts';
import { EMPTY_FILE } from '../../pipeline/dataset/picture-problems.ts';

/*
 * A reviewer: what the dataset stage says of a file import refused doubled its advice ("Copy or export it again from
 * the original. Copy or export that photograph again, then import again.") and said an empty file twice ("is empty:
 * the file is empty (0 bytes)").
 */

describe('what the dataset stage says of an image file import refused', () => {
  it('gives its advice once', () => {
    const message = refusedImageMessage({
      id: 'A2',
      refused: {
        image: 'cut.jpg',
        reason: 'ends before its picture data does, so it cannot be used. Copy or export it again from the original.',
      },
    });
    expect(message.match(/Copy or export/g)).toHaveLength(1);
    expect(message).toMatch(/Then import again\.$/);
  });

  it('says an empty file is empty once, in the words the catalogue and the report tell', () => {
    const message = refusedImageMessage({
      id: 'A4',
      refused: { image: 'empty.jpg', reason: 'is an empty file (0 bytes), not an image' },
    });
    expect(message).toContain(EMPTY_FILE);
    expect(message.match(/empty/g)).toHaveLength(2);
    expect(message).not.toMatch(/is empty: the file is empty/);
  });

  it('tells where a good copy goes when the reason gives no advice', () => {
    const message = refusedImageMessage({
      id: 'A5',
      refused: { image: 'x.jpg', reason: 'is not an image' },
    });
    expect(message).toMatch(/a good copy in the export under that name, then import again\.$/);
  });
});
