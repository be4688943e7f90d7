import { describe, expect, it } from 'vitest';
import { photoProblemsOf } from '../../pipeline/catalogue/photo-problems.ts';
import { type RefusedImage, refusedImageMessage } from '../../pipeline/collection/refused-images.ts';
import type { DatasetIssue } from '../../pipeline/types.ts';

/*
 * A reviewer: the public page and the review queue said a camera raw, a HEIC or a file this user may not read was
 * "damaged or not an image", and took the file from the message with a data/… pattern, so the export’s
 * scans/data/2019/X1.jpg was shown as data/2019/X1.jpg "in the collection’s data folder", which does not exist.
 */

const refused = new Map<string, RefusedImage>([
  [
    'R1',
    { image: 'scans/data/2019/X1.jpg', reason: 'ends before its picture data does (a copy or download cut short?)' },
  ],
  ['R2', { image: 'raw/X2.dng', reason: 'is a camera raw file (.dng), which Vitrine cannot read: export it as JPEG' }],
  ['R3', { image: 'phone/X3.heic', reason: 'is a HEIC photo from a phone (HEVC), which cannot be read' }],
  ['R4', { image: 'X4.jpg', reason: 'cannot be read: this user may not read it (EACCES: permission denied).' }],
  ['R5', { image: 'X5.jpg', reason: 'is an empty file (0 bytes), not an image' }],
]);
const issues: DatasetIssue[] = [...refused].map(([id, entry], i) => ({
  code: 'IMAGE_UNREADABLE',
  message: `data/objects.csv:${i + 2}: ${refusedImageMessage({ id, refused: entry })}`,
  object: id,
})) as DatasetIssue[];

describe('objects whose image file import refused, on their page and in the review queue', () => {
  it('show the file as the export names it, not a data/ path cut from the message', () => {
    const problems = photoProblemsOf({ issues, images: new Map(), refused });
    expect(problems.get('R1')).toMatchObject({ file: null, exportFile: 'scans/data/2019/X1.jpg' });
    expect(problems.get('R4')).toMatchObject({ file: null, exportFile: 'X4.jpg' });
  });

  it('say the reason in plain words for its kind', () => {
    const problems = photoProblemsOf({ issues, images: new Map(), refused });
    expect(problems.get('R1')?.reason).toBe('the file is damaged or cut short');
    expect(problems.get('R2')?.reason).toBe(
      'the file is in a format that cannot be shown (it needs exporting as JPEG)',
    );
    expect(problems.get('R3')?.reason).toBe(
      'the file is in a format that cannot be shown (it needs exporting as JPEG)',
    );
    expect(problems.get('R4')?.reason).toBe('the file may not be read');
    expect(problems.get('R5')?.reason).toBe('the file is empty');
  });

  it('without the list, take no data/ path from a refused file’s message', () => {
    const problems = photoProblemsOf({ issues, images: new Map() });
    expect(problems.get('R1')?.file).toBeNull();
  });
});
